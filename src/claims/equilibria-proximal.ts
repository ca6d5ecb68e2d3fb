/**
 * Claims of Farnia & Ozdaglar 2020 ("Do GANs always have Nash equilibria?") checked on the linear-Gaussian
 * W2GAN of src/games/linear-gaussian.ts: with σ_max(Σ) = 4 > 1 there is no pure Nash equilibrium (the
 * Nash gap is bounded below by minimax − maximin > 0, and the Stackelberg point is a saddle for G), while
 * proximal training reaches a λ-proximal equilibrium (proximal Nash gap ≈ 0).
 */
import { bestResponseD, nashGap, proximalGap } from "../analysis/linear-gaussian.ts";
import {
  demonstrateNoNash,
  demonstrateProximal,
  noLocalNashGrid,
} from "../experiments/linear-gaussian-no-nash.ts";
import { linearGaussian } from "../games/linear-gaussian.ts";
import type { Claim } from "./claim.ts";

const SOURCE = "Farnia & Ozdaglar 2020";
/** A Nash gap above this is "bounded away from 0". */
export const NO_NASH_THRESHOLD = 0.1;
/** A proximal gap below this is "≈ 0". */
export const PROX_TOL = 0.01;
/** The λ grid of the nested-property check. */
export const NESTED_LAMBDAS = [0.05, 0.1, 0.25, 0.5, 1];
/** gap(λ₁) ≤ gap(λ₂) + this for λ₁ ≤ λ₂ (the solvers' rounding). */
export const NESTED_SLACK = 1e-6;

