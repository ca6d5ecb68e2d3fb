/**
 * The no-Nash example of Farnia & Ozdaglar 2020 ("Do GANs always have Nash equilibria?", seed slide
 * "Nash Equilibrium in Non-realizable GANs"): data X ∼ N(0, Σ) in R² with σ_max(Σ) > 1 (default
 * Σ = diag(4, 1)), a regularised linear generator G(Z) = AZ + b, Z ∼ N(0, I), σ_max(A) ≤ 1, ‖b‖ ≤ 1, and
 * the 2-Wasserstein GAN with a quadratic discriminator D(x) = xᵀΛx + γᵀx (Λ symmetric) — the seed's third
 * bullet: "2-Wasserstein GAN has … no local NEs with quadratic D".
 *
 * The game (the W2GAN dual, cost c(x, x′) = β‖x − x′‖², seed slide "Proximal Equilibria in Wasserstein
 * GANs"):
 *
 *   V(G, D) = E[D(X)] + E[D^c(G(Z))],   D^c(y) = inf_x β‖x − y‖² − D(x),
 *
 * with G minimising and D maximising. For Λ ≺ βI the c-transform is closed form: with K = (βI − Λ)⁻¹,
 * D^c(y) = β‖y‖² − (βy + γ/2)ᵀK(βy + γ/2); Gaussian expectations of quadratics are closed form
 * (E[XᵀΛX] = tr(ΛΣ), E[YYᵀ] = AAᵀ + bbᵀ), so
 *
 *   V(G, D) = tr(ΛΣ) + β tr(AAᵀ) + β‖b‖² − β² tr(K AAᵀ) − (βb + γ/2)ᵀK(βb + γ/2).
 *
 * Everything is deterministic and float64. V is concave in D (an infimum of affine functions plus a linear
 * term), and sup_D V(G, D) = β W₂²(N(0, Σ), N(b, AAᵀ)) (quadratic potentials are optimal between Gaussians):
 *
 *   f(G) := sup_D V(G, D) = β [ ‖b‖² + tr Σ + tr AAᵀ − 2 tr (Σ^½ AAᵀ Σ^½)^½ ]            (closed form)
 *   g(D) := min_G V(G, D)   (closed form: the A-part is the sum of the negative eigenvalues of
 *           Q = βI − β²K, since AAᵀ ranges over {0 ⪯ S ⪯ I}; the b-part is a trust-region problem on the
 *           unit disc, min bᵀQb − βγᵀKb, solved exactly on the boundary by a dense angle grid + golden-section)
 *
 * Nash gap (the measurement, both players' best improvement): gap(G, D) = [f(G) − V(G, D)] + [V(G, D) − g(D)]
 * = f(G) − g(D) ≥ min_G f − sup_D g. (G, D) is a Nash equilibrium iff gap = 0, so "no pure Nash
 * equilibrium" is min_G f > sup_D g (a duality gap). min_G f = β Σᵢ (√σᵢ(Σ) − 1)₊² (= β for diag(4, 1),
 * at A = I, b = 0: the Bures distance is ≥ the distance of the sorted square-root spectra, and AAᵀ ⪯ I); we
 * also confirm it by multi-start descent. g is concave (a minimum of concave functions), so its supremum is
 * found by projected ascent (local = global); the demonstration reports both numbers and their difference,
 * plus the minimum gap seen along a plain alternating-GDA trajectory, and at the Stackelberg point
 * (G† = argmin f, D† its best response) the smallest eigenvalue of G's own Hessian in b, which is negative
 * (G† is a saddle of V(·, D†), so not even a local Nash equilibrium: the seed's "no local NEs").
 *
 * Proximal equilibrium (seed slide "Proximal Equilibria in Wasserstein GANs"): by Brenier, the optimal
 * D_G has W₂ cost = (1/4β) E‖∇D_G(X)‖² in this convention (∇D(x) = 2β(x − T(x)) for the transport map T),
 * strongly convex w.r.t. the Sobolev norm ‖D‖²_Sob = E_X‖∇ₓD(X)‖², so a λ-proximal equilibrium exists for
 * λ = 1/(4β) (the seed's "1/β" in its scaling). For quadratic D the Sobolev distance is closed form:
 * ‖D − D̃‖²_Sob = E‖2ΔΛX + Δγ‖² = 4 tr(ΔΛ Σ ΔΛ) + ‖Δγ‖² (`sobolevSqDist`).
 *
 * Parameters: G = [a11, a12, a21, a22, b1, b2], D = [Λ11, Λ12, Λ22, γ1, γ2]. The feasible sets are kept by
 * `projectG` / `projectD` after every step (methods only know box clipping): A's singular values are clipped
 * to ≤ 1 (exact 2×2 SVD), b to the unit ball, and Λ's eigenvalues to ≤ κβ (κ = 0.95) so that K stays finite.
 *
 * The closed-form solvers (best responses, f, g, the Nash and proximal gaps) and the feasible-set projections
 * are src/analysis/linear-gaussian.ts; the no-Nash and proximal demonstrations are
 * src/experiments/linear-gaussian-no-nash.ts.
 */
