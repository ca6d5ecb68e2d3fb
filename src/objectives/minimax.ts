/**
 * The original, saturating GAN objective (Goodfellow et al. 2014; Gidel, lecture 13):
 *
 *   min_θ max_φ E_x log σ(D(x)) + E_z log(1 − σ(D(G(z)))),
 *
 * with D's output a logit, log σ(t) = −softplus(−t) and log(1 − σ(t)) = −softplus(t):
 *
 *   L_D = E softplus(−D(x)) + E softplus(D(G(z))),
 *   L_G = −E softplus(D(G(z)))  [= E log(1 − σ(D(G(z))))].
 *
 * Zero-sum in G: L_G = −L_D + a term without G. Its generator gradient vanishes when D confidently rejects
 * the fakes (σ(D(G(z))) → 0): "saturating".
 */
import { z } from "zod";
import { batchMean, defineObjective, softplus } from "./objective.ts";

export const minimaxObjective = defineObjective({
  name: "minimax",
  citation: 'Goodfellow et al. 2014, "Generative Adversarial Nets"; Gidel, lecture 13',
  params: z.object({}),
  output: "probability",
  zeroSum: true,
  formula: () => "L_D = E softplus(−D(x)) + E softplus(D(G(z))),  L_G = −E softplus(D(G(z)))",
  losses: () => ({
    dLoss: (dReal, dFake) => batchMean(softplus(dReal.neg())).add(batchMean(softplus(dFake))),
    gLoss: (dFake) => batchMean(softplus(dFake)).neg(),
  }),
});
