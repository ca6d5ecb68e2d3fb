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
 * `project` after every step (methods only know box clipping): A's singular values are clipped to ≤ 1
 * (exact 2×2 SVD), b to the unit ball, and Λ's eigenvalues to ≤ κβ (κ = 0.95) so that K stays finite.
 */
import { numpy as np, type Array as JArray } from "@jax-js/jax";
import { dtypeOf } from "../engine/device.ts";
import type { Params } from "../engine/tree.ts";
import { scalarLike } from "../engine/tree.ts";
import type { Method } from "../methods/method.ts";
import { alternatingMethod } from "../methods/alternating.ts";
import { createMethod } from "../methods/registry.ts";
import { proximalGame } from "../equilibria/proximal.ts";
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

type Sym = [[number, number], [number, number]];

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

// ───────────────────────── 2×2 linear algebra (plain JS) ─────────────────────────

/** Eigen-decomposition of a symmetric 2×2 [[a, b], [b, c]]: values descending, unit vectors. */
export function eigSym(
  a: number,
  b: number,
  c: number,
): { values: [number, number]; vectors: [number[], number[]] } {
  const m = (a + c) / 2;
  const r = Math.hypot((a - c) / 2, b);
  const l1 = m + r;
  const l2 = m - r;
  let v1: number[];
  if (Math.abs(b) > 1e-300) v1 = [b, l1 - a];
  else v1 = a >= c ? [1, 0] : [0, 1];
  const n = Math.hypot(v1[0], v1[1]);
  v1 = [v1[0] / n, v1[1] / n];
  return { values: [l1, l2], vectors: [v1, [-v1[1], v1[0]]] };
}

/** Projection of A (row-major [a11, a12, a21, a22]) onto {σ_max(A) ≤ 1}: exact SVD clip. */
export function projectSpectral(a: readonly number[]): number[] {
  const [a11, a12, a21, a22] = a;
  // AᵀA = V diag(s²) Vᵀ; A' = A V diag(min(s, 1)/s) Vᵀ
  const e = eigSym(a11 * a11 + a21 * a21, a11 * a12 + a21 * a22, a12 * a12 + a22 * a22);
  const s = e.values.map((x) => Math.sqrt(Math.max(x, 0)));
  if (s[0] <= 1) return [...a];
  const f = s.map((x) => (x > 1 ? 1 / x : 1));
  // M = V diag(f) Vᵀ
  const [v1, v2] = e.vectors;
  const M = [
    [f[0] * v1[0] * v1[0] + f[1] * v2[0] * v2[0], f[0] * v1[0] * v1[1] + f[1] * v2[0] * v2[1]],
    [f[0] * v1[1] * v1[0] + f[1] * v2[1] * v2[0], f[0] * v1[1] * v1[1] + f[1] * v2[1] * v2[1]],
  ];
  return [
    a11 * M[0][0] + a12 * M[1][0],
    a11 * M[0][1] + a12 * M[1][1],
    a21 * M[0][0] + a22 * M[1][0],
    a21 * M[0][1] + a22 * M[1][1],
  ];
}

/** σ_max of a row-major 2×2. */
export function sigmaMax(a: readonly number[]): number {
  const [a11, a12, a21, a22] = a;
  const e = eigSym(a11 * a11 + a21 * a21, a11 * a12 + a21 * a22, a12 * a12 + a22 * a22);
  return Math.sqrt(Math.max(e.values[0], 0));
}

/** G's feasible set: σ_max(A) ≤ 1, ‖b‖ ≤ 1. */
export function projectG(g: readonly number[]): number[] {
  const A = projectSpectral(g.slice(0, 4));
  const n = Math.hypot(g[4], g[5]);
  const b = n > 1 ? [g[4] / n, g[5] / n] : [g[4], g[5]];
  return [...A, ...b];
}

