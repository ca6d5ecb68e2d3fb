/**
 * Lookahead-minmax (Zhang, Lucas, Hinton & Ba, "Lookahead Optimizer: k steps forward, 1 step back", NeurIPS
 * 2019; Chavdarova, Pagliardini, Stich, Fleuret & Jaggi, "Taming GANs with Lookahead-Minmax", ICLR 2021),
 * wrapping any base method B of the list (`inner`): both players' slow weights ω move α of the way to where
 * k fast steps of B from ω end,
 *
 *   ω̃_0 = ω_t,   ω̃_{j+1} = B(ω̃_j)  (j = 0 … k−1),   ω_{t+1} = ω_t + α(ω̃_k − ω_t),
 *
 * and the fast weights restart from ω_{t+1}. One step of this method is one such round (k base steps and the
 * slow update). The base method's state (momentum buffer, Adam moments, optimistic's v(ω₋)) carries from
 * round to round, as in the authors' implementation; a stochastic game draws a fresh key for each fast step.
 *
 * Linearised at a stationary point, with B the base method's operator (src/methods' `operator`):
 *
 *   ∇F = D₀ + D₁ B^k,   on ω alone (B n×n):  ∇F = (1 − α)I + αB^k;
 *
 * on an augmented base state (ω, ω_prev) (2n×2n) the slow update moves ω and keeps the base state, so
 * D₀ = [[(1 − α)I, 0], [c(1 − α)I, 0]], D₁ = [[αI, 0], [c(α − 1)I, I]] with c = 1 when the stored state is
 * the heavy ball's velocity u = ω − ω_prev (momentum β ≠ 0: ω_prev ← ω_{t+1} − u) and c = 0 when it is a
 * function of the previous point (optimistic's v(ω₋): ω_prev stays ω̃_{k−1}). On θ·φ around simultaneous
 * GDA, the eigenvalues are (1 − α) + α(1 ∓ iη)^k: k = 5, α = ½, η = ½ gives ρ = 0.647, where the base
 * method alone diverges at √(1 + η²) = 1.118.
 */
import { jit } from "@jax-js/jax";
import { z } from "zod";
import { addM, identity, matmul, zeros } from "../analysis/linear.ts";
import * as T from "../engine/tree.ts";
import type { Joint } from "../games/game.ts";
import { alternatingMethod } from "./alternating.ts";
import { axpy } from "./consensus.ts";
import { splitKeys, stepKeys } from "./keys.ts";
import { defineMethod, type Method, type MethodSpecBase, type StepInfo } from "./method.ts";

const NAME = "lookahead";

/** Zhang et al.'s defaults: k = 5 fast steps, α = 0.5; the base method: Chavdarova et al.'s LA-AltGAN. */
export const LOOKAHEAD_DEFAULTS = { inner: alternatingMethod.name as string, k: 5, alpha: 0.5 };

/** The base method's spec: the same fields under the inner name, a decay counted in fast steps. */
function innerSpec(spec: MethodSpecBase, inner: string, k: number): MethodSpecBase {
  const out: MethodSpecBase = { ...spec, name: inner };
  if (spec.lrDecay) out.lrDecay = { ...spec.lrDecay, rounds: spec.lrDecay.rounds * k };
  return out;
}

/** Lookahead around the built method `base`: k of its steps, then ω + α(ω̃_k − ω). */
export function lookahead(base: Method, k: number, alpha: number): Method {
  // ω + α(ω̃ − ω), with α as an array of ω's dtype (consensus.ts's axpy); consumes both
  const slow = jit((w: Joint, fast: Joint): Joint => {
    const d: Joint = [T.sub(fast[0], T.ref(w[0])), T.sub(fast[1], T.ref(w[1]))];
    return axpy(w, alpha, d);
  });
  return {
    name: NAME,
    init: (w, key) => base.init(w, key),
    step: (w, s, key) => {
      const keys = splitKeys(stepKeys(key), k);
      let fast: Joint = [T.ref(w[0]), T.ref(w[1])];
      let st = s;
      const info: StepInfo = {};
      for (let j = 0; j < k; j++) {
        const [f2, s2, i2] = base.step(fast, st, keys[j]);
        fast = f2;
        st = s2;
        if (i2.residual !== undefined) info.residual = Math.max(info.residual ?? 0, i2.residual);
        if (i2.inner !== undefined) info.inner = (info.inner ?? 0) + i2.inner;
      }
      return [slow(w, fast), st, info];
    },
  };
}

