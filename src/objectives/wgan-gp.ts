/**
 * WGAN with gradient penalty (Gulrajani et al., "Improved Training of Wasserstein GANs", 2017, Algorithm 1):
 *
 *   L_D = −E D(x) + E D(G(z)) + λ E(‖∇ₓD(x̂)‖ − 1)²,   x̂ = εx + (1 − ε)G(z),  ε ∼ U(0, 1) per sample,
 *   L_G = −E D(G(z)),                                   λ = 10 by default.
 *
 * The penalty replaces weight clipping as the soft 1-Lipschitz constraint. The objective carries λ; the
 * game (src/games/gan.ts) draws ε and x̂ and adds `gradientPenalty` to L_D, because the term needs D as a
 * function of its input, not only its outputs.
 */
import { numpy as np, type Array as JArray } from "@jax-js/jax";
import { z } from "zod";
import { scalarLike } from "../engine/tree.ts";
import { batchMean, defineObjective } from "./objective.ts";
import { inputGradientSqNorm, type Critic } from "./penalties.ts";

/** x̂ = εx + (1 − ε)x̃ for real x, fake x̃ [n, d] and ε [n, 1]; consumes all three. */
export function interpolate(real: JArray, fake: JArray, eps: JArray): JArray {
  return fake.ref.add(eps.mul(real.sub(fake)));
}

/**
 * ‖v‖ from ‖v‖² with a finite gradient at 0 (where ∇√s would be ∞): √s where s > 0, else 0, with the
 * square root taken of a value that is never 0. Consumes sq.
 */
function safeNorm(sq: JArray): JArray {
  const pos = np.greater(sq.ref, 0);
  const safe = np.where(pos.ref, sq, scalarLike(sq, 1));
  return np.where(pos, np.sqrt(safe.ref), scalarLike(safe, 0));
}

/** λ E(‖∇ₓD(x̂)‖ − 1)² over the batch x̂; consumes xHat. */
export function gradientPenalty(critic: Critic, xHat: JArray, lambda: number): JArray {
  const norm = safeNorm(inputGradientSqNorm(critic, xHat));
  const dev = norm.sub(scalarLike(norm, 1));
  const pen = batchMean(dev.ref.mul(dev));
  return pen.mul(scalarLike(pen, lambda));
}

export const wganGpObjective = defineObjective({
  name: "wgan-gp",
  citation: 'Gulrajani et al. 2017, "Improved Training of Wasserstein GANs", Algorithm 1',
  params: z.object({
    gpLambda: z.number().positive().default(10).describe("WGAN-GP penalty weight λ > 0"),
  }),
  output: "score",
  zeroSum: false,
  inputGradient: true,
  formula: ({ gpLambda }) =>
    `L_D = −E D(x) + E D(G(z)) + λE(‖∇ₓD(x̂)‖ − 1)², x̂ = εx + (1−ε)G(z), λ = ${gpLambda};  L_G = −E D(G(z))`,
  losses: ({ gpLambda }) => ({
    gpLambda,
    dLoss: (dReal, dFake) => batchMean(dFake).sub(batchMean(dReal)),
    gLoss: (dFake) => batchMean(dFake).neg(),
  }),
});
