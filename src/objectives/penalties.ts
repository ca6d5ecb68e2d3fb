/**
 * Gradient penalties on the discriminator's input gradient (Mescheder, Geiger & Nowozin, "Which training
 * methods for GANs do actually converge?", ICML 2018, eq. (9)–(10)), added to L_D:
 *
 *   R1 = (γ/2) E_{x∼p_data} ‖∇ₓD(x)‖²,     R2 = (γ/2) E_{z} ‖∇ₓD(x)|_{x = G(z)}‖².
 *
 * On the Dirac-GAN, R1 moves the Jacobian's eigenvalues from ±0.5i to −γ/2 ± √(γ²/4 − 1/4) (REFERENCE.md):
 * local convergence of gradient descent-ascent. D is passed as a function of its input (a `Critic`, a
 * closure over D's parameters), so the penalty's gradient w.r.t. those parameters is a gradient through
 * a gradient (checked against finite differences in test/objectives.test.ts).
 */
import { grad, numpy as np, type Array as JArray } from "@jax-js/jax";
import { scalarLike } from "../engine/tree.ts";
import { batchMean } from "./objective.ts";

/** D as a function of a batch of inputs [n, d] → [n, 1]; consumes x, borrows D's parameters. */
export type Critic = (x: JArray) => JArray;

/**
 * Per-sample input gradients ∇ₓD(x_k), [n, d]: the gradient of Σ_k D(x_k), valid because each output
 * depends on its own input only (no batch statistics in D). Consumes x.
 */
export function inputGradient(critic: Critic, x: JArray): JArray {
  return grad((xx: JArray) => np.sum(critic(xx)))(x);
}

/** ‖∇ₓD(x_k)‖² per sample, [n]; consumes x. */
export function inputGradientSqNorm(critic: Critic, x: JArray): JArray {
  const g = inputGradient(critic, x);
  return np.sum(g.ref.mul(g), 1);
}

/** (γ/2) E ‖∇ₓD(x)‖² over the batch x; consumes x. R1 with real data, R2 with generated samples. */
export function inputGradientPenalty(critic: Critic, x: JArray, gamma: number): JArray {
  const sq = inputGradientSqNorm(critic, x);
  const half = scalarLike(sq, gamma / 2);
  return batchMean(sq).mul(half);
}

/** R1 = (γ/2) E_{x∼p_data} ‖∇ₓD(x)‖² (Mescheder et al. 2018, eq. (9)); consumes real. */
export const r1Penalty = (critic: Critic, real: JArray, gamma: number): JArray =>
  inputGradientPenalty(critic, real, gamma);

/** R2 = (γ/2) E_z ‖∇ₓD(G(z))‖² (Mescheder et al. 2018, eq. (10)); consumes fake. */
export const r2Penalty = (critic: Critic, fake: JArray, gamma: number): JArray =>
  inputGradientPenalty(critic, fake, gamma);
