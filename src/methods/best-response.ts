/**
 * Best response / generator-loss gradient descent (the Purdue lecture "Computing the GAN equilibrium",
 * Algorithm 2, GLGD, and its "practical algorithm"; a Stackelberg game with G the leader and D the follower,
 * Farnia & Ozdaglar 2020, "Do GANs always have Nash equilibria?": G* ∈ argmin_G max_D V(G, D)).
 *
 * GLGD takes generator steps against the best discriminator:
 *
 *   f* ← argmin_{f ∈ Ω_d} d(R, f)                  (D's best response to the current G)
 *   R  ← R − α P₀ ∇_R g(R, f*)                     (one generator step against it)
 *
 * and the practical algorithm replaces the argmin by N_d discriminator steps on fresh minibatches:
 *
 *   repeat { for N_d iterations { B ← batch; θ_d ← θ_d − β∇_{θ_d} d(θ_g, θ_d; B) };
 *            B ← batch; θ_g ← θ_g − α∇_{θ_g} g(θ_g, θ_d; B) }
 *
 * Here, in the game's terms (θ = G, φ = D, L^(θ), L^(φ) the two losses), one round with spec.steps =
 * [k_G, k_D] is
 *
 *   φ_{j+1} = φ_j + base_φ(∇_φ L^(φ)(θ_t, φ_j)),  j = 0 … k_D − 1,   φ_0 = φ_t,  φ_{t+1} = φ_{k_D}
 *   θ_{i+1} = θ_i + base_θ(∇_θ L^(θ)(θ_i, φ_{t+1})),  i = 0 … k_G − 1,  θ_0 = θ_t,  θ_{t+1} = θ_{k_G}
 *
 * (base = the player's base update: −η·g for SGD, or Adam/RMSProp/momentum/clipping; a stochastic game gets
 * a fresh key for every inner step and every G step). When the game has an exact best response
 * (`game.bestResponse`, e.g. φ*(θ) = Q⁻¹Aᵀθ on θᵀAφ + ½θᵀPθ − ½φᵀQφ), the k_D inner steps are replaced by
 * φ_{t+1} = φ*(θ_t) — GLGD exactly — unless `exact: false`; D's base-update state is then left untouched.
 * With k_D inner SGD steps the round is the alternating round with D first and k_D : k_G steps, so its
 * linearisation is alternating's operator (src/analysis/operators.ts); with k_D → ∞ (and a contracting inner
 * iteration) it tends to GLGD. The whole round is one jitted function.
 */
import { jit } from "@jax-js/jax";
import { UsageError } from "../engine/errors.ts";
import * as T from "../engine/tree.ts";
import type { Joint } from "../games/game.ts";
import { playerGradient } from "../games/vector-field.ts";
import type { State } from "../optim/transform.ts";
import { splitKeys, stepKeys, type StepKeys } from "./keys.ts";
import { type Method, type MethodContext, type BaseStates, initBaseStates } from "./method.ts";
import { z } from "zod";
import { alternatingOperator } from "../analysis/linear.ts";
import { defineMethod } from "./method.ts";

/** The default [k_G, k_D]: one G step after 5 D steps. */
export const BEST_RESPONSE_STEPS = [1, 5] as const;

export interface BestResponseOptions {
  /** [k_G, k_D]: G steps per round (≥ 1) after k_D (≥ 0) inner D steps (default BEST_RESPONSE_STEPS, [1, 5]). */
  steps?: [number, number];
  /** Use `game.bestResponse` when the game has one (default true); false forces the k_D inner steps. */
  exact?: boolean;
}