export const lookaheadMethod = defineMethod({
  name: NAME,
  citation:
    "Zhang et al., Lookahead Optimizer, NeurIPS 2019; Chavdarova et al., Taming GANs with Lookahead-Minmax, ICLR 2021",
  params: z.object({
    /** The base method the fast weights step with (any listed method but lookahead itself). */
    inner: z
      .string()
      .refine((s) => s !== NAME, "lookahead cannot wrap itself")
      .default(LOOKAHEAD_DEFAULTS.inner),
    /** Fast steps k per slow update. */
    lookaheadK: z.number().int().min(1).max(10_000).default(LOOKAHEAD_DEFAULTS.k),
    /** Slow step α ∈ (0, 1] (α = 1: the base method itself, k steps at a time). */
    lookaheadAlpha: z.number().gt(0).max(1).default(LOOKAHEAD_DEFAULTS.alpha),
  }),
  create: ({ spec, params, build }) =>
    lookahead(
      build(innerSpec(spec, params.inner, params.lookaheadK)),
      params.lookaheadK,
      params.lookaheadAlpha,
    ),
  formula: (_, p) =>
    `${p.lookaheadK} steps ω̃_{j+1} = ${p.inner}(ω̃_j) from ω̃_0 = ω, then ω′ = ω + α(ω̃_k − ω), α = ${p.lookaheadAlpha}`,
  operator: {
    // momentum is analysed when the base method analyses it (its reason otherwise)
    momentum: true,
    unsupported: (spec, p, reasonOf) => {
      const r = reasonOf(innerSpec(spec, p.inner, p.lookaheadK));
      return r === null ? null : `lookahead around ${p.inner}: ${r}`;
    },
    build: ({ spec, params, J, beta, operatorOf }) => {
      const B = operatorOf(innerSpec(spec, params.inner, params.lookaheadK));
      if (B === null) throw new Error(`lookahead: no operator for ${params.inner}`);
      const n = J.length;
      const m = B.length;
      const a = params.lookaheadAlpha;
      let Bk = identity(m);
      for (let j = 0; j < params.lookaheadK; j++) Bk = matmul(B, Bk);
      const D0 = zeros(m);
      const D1 = zeros(m);
      for (let i = 0; i < n; i++) {
        D0[i][i] = 1 - a;
        D1[i][i] = a;
      }
      if (m === 2 * n) {
        const c = beta !== 0 ? 1 : 0; // heavy-ball velocity kept, or the previous point kept
        for (let i = 0; i < n; i++) {
          D0[n + i][i] = c * (1 - a);
          D1[n + i][i] = c * (a - 1);
          D1[n + i][n + i] = 1;
        }
      }
      return addM(D0, matmul(D1, Bk));
    },
  },
  updatesPerRound: ({ spec, params, of }) =>
    params.lookaheadK * of(innerSpec(spec, params.inner, params.lookaheadK)),
  inner: (spec) => String(spec.inner ?? LOOKAHEAD_DEFAULTS.inner),
  flags: [
    {
      flag: "--inner",
      arg: "<method>",
      help: `lookahead: the base method of the fast steps (default: ${LOOKAHEAD_DEFAULTS.inner})`,
      param: "inner",
      value: { method: true },
    },
    {
      flag: "--lookahead-k",
      arg: "<k>",
      help: `lookahead: fast steps k per slow update (default: ${LOOKAHEAD_DEFAULTS.k})`,
      param: "lookaheadK",
      value: { number: { integer: true, min: 1, max: 10_000 } },
    },
    {
      flag: "--lookahead-alpha",
      arg: "<a>",
      help: `lookahead: slow step α ∈ (0, 1] (default: ${LOOKAHEAD_DEFAULTS.alpha})`,
      param: "lookaheadAlpha",
      value: { number: { above: 0, max: 1 } },
    },
  ],
  hint: (p) => `inner ${p.inner}, k ${p.lookaheadK}, α ${p.lookaheadAlpha}`,
});