/** D's feasible set: λ_max(Λ) ≤ κβ. */
export function projectD(d: readonly number[], beta: number): number[] {
  const e = eigSym(d[0], d[1], d[2]);
  const cap = KAPPA * beta;
  if (e.values[0] <= cap) return [...d];
  const vals = [Math.min(e.values[0], cap), Math.min(e.values[1], cap)];
  const [v1, v2] = e.vectors;
  const L = (i: number, j: number) => vals[0] * v1[i] * v1[j] + vals[1] * v2[i] * v2[j];
  return [L(0, 0), L(0, 1), L(1, 1), d[3], d[4]];
}

/** √M of a 2×2 symmetric PSD [[a, b], [b, c]]: (M + √det I)/√(tr M + 2√det). */
function sqrtm(a: number, b: number, c: number): [number, number, number] {
  const sd = Math.sqrt(Math.max(a * c - b * b, 0));
  const t = Math.sqrt(Math.max(a + c + 2 * sd, 0));
  if (t === 0) return [0, 0, 0];
  return [(a + sd) / t, b / t, (c + sd) / t];
}

/** Product of two symmetric 2×2 given as [a, b, c] = [[a, b], [b, c]] (the result need not be symmetric). */
function mul2(x: readonly number[], y: readonly number[]): [[number, number], [number, number]] {
  return [
    [x[0] * y[0] + x[1] * y[1], x[0] * y[1] + x[1] * y[2]],
    [x[1] * y[0] + x[2] * y[1], x[1] * y[1] + x[2] * y[2]],
  ];
}

/** Inverse of a symmetric 2×2 [a, b, c]. */
function inv2(a: number, b: number, c: number): [number, number, number] {
  const det = a * c - b * b;
  return [c / det, -b / det, a / det];
}

/**
 * D's best response D_G = argmax_D V(G, D) in closed form (Brenier): the transport map from N(0, Σ) to
 * N(b, AAᵀ) is T(x) = Mx + b, M = Σ^{−½}(Σ^½ AAᵀ Σ^½)^½ Σ^{−½}, and the optimal potential has
 * ∇D(x) = 2β(x − T(x)), so Λ = β(I − M), γ = −2βb. Feasible (λ_max(Λ) ≤ κβ) iff λ_min(M) ≥ 1 − κ; the
 * returned `feasible` says so, and f(G) − V(G, D_G) (0 when D_G is the maximiser) is the check of it.
 */
export function bestResponseD(
  sigma: Sym,
  beta: number,
  g: readonly number[],
): { d: number[]; feasible: boolean } {
  const [a11, a12, a21, a22, b1, b2] = g;
  const P = [a11 * a11 + a12 * a12, a11 * a21 + a12 * a22, a21 * a21 + a22 * a22];
  const r = sqrtm(sigma[0][0], sigma[0][1], sigma[1][1]);
  const ri = inv2(...r);
  const rp = mul2(r, P);
  // C = Σ^½ P Σ^½ (symmetric)
  const C = [
    rp[0][0] * r[0] + rp[0][1] * r[1],
    rp[0][0] * r[1] + rp[0][1] * r[2],
    rp[1][0] * r[1] + rp[1][1] * r[2],
  ];
  const q = sqrtm(C[0], C[1], C[2]);
  const iq = mul2(ri, q);
  const M = [
    iq[0][0] * ri[0] + iq[0][1] * ri[1],
    iq[0][0] * ri[1] + iq[0][1] * ri[2],
    iq[1][0] * ri[1] + iq[1][1] * ri[2],
  ];
  const d = [beta * (1 - M[0]), -beta * M[1], beta * (1 - M[2]), -2 * beta * b1, -2 * beta * b2];
  return { d, feasible: eigSym(M[0], M[1], M[2]).values[1] >= 1 - KAPPA };
}

