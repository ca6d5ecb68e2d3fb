/**
 * Hinge GAN loss (Lim & Ye 2017, "Geometric GAN"; Miyato et al. 2018 SN-GAN; Brock et al. 2019 BigGAN):
 *
 *   L_D = E relu(1 − D(x)) + E relu(1 + D(G(z))),   L_G = −E D(G(z)).
 *
 * D's output is a raw score; D stops pushing a sample once its margin exceeds 1.
 */
import { numpy as np } from "@jax-js/jax";
import { z } from "zod";
import { batchMean, defineObjective } from "./objective.ts";

export const hingeObjective = defineObjective({
  name: "hinge",
  citation: 'Lim & Ye 2017, "Geometric GAN"; Miyato et al. 2018 (SN-GAN)',
  params: z.object({}),
  output: "score",
  zeroSum: false,
  smooth: false,
  formula: () => "L_D = E relu(1 − D(x)) + E relu(1 + D(G(z))),  L_G = −E D(G(z))",
  losses: () => ({
    dLoss: (dReal, dFake) =>
      batchMean(np.maximum(dReal.neg().add(1), 0)).add(batchMean(np.maximum(dFake.add(1), 0))),
    gLoss: (dFake) => batchMean(dFake).neg(),
  }),
});
