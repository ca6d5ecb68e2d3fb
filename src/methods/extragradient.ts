/**
 * Extragradient (Korpelevich 1976; Gidel, lecture 13, "next: extragradient" — the explicit approximation
 * of the proximal point method): extrapolate, then update from the original point with the field there,
 *
 *   ω_{t+½} = ω_t − η v(ω_t)
 *   ω_{t+1} = ω_t − η v(ω_{t+½})
 *
 * Each "−η g" is the player's base update: ω_{t+½} = ω_t + base(v(ω_t)), ω_{t+1} = ω_t + base(v(ω_{t+½})).
 * State convention (Extra-Adam, Gidel et al., ICLR 2019, "A variational inequality perspective on GANs",
 * Algorithm 4): the base-update state (Adam moments, momentum buffer, step count) advances at BOTH calls,
 * the extrapolation and the update, so one extragradient step counts as two base-update steps. Clipping
 * projects both ω_{t+½} and ω_{t+1} onto the box (it is applied relative to ω_t both times).
 * On θ·φ with SGD the rate is √(1 − η² + η⁴), best 0.8660 at η = 1/√2. The whole step is one jitted function.
 */
import { jit } from "@jax-js/jax";
import * as T from "../engine/tree.ts";
import { vectorField } from "../games/vector-field.ts";
import type { Joint } from "../games/game.ts";
import type { State } from "../optim/transform.ts";
import { splitKeys, stepKeys, type StepKeys } from "./keys.ts";
import {
  type BaseUpdates,
  type Method,
  type MethodContext,
  type BaseStates,
  initBaseStates,
} from "./method.ts";
import { z } from "zod";
import { addM, identity, matmul, scaleRows, subM } from "../analysis/linear.ts";
import { defineMethod } from "./method.ts";

/** ω + base(g) for both players, from state s; consumes g and s, borrows w; returns [ω + u, s′]. */
export function applyBase(base: BaseUpdates, w: Joint, g: Joint, s: [State, State]): [Joint, [State, State]] {
  const [u0, s0] = base[0].update(g[0], s[0], w[0]);
  const [u1, s1] = base[1].update(g[1], s[1], w[1]);
  return [
    [T.add(T.ref(w[0]), u0), T.add(T.ref(w[1]), u1)],
    [s0, s1],
  ];
}

export function extragradient({ game, base }: MethodContext): Method {
  const v = vectorField(game);
  const step = jit((w: Joint, s: [State, State], keys: StepKeys) => {
    const [k1, k2] = splitKeys(keys, 2); // fresh samples for the extrapolation and for the update
    const [half, sHalf] = applyBase(base, w, v(T.ref(w[0]), T.ref(w[1]), k1), s);
    const [next, s2] = applyBase(base, w, v(half[0], half[1], k2), sHalf);
    T.dispose(w);
    return [next, s2];
  });
  return {
    name: "extragradient",
    init: (w) => initBaseStates(base, w),
    step: (w, s, key) => {
      const [w2, s2] = step(w, (s as BaseStates).base, stepKeys(key)) as [Joint, [State, State]];
      return [w2, { base: s2 } satisfies BaseStates, {}];
    },
  };
}

/** Extragradient as a module: operator I − HJ + (HJ)²; two base-update calls per step. */
export const extragradientMethod = defineMethod({
  name: "extragradient",
  citation: "Korpelevich 1976; Gidel, lecture 13; Gidel et al. ICLR 2019 (Extra-Adam)",
  params: z.object({}),
  create: ({ game, base }) => extragradient({ game, base: base() }),
  formula: () => "ω½ = ω − ηv(ω), ω′ = ω − ηv(ω½)",
  operator: {
    build: ({ J, eta }) => {
      const HJ = scaleRows(eta, J);
      return addM(subM(identity(J.length), HJ), matmul(HJ, HJ));
    },
  },
  updatesPerRound: () => 2,
  analyze: {},
});