/** f(G) = sup_D V(G, D) = β W₂²(N(0, Σ), N(b, AAᵀ)) (closed form). */
export function bestValueD(sigma: Sym, beta: number, g: readonly number[]): number {
  const [a11, a12, a21, a22, b1, b2] = g;
  const p11 = a11 * a11 + a12 * a12;
  const p12 = a11 * a21 + a12 * a22;
  const p22 = a21 * a21 + a22 * a22;
  const [r11, r12, r22] = sqrtm(sigma[0][0], sigma[0][1], sigma[1][1]);
  // C = Σ^½ P Σ^½
  const RP = [
    [r11 * p11 + r12 * p12, r11 * p12 + r12 * p22],
    [r12 * p11 + r22 * p12, r12 * p12 + r22 * p22],
  ];
  const c11 = RP[0][0] * r11 + RP[0][1] * r12;
  const c12 = RP[0][0] * r12 + RP[0][1] * r22;
  const c22 = RP[1][0] * r12 + RP[1][1] * r22;
  const [q11, , q22] = sqrtm(c11, c12, c22);
  const bures = sigma[0][0] + sigma[1][1] + p11 + p22 - 2 * (q11 + q22);
  return beta * (b1 * b1 + b2 * b2 + Math.max(bures, 0));
}

/** G's best response to D: the minimiser of V(·, D) over the feasible set, and g(D) = its value. */
export function bestResponseG(
  sigma: Sym,
  beta: number,
  d: readonly number[],
): { g: number[]; value: number } {
  const [l11, l12, l22, c1, c2] = d;
  const m11 = beta - l11;
  const m22 = beta - l22;
  const det = m11 * m22 - l12 * l12;
  if (!(m11 > 0 && det > 0)) return { g: [0, 0, 0, 0, 0, 0], value: -Infinity };
  const k11 = m22 / det;
  const k12 = l12 / det;
  const k22 = m11 / det;
  // Q = βI − β²K; A-part: AAᵀ = projector onto Q's negative eigenspace
  const q11 = beta - beta * beta * k11;
  const q12 = -beta * beta * k12;
  const q22 = beta - beta * beta * k22;
  const e = eigSym(q11, q12, q22);
  const cols: number[][] = [];
  e.values.forEach((v, i) => {
    if (v < 0) cols.push(e.vectors[i]);
  });
  // A = [u1 u2] (columns = negative eigenvectors), so AAᵀ = Σ uuᵀ; σ_max(A) = 1
  const A = [0, 0, 0, 0];
  cols.forEach((u, j) => {
    A[0 + j] = u[0];
    A[2 + j] = u[1];
  });
  // b-part: min_{‖b‖≤1} bᵀQb + hᵀb with h = −βKγ
  const h1 = -beta * (k11 * c1 + k12 * c2);
  const h2 = -beta * (k12 * c1 + k22 * c2);
  const qf = (x: number, y: number) => q11 * x * x + 2 * q12 * x * y + q22 * y * y + h1 * x + h2 * y;
  let best = { x: 0, y: 0, v: 0 };
  if (e.values[1] > 0) {
    // interior stationary point, if inside the disc
    const dq = q11 * q22 - q12 * q12;
    const x = -(q22 * h1 - q12 * h2) / (2 * dq);
    const y = -(-q12 * h1 + q11 * h2) / (2 * dq);
    if (x * x + y * y <= 1) best = { x, y, v: qf(x, y) };
  }
  const N = 360;
  let bt = 0;
  let bv = Infinity;
  for (let k = 0; k < N; k++) {
    const t = (2 * Math.PI * k) / N;
    const v = qf(Math.cos(t), Math.sin(t));
    if (v < bv) {
      bv = v;
      bt = t;
    }
  }
  // golden-section refinement on [bt − h, bt + h]
  let lo = bt - (2 * Math.PI) / N;
  let hi = bt + (2 * Math.PI) / N;
  const phi = (Math.sqrt(5) - 1) / 2;
  for (let it = 0; it < 60; it++) {
    const m1 = hi - phi * (hi - lo);
    const m2 = lo + phi * (hi - lo);
    if (qf(Math.cos(m1), Math.sin(m1)) < qf(Math.cos(m2), Math.sin(m2))) hi = m2;
    else lo = m1;
  }
  const tb = (lo + hi) / 2;
  const vb = qf(Math.cos(tb), Math.sin(tb));
  if (vb < best.v) best = { x: Math.cos(tb), y: Math.sin(tb), v: vb };
  const g = [...A, best.x, best.y];
  return { g, value: valueJs(sigma, beta, g, d) };
}

