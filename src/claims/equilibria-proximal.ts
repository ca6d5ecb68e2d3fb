/**
 * Claims of Farnia & Ozdaglar 2020 ("Do GANs always have Nash equilibria?") checked on the linear-Gaussian
 * W2GAN of src/games/linear-gaussian.ts: with σ_max(Σ) = 4 > 1 there is no pure Nash equilibrium (the
 * Nash gap is bounded below by minimax − maximin > 0, and the Stackelberg point is a saddle for G), while
 * proximal training reaches a λ-proximal equilibrium (proximal Nash gap ≈ 0).
 */
import { demonstrateNoNash, demonstrateProximal } from "../games/linear-gaussian.ts";
import type { Claim } from "./claim.ts";

const SOURCE = "Farnia & Ozdaglar 2020";
/** A Nash gap above this is "bounded away from 0". */
export const NO_NASH_THRESHOLD = 0.1;
/** A proximal gap below this is "≈ 0". */
export const PROX_TOL = 0.01;

export async function proximalClaims(): Promise<Claim[]> {
  const nn = demonstrateNoNash();
  const px = demonstrateProximal();
  return [
    {
      id: "equilibria/proximal/no-nash-gap",
      claim:
        "W2GAN with linear G (σ_max(A) ≤ 1, ‖b‖ ≤ 1), quadratic D, X ∼ N(0, diag(4, 1)): no Nash equilibrium (min over (G, D) of the Nash gap > 0)",
      source: SOURCE,
      expected: `> ${NO_NASH_THRESHOLD}`,
      measured: nn.gapLowerBound,
      pass: nn.gapLowerBound > NO_NASH_THRESHOLD && nn.trajectoryMinGap >= nn.gapLowerBound - 1e-9,
      detail: `minimax ${nn.minimaxClosedForm} (numeric ${nn.minimaxNumeric}) − maximin ${nn.maximin}; min gap on a ${nn.trajectorySteps}-step alternating-GDA trajectory ${nn.trajectoryMinGap}`,
    },
    {
      id: "equilibria/proximal/no-local-nash",
      claim:
        "At the Stackelberg point (A = I, b = 0, D its best response) G's own loss has negative curvature in b: not a local Nash equilibrium",
      source: SOURCE,
      expected: "< 0",
      measured: nn.stackelbergCurvatureB,
      pass: nn.stackelbergCurvatureB < -1e-3,
    },
    {
      id: "equilibria/proximal/proximal-equilibrium",
      claim: `Proximal training (alternating GDA on V_λ^prox, Sobolev norm, λ = ${px.lambda}) reaches a λ-proximal equilibrium (proximal Nash gap ≈ 0) that is not a Nash equilibrium of V`,
      source: SOURCE,
      expected: `< ${PROX_TOL}`,
      measured: px.proximalGap,
      tolerance: PROX_TOL,
      pass: Math.abs(px.proximalGap) < PROX_TOL && px.nashGap > NO_NASH_THRESHOLD,
      detail: `Nash gap at that point ${px.nashGap}; proximal gap after plain alternating GDA ${px.plainProximalGap}; inner residual ${px.innerResidual}`,
    },
  ];
}
