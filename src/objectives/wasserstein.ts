/**
 * Wasserstein GAN with weight clipping (Arjovsky, Chintala & Bottou 2017; Gidel, lecture 13,
 * "Wasserstein GAN": min_θ max_φ E_x D(x) − E_z D(G(z)); the Purdue lecture's Algorithm 1 with c = 0.01):
 *
 *   L_D = −E D(x) + E D(G(z)),   L_G = −E D(G(z)),   D's weights clipped to [−c, c].
 *
 * The critic's output is a raw score; clipping keeps D roughly K-Lipschitz ("approximate Lipschitz
 * constraint"). Zero-sum in G.
 */
import { batchMean, type Objective } from "./objective.ts";

/** Arjovsky et al.'s clipping bound (the lecture's c = 0.01). */
export const DEFAULT_WGAN_CLIP = 0.01;

export function wasserstein(clip: number = DEFAULT_WGAN_CLIP): Objective {
  return {
    name: "wasserstein",
    formula: `L_D = −E D(x) + E D(G(z)),  L_G = −E D(G(z)),  |w_D| ≤ ${clip}`,
    output: "score",
    zeroSum: true,
    clip,
    dLoss: (dReal, dFake) => batchMean(dFake).sub(batchMean(dReal)),
    gLoss: (dFake) => batchMean(dFake).neg(),
  };
}