import { numpy as np, type Array as JArray } from "@jax-js/jax";
import { dtypeOf } from "../engine/device.ts";
import type { Params } from "../engine/tree.ts";
import { scalarLike } from "../engine/tree.ts";
import type { Game, Joint, Player } from "./game.ts";

export interface LinearGaussianOptions {
  /** Data covariance Σ (2×2 symmetric PD); default diag(4, 1). */
  sigma?: [[number, number], [number, number]];
  /** Transport cost weight β of c(x, x′) = β‖x − x′‖² (default 1). */
  beta?: number;
  /** Starting point (default A = 0.5·[[1, 0.2], [−0.1, 1]], b = (0.3, −0.2), D = 0). */
  init?: [number[], number[]];
}

/** Λ's eigenvalues are kept ≤ KAPPA·β (so K = (βI − Λ)⁻¹ stays finite). */
export const KAPPA = 0.95;

export interface LinearGaussianGame extends Game {
  readonly sigma: [[number, number], [number, number]];
  readonly beta: number;
  /** ‖D − D̃‖²_Sob = 4 tr(ΔΛΣΔΛ) + ‖Δγ‖² (closed form; consumes both). */
  sobolevSqDist(D: Params, Dt: Params): JArray;
  /** V in plain JS float64 (for the measurements). */
  valueJs(g: readonly number[], d: readonly number[]): number;
}

/** A symmetric 2×2 matrix [[a, b], [b, c]] as rows. */
export type Sym = [[number, number], [number, number]];

/** V(G, D) in plain float64 JS; +∞-safe: returns −Infinity when Λ ⊀ βI. */
export function valueJs(sigma: Sym, beta: number, g: readonly number[], d: readonly number[]): number {
  const [a11, a12, a21, a22, b1, b2] = g;
  const [l11, l12, l22, c1, c2] = d;
  const p11 = a11 * a11 + a12 * a12;
  const p12 = a11 * a21 + a12 * a22;
  const p22 = a21 * a21 + a22 * a22;
  const m11 = beta - l11;
  const m22 = beta - l22;
  const det = m11 * m22 - l12 * l12;
  if (!(m11 > 0 && det > 0)) return -Infinity;
  const k11 = m22 / det;
  const k12 = l12 / det;
  const k22 = m11 / det;
  const u1 = beta * b1 + c1 / 2;
  const u2 = beta * b2 + c2 / 2;
  const trLS = l11 * sigma[0][0] + 2 * l12 * sigma[0][1] + l22 * sigma[1][1];
  const trKP = k11 * p11 + 2 * k12 * p12 + k22 * p22;
  const uKu = k11 * u1 * u1 + 2 * k12 * u1 * u2 + k22 * u2 * u2;
  return trLS + beta * (p11 + p22) + beta * (b1 * b1 + b2 * b2) - beta * beta * trKP - uKu;
}

