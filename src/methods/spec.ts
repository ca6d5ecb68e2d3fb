/**
 * The data that names a method and its hyper-parameters. The CLI, specs and web lab produce it;
 * `createMethod` (registry.ts) builds the runnable Method from it and `updateOperator`
 * (src/analysis/operators.ts) builds the exact linearised update operator from the same object.
 */
export const METHOD_NAMES = [
  "simultaneous",
  "alternating",
  "extragradient",
  "optimistic",
  "proximal-point",
  "consensus",
  "grad-norm",
  "best-response",
  "unrolled",
] as const;
export type MethodName = (typeof METHOD_NAMES)[number];

/** Best-response: [k_G, k_D] when the spec gives no `steps` (one G step after 5 D steps). */
export const DEFAULT_BEST_RESPONSE_STEPS: [number, number] = [1, 5];
/** Unrolled: the unroll length k when the spec gives no `unroll`. */
export const DEFAULT_UNROLL = 5;

export const OPTIMIZERS = ["sgd", "adam", "rmsprop"] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export interface MethodSpec {
  name: MethodName;
  /** Step size of each player, [η_θ, η_φ]. */
  lr: [number, number];
  /** Base update of each player (default sgd). Operators/predicted rates assume sgd. */
  optimizer?: [OptimizerName, OptimizerName];
  /** Adam's (β₁, β₂) (default 0.9, 0.999; GANs often use 0.5, 0.999); RMSProp uses β₂ as its decay. */
  betas?: [number, number];
  /** Polyak momentum β (any sign; 0 = none), applied to both players' base updates. */
  momentum?: number;
  /** Consensus-optimization weight γ (method "consensus"). */
  gamma?: number;
  /**
   * Alternating: gradient steps per round for [θ, φ] (k_θ : k_φ, default [1, 1]). Best-response: [k_G, k_D],
   * k_D inner steps of D (the follower) against the fixed G, then k_G steps of G.
   */
  steps?: [number, number];
  /** Alternating: which player moves first in each round (default 0 = θ, as in Gidel's lecture). */
  first?: 0 | 1;
  /**
   * Alternating, stochastic games with `Game.sharedDraw` (a GAN), φ first, k_θ = 1: θ's step reuses the last
   * φ step's draw (G steps on the fake batch D just saw; one G forward pass per round). Default false.
   */
  reuseFake?: boolean;
  /** Proximal point: inner-solver tolerance on the residual ‖ω′ − ω + ηv(ω′)‖ (default 1e-10). */
  tol?: number;
  /** Proximal point: inner-solver iteration cap (default 100). */
  maxInner?: number;
  /**
   * Unrolled (Metz et al. 2017): number k of D's SGD steps that G's gradient is differentiated through
   * (default 5; 0 = alternating GDA, G first).
   */
  unroll?: number;
  /**
   * Linear decay of both learning rates to 0 over the last `fraction` of `rounds` method steps (each player's
   * base update gets `linearDecay`, counted in that player's updates: k_i per round for alternating and
   * best-response, 2 for extragradient). Absent = constant rates.
   */
  lrDecay?: { rounds: number; fraction: number };
}

/** How many times one step of `spec`'s method applies player i's base update. */
export function updatesPerRound(spec: MethodSpec, i: 0 | 1): number {
  switch (spec.name) {
    case "alternating":
      return spec.steps?.[i] ?? 1;
    case "best-response":
      return (spec.steps ?? DEFAULT_BEST_RESPONSE_STEPS)[i === 0 ? 0 : 1];
    case "extragradient":
      return 2;
    default:
      return 1;
  }
}
