/**
 * A GAN objective: the two players' losses as functions of the discriminator's outputs (logits / critic
 * scores) on a real batch and a generated batch (Gidel, lecture 13, "GANs Objectives"; the generator
 * minimises L_G, the discriminator minimises L_D). Losses are means over the batch.
 *
 * Each objective is one self-describing module (`ObjectiveModule`, below): name, hyper-parameters as a zod
 * schema with defaults and ranges, the losses, the formula text and the citation. src/objectives/index.ts
 * lists the modules; everything that names objectives derives from that list.
 *
 * Ownership: `dLoss` and `gLoss` consume their arrays; both are traceable (used inside `jit`/`grad`).
 */
import { numpy as np, type Array as JArray } from "@jax-js/jax";
import type { z } from "zod";
import type { ObjectiveName } from "./index.ts";

export type { ObjectiveName } from "./index.ts";

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

/**
 * Hyper-parameters for an objective, by its modules' parameter names (e.g. `clip`, `gpLambda`); each module
 * reads its own and ignores the rest. Absent ones take the module's defaults.
 */
export type ObjectiveOptions = Readonly<Record<string, unknown>>;

/** What an objective module builds from its hyper-parameters: the losses and what the game must apply. */
export type ObjectiveLosses = Pick<Objective, "dLoss" | "gLoss" | "clip" | "gpLambda">;

/**
 * An objective as one self-describing module. src/objectives/index.ts lists the modules; `objectiveFor`
 * (registry.ts), the experiment spec's objective choices, the CLI's help and the web lab's menus derive
 * from that list.
 */
export interface ObjectiveModule<
  N extends string = string,
  P extends object = object,
  A extends string = never,
> {
  readonly name: N;
  /** The paper or lecture the objective is from. */
  readonly citation: string;
  /** Its own hyper-parameters (e.g. wasserstein's clip c), with defaults and ranges. */
  readonly params: z.ZodType<P>;
  /** How D's output reads (see `Objective.output`). */
  readonly output: Objective["output"];
  /** Whether L_G = −L_D up to a term constant in G. */
  readonly zeroSum: boolean;
  /** The losses as one line, with the hyper-parameters' values. */
  formula(params: P): string;
  losses(params: P): ObjectiveLosses;
  /**
   * True when L_D has a term in D's input gradient ∇ₓD that the game adds (wgan-gp's penalty): a game that
   * sees only D's outputs (the Dirac-GAN) cannot take the objective.
   */
  readonly inputGradient?: boolean;
  /**
   * False when the losses have kinks (hinge's relu at the margins): games analysed through the field's
   * Jacobian (the Dirac-GAN) take smooth objectives only. Default true.
   */
  readonly smooth?: boolean;
  /** Other names the objective answers to where a game takes an objective by name (e.g. "wgan"). */
  readonly aliases?: readonly A[];
}

/** Type-checks a module (its params type inferred from the schema). */
export const defineObjective = <N extends string, P extends object, A extends string = never>(
  m: ObjectiveModule<N, P, A>,
): ObjectiveModule<N, P, A> => m;

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
