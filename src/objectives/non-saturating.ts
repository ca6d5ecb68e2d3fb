/**
 * The non-saturating GAN objective (Goodfellow et al. 2014, §3): the discriminator's loss is the minimax
 * one, the generator instead maximises log σ(D(G(z))):
 *
 *   L_D = E softplus(−D(x)) + E softplus(D(G(z))),
 *   L_G = E softplus(−D(G(z)))  [= −E log σ(D(G(z)))].
 *
 * Same fixed points as minimax, but strong generator gradients when D rejects the fakes. Not zero-sum.
 */
import { z } from "zod";
import { batchMean, defineObjective, softplus } from "./objective.ts";

export const nonSaturatingObjective = defineObjective({
  name: "non-saturating",
  citation: 'Goodfellow et al. 2014, "Generative Adversarial Nets", §3',
  params: z.object({}),
  output: "probability",
  zeroSum: false,
  formula: () => "L_D = E softplus(−D(x)) + E softplus(D(G(z))),  L_G = E softplus(−D(G(z)))",
  losses: () => ({
    dLoss: (dReal, dFake) => batchMean(softplus(dReal.neg())).add(batchMean(softplus(dFake))),
    gLoss: (dFake) => batchMean(softplus(dFake.neg())),
  }),
});
