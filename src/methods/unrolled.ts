/**
 * Unrolled GANs (Metz, Poole, Pfau & Sohl-Dickstein, ICLR 2017): the generator looks k steps ahead of the
 * discriminator. Its loss is taken at D's k-step unrolled parameters, as a function of G,
 *
 *   φ_0(θ) = φ_t,   φ_{j+1}(θ) = φ_j(θ) − η_φ ∇_φ L^(φ)(θ, φ_j(θ)),   j = 0 … k − 1      (SGD on D's loss)
 *   L_unrolled(θ) = L^(θ)(θ, φ_k(θ)),
 *
 * and G steps on the total derivative through the unroll (nested automatic differentiation: a reverse pass
 * through k inner gradients, which brings in ∇²_φφ L^(φ) and ∇²_φθ L^(φ)):
 *
 *   θ_{t+1} = θ_t + base_θ(dL_unrolled/dθ (θ_t)),
 *     dL_unrolled/dθ = ∇_θ L^(θ)(θ, φ_k) + (∂φ_k/∂θ)ᵀ ∇_φ L^(θ)(θ, φ_k),
 *   φ_{t+1} = φ_t + base_φ(∇_φ L^(φ)(θ_{t+1}, φ_t))          (D's normal step, at the new G).
 *
 * Choices, documented:
 * - The unroll uses plain SGD with D's step size η_φ = lr[1] (projected onto the box when the game clips D),
 *   not D's base update: Adam's or momentum's state would have to be unrolled as well, and SGD keeps the
 *   surrogate a smooth function of θ. D's real update is its base update (Adam, momentum, clipping, …).
 * - The round is sequential (G first, then D at the new G), so k = 0 is exactly alternating GDA with G first
 *   (same sub-steps, same keys); Metz et al. compute both updates at the same point (a lag of one step).
 * - Stochastic games get fresh keys: one per unrolled D step, one for G's loss at φ_k, one for D's real step.
 *
 * Every derivative is taken of a closure over the other player; test/stackelberg.test.ts checks dL_unrolled/dθ against finite differences. The whole round is one jitted
 * function.
 */
import { grad, jit, numpy as np, type Array as JArray } from "@jax-js/jax";
import { UsageError } from "../engine/errors.ts";
import * as T from "../engine/tree.ts";
import type { Params } from "../engine/tree.ts";
import type { Game, Joint } from "../games/game.ts";
import { playerGradient } from "../games/vector-field.ts";
import type { State } from "../optim/transform.ts";
import { splitKeys, stepKeys, type StepKeys } from "./keys.ts";
import { type Method, type MethodContext, type BaseStates, initBaseStates } from "./method.ts";
import { z } from "zod";
import { defineMethod } from "./method.ts";

/** The default unroll length k. */
export const UNROLL_STEPS = 5;

export interface UnrolledOptions {
  /** Unroll length k ≥ 0 (default 5). */
  unroll?: number;
  /** D's step size η_φ in the unroll (the spec's lr[1]). */
  lrD: number;
}

/**
 * φ_k(θ): k SGD steps of D on its loss from φ, each with its key (keys[j], undefined for deterministic
 * games); traceable and differentiable in θ when θ is a tracer. Consumes x, y and the keys.
 */
export function unrollD(
  game: Game,
  k: number,
  lrD: number,
  x: Params,
  y: Params,
  keys: (JArray | undefined)[],
): Params {
  const c = game.clip?.[1];
  let ph = y;
  for (let j = 0; j < k; j++) {
    const key = keys[j];
    const g = grad((yy: Params) => game.loss(1, T.ref(x), yy, key))(T.ref(ph)) as Params;
    ph = T.sub(ph, T.scale(g, lrD));
    if (typeof c === "number") ph = T.map(ph, (p) => np.clip(p, T.scalarLike(p, -c), T.scalarLike(p, c)));
  }
  T.dispose(x);
  return ph;
}

/**
 * (x, y, keys) ↦ L^(θ)(x, φ_k(x)), the unrolled generator loss; keys = k unroll keys then the key of G's
 * loss (all undefined for deterministic games). Consumes x, y and the keys.
 */
