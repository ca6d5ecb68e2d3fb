/**
 * `saddle reproduce dynamics`: the smooth-game claims of Gidel's lecture 13 and Mitliagkas's "Some results
 * on GAN dynamics", checked against REFERENCE.md's verified closed forms:
 *   - each row of the bilinear table: the spectral radius of the method's exact linearised update
 *     operator (within 1e-6 of the closed form; 5e-5 where only a 4-decimal value is known), and the
 *     rate measured on a trajectory (within 2% of that radius wherever the method converges or diverges);
 *   - the negative-momentum Theorem 3 eigenvalues;
 *   - the Dirac-GAN eigenvalues with and without a zero-centred gradient penalty.
 */
import { jacobian } from "../analysis/jacobian.ts";
import { momentumEigenvalues, predictedRate } from "../analysis/operators.ts";
import { measuredRate } from "../analysis/rate.ts";
import { eigenvalues, type Complex } from "../analysis/spectrum.ts";
import * as Jt from "../engine/joint.ts";
import { bilinear } from "../games/bilinear.ts";
import { dirac, type DiracObjective } from "../games/dirac.ts";
import type { Game } from "../games/game.ts";
import { runDynamics } from "../dynamics/run-dynamics.ts";
import { createMethod } from "../methods/registry.ts";
import type { MethodName, MethodSpec } from "../methods/spec.ts";
import { close, closeRel, type Claim, type Suite } from "./claim.ts";

const GIDEL = "Gidel, lecture 13 (bilinear game θ·φ)";
const MITLIAGKAS = "Mitliagkas, Some results on GAN dynamics";
const NEGMOM = "Gidel et al. AISTATS 2019, Theorem 3 (Mitliagkas, Some results on GAN dynamics)";
const MESCHEDER = "Mescheder et al. 2018 Dirac-GAN (Mitliagkas, Some results on GAN dynamics)";

interface Row {
  id: string;
  claim: string;
  source: string;
  spec: MethodSpec;
  expected: number;
  tol: number;
  /** Trajectory length for the measured rate (0 = no trajectory check). */
  steps: number;
}

const spec = (name: MethodName, eta: number, extra: Partial<MethodSpec> = {}): MethodSpec => ({
  name,
  lr: [eta, eta],
  ...extra,
});

