/**
 * Hinge GAN loss (Lim & Ye 2017, "Geometric GAN"; Miyato et al. 2018 SN-GAN; Brock et al. 2019 BigGAN):
 *
 *   L_D = E relu(1 − D(x)) + E relu(1 + D(G(z))),   L_G = −E D(G(z)).
 *
 * D's output is a raw score; D stops pushing a sample once its margin exceeds 1.
 */
import { numpy as np } from "@jax-js/jax";
import { batchMean, type Objective } from "./objective.ts";

export function hinge(): Objective {
  return {
    name: "hinge",
    formula: "L_D = E relu(1 − D(x)) + E relu(1 + D(G(z))),  L_G = −E D(G(z))",
    output: "score",
    zeroSum: false,
    dLoss: (dReal, dFake) =>
      batchMean(np.maximum(dReal.neg().add(1), 0)).add(batchMean(np.maximum(dFake.add(1), 0))),
    gLoss: (dFake) => batchMean(dFake).neg(),
  };
}
