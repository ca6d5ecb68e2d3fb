/**
 * The data that names a method and its hyper-parameters. The CLI, specs and web lab produce it;
 * `createMethod` (registry.ts) builds the runnable Method from it and `updateOperator`
 * (src/analysis/operators.ts) builds the exact linearised update operator from the same object.
 */
import type { DTypeName } from "../engine/device.ts";

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

export const OPTIMIZERS = ["sgd", "adam", "rmsprop"] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/**
 * The one default of every method hyper-parameter that a MethodSpec may leave out. `createMethod`
 * (registry.ts), `updateOperator` / `predictedRate` (src/analysis/operators.ts), the CLI's flag defaults and
 * help, the experiment spec (src/spec/experiment.ts) and the web lab all read them from here (through
 * `methodParams` and `innerTol`), so the rate predicted for a spec is the rate of the method run from it.
 */
export const METHOD_DEFAULTS = {
  /** Base update of each player. */
  optimizer: "sgd",
  /** Polyak momentum β (0 = none). */
  momentum: 0,
  /** Consensus weight γ. */
  gamma: 1,
  /** Alternating: gradient steps per round [k_θ, k_φ]. */
  alternatingSteps: [1, 1],
  /** Alternating: the player who moves first (0 = θ, as in Gidel's lecture). */
  first: 0,
  /** Best-response: [k_G, k_D], one G step after 5 D steps. */
  bestResponseSteps: [1, 5],
  /** Unrolled: the unroll length k. */
  unroll: 5,
  /** Proximal point: the inner solve's relative tolerance (on ‖F(z)‖ / ‖z − ω‖), per dtype. */
  tol: { float64: 1e-10, float32: 1e-5 },
  /** Proximal point: the inner solve's iteration cap. */
  maxInner: 100,
} as const satisfies {
  optimizer: OptimizerName;
  momentum: number;
  gamma: number;
  alternatingSteps: readonly [number, number];
  first: 0 | 1;
  bestResponseSteps: readonly [number, number];
  unroll: number;
  tol: Record<DTypeName, number>;
  maxInner: number;
};

export interface MethodSpec {
  name: MethodName;
  /** Step size of each player, [η_θ, η_φ]. */
  lr: [number, number];
  /** Base update of each player (default sgd). Operators/predicted rates assume sgd. */
  optimizer?: [OptimizerName, OptimizerName];
  /** Adam's (β₁, β₂) (default 0.9, 0.999; GANs often use 0.5, 0.999); RMSProp uses β₂ as its decay. */
  betas?: [number, number];
  /** Polyak momentum β (any sign; default 0 = none), applied to both players' base updates. */
  momentum?: number;
  /** Consensus-optimization weight γ (method "consensus"; default 1). */
  gamma?: number;
  /**
   * Alternating: gradient steps per round for [θ, φ] (k_θ : k_φ, default [1, 1]). Best-response: [k_G, k_D],
   * k_D inner steps of D (the follower) against the fixed G, then k_G steps of G (default [1, 5]).
   */
  steps?: [number, number];
  /** Alternating: which player moves first in each round (default 0 = θ, as in Gidel's lecture). */
  first?: 0 | 1;
  /**
   * Alternating, stochastic games with `Game.sharedDraw` (a GAN), φ first, k_θ = 1: θ's step reuses the last
   * φ step's draw (G steps on the fake batch D just saw; one G forward pass per round). Default false.
   */
  reuseFake?: boolean;
  /**
   * Proximal point: relative inner-solver tolerance, ‖ω′ − ω + ηv(ω′)‖ ≤ tol·‖ω′ − ω‖ + 16ε(‖ω‖ + ‖ω′ − ω‖)
   * (default 1e-10 in float64, 1e-5 in float32).
   */
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

/** A spec's hyper-parameters with every absent one filled in from METHOD_DEFAULTS. */
export interface MethodParams {
  optimizer: [OptimizerName, OptimizerName];
  momentum: number;
  gamma: number;
  /** [k_θ, k_φ] per round: alternating's, or best-response's [k_G, k_D]. */
  steps: [number, number];
  first: 0 | 1;
  reuseFake: boolean;
  unroll: number;
  maxInner: number;
}

/** The default `steps` of a method: best-response's [k_G, k_D], else alternating's [k_θ, k_φ]. */
export function defaultSteps(name: MethodName): [number, number] {
  const d = name === "best-response" ? METHOD_DEFAULTS.bestResponseSteps : METHOD_DEFAULTS.alternatingSteps;
  return [d[0], d[1]];
}

/** `spec`'s hyper-parameters, absent ones at their METHOD_DEFAULTS value. */
export function methodParams(spec: MethodSpec): MethodParams {
  const d = METHOD_DEFAULTS;
  return {
    optimizer: spec.optimizer ?? [d.optimizer, d.optimizer],
    momentum: spec.momentum ?? d.momentum,
    gamma: spec.gamma ?? d.gamma,
    steps: spec.steps ?? defaultSteps(spec.name),
    first: spec.first ?? d.first,
    reuseFake: spec.reuseFake ?? false,
    unroll: spec.unroll ?? d.unroll,
    maxInner: spec.maxInner ?? d.maxInner,
  };
}

/** The proximal point inner solve's relative tolerance for a game of this dtype. */
export const innerTol = (spec: Pick<MethodSpec, "tol">, dtype: DTypeName): number =>
  spec.tol ?? METHOD_DEFAULTS.tol[dtype];

/** How many times one step of `spec`'s method applies player i's base update. */
export function updatesPerRound(spec: MethodSpec, i: 0 | 1): number {
  switch (spec.name) {
    case "alternating":
    case "best-response":
      return methodParams(spec).steps[i];
    case "extragradient":
      return 2;
    default:
      return 1;
  }
}