const s2 = Math.SQRT1_2;
/** The rows of REFERENCE.md's bilinear table. */
export function bilinearRows(): Row[] {
  return [
    {
      id: "bilinear/simultaneous",
      claim: "simultaneous GDA diverges on θ·φ at rate √(1+η²) (η = 0.5)",
      source: GIDEL,
      spec: spec("simultaneous", 0.5),
      expected: Math.sqrt(1.25),
      tol: 1e-6,
      steps: 50,
    },
    {
      id: "bilinear/simultaneous-eta1",
      claim: "simultaneous GDA diverges for every η: √(1+η²) at η = 1",
      source: GIDEL,
      spec: spec("simultaneous", 1),
      expected: Math.SQRT2,
      tol: 1e-6,
      steps: 50,
    },
    {
      id: "bilinear/alternating",
      claim: "alternating GDA has spectral radius 1 for η < 2: bounded cycles, no convergence (η = 0.5)",
      source: GIDEL,
      spec: spec("alternating", 0.5),
      expected: 1,
      tol: 1e-6,
      steps: 400,
    },
    {
      id: "bilinear/alternating-eta1.5",
      claim: "alternating GDA: radius 1 at η = 1.5 too",
      source: GIDEL,
      spec: spec("alternating", 1.5),
      expected: 1,
      tol: 1e-6,
      steps: 400,
    },
    {
      id: "bilinear/extragradient",
      claim: "extragradient converges at √(1 − η² + η⁴), best 0.8660 at η = 1/√2",
      source: "Gidel, lecture 13 ('next: extragradient'); REFERENCE.md",
      spec: spec("extragradient", s2),
      expected: Math.sqrt(1 - 0.5 + 0.25),
      tol: 1e-6,
      steps: 150,
    },
    {
      id: "bilinear/optimistic",
      claim: "optimistic GDA (ω₊ = ω − 2ηv(ω) + ηv(ω₋)) converges at 0.7071 at η = 0.5",
      source: "Gidel et al. ICLR 2019; REFERENCE.md",
      spec: spec("optimistic", 0.5),
      expected: 0.7071,
      tol: 5e-5,
      steps: 800,
    },
    {
      id: "bilinear/optimistic-eta1",
      claim: "optimistic GDA diverges at η = 1 (radius 1.9319)",
      source: "Gidel et al. ICLR 2019; REFERENCE.md",
      spec: spec("optimistic", 1),
      expected: 1.9319,
      tol: 5e-5,
      steps: 40,
    },
    {
      id: "bilinear/proximal-point",
      claim: "proximal point converges at 1/√(1+η²) (η = 0.5)",
      source: GIDEL,
      spec: spec("proximal-point", 0.5),
      expected: 1 / Math.sqrt(1.25),
      tol: 1e-6,
      steps: 150,
    },
    {
      id: "bilinear/consensus",
      claim: "consensus optimization converges at √((1−ηγ)² + η²) (η = 0.1, γ = 1)",
      source: MITLIAGKAS + " (Algorithm 2, Mescheder et al. 2017)",
      spec: spec("consensus", 0.1, { gamma: 1 }),
      expected: Math.sqrt(0.81 + 0.01),
      tol: 1e-6,
      steps: 300,
    },
    {
      id: "bilinear/grad-norm",
      claim: "gradient descent on ½‖v‖² ('Idea 1') converges at |1 − η| (η = 0.5)",
      source: MITLIAGKAS,
      spec: spec("grad-norm", 0.5),
      expected: 0.5,
      tol: 1e-6,
      steps: 80,
    },
    {
      id: "bilinear/alternating-negmom",
      claim: "alternating GDA + negative momentum converges: 0.9806 at η = 0.5, β = −0.1",
      source: NEGMOM,
      spec: spec("alternating", 0.5, { momentum: -0.1 }),
      expected: 0.9806,
      tol: 5e-5,
      steps: 1500,
    },
    {
      id: "bilinear/alternating-posmom",
      claim: "alternating GDA + positive momentum diverges: 1.0317 at η = 0.5, β = +0.1",
      source: NEGMOM,
      spec: spec("alternating", 0.5, { momentum: 0.1 }),
      expected: 1.0317,
      tol: 5e-5,
      steps: 400,
    },
    {
      id: "bilinear/alternating-negmom-eta1",
      claim: "alternating GDA + momentum: 0.8528 at η = 1, β = −0.25",
      source: NEGMOM,
      spec: spec("alternating", 1, { momentum: -0.25 }),
      expected: 0.8528,
      tol: 5e-5,
      steps: 300,
    },
    {
      id: "bilinear/alternating-negmom-best",
      claim: "alternating GDA + momentum: ≈ 0.4843 at η = 1.78, β = −0.08 (best found)",
      source: NEGMOM + "; REFERENCE.md",
      spec: spec("alternating", 1.78, { momentum: -0.08 }),
      expected: 0.4843,
      tol: 5e-5,
      steps: 120,
    },
    {
      id: "bilinear/simultaneous-negmom",
      claim: "simultaneous GDA + momentum never converges: 1.0201 at η = 0.5, β = −0.5",
      source: NEGMOM,
      spec: spec("simultaneous", 0.5, { momentum: -0.5 }),
      expected: 1.0201,
      tol: 5e-5,
      steps: 600,
    },
    {
      id: "bilinear/simultaneous-posmom",
      claim: "simultaneous GDA + momentum: 1.3660 at η = 0.5, β = 0.5",
      source: NEGMOM,
      spec: spec("simultaneous", 0.5, { momentum: 0.5 }),
      expected: 1.366,
      tol: 5e-5,
      steps: 60,
    },
  ];
}

function measureRow(game: Game, row: Row): { rate: number | null; detail: string } {
  const rec = runDynamics(game, createMethod(game, row.spec), { steps: row.steps });
  const fit = measuredRate(rec.distances);
  return { rate: fit.rate, detail: `fit over steps ${fit.from}–${fit.to - 1} of ${row.steps}` };
}

function fmtC(z: Complex): string {
  return `${z.re.toFixed(5)} ${z.im < 0 ? "−" : "+"} ${Math.abs(z.im).toFixed(5)}i`;
}

/** Sort eigenvalues for comparison: by real part, then imaginary part. */
function sorted(zs: Complex[]): Complex[] {
  return [...zs].sort((a, b) => a.re - b.re || a.im - b.im);
}

function matchEigen(measured: Complex[], expected: Complex[], tol: number): boolean {
  if (measured.length !== expected.length) return false;
  const m = sorted(measured);
  const e = sorted(expected);
  return m.every((z, i) => Math.hypot(z.re - e[i].re, z.im - e[i].im) <= tol);
}

