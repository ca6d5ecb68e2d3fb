/**
 * A game method is a pure step (ω, state) → (ω′, state′) built from the vector field v (and from
 * Jacobian-vector products when it needs curvature), shaped like an optax optimizer (DESIGN.md):
 *
 *   init(ω) → state,   step(ω, state) → [ω′, state′, info]
 *
 * The game and the per-player base updates (SGD, Adam, RMSProp, momentum, clipping: src/optim) are bound
 * when the method is built, so that each method can `jit` its whole step once.
 *
 * Ownership: `init` borrows ω; `step` consumes ω and state.
 */
import type { Array as JArray, JsTree } from "@jax-js/jax";
import type { z } from "zod";
import type { Game, Joint } from "../games/game.ts";
import type { State, Transform } from "../optim/transform.ts";

export type MethodState = JsTree<JArray>;

/** What a step reports besides the new point (implicit methods: the inner solver's residual). */
export interface StepInfo {
  /** ‖ω′ − ω + ηv(ω′)‖ of an implicit step, after the inner solver stopped. */
  residual?: number;
  /** Inner-solver iterations used by this step. */
  inner?: number;
}

export interface Method {
  readonly name: string;
  /** Borrows w; `key` (consumed) is needed only by stochastic games whose state starts from a field sample. */
  init(w: Joint, key?: JArray): MethodState;
  /** Consumes w, s and key; a stochastic game needs a fresh key every step. */
  step(w: Joint, s: MethodState, key?: JArray): [Joint, MethodState, StepInfo];
}

/** The two players' base updates, [for θ, for φ]. */
export type BaseUpdates = readonly [Transform, Transform];

/** The state of a method that keeps only the players' base-update states, [θ's, φ's] (like the Joint). */
export type BaseStates = { base: [State, State] };

/** Each player's base-update state at ω (borrowed). */
export const initBaseStates = (base: BaseUpdates, w: Joint): BaseStates => ({
  base: [base[0].init(w[0]), base[1].init(w[1])],
});

/** Everything a method factory receives. */
export interface MethodContext {
  game: Game;
  base: BaseUpdates;
}

// ---------------------------------------------------------------- method modules

/** Base updates a player can use (src/optim/transform.ts). */
export const OPTIMIZERS = ["sgd", "adam", "rmsprop"] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/**
 * The data that names a method and its hyper-parameters, as the CLI, specs and the web lab produce it:
 * the fields every method reads, plus the method's own hyper-parameters (its module's `params`, flat:
 * `gamma`, `steps`, …). Absent fields take the module's defaults.
 */
export interface MethodSpecBase {
  /** A module name of src/methods/index.ts. */
  name: string;
  /** Step size of each player, [η_θ, η_φ]. */
  lr: [number, number];
  /** Base update of each player (default sgd). Operators/predicted rates assume sgd. */
  optimizer?: [OptimizerName, OptimizerName];
  /** Adam's (β₁, β₂) (default 0.9, 0.999; GANs often use 0.5, 0.999); RMSProp uses β₂ as its decay. */
  betas?: [number, number];
  /** Polyak momentum β (any sign; default 0 = none), applied to both players' base updates. */
  momentum?: number;
  /**
   * Linear decay of both learning rates to 0 over the last `fraction` of `rounds` method steps (each player's
   * base update gets `linearDecay`, counted in that player's updates: `updatesPerRound` per step). Absent =
   * constant rates.
   */
  lrDecay?: { rounds: number; fraction: number };
  /** The method's own hyper-parameters (its module's `params` schema). */
  [param: string]: unknown;
}

/** The defaults of the fields every method reads. */
export const COMMON_DEFAULTS = { optimizer: "sgd", momentum: 0 } as const satisfies {
  optimizer: OptimizerName;
  momentum: number;
};

/** The spec's base-update names, absent ones sgd. */
export const optimizersOf = (spec: Pick<MethodSpecBase, "optimizer">): [OptimizerName, OptimizerName] =>
  spec.optimizer ?? [COMMON_DEFAULTS.optimizer, COMMON_DEFAULTS.optimizer];

/** What a module's `create` receives: the game, the spec, its parsed params, and the list's builders. */
export interface MethodBuild<P> {
  game: Game;
  spec: MethodSpecBase;
  params: P;
  /** Both players' base updates from the spec (optimizer, momentum, decay, the game's clipping). */
  base(): BaseUpdates;
  /** Builds another method of the list on the same game (for wrappers such as lookahead). */
  build(spec: MethodSpecBase): Method;
}

