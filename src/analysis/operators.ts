/**
 * The exact linearised update operator ∇F(ω*) of each method at a stationary point ω*, from the game
 * Jacobian J = ∇v(ω*) (Mitliagkas, "Some results on GAN dynamics": ω_{t+1} = F_η(ω_t), λ(∇F_η) = 1 − ηλ(∇v);
 * Theorem 1: ρ(∇F_η(ω*)) < 1 ⇒ local linear convergence at rate ρ). Each player i steps with its own η_i,
 * H = diag(η_θ I_{n_θ}, η_φ I_{n_φ}), and the methods descend, ω − Hv:
 *
 *   simultaneous        I − HJ
 *   + momentum β        [[(1+β)I − HJ, −βI], [I, 0]] on (ω_t, ω_{t−1})  (Mitliagkas, "Jacobian of momentum operator")
 *   alternating         ∏ of per-player sub-steps I − E_p H J (E_p selects player p's rows; Gidel, lecture 13,
 *                       Alt-GDA: φ_{t+1} uses θ_{t+1}); k_θ : k_φ sub-steps per round, `first` player first
 *   + momentum β        each player's heavy ball x ← x − η_p g_p(ω) + β(x − x_prev) as a sub-step on (ω, ω_prev)
 *   extragradient       I − HJ + (HJ)²           (ω½ = ω − Hv(ω), ω₊ = ω − Hv(ω½))
 *   optimistic          [[I − 2HJ, HJ], [I, 0]]  (ω₊ = ω − 2Hv(ω) + Hv(ω₋))
 *   proximal point      (I + HJ)⁻¹               (ω₊ = ω − Hv(ω₊); Gidel, lecture 13)
 *   consensus γ         I − H(J + γJᵀJ)          (v + γ∇½‖v‖², Mescheder et al. 2017)
 *   grad-norm           I − HJᵀJ                 (GD on ½‖v‖², Mitliagkas's "Idea 1")
 *   best-response       ∏ (I − E_θ H J)^{k_G} (I − E_φ H J)^{k_D}: the alternating round with φ (D) first,
 *                       k_D : k_G sub-steps (the N_d-step practical GLGD of the Purdue lecture is exactly
 *                       that sequence of linear SGD sub-steps; momentum as for alternating). This is the
 *                       k_D-inner-step method: a game with an exact `bestResponse` hook is run with
 *                       φ = φ*(θ) instead, whose operator is this one's limit k_D → ∞ when the inner
 *                       iteration I − η_φ J_φφ contracts.
 *   unrolled            none: G's unrolled gradient differentiates through k steps of D, which brings in
 *                       ∇_φ L^(θ) and third derivatives in general-sum games; not a function of J alone
 *
 * A hyper-parameter the spec leaves out takes its METHOD_DEFAULTS value (src/methods/spec.ts, `methodParams`),
 * the value `createMethod` runs with (e.g. consensus's γ, best-response's [k_G, k_D]).
 *
 * Negative-momentum Theorem 3 (Gidel et al. AISTATS 2019) gives the simultaneous + momentum spectrum in closed form:
 *   μ± = (1 − ηλ + β)(1 ± Δ^{1/2})/2,  Δ = 1 − 4β/(1 − ηλ + β)²,  λ ∈ Sp(∇v).
 */
import { inverse, Matrix as MlMatrix } from "ml-matrix";
import { methodParams, type MethodSpec } from "../methods/spec.ts";
import { eigenvalues, spectralRadius, type Complex } from "./spectrum.ts";

export type Matrix = number[][];

export interface PredictedRate {
  /** ρ(∇F(ω*)), or null when the method has no exact linear operator here (see `reason`). */
  radius: number | null;
  /** The spectrum of ∇F(ω*) (empty when radius is null). */
  eigenvalues: Complex[];
  reason?: string;
}

// ---------------------------------------------------------------- small dense linear algebra

export const identity = (n: number): Matrix =>
  Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
export const zeros = (n: number, m = n): Matrix =>
  Array.from({ length: n }, () => new Array<number>(m).fill(0));
export const matmul = (a: Matrix, b: Matrix): Matrix =>
  a.map((row) => b[0].map((_, j) => row.reduce((s, x, k) => s + x * b[k][j], 0)));
export const transpose = (a: Matrix): Matrix => a[0].map((_, j) => a.map((row) => row[j]));
export const addM = (a: Matrix, b: Matrix): Matrix => a.map((row, i) => row.map((x, j) => x + b[i][j]));
export const subM = (a: Matrix, b: Matrix): Matrix => a.map((row, i) => row.map((x, j) => x - b[i][j]));
export const scaleM = (a: Matrix, c: number): Matrix => a.map((row) => row.map((x) => c * x));
/** [[a, b], [c, d]] as one matrix. */
export const blocks = (a: Matrix, b: Matrix, c: Matrix, d: Matrix): Matrix => [
  ...a.map((row, i) => [...row, ...b[i]]),
  ...c.map((row, i) => [...row, ...d[i]]),
];

