/**
 * A GAN objective: the two players' losses as functions of the discriminator's outputs (logits / critic
 * scores) on a real batch and a generated batch (Gidel, lecture 13, "GANs Objectives"; the generator
 * minimises L_G, the discriminator minimises L_D). Losses are means over the batch.
 *
 * Ownership: `dLoss` and `gLoss` consume their arrays; both are traceable (used inside `jit`/`grad`).
 */
import { numpy as np, type Array as JArray } from "@jax-js/jax";

export const OBJECTIVE_NAMES = [
  "minimax",
  "non-saturating",
  "wasserstein",
  "wgan-gp",
  "hinge",
  "least-squares",
] as const;
export type ObjectiveName = (typeof OBJECTIVE_NAMES)[number];

export interface Objective {
  readonly name: ObjectiveName;
  /** The losses, as one line for humans, e.g. "L_D = E softplus(−D(x)) + E softplus(D(G(z))), …". */
  readonly formula: string;
  /**
   * How D's output reads: "probability" = σ(D) is P(real) (minimax, non-saturating); "score" = the raw
   * output is the meaningful value (critics: WGAN, hinge; least squares regresses it onto 1 and 0).
   */
  readonly output: "probability" | "score";
  /** True when L_G = −L_D up to a term constant in G (the players' gradients are those of a zero-sum game). */
  readonly zeroSum: boolean;
  /** L_D from D on the real batch [n, 1] and on the generated batch [m, 1]; consumes both. */
  dLoss(dReal: JArray, dFake: JArray): JArray;
  /** L_G from D on the generated batch; consumes it. */
  gLoss(dFake: JArray): JArray;
  /** WGAN weight clipping bound c: D's parameters are kept in [−c, c] (projected after each step). */
  readonly clip?: number;
  /** WGAN-GP weight λ: the game adds λ E(‖∇ₓD(x̂)‖ − 1)² (src/objectives/wgan-gp.ts) to L_D. */
  readonly gpLambda?: number;
}

/** Hyper-parameters an objective may take. */
export interface ObjectiveOptions {
  /** wasserstein: clipping bound c (default 0.01, Arjovsky et al.'s Algorithm 1 in the lectures). */
  clip?: number;
  /** wgan-gp: penalty weight λ (default 10, Gulrajani et al. 2017). */
  gpLambda?: number;
}

/**
 * Mean over all elements, Σx / n with n a scalar of x's dtype; consumes x. Not `np.mean` (it multiplies by
 * 1/n, a float32 constant inside `jit`) nor `sum(x).div(n)` with a JS number: in float64, jax-js 0.1.25's
 * `jit(grad(·))` of `sum(D(x)) · c` through an affine layer's bias returns garbage (a loss linear in D's
 * output, e.g. WGAN's); dividing by a typed scalar is exact (test/objectives.test.ts pins it).
 */
export function batchMean(x: JArray): JArray {
  const n = np.full([], x.size, { dtype: x.dtype });
  return np.sum(x).div(n);
}

/**
 * softplus(t) = log(1 + eᵗ), overflow-free: m + log(e^{−m} + e^{t−m}) with m = max(t, 0). The expression
 * equals log(1 + eᵗ) for every m, so its derivatives (any order) are exact whatever max's subgradient is
 * (jax-js's own `nn.softplus` is log(exp(t) + 1), which overflows for t ≳ 88 in float32). Consumes t.
 */
export function softplus(t: JArray): JArray {
  const m = np.maximum(t.ref, 0);
  return m.ref.add(np.log(np.exp(m.ref.neg()).add(np.exp(t.sub(m)))));
}
