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
 *
 * `reuseFake` (stochastic games with `Game.sharedDraw`, φ first, k_θ = 1): the θ step uses the draw of the
 * last φ step instead of a fresh one — for a GAN, G steps on D′(G(z)) with the z that D just stepped on, and
 * G's forward pass runs once per round (PyTorch's DCGAN example does the same). The update is the one above
 * with the two players' minibatches coupled: φ_{t+1} = φ_t − η∇_φL^(φ)(θ_t, φ_t; ξ),
 * θ_{t+1} = θ_t − η∇_θL^(θ)(θ_t, φ_{t+1}; ξ).
 * The whole round is one jitted function.
 */
import { jit, type Array as JArray } from "@jax-js/jax";
import { UsageError } from "../engine/errors.ts";
import * as T from "../engine/tree.ts";
import { playerGradient } from "../games/vector-field.ts";
import type { Game, Joint, Player } from "../games/game.ts";
import type { Params } from "../engine/tree.ts";
import type { State } from "../optim/transform.ts";
import { splitKeys, stepKeys, type StepKeys } from "./keys.ts";
import type { Method, MethodContext } from "./method.ts";
import { defaultSteps, METHOD_DEFAULTS } from "./spec.ts";

export interface AlternatingOptions {
  /** Gradient steps per round for [θ, φ] (default [1, 1]). */
  steps?: [number, number];
  /** The player who moves first in each round (default 0 = θ). */
  first?: Player;
  /** The θ step reuses the last φ step's draw (needs `game.sharedDraw`, first = 1 and k_θ = 1). */
  reuseFake?: boolean;
}

/** The order in which the players move during one round, e.g. [0, 1, 1] for k = [1, 2], θ first. */
export function roundSchedule(steps: [number, number], first: Player): Player[] {
  const second: Player = first === 0 ? 1 : 0;
  return [
    ...Array.from({ length: steps[first] }, () => first),
    ...Array.from({ length: steps[second] }, () => second),
  ];
}

/** `reuseFake`'s conditions, as UsageErrors naming the flag. */
function checkReuse(game: Game, steps: [number, number], first: Player): void {
  if (!game.sharedDraw) {
    throw new UsageError(
      `--reuse-fake: needs a GAN game with one replica trained directly (not ${game.name}, --replicas > 1 or --prox-lambda)`,
    );
  }
  if (first !== 1 || steps[0] !== 1 || steps[1] < 1) {
    throw new UsageError(
      `--reuse-fake: needs D first, one G step and at least one D step per round (--first D --k-g 1); got first ${first === 1 ? "D" : "G"}, k-g ${steps[0]}, k-d ${steps[1]}`,
    );
  }
}

export function alternating({ game, base }: MethodContext, opts: AlternatingOptions = {}): Method {
  const steps = opts.steps ?? defaultSteps("alternating");
  const first = opts.first ?? METHOD_DEFAULTS.first;
  for (const k of steps) {
    if (!Number.isInteger(k) || k < 0) {
      throw new UsageError(
        `--steps: alternating steps per round must be integers ≥ 0, got '${steps.join(":")}'`,
      );
    }
  }
  const schedule = roundSchedule(steps, first);
  const reuse = opts.reuseFake === true;
  if (reuse) checkReuse(game, steps, first);
  const grads = [playerGradient(game, 0), playerGradient(game, 1)] as const;
  const round = jit((w: Joint, s: [State, State], keys: StepKeys) => {
    const pts: Joint = [w[0], w[1]];
    const st: [State, State] = [s[0], s[1]];
    const ks = splitKeys(keys, schedule.length); // a fresh minibatch for every sub-step
    const move = (p: Player, g: Params) => {
      const [u, s2] = base[p].update(g, st[p], pts[p]);
      pts[p] = T.add(pts[p], u);
      st[p] = s2;
    };
    // with reuseFake the schedule is [1, …, 1, 0]: the last φ step and the θ step share one draw
    const plain = reuse ? schedule.length - 2 : schedule.length;
    for (let i = 0; i < plain; i++) {
      const p = schedule[i];
      move(p, grads[p](T.ref(pts[0]), T.ref(pts[1]), ks[i]));
    }
    if (reuse && game.sharedDraw) {
      const shared = game.sharedDraw(T.ref(pts[0]), T.ref(pts[1]), ks[plain] as JArray);
      ks[plain + 1]?.dispose();
      move(1, shared.grad1);
      move(0, shared.grad0(T.ref(pts[1])));
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