export async function runDynamicsClaims(): Promise<Claim[]> {
  const claims: Claim[] = [];
  const game = bilinear();
  const eq = game.equilibrium!();
  const layout = Jt.layoutOf(eq);
  const J = jacobian(game, eq);
  Jt.toFloat64(eq);

  for (const row of bilinearRows()) {
    const p = predictedRate(row.spec, J, layout.sizes);
    const radius = p.radius ?? Number.NaN;
    const okRadius = close(radius, row.expected, row.tol);
    claims.push({
      id: `${row.id}/radius`,
      claim: `${row.claim}: spectral radius of the linearised update operator`,
      source: row.source,
      expected: row.expected,
      measured: radius,
      tolerance: row.tol,
      pass: okRadius,
    });
    if (row.steps > 0) {
      const m = measureRow(game, row);
      claims.push({
        id: `${row.id}/trajectory`,
        claim: `${row.claim}: rate measured on a trajectory from (1, 1), within 2% of the radius`,
        source: row.source,
        expected: radius,
        measured: m.rate ?? "no finite fit",
        tolerance: 0.02,
        pass: closeRel(m.rate, radius, 0.02),
        detail: m.detail,
      });
    }
  }

  // Simultaneous GDA + momentum: ≥ 1 for every β (a sweep).
  const betas = Array.from({ length: 39 }, (_, i) => -0.95 + 0.05 * i);
  const worst = Math.min(
    ...betas.map(
      (b) => predictedRate(spec("simultaneous", 0.5, { momentum: b }), J, layout.sizes).radius ?? 0,
    ),
  );
  claims.push({
    id: "bilinear/simultaneous-momentum-sweep",
    claim: "simultaneous GDA + momentum has radius ≥ 1 for every β (β ∈ [−0.95, 0.95], η = 0.5)",
    source: NEGMOM,
    expected: "≥ 1",
    measured: worst,
    pass: worst >= 1 - 1e-12,
  });

  // Theorem 3 eigenvalues at η = 0.3, β = −0.2 on the bilinear game (λ = ±i).
  const expected: Complex[] = [
    { re: 0.98979, im: 0.25173 },
    { re: 0.98979, im: -0.25173 },
    { re: -0.18979, im: 0.04827 },
    { re: -0.18979, im: -0.04827 },
  ];
  const lambdas = eigenvalues(J);
  const formula = lambdas.flatMap((l) => momentumEigenvalues(0.3, -0.2, l));
  claims.push({
    id: "negative-momentum/theorem3-formula",
    claim: "Theorem 3: μ± = (1 − ηλ + β)(1 ± Δ^½)/2 at η = 0.3, β = −0.2, λ ∈ Sp(∇v) = {±i}",
    source: NEGMOM,
    expected: sorted(expected).map(fmtC).join(", "),
    measured: sorted(formula).map(fmtC).join(", "),
    tolerance: 1e-5,
    pass: matchEigen(formula, expected, 1e-5),
  });
  const op = predictedRate(spec("simultaneous", 0.3, { momentum: -0.2 }), J, layout.sizes);
  claims.push({
    id: "negative-momentum/theorem3-operator",
    claim: "Theorem 3: the same four eigenvalues from the 4×4 momentum operator ∇F_{η,β}",
    source: NEGMOM,
    expected: sorted(expected).map(fmtC).join(", "),
    measured: sorted(op.eigenvalues).map(fmtC).join(", "),
    tolerance: 1e-5,
    pass: matchEigen(op.eigenvalues, expected, 1e-5),
  });

  // Dirac-GAN eigenvalues of the gradient flow −∇v at (0, 0).
  const diracCase = (objective: DiracObjective, gp: number): Claim => {
    const g = dirac({ objective, gp });
    const e = g.equilibrium!();
    const flow = eigenvalues(jacobian(g, e)).map((z) => ({ re: -z.re, im: -z.im }));
    Jt.toFloat64(e);
    const fp = 0.5;
    const disc = (gp * gp) / 4 - fp * fp;
    const want: Complex[] =
      disc < 0
        ? [
            { re: -gp / 2, im: Math.sqrt(-disc) },
            { re: -gp / 2, im: -Math.sqrt(-disc) },
          ]
        : [
            { re: -gp / 2 + Math.sqrt(disc), im: 0 },
            { re: -gp / 2 - Math.sqrt(disc), im: 0 },
          ];
    return {
      id: `dirac/${objective}${gp > 0 ? `-gp${gp}` : ""}`,
      claim:
        gp > 0
          ? `Dirac-GAN (${objective}) with gradient penalty γ = ${gp}: flow eigenvalues −γ/2 ± √(γ²/4 − f′(0)²)`
          : `Dirac-GAN (${objective}): flow eigenvalues ±f′(0)i = ±0.5i, a pure rotation`,
      source: MESCHEDER,
      expected: sorted(want).map(fmtC).join(", "),
      measured: sorted(flow).map(fmtC).join(", "),
      tolerance: 1e-6,
      pass: matchEigen(flow, want, 1e-6),
    };
  };
  claims.push(
    diracCase("minimax", 0),
    diracCase("non-saturating", 0),
    diracCase("minimax", 0.3),
    diracCase("non-saturating", 0.3),
  );
  return claims;
}

export const dynamicsSuite: Suite = {
  name: "dynamics",
  description: "bilinear-game rates of every method, negative-momentum Theorem 3, Dirac-GAN eigenvalues",
  run: runDynamicsClaims,
};