/** Central-difference gradient of a scalar function of a small vector. */
export function numGrad(f: (x: number[]) => number, x: readonly number[], h = 1e-6): number[] {
  return x.map((_, i) => {
    const p = [...x];
    const m = [...x];
    p[i] += h;
    m[i] -= h;
    return (f(p) - f(m)) / (2 * h);
  });
}

/** Projects both players' parameters onto their feasible sets; consumes w. */
export function projectJoint(game: LinearGaussianGame, w: Joint): Joint {
  const g = Array.from((w[0] as JArray).js() as number[]);
  const d = Array.from((w[1] as JArray).js() as number[]);
  const dt = dtypeOf("float64");
  return [np.array(projectG(g), { dtype: dt }), np.array(projectD(d, game.beta), { dtype: dt })];
}

/** Runs a method for `steps` steps with the feasible-set projection after each; returns every point. */
export function projectedRun(
  game: LinearGaussianGame,
  method: Method,
  steps: number,
  start?: Joint,
): { g: number[]; d: number[] }[] {
  let w = projectJoint(game, start ?? game.init());
  let s = method.init(w);
  const out: { g: number[]; d: number[] }[] = [];
  const read = (x: Joint) => ({
    g: Array.from((x[0] as JArray).ref.js() as number[]),
    d: Array.from((x[1] as JArray).ref.js() as number[]),
  });
  out.push(read(w));
  for (let t = 0; t < steps; t++) {
    const [w2, s2] = method.step(w, s);
    s = s2;
    w = projectJoint(game, w2);
    out.push(read(w));
  }
  (w[0] as JArray).dispose();
  (w[1] as JArray).dispose();
  return out;
}

// ───────────────────────── the demonstrations (plain JS float64) ─────────────────────────

/** ‖D − D̃‖²_Sob = 4 tr(ΔΛΣΔΛ) + ‖Δγ‖² in plain JS. */
export function sobolevSqDistJs(sigma: Sym, d: readonly number[], dt: readonly number[]): number {
  const e = d.map((x, i) => x - dt[i]);
  const E = [
    [e[0], e[1]],
    [e[1], e[2]],
  ];
  let tr = 0;
  for (let i = 0; i < 2; i++)
    for (let j = 0; j < 2; j++) {
      let es = 0;
      for (let k = 0; k < 2; k++) es += E[i][k] * sigma[k][j];
      tr += es * E[j][i];
    }
  return 4 * tr + e[3] * e[3] + e[4] * e[4];
}

/** The Nash gap f(G) − g(D) = (D's best gain) + (G's best gain); both closed form. */
export function nashGap(sigma: Sym, beta: number, g: readonly number[], d: readonly number[]) {
  const v = valueJs(sigma, beta, g, d);
  const f = bestValueD(sigma, beta, g);
  const gv = bestResponseG(sigma, beta, d).value;
  return { value: v, gainD: f - v, gainG: v - gv, gap: f - gv };
}

/**
 * V_λ^prox(G, D) = max_{D̃ ∈ 𝒟} V(G, D̃) − λ‖D − D̃‖²_Sob by projected gradient ascent (concave, 2λ-strongly
 * in the Sobolev metric); returns the value, D̃* and the final step length.
 */