export function unrolledLoss(
  game: Game,
  k: number,
  lrD: number,
): (x: Params, y: Params, keys: (JArray | undefined)[]) => JArray {
  return (x, y, keys) => game.loss(0, T.ref(x), unrollD(game, k, lrD, x, y, keys.slice(0, k)), keys[k]);
}

/** (x, y, keys) ↦ d/dx L^(θ)(x, φ_k(x)), through the unroll; same keys and ownership as `unrolledLoss`. */
export function unrolledGradient(
  game: Game,
  k: number,
  lrD: number,
): (x: Params, y: Params, keys: (JArray | undefined)[]) => Params {
  const L = unrolledLoss(game, k, lrD);
  return (x, y, keys) => {
    const g = grad((xx: Params) => L(xx, T.ref(y), keys))(x) as Params;
    T.dispose(y);
    return g;
  };
}

export function unrolled({ game, base }: MethodContext, opts: UnrolledOptions): Method {
  const k = opts.unroll ?? UNROLL_STEPS;
  if (!Number.isInteger(k) || k < 0 || k > 1000) {
    throw new UsageError(`--unroll: the unroll length must be an integer in [0, 1000], got '${k}'`);
  }
  if (!(opts.lrD > 0))
    throw new UsageError(`--lr: unrolled needs D's step size lr[1] > 0, got '${opts.lrD}'`);
  const gradG = unrolledGradient(game, k, opts.lrD);
  const gradD = playerGradient(game, 1);
  const round = jit((w: Joint, s: [State, State], keys: StepKeys) => {
    const [th, ph] = w;
    const ks = splitKeys(keys, k + 2); // k unrolled D steps, G's loss at φ_k, D's real step
    const gG = gradG(T.ref(th), T.ref(ph), ks.slice(0, k + 1));
    const [uG, sG] = base[0].update(gG, s[0], th);
    const th2 = T.add(th, uG);
    const gD = gradD(T.ref(th2), T.ref(ph), ks[k + 1]);
    const [uD, sD] = base[1].update(gD, s[1], ph);
    return [
      [th2, T.add(ph, uD)],
      [sG, sD],
    ];
  });
  return {
    name: "unrolled",
    init: (w) => initBaseStates(base, w),
    step: (w, s, key) => {
      const [w2, s2] = round(w, (s as BaseStates).base, stepKeys(key)) as [Joint, [State, State]];
      return [w2, { base: s2 } satisfies BaseStates, {}];
    },
  };
}

const UNROLL_RULE = "--unroll: the unroll length must be an integer in [0, 1000]";

/** Unrolled GANs as a module (no operator: G's gradient differentiates through k steps of D). */
export const unrolledMethod = defineMethod({
  name: "unrolled",
  citation: "Metz, Poole, Pfau & Sohl-Dickstein, Unrolled Generative Adversarial Networks, ICLR 2017",
  params: z.object({
    /** Number k of D's SGD steps that G's gradient is differentiated through (0 = alternating GDA, G first). */
    unroll: z.number().int(UNROLL_RULE).min(0, UNROLL_RULE).max(1000, UNROLL_RULE).default(UNROLL_STEPS),
  }),
  create: ({ game, base, spec, params }) =>
    unrolled({ game, base: base() }, { unroll: params.unroll, lrD: spec.lr[1] }),
  formula: (_, p) =>
    `θ′ = θ − η d/dθ L^(θ)(θ, φ_k(θ)) through k = ${p.unroll} SGD steps φ_{j+1} = φ_j − η_φ∇_φL^(φ)(θ, φ_j), then φ′ = φ − η∇_φL^(φ)(θ′, φ)`,
  operator: {
    none:
      "unrolled: G's gradient is differentiated through k steps of D (∇_φL^(θ) and third derivatives of " +
      "L^(φ) enter), so its linearisation is not a function of J = ∇v alone; no exact operator here",
  },
  hint: (p) => `unroll k = ${p.unroll}`,
});
