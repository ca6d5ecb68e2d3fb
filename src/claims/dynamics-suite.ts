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
import { close, closeRel, type Claim, type Suite, type SuiteContext } from "./claim.ts";

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

/** The (η, β) grid of the momentum sweeps: η ∈ {0.02, 0.04, …, 1.98}, β ∈ {−0.50, −0.49, …, 0.50}. */
export const SWEEP_ETAS = Array.from({ length: 99 }, (_, i) => Number((0.02 * (i + 1)).toFixed(2)));
export const SWEEP_BETAS = Array.from({ length: 101 }, (_, i) => Number((-0.5 + 0.01 * i).toFixed(2)));

interface SweepPoint {
  eta: number;
  beta: number;
  radius: number;
}

/** ρ of the exact linear update operator of `name` + momentum at every grid point. */
export function momentumSweep(
  name: "alternating" | "simultaneous",
  J: number[][],
  sizes: readonly [number, number],
  etas: readonly number[] = SWEEP_ETAS,
  betas: readonly number[] = SWEEP_BETAS,
): SweepPoint[] {
  const out: SweepPoint[] = [];
  for (const eta of etas)
    for (const beta of betas) {
      const r = predictedRate(spec(name, eta, { momentum: beta }), J, sizes).radius;
      out.push({ eta, beta, radius: r ?? Number.NaN });
    }
  return out;
}

const argminRadius = (pts: SweepPoint[]): SweepPoint =>
  pts.reduce((a, b) => (b.radius < a.radius ? b : a), { eta: NaN, beta: NaN, radius: Infinity });

/**
 * Negative momentum on the bilinear game by a 2-D sweep (Gidel et al. 2019: negative momentum makes
 * alternating GDA converge, positive momentum does not): over the (η, β) grid, the smallest spectral radius
 * of alternating GDA + momentum has β < 0 and is < 1, while the best with β ≥ 0 is ≥ 1; and simultaneous
 * GDA + momentum has radius ≥ 1 at every grid point.
 */
function momentumSweepClaims(J: number[][], sizes: readonly [number, number]): Claim[] {
  const grid = `η ∈ {0.02, …, 1.98} × β ∈ {−0.50, −0.49, …, 0.50}, ${SWEEP_ETAS.length * SWEEP_BETAS.length} points`;
  const alt = momentumSweep("alternating", J, sizes);
  const best = argminRadius(alt);
  const bestNonNeg = argminRadius(alt.filter((p) => p.beta >= 0));
  const bestZero = argminRadius(alt.filter((p) => p.beta === 0));
  const sim = momentumSweep("simultaneous", J, sizes);
  const simWorst = argminRadius(sim);
  const at = (p: SweepPoint) => `${p.radius.toPrecision(6)} at η = ${p.eta}, β = ${p.beta}`;
  return [
    {
      id: "bilinear/alternating-momentum-sweep",
      claim:
        "alternating GDA + momentum on θ·φ: over a 2-D (η, β) grid the smallest spectral radius of the exact " +
        "linear update operator is reached at a negative β and is < 1; no β ≥ 0 on the grid converges (radius ≥ 1)",
      source: NEGMOM + "; REFERENCE.md (best ≈ 0.4843 at η = 1.78, β = −0.08)",
      expected: "β* < 0, ρ* < 1 ≤ min over β ≥ 0",
      measured: `β* = ${best.beta}, ρ* = ${best.radius.toPrecision(6)} (η* = ${best.eta}); best with β ≥ 0: ${bestNonNeg.radius.toPrecision(6)}`,
      pass: best.beta < 0 && best.radius < 1 && bestNonNeg.radius >= 1 - 1e-12,
      detail: `${grid}; optimum ${at(best)}; best with β ≥ 0: ${at(bestNonNeg)}; best with β = 0: ${at(bestZero)}`,
    },
    {
      id: "bilinear/simultaneous-momentum-sweep",
      claim: "simultaneous GDA + momentum has radius ≥ 1 at every (η, β) of the 2-D grid",
      source: NEGMOM,
      expected: "≥ 1",
      measured: simWorst.radius,
      pass: simWorst.radius >= 1 - 1e-12,
      detail: `${grid}; smallest: ${at(simWorst)}`,
    },
  ];
}