export function bestResponse({ game, base }: MethodContext, opts: BestResponseOptions = {}): Method {
  const [kG, kD] = opts.steps ?? [BEST_RESPONSE_STEPS[0], BEST_RESPONSE_STEPS[1]];
  if (!Number.isInteger(kG) || !Number.isInteger(kD) || kG < 1 || kD < 0) {
    throw new UsageError(
      `--steps: best-response needs k_G ≥ 1 G steps and k_D ≥ 0 D steps per round (integers), got '${kG}:${kD}'`,
    );
  }
  const hook = opts.exact === false ? undefined : game.bestResponse?.bind(game);
  const nD = kD === 0 ? 0 : hook ? 1 : kD; // D's evaluations per round (the exact response takes one key)
  const gradG = playerGradient(game, 0);
  const gradD = playerGradient(game, 1);
  const round = jit((w: Joint, s: [State, State], keys: StepKeys) => {
    let [th, ph] = w;
    let [sG, sD] = s;
    const ks = splitKeys(keys, nD + kG); // a fresh minibatch for every inner step and every G step
    if (hook && nD > 0) {
      ph = hook(1, T.ref(th), ph, ks[0]);
    } else {
      for (let j = 0; j < nD; j++) {
        const g = gradD(T.ref(th), T.ref(ph), ks[j]);
        const [u, s2] = base[1].update(g, sD, ph);
        ph = T.add(ph, u);
        sD = s2;
      }
    }
    for (let i = 0; i < kG; i++) {
      const g = gradG(T.ref(th), T.ref(ph), ks[nD + i]);
      const [u, s2] = base[0].update(g, sG, th);
      th = T.add(th, u);
      sG = s2;
    }
    return [
      [th, ph],
      [sG, sD],
    ];
  });
  return {
    name: "best-response",
    init: (w) => initBaseStates(base, w),
    step: (w, s, key) => {
      const [w2, s2] = round(w, (s as BaseStates).base, stepKeys(key)) as [Joint, [State, State]];
      return [w2, { base: s2 } satisfies BaseStates, {}];
    },
  };
}

const STEPS_RULE = "steps per round must be integers ≥ 0";
const count = z.number().int(STEPS_RULE).min(0, STEPS_RULE);

/**
 * Best response as a module: operator ∏ (I − E_θ H J)^{k_G} (I − E_φ H J)^{k_D}, the alternating round with
 * φ (D) first (the k_D-inner-step method; a game's exact `bestResponse` hook is that operator's k_D → ∞
 * limit when I − η_φ J_φφ contracts).
 */
export const bestResponseMethod = defineMethod({
  name: "best-response",
  citation: "Purdue GAN lecture (N_d-step practical GLGD); Stackelberg / follow-the-leader training",
  params: z.object({
    /** [k_G, k_D]: k_D inner steps of D (the follower) against the fixed G, then k_G steps of G. */
    steps: z.tuple([count, count]).default([...BEST_RESPONSE_STEPS]),
  }),
  create: ({ game, base, params }) => bestResponse({ game, base: base() }, { steps: params.steps }),
  formula: (_, p) =>
    `${p.steps[1]}× φ −= η∇_φL^(φ)(θ, φ) (or φ = φ*(θ), the game's exact best response), then ${p.steps[0]}× θ −= η∇_θL^(θ)(θ, φ)`,
  operator: {
    momentum: true,
    unsupported: (_, p) => {
      const [kG, kD] = p.steps;
      return Number.isInteger(kG) && Number.isInteger(kD) && kG >= 1 && kD >= 0
        ? null
        : `best-response steps [k_G, k_D] must be integers with k_G ≥ 1, k_D ≥ 0, got [${kG}, ${kD}]`;
    },
    // D's k_D inner steps, then G's k_G steps: alternating with φ first
    build: ({ J, eta, sizes, beta, params }) => alternatingOperator(J, eta, sizes, beta, params.steps, 1),
  },
  updatesPerRound: ({ params, player }) => params.steps[player],
  flags: [
    {
      flag: "--k-theta",
      arg: "<k>",
      help: `best-response: k_G (default: ${BEST_RESPONSE_STEPS[0]})`,
      param: "steps",
      index: 0,
      value: { number: { integer: true, min: 1, max: 1000 } },
    },
    {
      flag: "--k-phi",
      arg: "<k>",
      help: `best-response: k_D (default: ${BEST_RESPONSE_STEPS[1]})`,
      param: "steps",
      index: 1,
      value: { number: { integer: true, min: 1, max: 1000 } },
    },
  ],
  hint: (p) => `kG:kD ${p.steps.join(":")}`,
});