/** The per-coordinate step sizes: η_θ on θ's n_θ coordinates, η_φ on φ's n_φ. */
export function stepSizes(lr: readonly [number, number], sizes: readonly [number, number]): number[] {
  return [...new Array<number>(sizes[0]).fill(lr[0]), ...new Array<number>(sizes[1]).fill(lr[1])];
}

/** HM with H = diag(η): row i scaled by η_i. */
const scaleRows = (eta: readonly number[], m: Matrix): Matrix =>
  m.map((row, i) => row.map((x) => eta[i] * x));

// ---------------------------------------------------------------- support

/** Why `spec` has no exact linear operator here, or null when it has one. */
export function unsupportedReason(spec: MethodSpec): string | null {
  const p = methodParams(spec);
  const opt = p.optimizer;
  if (opt[0] !== "sgd" || opt[1] !== "sgd") {
    return `optimizer [${opt.join(", ")}] is adaptive (state-dependent preconditioner): no fixed linear operator; only sgd is analysed`;
  }
  if (spec.name === "unrolled") {
    return (
      "unrolled: G's gradient is differentiated through k steps of D (∇_φL^(θ) and third derivatives of " +
      "L^(φ) enter), so its linearisation is not a function of J = ∇v alone; no exact operator here"
    );
  }
  const beta = p.momentum;
  if (
    beta !== 0 &&
    spec.name !== "simultaneous" &&
    spec.name !== "alternating" &&
    spec.name !== "best-response"
  ) {
    return `momentum β = ${beta} is analysed only for simultaneous, alternating and best-response updates, not '${spec.name}'`;
  }
  if (spec.name === "best-response") {
    const [kG, kD] = p.steps;
    if (!Number.isInteger(kG) || !Number.isInteger(kD) || kG < 1 || kD < 0) {
      return `best-response steps [k_G, k_D] must be integers with k_G ≥ 1, k_D ≥ 0, got [${kG}, ${kD}]`;
    }
  }
  if (spec.name === "alternating") {
    const [a, b] = p.steps;
    if (!Number.isInteger(a) || !Number.isInteger(b) || a < 1 || b < 1) {
      return `alternating steps must be positive integers, got [${a}, ${b}]`;
    }
  }
  return null;
}

// ---------------------------------------------------------------- operators

/**
 * One heavy-ball sub-step of the coordinates in `active` (a mask), on the augmented state (ω, ω_prev) of
 * size 2n: for active i, ω_i ← (1+β)ω_i − η_i (Jω)_i − β ω_prev,i and ω_prev,i ← ω_i; inactive coordinates
 * (and their ω_prev) are left alone. With every coordinate active this is Mitliagkas's momentum operator
 * [[(1+β)I − HJ, −βI], [I, 0]].
 */
export function momentumSubStep(
  J: Matrix,
  eta: readonly number[],
  beta: number,
  active: readonly boolean[],
): Matrix {
  const n = J.length;
  const m = identity(2 * n);
  for (let i = 0; i < n; i++) {
    if (!active[i]) continue;
    for (let j = 0; j < n; j++) m[i][j] = -eta[i] * J[i][j];
    m[i][i] += 1 + beta;
    m[i][n + i] = -beta;
    m[n + i].fill(0);
    m[n + i][i] = 1;
  }
  return m;
}

/** One plain gradient sub-step of the `active` coordinates: row i of I − HJ where active, of I elsewhere. */
export function gradientSubStep(J: Matrix, eta: readonly number[], active: readonly boolean[]): Matrix {
  return J.map((row, i) => row.map((x, j) => (i === j ? 1 : 0) - (active[i] ? eta[i] * x : 0)));
}

/** The alternating round: k_first sub-steps of the first player, then k_other of the other. */
function alternatingOperator(
  spec: MethodSpec,
  J: Matrix,
  eta: readonly number[],
  sizes: readonly [number, number],
): Matrix {
  const n = J.length;
  const { momentum: beta, steps, first } = methodParams(spec);
  const mask = (p: 0 | 1): boolean[] =>
    Array.from({ length: n }, (_, i) => (p === 0 ? i < sizes[0] : i >= sizes[0]));
  const sub = (p: 0 | 1): Matrix =>
    beta === 0 ? gradientSubStep(J, eta, mask(p)) : momentumSubStep(J, eta, beta, mask(p));
  let op = identity(beta === 0 ? n : 2 * n);
  for (const p of [first, (1 - first) as 0 | 1]) {
    const s = sub(p);
    for (let k = 0; k < steps[p]; k++) op = matmul(s, op);
  }
  return op;
}