/** What a module's linearised operator receives (rows/columns θ then φ, `sizes` = [n_θ, n_φ]). */
export interface OperatorInput<P> {
  spec: MethodSpecBase;
  params: P;
  /** J = ∇v(ω*). */
  J: number[][];
  sizes: readonly [number, number];
  /** Per-coordinate step sizes, η_θ on θ's coordinates then η_φ on φ's. */
  eta: number[];
  /** Polyak momentum β of the spec (0 unless the operator declares `momentum: true`). */
  beta: number;
  /** The operator of another spec (for wrappers); null with `reasonOf` saying why. */
  operatorOf(spec: MethodSpecBase): number[][] | null;
  reasonOf(spec: MethodSpecBase): string | null;
}

/**
 * The exact linearised update operator ∇F(ω*) of one step (Mitliagkas, "Some results on GAN dynamics":
 * ρ(∇F_η(ω*)) < 1 ⇒ local linear convergence at rate ρ), for sgd base updates.
 */
export interface LinearOperator<P> {
  /** Whether momentum β ≠ 0 is part of the operator (else a spec with β ≠ 0 has none). */
  momentum?: boolean;
  /**
   * Why these params have no operator, or null (checked after the shared sgd/momentum checks); `reasonOf`
   * gives another spec's reason (for wrappers).
   */
  unsupported?(
    spec: MethodSpecBase,
    params: P,
    reasonOf: (spec: MethodSpecBase) => string | null,
  ): string | null;
  build(input: OperatorInput<P>): number[][];
}

/** One command-line flag of a method's hyper-parameter (`saddle dynamics`; parsed by src/cli/common.ts). */
export interface MethodFlag {
  /** The flag, e.g. "--gamma". */
  flag: string;
  /** Its value's placeholder, e.g. "<g>". */
  arg: string;
  /** Help text (`(default: …)` is added by commander when `default` is set). */
  help: string;
  default?: string;
  /** The spec field it sets; `index` sets one element of a pair field (absent elements: the default). */
  param: string;
  index?: 0 | 1;
  /** A number in a range, one of some words (mapped to `values` when given), or a listed method's name. */
  value:
    | { number: { integer?: boolean; min?: number; max?: number; above?: number; below?: number } }
    | { choice: readonly string[]; values?: readonly unknown[] }
    | { method: true };
}

/** The rows `saddle analyze` lists for a method (predicted rates at the analysed point). */
export interface AnalyzeRows<P> {
  /** Also a row with momentum β (the `--momentum` of analyze). */
  momentum?: boolean;
  /** Flags of `saddle analyze` that set this method's row (by flag name, from `flags`). */
  flags?: readonly string[];
  label?(params: P): string;
}

/**
 * A method as one self-describing module: its name, hyper-parameters (a zod schema with defaults and
 * ranges), step builder, linearised operator, formula text and citation. src/methods/index.ts lists the
 * modules; names, `createMethod`, formulas, operators, CLI flags and the experiment spec's method choices
 * are derived from that list.
 */
export interface MethodModule<N extends string = string, P extends object = object> {
  readonly name: N;
  /** The paper or lecture the update is from. */
  readonly citation: string;
  /** The method's own hyper-parameters as spec fields, with defaults and ranges. */
  readonly params: z.ZodType<P>;
  create(b: MethodBuild<P>): Method;
  /** The update, in the notation of the lectures, with the hyper-parameters' values. */
  formula(spec: MethodSpecBase, params: P): string;
  /** The linearised operator, or a sentence saying why there is none. */
  readonly operator: LinearOperator<P> | { none: string };
  /** How many times one step applies player i's base update (default 1). */
  updatesPerRound?(u: {
    params: P;
    player: 0 | 1;
    spec: MethodSpecBase;
    /** The count of another spec (for wrappers). */
    of(spec: MethodSpecBase): number;
  }): number;
  /** Short hyper-parameter note for `saddle train --help`, e.g. "gamma 1". */
  hint?(params: P): string;
  /** False for a method that does not step with the players' base updates (no optimizer, no decay). */
  readonly usesBaseUpdates?: boolean;
  readonly flags?: readonly MethodFlag[];
  readonly analyze?: AnalyzeRows<P>;
  /** The method a wrapper runs inside (e.g. lookahead's base method), for defaults of shared fields. */
  inner?(spec: MethodSpecBase): string;
}

/** Type-checks a module (its params type inferred from the schema). */
export const defineMethod = <N extends string, P extends object>(m: MethodModule<N, P>): MethodModule<N, P> =>
  m;