export function proxValueJs(
  sigma: Sym,
  beta: number,
  lambda: number,
  g: readonly number[],
  d: readonly number[],
  start?: readonly number[],
  iters = 400,
): { value: number; dTilde: number[] } {
  const obj = (x: number[]) => valueJs(sigma, beta, g, x) - lambda * sobolevSqDistJs(sigma, d, x);
  let x = [...(start ?? d)];
  let lr = 0.05;
  let fx = obj(x);
  for (let i = 0; i < iters; i++) {
    const gr = numGrad(obj, x, 1e-7);
    let y = projectD(
      x.map((v, j) => v + lr * gr[j]),
      beta,
    );
    let fy = obj(y);
    while (!(fy >= fx) && lr > 1e-8) {
      lr /= 2;
      y = projectD(
        x.map((v, j) => v + lr * gr[j]),
        beta,
      );
      fy = obj(y);
    }
    if (!(fy >= fx)) break;
    const moved = Math.hypot(...y.map((v, j) => v - x[j]));
    x = y;
    fx = fy;
    lr = Math.min(lr * 1.5, 0.5);
    if (moved < 1e-12) break;
  }
  return { value: fx, dTilde: x };
}

/**
 * min_G V_λ^prox(G, D) by multi-start projected descent with the Danskin gradient ∇_G V(G, D̃*) (starts:
 * the given G, A = I and A = diag(1, 0.5) with b ∈ {0, ±e₁, ±e₂, ±(e₁ ± e₂)/√2}).
 */
export function proxBestResponseG(
  sigma: Sym,
  beta: number,
  lambda: number,
  d: readonly number[],
  g0: readonly number[],
  steps = 150,
): { value: number; g: number[] } {
  const r = Math.SQRT1_2;
  const bs = [
    [0, 0],
    [1, 0],
    [-1, 0],
    [0, 1],
    [0, -1],
    [r, r],
    [r, -r],
    [-r, r],
    [-r, -r],
  ];
  const starts = [[...g0], ...bs.map((b) => [1, 0, 0, 1, ...b]), ...bs.map((b) => [1, 0, 0, 0.5, ...b])];
  let best = { value: Infinity, g: [...g0] };
  for (const s of starts) {
    let g = projectG(s);
    let p = proxValueJs(sigma, beta, lambda, g, d);
    let lr = 0.05;
    for (let t = 0; t < steps; t++) {
      const gr = numGrad((x) => valueJs(sigma, beta, x, p.dTilde), g, 1e-7);
      const g2 = projectG(g.map((v, j) => v - lr * gr[j]));
      const p2 = proxValueJs(sigma, beta, lambda, g2, d, p.dTilde, 60);
      if (p2.value <= p.value) {
        const moved = Math.hypot(...g2.map((v, j) => v - g[j]));
        g = g2;
        p = p2;
        lr = Math.min(lr * 1.2, 0.5);
        if (moved < 1e-10) break;
      } else lr /= 2;
      if (lr < 1e-9) break;
    }
    // re-solve the inner problem to full precision at the end point
    const pf = proxValueJs(sigma, beta, lambda, g, d, p.dTilde, 2000);
    if (pf.value < best.value) best = { value: pf.value, g };
  }
  return best;
}

/** The proximal Nash gap: max_D′ V_λ^prox(G, D′) − min_G′ V_λ^prox(G′, D) = f(G) − min_G′ V_λ^prox(G′, D). */
export function proximalGap(
  sigma: Sym,
  beta: number,
  lambda: number,
  g: readonly number[],
  d: readonly number[],
) {
  const f = bestValueD(sigma, beta, g);
  const here = proxValueJs(sigma, beta, lambda, g, d, undefined, 2000).value;
  const br = proxBestResponseG(sigma, beta, lambda, d, g);
  return { value: here, gainD: f - here, gainG: here - br.value, gap: f - br.value };
}

/** sup_D g(D) by projected ascent on the concave g (finite-difference gradients), from several starts. */
export function maximinValue(
  sigma: Sym,
  beta: number,
  starts = 3,
  iters = 1500,
): { value: number; d: number[] } {
  let best = { value: -Infinity, d: [0, 0, 0, 0, 0] };
  for (let s = 0; s < starts; s++) {
    let x = [0.1 * s, 0.05 * (s % 2), -0.05 * s, 0.05, -0.05 * s];
    const gfun = (y: number[]) => bestResponseG(sigma, beta, y).value;
    let fx = gfun(x);
    let lr = 0.02;
    for (let i = 0; i < iters; i++) {
      const gr = numGrad(gfun, x, 1e-7);
      const y = projectD(
        x.map((v, j) => v + lr * gr[j]),
        beta,
      );
      const fy = gfun(y);
      if (fy >= fx) {
        x = y;
        fx = fy;
        lr = Math.min(lr * 1.2, 0.2);
      } else lr /= 2;
      if (lr < 1e-10) break;
    }
    if (fx > best.value) best = { value: fx, d: x };
  }
  return best;
}

