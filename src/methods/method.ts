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
import type { Game, Joint } from "../games/game.ts";
import type { Transform } from "../optim/transform.ts";

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

/** Everything a method factory receives. */
export interface MethodContext {
  game: Game;
  base: BaseUpdates;
}
