/**
 * Wasserstein GAN with weight clipping (Arjovsky, Chintala & Bottou 2017; Gidel, lecture 13,
 * "Wasserstein GAN": min_θ max_φ E_x D(x) − E_z D(G(z)); the Purdue lecture's Algorithm 1 with c = 0.01):
 *
 *   L_D = −E D(x) + E D(G(z)),   L_G = −E D(G(z)),   D's weights clipped to [−c, c].
 *
 * The critic's output is a raw score; clipping keeps D roughly K-Lipschitz ("approximate Lipschitz
 * constraint"). Zero-sum in G.
 */
import { z } from "zod";
import { batchMean, defineObjective } from "./objective.ts";

export const wassersteinObjective = defineObjective({
  name: "wasserstein",
  citation: 'Arjovsky, Chintala & Bottou 2017, "Wasserstein GAN", Algorithm 1; Gidel, lecture 13',
  params: z.object({
    /** The clipping bound c (Arjovsky et al.'s, the lecture's c = 0.01). */
    clip: z.number().positive().default(0.01).describe("WGAN weight clipping bound c > 0"),
  }),
  output: "score",
  zeroSum: true,
  // the Dirac-GAN's name for this objective (f(t) = t, Mescheder et al. 2018)
  aliases: ["wgan"],
  formula: ({ clip }) => `L_D = −E D(x) + E D(G(z)),  L_G = −E D(G(z)),  |w_D| ≤ ${clip}`,
  losses: ({ clip }) => ({
    clip,
    dLoss: (dReal, dFake) => batchMean(dFake).sub(batchMean(dReal)),
    gLoss: (dFake) => batchMean(dFake).neg(),
  }),
});