export async function proximalClaims(): Promise<Claim[]> {
  const nn = demonstrateNoNash();
  const px = demonstrateProximal();
  const grid = noLocalNashGrid();
  const uncertified = grid.filter((p) => p.certificate === "none");
  const firstOrder = grid.filter((p) => p.certificate === "first-order").length;
  const minPG = Math.min(
    ...grid.filter((p) => p.certificate === "first-order").map((p) => p.projectedGradient),
  );
  const second = grid.filter((p) => p.certificate === "second-order");
  const maxCurv = Math.max(...second.map((p) => p.curvatureB));
  const dResidual = Math.max(...grid.map((p) => Math.abs(p.dResidual)));

  // The W2GAN theorem at its own λ: with cost β‖x − x′‖², W₂ = (1/4β) E‖∇D_G‖² (∇D_G(x) = 2β(x − T(x))),
  // the seed's "(1/β) E‖∇D_G‖²" in its scaling, so the theorem's λ is 1/(4β) here; its proof names the point,
  // the Stackelberg pair (G†, D_{G†}).
  const game = linearGaussian();
  const { sigma, beta } = game;
  const lamTheorem = 1 / (4 * beta);
  const gS = [1, 0, 0, 1, 0, 0];
  const dS = bestResponseD(sigma, beta, gS).d;
  const atTheorem = proximalGap(sigma, beta, lamTheorem, gS, dS);
  const nashAtS = nashGap(sigma, beta, gS, dS).gap;

  // Nested property λ₁ ≤ λ₂ ⇒ PE(λ₂) ⊆ PE(λ₁), on points where the proximal gap is computable.
  const gMid = [0.5, 0, 0, 1, 0.3, 0];
  const points: { name: string; g: number[]; d: number[] }[] = [
    { name: "Stackelberg (G†, D_G†)", g: gS, d: dS },
    { name: `proximal-training endpoint (λ = ${px.lambda})`, g: px.g, d: px.d },
    { name: "(G = (diag(0.5, 1), (0.3, 0)), D_G)", g: gMid, d: bestResponseD(sigma, beta, gMid).d },
  ];
  const gaps = points.map((p) =>
    NESTED_LAMBDAS.map((l) =>
      l === lamTheorem && p.g === gS ? atTheorem.gap : proximalGap(sigma, beta, l, p.g, p.d).gap,
    ),
  );
  let monotoneViolations = 0;
  let inclusionViolations = 0;
  let memberships = 0;
  for (const row of gaps)
    for (let i = 0; i < row.length; i++)
      for (let j = i + 1; j < row.length; j++) {
        if (row[i] > row[j] + NESTED_SLACK) monotoneViolations++;
        if (Math.abs(row[j]) < PROX_TOL) {
          memberships++;
          if (!(Math.abs(row[i]) < PROX_TOL)) inclusionViolations++;
        }
      }
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
        `No local Nash equilibrium with quadratic D: at each of ${grid.length} grid generators G (A = U diag(s), s ∈ {0.25, …, 1}², ` +
        "4 rotations, 8 offsets b, with the Stackelberg point A = I, b = 0), paired with D's exact best response D_G " +
        "(V concave in D, so a local NE needs D = D_G), G's own loss V(·, D_G) has a feasible descent direction " +
        "(number of grid points without one)",
      source: `${SOURCE} (seed: "no local NEs with quadratic D")`,
      expected: 0,
      measured: uncertified.length,
      pass: uncertified.length === 0 && dResidual < 1e-9,
      detail:
        `${firstOrder} points by a non-zero projected gradient (smallest ${minPG.toPrecision(3)}) with a 1e-3 step lowering V, ` +
        `${grid.length - firstOrder - uncertified.length} stationary points (A orthogonal, b = 0: the Stackelberg points) by ` +
        `negative curvature in b (largest ${maxCurv.toPrecision(4)}); max |f(G) − V(G, D_G)| = ${dResidual.toExponential(2)}; ` +
        `at the Stackelberg point with D† by ascent, ∇²_b curvature ${nn.stackelbergCurvatureB.toPrecision(4)}`,
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
    {
      id: "equilibria/proximal/w2gan-theorem",
      claim:
        `The W2GAN has a λ-proximal equilibrium w.r.t. the Sobolev norm at the theorem's λ (1/β in the seed's scaling ` +
        `W₂ = (1/β)E‖∇D‖²; λ = 1/(4β) = ${lamTheorem} for cost β‖x − x′‖², β = ${beta}): the Stackelberg pair ` +
        `(G† = argmin W₂, D_G†) has proximal Nash gap ≈ 0, and it is not a Nash equilibrium`,
      source: `${SOURCE}, "Proximal Equilibria in Wasserstein GANs" (theorem and proof)`,
      expected: `< ${PROX_TOL}`,
      measured: atTheorem.gap,
      tolerance: PROX_TOL,
      pass: Math.abs(atTheorem.gap) < PROX_TOL && nashAtS > NO_NASH_THRESHOLD,
      detail:
        `D's gain ${atTheorem.gainD.toExponential(2)}, G's gain ${atTheorem.gainG.toExponential(2)}; Nash gap there ${nashAtS.toPrecision(4)}; ` +
        `proximal gap at λ = ${NESTED_LAMBDAS.join(", ")}: ${gaps[0].map((g) => g.toPrecision(3)).join(", ")}`,
    },
    {
      id: "equilibria/proximal/nested",
      claim:
        `Nested proximal equilibria, λ₁ ≤ λ₂ ⇒ PE(λ₂) ⊆ PE(λ₁): at ${points.length} points and λ ∈ {${NESTED_LAMBDAS.join(", ")}}, ` +
        `every point that is a λ₂-proximal equilibrium (gap < ${PROX_TOL}) is one at every λ₁ < λ₂, and the proximal ` +
        `gap is non-decreasing in λ (within ${NESTED_SLACK}) (number of violations)`,
      source: `${SOURCE}, "Proximal Equilibria: Spectrum between Nash and Stackelberg Equilibria"`,
      expected: 0,
      measured: inclusionViolations + monotoneViolations,
      pass: inclusionViolations === 0 && monotoneViolations === 0 && memberships > 0,
      detail:
        points
          .map((p, k) => `${p.name}: gaps ${gaps[k].map((g) => g.toPrecision(3)).join(", ")}`)
          .join("; ") +
        `; ${memberships} (point, λ₁ < λ₂) pairs with the point in PE(λ₂) (the inclusion is tested on them)`,
    },
  ];
}
