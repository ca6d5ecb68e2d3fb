/**
 * `saddle reproduce equilibria`: the equilibrium concepts of Hsieh–Liu–Cevher (mixed Nash: entropic mirror
 * descent and mirror-prox on finite games, against the LP's exact equilibrium), the Purdue lecture (the
 * likelihood-ratio game: collapse of alternating exact minimisation, GLGD's convergence to R ≡ 1 with the
 * losses log 2 and 2 log 2), Farnia–Ozdaglar (no pure Nash equilibrium vs a λ-proximal equilibrium) and a
 * mixed-NE GAN (Mirror-GAN with particles) against same-budget alternating GDA on the ring mixture (minutes).
 */
import type { Claim, Suite, SuiteContext } from "./claim.ts";
import { matrixGameClaims } from "./equilibria-matrix.ts";
import { likelihoodRatioClaims } from "./equilibria-likelihood.ts";
import { mixedGanClaims } from "./equilibria-mixed-gan.ts";
import { proximalClaims } from "./equilibria-proximal.ts";

export async function runEquilibriaClaims(ctx: SuiteContext = {}): Promise<Claim[]> {
  const claims: Claim[] = [];
  claims.push(...(await matrixGameClaims()));
  claims.push(...(await likelihoodRatioClaims()));
  claims.push(...(await proximalClaims()));
  claims.push(...(await mixedGanClaims(undefined, ctx.runner)));
  return claims;
}

export const equilibriaSuite: Suite = {
  name: "equilibria",
  description:
    "mirror descent / mirror-prox vs LP on matrix games; the likelihood-ratio game (collapse vs GLGD); no-Nash vs λ-proximal; Mirror-GAN vs alt-GDA on ring (minutes)",
  run: runEquilibriaClaims,
};