export function linearGaussian(opts: LinearGaussianOptions = {}): LinearGaussianGame {
  const sigma: Sym = opts.sigma ?? [
    [4, 0],
    [0, 1],
  ];
  const beta = opts.beta ?? 1;
  const dt = dtypeOf("float64");
  const init = opts.init ?? [
    [0.5, 0.1, -0.05, 0.5, 0.3, -0.2],
    [0, 0, 0, 0, 0],
  ];
  /** V(G, D) as a jax scalar; consumes both. Hyper-parameters as typed scalars. */
  const V = (gp: Params, dp: Params): JArray => {
    const g = gp as JArray;
    const d = dp as JArray;
    const s = (c: number) => scalarLike(g, c);
    const gi = (i: number) => g.ref.slice(i);
    const di = (i: number) => d.ref.slice(i);
    const [a11, a12, a21, a22, b1, b2] = [0, 1, 2, 3, 4, 5].map(gi);
    const [l11, l12, l22, c1, c2] = [0, 1, 2, 3, 4].map(di);
    g.dispose();
    d.dispose();
    const p11 = a11.ref.mul(a11.ref).add(a12.ref.mul(a12.ref));
    const p12 = a11.mul(a21.ref).add(a12.mul(a22.ref));
    const p22 = a21.ref.mul(a21).add(a22.ref.mul(a22));
    const m11 = s(beta).sub(l11.ref);
    const m22 = s(beta).sub(l22.ref);
    const det = m11.ref.mul(m22.ref).sub(l12.ref.mul(l12.ref));
    const k11 = m22.div(det.ref);
    const k12 = l12.ref.div(det.ref);
    const k22 = m11.div(det);
    const u1 = b1.ref.mul(s(beta)).add(c1.div(s(2)));
    const u2 = b2.ref.mul(s(beta)).add(c2.div(s(2)));
    const trLS = l11
      .mul(s(sigma[0][0]))
      .add(l12.mul(s(2 * sigma[0][1])))
      .add(l22.mul(s(sigma[1][1])));
    const trKP = k11.ref
      .mul(p11.ref)
      .add(k12.ref.mul(p12).mul(s(2)))
      .add(k22.ref.mul(p22.ref));
    const uKu = k11
      .mul(u1.ref.mul(u1.ref))
      .add(k12.mul(u1.mul(u2.ref)).mul(s(2)))
      .add(k22.mul(u2.ref.mul(u2)));
    const bb = b1.ref.mul(b1).add(b2.ref.mul(b2));
    return trLS
      .add(p11.add(p22).mul(s(beta)))
      .add(bb.mul(s(beta)))
      .sub(trKP.mul(s(beta * beta)))
      .sub(uKu);
  };
  const sobolevSqDist = (dp: Params, dtp: Params): JArray => {
    const diff = (dp as JArray).sub(dtp as JArray);
    const x = (i: number) => diff.ref.slice(i);
    const [e11, e12, e22, f1, f2] = [0, 1, 2, 3, 4].map(x);
    diff.dispose();
    const s = (c: number) => scalarLike(e11, c);
    // 4 tr(EΣE) with E symmetric: tr(EΣE) = Σ_ij (EΣ)_ij E_ji
    const es11 = e11.ref.mul(s(sigma[0][0])).add(e12.ref.mul(s(sigma[0][1])));
    const es12 = e11.ref.mul(s(sigma[0][1])).add(e12.ref.mul(s(sigma[1][1])));
    const es21 = e12.ref.mul(s(sigma[0][0])).add(e22.ref.mul(s(sigma[0][1])));
    const es22 = e12.ref.mul(s(sigma[0][1])).add(e22.ref.mul(s(sigma[1][1])));
    const tr = es11.mul(e11).add(es12.mul(e12.ref)).add(es21.mul(e12)).add(es22.mul(e22));
    return tr.mul(s(4)).add(f1.ref.mul(f1)).add(f2.ref.mul(f2));
  };
  const arr = (v: number[]) => np.array(v, { dtype: dt });
  return {
    name: "linear-gaussian",
    description:
      `W2GAN, X ∼ N(0, [[${sigma[0].join(", ")}], [${sigma[1].join(", ")}]]), G(Z) = AZ + b ` +
      `(σ_max(A) ≤ 1, ‖b‖ ≤ 1), D(x) = xᵀΛx + γᵀx, cost ${beta}‖x − x′‖²; V = E D(X) + E D^c(G(Z))`,
    players: ["G", "D"],
    dtype: "float64",
    zeroSum: true,
    sigma,
    beta,
    loss: (i: Player, x: Params, y: Params) => (i === 0 ? V(x, y) : V(x, y).neg()),
    init: (): Joint => [arr(init[0]), arr(init[1])],
    sobolevSqDist,
    valueJs: (g, d) => valueJs(sigma, beta, g, d),
  };
}