export interface LocalNashPoint {
  g: number[];
  /** f(G) − V(G, D_G): 0 when the closed-form D_G is D's maximiser. */
  dResidual: number;
  /** ‖G − Π(G − t∇_G V(G, D_G))‖/t at t = 1e-6 (Π: G's feasible set): > 0 ⇒ not first-order stationary. */
  projectedGradient: number;
  /** V(Π(G − t∇_G V)) − V(G) at t = 1e-3 (< −1e-12: a feasible descent step was found). */
  firstOrderDrop: number;
  /** Smallest eigenvalue of ∇²_b V(G, D_G). */
  curvatureB: number;
  /** min over ±h v (v its eigenvector, h = 1e-3, projected) of V(G′) − V(G). */
  secondOrderDrop: number;
  /** Which certificate shows G can improve locally: "first-order", "second-order" or "none". */
  certificate: "first-order" | "second-order" | "none";
}

/**
 * "No local Nash equilibrium" checked over a grid of generators (seed: "2-Wasserstein GAN has … no local NEs
 * with quadratic D"). V(G, ·) is concave, so at a local NE D is D's global best response D_G (closed form,
 * `bestResponseD`); (G, D_G) is then a local NE only if G is a local minimum of V(·, D_G) over its feasible
 * set. At every grid point this measures a certificate that it is not: a non-zero projected gradient with a
 * feasible step that lowers V (first order), or else negative curvature in b along which a feasible step
 * lowers V (second order). Grid: AAᵀ = U diag(s₁², s₂²) Uᵀ (A = U diag(s)), s₁, s₂ ∈ {0.25, 0.5, 0.75, 1},
 * U the rotation by θ ∈ {0, π/4, π/2, 3π/4} (only AAᵀ enters V), b ∈ {0, ±e₁/2, ±e₂/2, (0.6, 0.8),
 * (−0.8, 0.6), (0, −1)}: 4·4·4·8 = 512 points, including the Stackelberg point A = I, b = 0.
 */
export function noLocalNashGrid(game: LinearGaussianGame = linearGaussian()): LocalNashPoint[] {
  const { sigma, beta } = game;
  const ss = [0.25, 0.5, 0.75, 1];
  const thetas = [0, Math.PI / 4, Math.PI / 2, (3 * Math.PI) / 4];
  const bs = [
    [0, 0],
    [0.5, 0],
    [-0.5, 0],
    [0, 0.5],
    [0, -0.5],
    [0.6, 0.8],
    [-0.8, 0.6],
    [0, -1],
  ];
  const out: LocalNashPoint[] = [];
  for (const s1 of ss)
    for (const s2 of ss)
      for (const th of thetas)
        for (const b of bs) {
          const c = Math.cos(th);
          const sn = Math.sin(th);
          const g = [c * s1, -sn * s2, sn * s1, c * s2, b[0], b[1]];
          const { d } = bestResponseD(sigma, beta, g);
          const V = (x: readonly number[]) => valueJs(sigma, beta, x, d);
          const v0 = V(g);
          const gr = numGrad(V, g);
          const step = (t: number) => projectG(g.map((x, j) => x - t * gr[j]));
          const tiny = step(1e-6);
          const projectedGradient = Math.hypot(...tiny.map((x, j) => x - g[j])) / 1e-6;
          const firstOrderDrop = V(step(1e-3)) - v0;
          const h = 1e-4;
          const vb = (x: number, y: number) => V([...g.slice(0, 4), g[4] + x, g[5] + y]);
          const hxx = (vb(h, 0) - 2 * v0 + vb(-h, 0)) / (h * h);
          const hyy = (vb(0, h) - 2 * v0 + vb(0, -h)) / (h * h);
          const hxy = (vb(h, h) - vb(h, -h) - vb(-h, h) + vb(-h, -h)) / (4 * h * h);
          const e = eigSym(hxx, hxy, hyy);
          const u = e.vectors[1];
          const secondOrderDrop = Math.min(
            ...[1e-3, -1e-3].map(
              (t) => V(projectG([...g.slice(0, 4), g[4] + t * u[0], g[5] + t * u[1]])) - v0,
            ),
          );
          const certificate =
            projectedGradient > 1e-6 && firstOrderDrop < -1e-12
              ? "first-order"
              : e.values[1] < -1e-6 && secondOrderDrop < -1e-12
                ? "second-order"
                : "none";
          out.push({
            g,
            dResidual: bestValueD(sigma, beta, g) - v0,
            projectedGradient,
            firstOrderDrop,
            curvatureB: e.values[1],
            secondOrderDrop,
            certificate,
          });
        }
  return out;
}

