/**
 * Least-squares GAN (Mao et al. 2017, LSGAN, targets a = 0, b = 1, c = 1):
 *
 *   L_D = ½E(D(x) − 1)² + ½E D(G(z))²,   L_G = ½E(D(G(z)) − 1)².
 *
 * D regresses its raw output onto 1 (real) and 0 (fake), the 0–1 coding used in practice (Mao et al.'s
 * Pearson χ² result, Theorem 1, needs b − c = 1 and b − a = 2, e.g. a = −1, b = 1, c = 0).
 */
import type { Array as JArray } from "@jax-js/jax";
import { z } from "zod";
import { batchMean, defineObjective } from "./objective.ts";

/** ½E(t − target)²; consumes t (½ and the targets 0, 1 are exact as float32 constants inside jit). */
function halfMeanSquare(t: JArray, target: 0 | 1): JArray {
  const d = target === 0 ? t : t.sub(1);
  return batchMean(d.ref.mul(d)).mul(0.5);
}

export const leastSquaresObjective = defineObjective({
  name: "least-squares",
  citation: 'Mao et al. 2017, "Least Squares Generative Adversarial Networks"',
  params: z.object({}),
  output: "score",
  zeroSum: false,
  formula: () => "L_D = ½E(D(x) − 1)² + ½E D(G(z))²,  L_G = ½E(D(G(z)) − 1)²",
  losses: () => ({
    dLoss: (dReal, dFake) => halfMeanSquare(dReal, 1).add(halfMeanSquare(dFake, 0)),
    gLoss: (dFake) => halfMeanSquare(dFake, 1),
  }),
});
