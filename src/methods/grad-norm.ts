/**
 * Gradient descent on the vector-field norm (Mitliagkas, "Some results on GAN dynamics", "Idea 1: Minimize
 * the norm of the gradient", L(ω) = ½‖v(ω)‖²):
 *
 *   ω_{t+1} = ω_t − η ∇L(ω_t) = ω_t − η ∇v(ω_t)ᵀ v(ω_t)
 *
 * (each player's "−η g" is its base update, with g its block of ∇vᵀv). It converges to any stationary point
 * of the field, Nash or not (a local max of L's landscape for the players is just as attractive). On θ·φ,
 * ∇vᵀv = ω, so the rate is |1 − η|: 0.5 at η = 0.5. The whole step is one jitted function.
 */
import { jit } from "@jax-js/jax";
import * as T from "../engine/tree.ts";
import type { Joint } from "../games/game.ts";
import type { State } from "../optim/transform.ts";
import { fieldAndNormGradient } from "./consensus.ts";
import { applyBase } from "./extragradient.ts";
import { stepKeys, type StepKeys } from "./keys.ts";
import { type Method, type MethodContext, type BaseStates, initBaseStates } from "./method.ts";
import { z } from "zod";
import { identity, matmul, scaleRows, subM, transpose } from "../analysis/linear.ts";
import { defineMethod } from "./method.ts";

export function gradNorm({ game, base }: MethodContext): Method {
  const fg = fieldAndNormGradient(game);
  const step = jit((w: Joint, s: [State, State], keys: StepKeys) => {
    const [v, g] = fg(T.ref(w[0]), T.ref(w[1]), keys[0]);
    T.dispose(v);
    const [next, s2] = applyBase(base, w, g, s);
    T.dispose(w);
    return [next, s2];
  });
  return {
    name: "grad-norm",
    init: (w) => initBaseStates(base, w),
    step: (w, s, key) => {
      const [w2, s2] = step(w, (s as BaseStates).base, stepKeys(key)) as [Joint, [State, State]];
      return [w2, { base: s2 } satisfies BaseStates, {}];
    },
  };
}

/** Gradient descent on ½‖v‖² as a module: operator I − HJᵀJ. */
export const gradNormMethod = defineMethod({
  name: "grad-norm",
  citation: 'Mitliagkas, Some results on GAN dynamics, "Idea 1: Minimize the norm of the gradient"',
  params: z.object({}),
  create: ({ game, base }) => gradNorm({ game, base: base() }),
  formula: () => "ω′ = ω − η∇vᵀv(ω) (descent on ½‖v‖²)",
  operator: {
    build: ({ J, eta }) => subM(identity(J.length), scaleRows(eta, matmul(transpose(J), J))),
  },
  analyze: {},
});
