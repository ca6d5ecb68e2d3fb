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
import { type Method, type MethodContext, type BaseStates, initBaseStates } from "./method.ts";
import { z } from "zod";
import { alternatingOperator } from "../analysis/linear.ts";
import { defineMethod } from "./method.ts";

export interface AlternatingOptions {
  /** Gradient steps per round for [θ, φ] (default [1, 1]). */
  steps?: [number, number];
  /** The player who moves first in each round (default 0 = θ). */
  first?: Player;
  /** The θ step reuses the last φ step's draw (needs `game.sharedDraw`, first = 1 and k_θ = 1). */
  reuseFake?: boolean;
}

/** The default k_θ : k_φ per round. */
export const ALTERNATING_STEPS = [1, 1] as const;

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
  const steps = opts.steps ?? [ALTERNATING_STEPS[0], ALTERNATING_STEPS[1]];
  const first = opts.first ?? 0;
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
    init: (w) => initBaseStates(base, w),
    step: (w, s, key) => {
      const [w2, s2] = round(w, (s as BaseStates).base, stepKeys(key)) as [Joint, [State, State]];
      return [w2, { base: s2 } satisfies BaseStates, {}];
    },
  };
}

const STEPS_RULE = "steps per round must be integers ≥ 0";
const count = z.number().int(STEPS_RULE).min(0, STEPS_RULE);
const PLAYERS = ["theta", "phi"] as const;

/**
 * Alt-GDA as a module: operator ∏ of per-player sub-steps I − E_p H J (k_θ : k_φ per round, `first` first;
 * with momentum each sub-step is the player's heavy ball on (ω, ω_prev)).
 */
export const alternatingMethod = defineMethod({
  name: "alternating",
  citation: "Gidel, lecture 13, Alt-GDA; Gidel et al. AISTATS 2019 (alternating heavy ball)",
  params: z.object({
    /** Gradient steps per round for [θ, φ] (k_θ : k_φ). */
    steps: z.tuple([count, count]).default([...ALTERNATING_STEPS]),
    /** The player who moves first in each round (0 = θ, as in Gidel's lecture). */
    first: z.union([z.literal(0), z.literal(1)]).default(0),
    /** Stochastic games with `Game.sharedDraw`, φ first, k_θ = 1: θ's step reuses the last φ step's draw. */
    reuseFake: z.boolean().default(false),
  }),
  create: ({ game, base, params }) => alternating({ game, base: base() }, params),
  formula: (_, p) => {
    const who = ["θ", "φ"];
    const other = p.first === 0 ? 1 : 0;
    const reuse = p.reuseFake ? ` (θ's step reuses φ's last draw)` : "";
    return `${p.steps[p.first]}× ${who[p.first]} −= η∇L, then ${p.steps[other]}× ${who[other]} −= η∇L at the updated point${reuse}`;
  },
  operator: {
    momentum: true,
    unsupported: (_, p) =>
      p.steps.every((k) => Number.isInteger(k) && k >= 1)
        ? null
        : `alternating steps must be positive integers, got [${p.steps.join(", ")}]`,
    build: ({ J, eta, sizes, beta, params }) =>
      alternatingOperator(J, eta, sizes, beta, params.steps, params.first),
  },
  updatesPerRound: ({ params, player }) => params.steps[player],
  flags: [
    {
      flag: "--k-theta",
      arg: "<k>",
      help: `alternating: θ steps per round (default: ${ALTERNATING_STEPS[0]})`,
      param: "steps",
      index: 0,
      value: { number: { integer: true, min: 1, max: 1000 } },
    },
    {
      flag: "--k-phi",
      arg: "<k>",
      help: `alternating: φ steps per round (default: ${ALTERNATING_STEPS[1]})`,
      param: "steps",
      index: 1,
      value: { number: { integer: true, min: 1, max: 1000 } },
    },
    {
      flag: "--first",
      arg: "<player>",
      help: "alternating: theta | phi moves first",
      default: PLAYERS[0],
      param: "first",
      value: { choice: PLAYERS, values: [0, 1] },
    },
  ],
  analyze: { momentum: true },
});
