/**
 * Optimistic gradient descent-ascent, "extrapolation from the past" (Popov 1980; Daskalakis et al. 2018;
 * Gidel et al. ICLR 2019) — an explicit method that, like extragradient, approximates the proximal point
 * method of Gidel's lecture 13 but needs one field evaluation per step:
 *
 *   ω_{t+1} = ω_t − 2η v(ω_t) + η v(ω_{t−1})
 *
 * i.e. each player's base update applied to g_t = 2v(ω_t) − v(ω_{t−1}). It is also extra-gradient from the
 * past (Popov 1980; Gidel et al. 2019, "extrapolation from the past"): ω̃_t = ω_t − ηv(ω̃_{t−1}),
 * ω_{t+1} = ω_t − ηv(ω̃_t) gives ω̃_{t+1} = ω_{t+1} − ηv(ω̃_t) = ω_t − 2ηv(ω̃_t) = ω̃_t + ηv(ω̃_{t−1}) − 2ηv(ω̃_t),
 * the update above on the extrapolated points (test/methods.test.ts checks it on θ·φ), so saddle has no
 * separate module for it. The state keeps v_prev = v(ω_{t−1}),
 * initialised to v(ω_0), so the first step is plain simultaneous GDA. On θ·φ with SGD the spectral radius
 * is 0.7071 at η = 0.5 (and 1.9319, divergence, at η = 1). The whole step is one jitted function.
 */
import { jit } from "@jax-js/jax";
import * as T from "../engine/tree.ts";
import { vectorField } from "../games/vector-field.ts";
import type { Joint } from "../games/game.ts";
import type { State } from "../optim/transform.ts";
import { applyBase } from "./extragradient.ts";
import { stepKeys, type StepKeys } from "./keys.ts";
import type { Method, MethodContext, MethodState } from "./method.ts";
import { z } from "zod";
import { blocks, identity, scaleM, scaleRows, subM, zeros } from "../analysis/linear.ts";
import { defineMethod } from "./method.ts";

/** v(ω_{t−1}) and each player's base-update state. */
type OptimisticState = { vPrev: Joint; base: [State, State] };

/** 2a − b leafwise; consumes both. */
const twiceMinus = (a: Joint, b: Joint): Joint => [
  T.sub(T.scale(a[0], 2), b[0]),
  T.sub(T.scale(a[1], 2), b[1]),
];

export function optimistic({ game, base }: MethodContext): Method {
  const v = vectorField(game);
  const step = jit((w: Joint, s: OptimisticState, keys: StepKeys) => {
    const cur = v(T.ref(w[0]), T.ref(w[1]), keys[0]);
    const [next, s2] = applyBase(base, w, twiceMinus(T.ref(cur), s.vPrev), s.base);
    T.dispose(w);
    const out: OptimisticState = { vPrev: cur, base: s2 };
    return [next, out];
  });
  return {
    name: "optimistic",
    init: (w, key): OptimisticState => ({
      vPrev: v(T.ref(w[0]), T.ref(w[1]), key),
      base: [base[0].init(w[0]), base[1].init(w[1])],
    }),
    step: (w, s, key) => {
      const [w2, s2] = step(w, s as OptimisticState, stepKeys(key)) as [Joint, MethodState];
      return [w2, s2, {}];
    },
  };
}

/** Optimistic GDA as a module: operator [[I − 2HJ, HJ], [I, 0]] on (ω_t, ω_{t−1}). */
export const optimisticMethod = defineMethod({
  name: "optimistic",
  citation: "Popov 1980; Daskalakis et al. 2018; Gidel et al. ICLR 2019",
  params: z.object({}),
  create: ({ game, base }) => optimistic({ game, base: base() }),
  formula: () => "ω′ = ω − 2ηv(ω) + ηv(ω₋)",
  operator: {
    build: ({ J, eta }) => {
      const n = J.length;
      const I = identity(n);
      const HJ = scaleRows(eta, J);
      return blocks(subM(I, scaleM(HJ, 2)), HJ, I, zeros(n));
    },
  },
  analyze: {},
});