export interface NoNashReport {
  sigmaMax: number;
  /** min_G f(G) = β Σ(√σᵢ − 1)₊² (closed form) and the best found by multi-start descent. */
  minimaxClosedForm: number;
  minimaxNumeric: number;
  /** sup_D g(D) (concave ascent). */
  maximin: number;
  /** min over all (G, D) of the Nash gap ≥ minimax − maximin. */
  gapLowerBound: number;
  /** Smallest Nash gap along an alternating-GDA trajectory (projected), and its last value. */
  trajectoryMinGap: number;
  /** Smallest eigenvalue of ∇²_b V(G†, D†) at the Stackelberg point (negative: a saddle for G). */
  stackelbergCurvatureB: number;
  trajectorySteps: number;
}

export function minimaxClosedForm(sigma: Sym, beta: number): number {
  const e = eigSym(sigma[0][0], sigma[0][1], sigma[1][1]).values;
  return beta * e.reduce((s, x) => s + Math.max(Math.sqrt(x) - 1, 0) ** 2, 0);
}

/** Curvature of G's own loss in b at (G, D): the smaller eigenvalue of ∇²_b V (finite differences). */
function curvatureB(sigma: Sym, beta: number, g: readonly number[], d: readonly number[]): number {
  const h = 1e-4;
  const v = (x: number, y: number) => valueJs(sigma, beta, [...g.slice(0, 4), g[4] + x, g[5] + y], d);
  const v0 = v(0, 0);
  const hxx = (v(h, 0) - 2 * v0 + v(-h, 0)) / (h * h);
  const hyy = (v(0, h) - 2 * v0 + v(0, -h)) / (h * h);
  const hxy = (v(h, h) - v(h, -h) - v(-h, h) + v(-h, -h)) / (4 * h * h);
  return eigSym(hxx, hxy, hyy).values[1];
}

/**
 * (i) No pure Nash equilibrium when σ_max(Σ) > 1: the Nash gap f(G) − g(D) is bounded below by
 * minimax − maximin > 0 everywhere; also measured along a projected alternating-GDA trajectory (η = 0.05,
 * `steps` steps), and G's curvature in b at the Stackelberg point (negative: not even a local NE).
 */