/** β values of the Taylor check: −10^−(1.5 + k/2), k = 0, …, 6 (from −3.2e−2 to −3.2e−5). */
export const TAYLOR_BETAS = Array.from({ length: 7 }, (_, k) => -(10 ** -(1.5 + k / 2)));
/** The fitted log-log slope of the expansion's error must be within this of 2. */
export const TAYLOR_SLOPE_TOL = 0.05;
/** max/min of error/β² over the β values must stay below this (bounded as β → 0). */
export const TAYLOR_RATIO_MAX = 1.5;

/** The first-order expansion (10) of Theorem 3's eigenvalues: [μ+, μ−] ≈ [1 − ηλ − βηλ/(1 − ηλ), β/(1 − ηλ)]. */
export function taylorMomentumEigenvalues(eta: number, beta: number, lambda: Complex): [Complex, Complex] {
  const a: Complex = { re: 1 - eta * lambda.re, im: -eta * lambda.im }; // 1 − ηλ
  const d = a.re * a.re + a.im * a.im;
  const inv: Complex = { re: a.re / d, im: -a.im / d }; // 1/(1 − ηλ)
  const el: Complex = { re: eta * lambda.re, im: eta * lambda.im }; // ηλ
  const q: Complex = { re: el.re * inv.re - el.im * inv.im, im: el.re * inv.im + el.im * inv.re };
  return [
    { re: a.re - beta * q.re, im: a.im - beta * q.im },
    { re: beta * inv.re, im: beta * inv.im },
  ];
}

/** Least-squares slope of y on x. */
function slope(x: number[], y: number[]): number {
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < x.length; i++) {
    num += (x[i] - mx) * (y[i] - my);
    den += (x[i] - mx) ** 2;
  }
  return num / den;
}

/**
 * Theorem 3's expansion (10), μ+ = 1 − ηλ − βηλ/(1 − ηλ) + O(β²), μ− = β/(1 − ηλ) + O(β²), against the
 * eigenvalues of the exact 4×4 simultaneous-momentum operator on θ·φ (λ = ±i, η = 0.3): the error (largest
 * distance from an expansion value to the nearest operator eigenvalue) divided by β² stays bounded as
 * β → 0, and its log-log slope in |β| is 2.
 */
function taylorExpansionClaim(J: number[][], sizes: readonly [number, number]): Claim {
  const eta = 0.3;
  const lambdas = eigenvalues(J);
  const errs = TAYLOR_BETAS.map((beta) => {
    const ops = predictedRate(spec("simultaneous", eta, { momentum: beta }), J, sizes).eigenvalues;
    const approx = lambdas.flatMap((l) => taylorMomentumEigenvalues(eta, beta, l));
    return Math.max(...approx.map((z) => Math.min(...ops.map((o) => Math.hypot(o.re - z.re, o.im - z.im)))));
  });
  const scaled = errs.map((e, i) => e / TAYLOR_BETAS[i] ** 2);
  const fit = slope(
    TAYLOR_BETAS.map((b) => Math.log(Math.abs(b))),
    errs.map((e) => Math.log(e)),
  );
  const ratio = Math.max(...scaled) / Math.min(...scaled);
  return {
    id: "negative-momentum/taylor-expansion",
    claim:
      "Theorem 3's expansion (10): μ+ = 1 − ηλ − βηλ/(1 − ηλ) + O(β²), μ− = β/(1 − ηλ) + O(β²) — the error " +
      "against the exact momentum operator's eigenvalues (η = 0.3, λ = ±i) has log-log slope 2 in |β| and " +
      `error/β² stays bounded (β = −10^−1.5 … −10^−4.5, 7 values)`,
    source: NEGMOM + ", eq. (10)",
    expected: 2,
    measured: fit,
    tolerance: TAYLOR_SLOPE_TOL,
    pass: Math.abs(fit - 2) <= TAYLOR_SLOPE_TOL && ratio <= TAYLOR_RATIO_MAX && scaled.every(Number.isFinite),
    detail:
      `error/β² at β = ${TAYLOR_BETAS.map((b) => b.toExponential(1)).join(", ")}: ${scaled.map((x) => x.toPrecision(4)).join(", ")} ` +
      `(max/min ${ratio.toPrecision(4)} ≤ ${TAYLOR_RATIO_MAX})`,
  };
}

export async function runDynamicsClaims(ctx: SuiteContext = {}): Promise<Claim[]> {
  const dtype = ctx.dtype ?? "float64";
  const claims: Claim[] = [];
  const game = bilinear({ dtype });
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

  claims.push(...momentumSweepClaims(J, layout.sizes));
  claims.push(taylorExpansionClaim(J, layout.sizes));

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
    const g = dirac({ objective, gp, dtype });
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
