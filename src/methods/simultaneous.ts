/**
 * Simultaneous gradient descent-ascent (Gidel, lecture 13, "Sim-GDA"):
 *
 *   θ_{t+1} = θ_t − η ∇_θ L^(θ)(θ_t, φ_t)
 *   φ_{t+1} = φ_t − η ∇_φ L^(φ)(θ_t, φ_t)
 *
 * i.e. ω_{t+1} = ω_t − ηv(ω_t), each player's "−η g" replaced by its base update (SGD, Adam, …; momentum
 * β gives Polyak's ω_{t+1} = ω_t − ηv(ω_t) + β(ω_t − ω_{t−1}), Mitliagkas, "Momentum on games").
 * On θ·φ it diverges at rate √(1+η²) for every η.
 */
import { jit } from "@jax-js/jax";
import * as T from "../engine/tree.ts";
import { vectorField } from "../games/vector-field.ts";
import type { Joint } from "../games/game.ts";
import type { State } from "../optim/transform.ts";
import { stepKeys, type StepKeys } from "./keys.ts";
import { type Method, type MethodContext, type BaseStates, initBaseStates } from "./method.ts";
import { z } from "zod";
import { identity, momentumSubStep, scaleRows, subM } from "../analysis/linear.ts";
import { defineMethod } from "./method.ts";

export function simultaneous({ game, base }: MethodContext): Method {
  const v = vectorField(game);
  const step = jit((w: Joint, s: [State, State], keys: StepKeys) => {
    const [g0, g1] = v(T.ref(w[0]), T.ref(w[1]), keys[0]);
    const [u0, s0] = base[0].update(g0, s[0], w[0]);
    const [u1, s1] = base[1].update(g1, s[1], w[1]);
    return [
      [T.add(w[0], u0), T.add(w[1], u1)],
      [s0, s1],
    ];
  });
  return {
    name: "simultaneous",
    init: (w) => initBaseStates(base, w),
    step: (w, s, key) => {
      const [w2, s2] = step(w, (s as BaseStates).base, stepKeys(key)) as [Joint, [State, State]];
      return [w2, { base: s2 } satisfies BaseStates, {}];
    },
  };
}

/** Sim-GDA as a module: operator I − HJ, with momentum [[(1+β)I − HJ, −βI], [I, 0]] on (ω_t, ω_{t−1}). */
export const simultaneousMethod = defineMethod({
  name: "simultaneous",
  citation: "Gidel, lecture 13, Sim-GDA; Mitliagkas, Some results on GAN dynamics (momentum)",
  params: z.object({}),
  create: ({ game, base }) => simultaneous({ game, base: base() }),
  formula: () => "ω′ = ω − ηv(ω)",
  operator: {
    momentum: true,
    build: ({ J, eta, beta }) =>
      beta === 0
        ? subM(identity(J.length), scaleRows(eta, J))
        : momentumSubStep(J, eta, beta, new Array<boolean>(J.length).fill(true)),
  },
  analyze: { momentum: true },
});