export function demonstrateNoNash(game: LinearGaussianGame = linearGaussian(), steps = 300): NoNashReport {
  const { sigma, beta } = game;
  const closed = minimaxClosedForm(sigma, beta);
  // minimax by multi-start projected descent on f (closed form), finite-difference gradients
  let minimaxNumeric = Infinity;
  for (const s of [
    [0.5, 0, 0, 0.5, 0.5, 0.5],
    [1, 0, 0, 1, 0, 0.3],
    [0.2, 0.3, -0.3, 0.2, -0.6, 0],
    [0.9, 0, 0, 0.1, 0, 0],
  ]) {
    let g = projectG(s);
    for (let i = 0; i < 400; i++) {
      const gr = numGrad((x) => bestValueD(sigma, beta, x), g);
      g = projectG(g.map((v, j) => v - 0.05 * gr[j]));
    }
    minimaxNumeric = Math.min(minimaxNumeric, bestValueD(sigma, beta, g));
  }
  const maximin = maximinValue(sigma, beta).value;
  const tr = projectedRun(
    game,
    createMethod(game, { name: alternatingMethod.name, lr: [0.05, 0.05] }),
    steps,
  );
  const gaps = tr.map((p) => nashGap(sigma, beta, p.g, p.d).gap);
  const gStar = [1, 0, 0, 1, 0, 0];
  // D†: best response to G† by projected ascent on the concave V(G†, ·)
  const dStar = proxValueJs(sigma, beta, 1e-12, gStar, [0, 0, 0, 0, 0], undefined, 3000).dTilde;
  const e = eigSym(sigma[0][0], sigma[0][1], sigma[1][1]).values;
  return {
    sigmaMax: e[0],
    minimaxClosedForm: closed,
    minimaxNumeric,
    maximin,
    gapLowerBound: Math.min(closed, minimaxNumeric) - maximin,
    trajectoryMinGap: Math.min(...gaps),
    stackelbergCurvatureB: curvatureB(sigma, beta, gStar, dStar),
    trajectorySteps: steps,
  };
}

export interface ProximalReport {
  lambda: number;
  steps: number;
  /** The point proximal training reached. */
  g: number[];
  d: number[];
  /** Proximal Nash gap there (≈ 0: a λ-proximal equilibrium), and its two parts. */
  proximalGap: number;
  proximalGainD: number;
  proximalGainG: number;
  /** The ordinary Nash gap at the same point (> 0: not a Nash equilibrium of V). */
  nashGap: number;
  /** The proximal gap at the end of plain (non-proximal) alternating GDA, for contrast. */
  plainProximalGap: number;
  /** Inner residual of the jitted solver at the end point. */
  innerResidual: number;
  seconds: number;
}

/**
 * (ii) Proximal training (alternating GDA, η = 0.05, 30 inner steps of 0.1, on `proximalGame(game, {λ, Sobolev})`, with the
 * feasible-set projections) reaches a point whose proximal Nash gap max_D′ V^prox(G, D′) − min_G′
 * V^prox(G′, D) is ≈ 0 (measured with the JS solvers: closed-form f, multi-start Danskin descent for G′).
 */
export function demonstrateProximal(
  game: LinearGaussianGame = linearGaussian(),
  lambda = 0.1,
  steps = 400,
): ProximalReport {
  const t0 = performance.now();
  const { sigma, beta } = game;
  const pg = proximalGame(game, { lambda, norm: "sobolev", innerSteps: 30, innerLr: 0.1 });
  const spec = { name: alternatingMethod.name, lr: [0.05, 0.05] as [number, number] };
  const tr = projectedRun(game, createMethod(pg, spec), steps);
  const last = tr[tr.length - 1];
  const pgap = proximalGap(sigma, beta, lambda, last.g, last.d);
  const plain = projectedRun(game, createMethod(game, spec), steps);
  const pl = plain[plain.length - 1];
  const dt = dtypeOf("float64");
  const w: Joint = [np.array(last.g, { dtype: dt }), np.array(last.d, { dtype: dt })];
  const sol = pg.proxSolve(w);
  (sol.dTilde as JArray).dispose();
  (w[0] as JArray).dispose();
  (w[1] as JArray).dispose();
  return {
    lambda,
    steps,
    g: last.g,
    d: last.d,
    proximalGap: pgap.gap,
    proximalGainD: pgap.gainD,
    proximalGainG: pgap.gainG,
    nashGap: nashGap(sigma, beta, last.g, last.d).gap,
    plainProximalGap: proximalGap(sigma, beta, lambda, pl.g, pl.d).gap,
    innerResidual: sol.residual,
    seconds: (performance.now() - t0) / 1000,
  };
}
