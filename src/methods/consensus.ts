/**
 * Consensus optimization (Mescheder, Nowozin & Geiger, "The numerics of GANs", NeurIPS 2017; Mitliagkas,
 * "Some results on GAN dynamics", "Idea 2: use L as regularizer", Algorithm 2): with L(ω) = ½‖v(ω)‖²,
 *
 *   v_c(ω) = v(ω) + γ ∇L(ω) = v(ω) + γ ∇v(ω)ᵀ v(ω),      ω_{t+1} = ω_t − η v_c(ω_t)
 *
 * (each player's "−η g" is its base update). ∇v(ω)ᵀv(ω) is one vector-Jacobian product of the field with
 * itself as cotangent (reverse over reverse); the field takes each player's gradient through a closure
 * (src/games/vector-field.ts), the form that differentiates correctly in jax-js 0.1.25 — test/methods.test.ts
 * checks it against the dense Jacobian. On θ·φ the rate is √((1 − ηγ)² + η²), 0.9055 at η = 0.1, γ = 1.
 * The whole step is one jitted function.
 */
import { jit, numpy as np, vjp, type Array as JArray } from "@jax-js/jax";
import * as T from "../engine/tree.ts";
import type { Params } from "../engine/tree.ts";
import { vectorField } from "../games/vector-field.ts";
import type { Game, Joint } from "../games/game.ts";
import type { State } from "../optim/transform.ts";
import { applyBase } from "./extragradient.ts";
import { stepKeys, type StepKeys } from "./keys.ts";
import { type Method, type MethodContext, type BaseStates, initBaseStates } from "./method.ts";
import { z } from "zod";
import { addM, identity, matmul, scaleM, scaleRows, subM, transpose } from "../analysis/linear.ts";
import { defineMethod } from "./method.ts";

/** (θ, φ) ↦ [v(ω), ∇v(ω)ᵀ v(ω)] = [v, ∇(½‖v‖²)] (traceable); consumes θ and φ. */
export function fieldAndNormGradient(game: Game): (x: Params, y: Params, key?: JArray) => [Joint, Joint] {
  const v = vectorField(game);
  return (x, y, key) => {
    const [out, back] = vjp((a: Params, b: Params) => v(a, b, key), [x, y]);
    const g = back(T.ref(out as Joint)) as Joint;
    back.dispose();
    return [out as Joint, g];
  };
}

/**
 * c·a leafwise, with c as an array of a's dtype; consumes a. (Under `jit`, jax-js 0.1.25 rounds a plain JS
 * number operand to float32 even against float64 arrays: x.mul(0.7) gives 0.699999988.)
 */
const scaleExact = <P extends Params>(a: P, c: number): P =>
  T.map(a, (x: JArray) => x.mul(np.full([], c, { dtype: x.dtype })));

/** a + c·b leafwise; consumes both. */
export const axpy = (a: Joint, c: number, b: Joint): Joint => [
  T.add(a[0], scaleExact(b[0], c)),
  T.add(a[1], scaleExact(b[1], c)),
];

/** The default consensus weight γ. */
export const CONSENSUS_GAMMA = 1;

export function consensus({ game, base }: MethodContext, gamma: number = CONSENSUS_GAMMA): Method {
  const fg = fieldAndNormGradient(game);
  const step = jit((w: Joint, s: [State, State], keys: StepKeys) => {
    const [v, g] = fg(T.ref(w[0]), T.ref(w[1]), keys[0]);
    const [next, s2] = applyBase(base, w, axpy(v, gamma, g), s);
    T.dispose(w);
    return [next, s2];
  });
  return {
    name: "consensus",
    init: (w) => initBaseStates(base, w),
    step: (w, s, key) => {
      const [w2, s2] = step(w, (s as BaseStates).base, stepKeys(key)) as [Joint, [State, State]];
      return [w2, { base: s2 } satisfies BaseStates, {}];
    },
  };
}

/** Consensus optimization as a module: operator I − H(J + γJᵀJ). */
export const consensusMethod = defineMethod({
  name: "consensus",
  citation: "Mescheder, Nowozin & Geiger, The numerics of GANs, NeurIPS 2017; Mitliagkas, Idea 2",
  params: z.object({ gamma: z.number().min(0).default(CONSENSUS_GAMMA) }),
  create: ({ game, base, params }) => consensus({ game, base: base() }, params.gamma),
  formula: (_, p) => `ω′ = ω − η(v + γ∇vᵀv)(ω), γ = ${p.gamma}`,
  operator: {
    build: ({ J, eta, params }) =>
      subM(identity(J.length), scaleRows(eta, addM(J, scaleM(matmul(transpose(J), J), params.gamma)))),
  },
  flags: [
    {
      flag: "--gamma",
      arg: "<g>",
      help: "consensus weight γ ≥ 0",
      default: String(CONSENSUS_GAMMA),
      param: "gamma",
      value: { number: { min: 0 } },
    },
  ],
  analyze: { flags: ["--gamma"], label: (p) => `consensus γ=${p.gamma}` },
  hint: (p) => `gamma ${p.gamma}`,
});
