/**
 * Dirac-GAN (Mescheder, Geiger & Nowozin 2018; Mitliagkas, "Some results on GAN dynamics"): the data is a
 * point mass at 0, the generator is G = θ (one point), the discriminator is linear, D(x) = ψx.
 *
 *   L(θ, ψ) = f(ψθ) + f(0),  generator minimises, discriminator maximises.
 *
 * - minimax:         f(t) = −log(1 + e^{−t}),  L^(θ) = f(ψθ),     L^(ψ) = −f(ψθ)
 * - non-saturating:  same f,                    L^(θ) = −f(−ψθ),  L^(ψ) = −f(ψθ)
 * - wgan:            f(t) = t, ψ clipped to |ψ| ≤ c (weight clipping)
 * Zero-centred gradient penalty (R1 at the data x = 0): L^(ψ) += (γ/2)‖∇ₓD(0)‖² = (γ/2)ψ².
 *
 * At (0, 0) the Jacobian of the gradient flow −v has eigenvalues ±f′(0)i = ±0.5i (pure rotation); the
 * penalty moves them to −γ/2 ± √(γ²/4 − f′(0)²).
 */
import { nn, numpy as np, type Array as JArray } from "@jax-js/jax";
import { dtypeOf, type DTypeName } from "../engine/device.ts";
import type { Params } from "../engine/tree.ts";
import type { Game, Joint, Player } from "./game.ts";

export const DIRAC_OBJECTIVES = ["minimax", "non-saturating", "wgan"] as const;
export type DiracObjective = (typeof DIRAC_OBJECTIVES)[number];

export interface DiracOptions {
  objective?: DiracObjective;
  /** Zero-centred gradient penalty weight γ ≥ 0 (default 0). */
  gp?: number;
  /** WGAN clipping bound c on ψ (default 1; only for objective "wgan"). */
  clip?: number;
  dtype?: DTypeName;
  /** Starting point [θ0, ψ0] (default [1, 1]). */
  init?: [number, number];
}

/** f(t) = −log(1 + e^{−t}) = −softplus(−t); consumes t. */
const fGan = (t: JArray): JArray => nn.softplus(t.neg()).neg();

export function dirac(opts: DiracOptions = {}): Game {
  const objective = opts.objective ?? "minimax";
  const gp = opts.gp ?? 0;
  const dtype = opts.dtype ?? "float64";
  const dt = dtypeOf(dtype);
  const f = objective === "wgan" ? (t: JArray) => t : fGan;
  const lossD = (th: JArray, psi: JArray): JArray => {
    let l = np.sum(f(psi.ref.mul(th))).neg();
    if (gp > 0) l = l.add(np.sum(psi.ref.mul(psi.ref)).mul(np.full([], gp / 2, { dtype: dt })));
    psi.dispose();
    return l;
  };
  const lossG = (th: JArray, psi: JArray): JArray =>
    objective === "non-saturating" ? np.sum(f(psi.mul(th).neg())).neg() : np.sum(f(psi.mul(th)));
  const init = opts.init ?? [1, 1];
  const pen = gp > 0 ? `, gradient penalty γ = ${gp}` : "";
  return {
    name: "dirac",
    description: `Dirac-GAN (data at 0, G = θ, D(x) = ψx), ${objective} objective${pen}`,
    players: ["theta", "psi"],
    dtype,
    zeroSum: objective !== "non-saturating" && gp === 0,
    clip: objective === "wgan" ? [null, opts.clip ?? 1] : undefined,
    loss: (i: Player, x: Params, y: Params) =>
      i === 0 ? lossG(x as JArray, y as JArray) : lossD(x as JArray, y as JArray),
    init: (): Joint => [np.array([init[0]], { dtype: dt }), np.array([init[1]], { dtype: dt })],
    equilibrium: (): Joint => [np.zeros([1], { dtype: dt }), np.zeros([1], { dtype: dt })],
  };
}