/**
 * The exact linearised update operator of `spec` at a stationary point with Jacobian J = ∇v(ω*)
 * (rows/columns θ then φ, `sizes` = [n_θ, n_φ]), or null when there is none (`unsupportedReason`).
 * Momentum and optimistic operators act on the augmented state (ω_t, ω_{t−1}) and are 2n×2n.
 */
export function updateOperator(spec: MethodSpec, J: Matrix, sizes: readonly [number, number]): Matrix | null {
  if (unsupportedReason(spec) !== null) return null;
  const n = J.length;
  if (sizes[0] + sizes[1] !== n)
    throw new Error(`updateOperator: sizes ${sizes.join("+")} ≠ Jacobian size ${n}`);
  const eta = stepSizes(spec.lr, sizes);
  const I = identity(n);
  const HJ = scaleRows(eta, J);
  const p = methodParams(spec);
  const beta = p.momentum;
  switch (spec.name) {
    case "simultaneous":
      return beta === 0 ? subM(I, HJ) : momentumSubStep(J, eta, beta, new Array<boolean>(n).fill(true));
    case "alternating":
      return alternatingOperator(spec, J, eta, sizes);
    case "extragradient":
      return addM(subM(I, HJ), matmul(HJ, HJ));
    case "optimistic":
      return blocks(subM(I, scaleM(HJ, 2)), HJ, I, zeros(n));
    case "proximal-point":
      return inverse(new MlMatrix(addM(I, HJ))).to2DArray();
    case "consensus": {
      const JtJ = matmul(transpose(J), J);
      return subM(I, scaleRows(eta, addM(J, scaleM(JtJ, p.gamma))));
    }
    case "grad-norm":
      return subM(I, scaleRows(eta, matmul(transpose(J), J)));
    case "best-response":
      // D's k_D inner steps, then G's k_G steps: alternating with φ first (spec.first is ignored)
      return alternatingOperator({ ...spec, first: 1, steps: p.steps }, J, eta, sizes);
    case "unrolled":
      return null;
  }
}

/** ρ(∇F(ω*)) and its spectrum: the predicted local linear rate (Theorem 1), or null with the reason. */
export function predictedRate(spec: MethodSpec, J: Matrix, sizes: readonly [number, number]): PredictedRate {
  const reason = unsupportedReason(spec);
  const op = reason === null ? updateOperator(spec, J, sizes) : null;
  if (op === null) return { radius: null, eigenvalues: [], reason: reason ?? "no operator" };
  return { radius: spectralRadius(op), eigenvalues: eigenvalues(op) };
}

// ---------------------------------------------------------------- Theorem 3

const cmul = (a: Complex, b: Complex): Complex => ({
  re: a.re * b.re - a.im * b.im,
  im: a.re * b.im + a.im * b.re,
});
const cdiv = (a: Complex, b: Complex): Complex => {
  const d = b.re * b.re + b.im * b.im;
  return { re: (a.re * b.re + a.im * b.im) / d, im: (a.im * b.re - a.re * b.im) / d };
};

/** The square root with non-negative real part; for a negative real z it is i√−z (Theorem 3, footnote 3). */
export function complexSqrt(z: Complex): Complex {
  if (z.im === 0 && z.re < 0) return { re: 0, im: Math.sqrt(-z.re) };
  const r = Math.hypot(z.re, z.im);
  const re = Math.sqrt((r + z.re) / 2);
  const im = Math.sqrt(Math.max(0, (r - z.re) / 2));
  return { re, im: z.im < 0 ? -im : im };
}

/**
 * Theorem 3 (Gidel et al. 2019, quoted by Mitliagkas): the two eigenvalues [μ+, μ−] of the simultaneous
 * momentum operator ∇F_{η,β}(ω*) belonging to the eigenvalue λ of ∇v(ω*):
 *   μ± = (1 − ηλ + β)(1 ± Δ^{1/2})/2,  Δ = 1 − 4β/(1 − ηλ + β)².
 */
export function momentumEigenvalues(eta: number, beta: number, lambda: Complex): [Complex, Complex] {
  const a: Complex = { re: 1 - eta * lambda.re + beta, im: -eta * lambda.im };
  if (a.re === 0 && a.im === 0) {
    // Δ is undefined; μ² − aμ + β = 0 with a = 0 gives μ = ±√(−β).
    const s = complexSqrt({ re: -beta, im: 0 });
    return [s, { re: -s.re, im: -s.im }];
  }
  const q = cdiv({ re: 4 * beta, im: 0 }, cmul(a, a));
  const sd = complexSqrt({ re: 1 - q.re, im: -q.im });
  const half = { re: a.re / 2, im: a.im / 2 };
  return [cmul(half, { re: 1 + sd.re, im: sd.im }), cmul(half, { re: 1 - sd.re, im: -sd.im })];
}
