/**
 * Alternating gradient descent-ascent (Gidel, lecture 13, "Alternated Gradient Descent-Ascent (Alt-GDA)"):
 *
 *   θ_{t+1} = θ_t − η ∇_θ L(θ_t, φ_t)
 *   φ_{t+1} = φ_t + η ∇_φ L(θ_{t+1}, φ_t)          ("t+1 here????" — the second player sees the new θ)
 *
 * Generalised to k_θ : k_φ steps per round: the player `first` (default θ) takes its k steps, each at the
 * current point, then the other player takes its k steps at the point updated by the first. Each step is
 * that player's base update (SGD, Adam, momentum, clipping; src/optim) applied to its own gradient, so
 * momentum β gives Gidel et al.'s (AISTATS 2019) alternating heavy ball
 *   θ_{t+1} = θ_t − η∇_θL(θ_t, φ_t) + β(θ_t − θ_{t−1}),  φ_{t+1} = φ_t + η∇_φL(θ_{t+1}, φ_t) + β(φ_t − φ_{t−1}).
 * On θ·φ with SGD the round is volume-preserving: bounded cycles for η < 2, never convergent.
 * The whole round is one jitted function.
 */
import { jit } from "@jax-js/jax";
import { UsageError } from "../engine/errors.ts";
import * as T from "../engine/tree.ts";
import { playerGradient } from "../games/vector-field.ts";
import type { Joint, Player } from "../games/game.ts";
import type { State } from "../optim/transform.ts";
import { splitKeys, stepKeys, type StepKeys } from "./keys.ts";
import type { Method, MethodContext } from "./method.ts";

export interface AlternatingOptions {
  /** Gradient steps per round for [θ, φ] (default [1, 1]). */
  steps?: [number, number];
  /** The player who moves first in each round (default 0 = θ). */
  first?: Player;
}

/** The order in which the players move during one round, e.g. [0, 1, 1] for k = [1, 2], θ first. */
export function roundSchedule(steps: [number, number], first: Player): Player[] {
  const second: Player = first === 0 ? 1 : 0;
  return [
    ...Array.from({ length: steps[first] }, () => first),
    ...Array.from({ length: steps[second] }, () => second),
  ];
}

export function alternating({ game, base }: MethodContext, opts: AlternatingOptions = {}): Method {
  const steps = opts.steps ?? [1, 1];
  const first = opts.first ?? 0;
  for (const k of steps) {
    if (!Number.isInteger(k) || k < 0) {
      throw new UsageError(
        `--steps: alternating steps per round must be integers ≥ 0, got '${steps.join(":")}'`,
      );
    }
  }
  const schedule = roundSchedule(steps, first);
  const grads = [playerGradient(game, 0), playerGradient(game, 1)] as const;
  const round = jit((w: Joint, s: [State, State], keys: StepKeys) => {
    const pts: Joint = [w[0], w[1]];
    const st: [State, State] = [s[0], s[1]];
    const ks = splitKeys(keys, schedule.length); // a fresh minibatch for every sub-step
    for (const [i, p] of schedule.entries()) {
      const g = grads[p](T.ref(pts[0]), T.ref(pts[1]), ks[i]);
      const [u, s2] = base[p].update(g, st[p], pts[p]);
      pts[p] = T.add(pts[p], u);
      st[p] = s2;
    }
    return [pts, st];
  });
  return {
    name: "alternating",
    init: (w) => [base[0].init(w[0]), base[1].init(w[1])],
    step: (w, s, key) => {
      const [w2, s2] = round(w, s as [State, State], stepKeys(key)) as [Joint, [State, State]];
      return [w2, s2, {}];
    },
  };
}
