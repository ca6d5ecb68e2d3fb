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
 * Each operator is built by its method module (src/methods/*.ts, `operator`); this file adds the checks all
 * methods share (sgd only; momentum where the module analyses it) and the spectral radius. A hyper-parameter
 * the spec leaves out takes its module's default (`methodParams`), the value `createMethod` runs with (e.g.
 * consensus's γ, best-response's [k_G, k_D]).
 *
 * Negative-momentum Theorem 3 (Gidel et al. AISTATS 2019) gives the simultaneous + momentum spectrum in closed form:
 *   μ± = (1 − ηλ + β)(1 ± Δ^{1/2})/2,  Δ = 1 − 4β/(1 − ηλ + β)²,  λ ∈ Sp(∇v).
 */
import { findMethod, methodModules, methodParams } from "../methods/registry.ts";
import { COMMON_DEFAULTS, optimizersOf, type MethodSpecBase } from "../methods/method.ts";
import { stepSizes } from "./linear.ts";
import { eigenvalues, spectralRadius, type Complex } from "./spectrum.ts";

export {
  addM,
  alternatingOperator,
  blocks,
  gradientSubStep,
  identity,
  matmul,
  momentumSubStep,
  scaleM,
  stepSizes,
  subM,
  transpose,
  zeros,
  type Matrix,
} from "./linear.ts";
import type { Matrix } from "./linear.ts";

export interface PredictedRate {
  /** ρ(∇F(ω*)), or null when the method has no exact linear operator here (see `reason`). */
  radius: number | null;
  /** The spectrum of ∇F(ω*) (empty when radius is null). */
  eigenvalues: Complex[];
  reason?: string;
}

/** "a", "a and b", "a, b and c". */
const andList = (xs: readonly string[]): string =>
  xs.length <= 1 ? (xs[0] ?? "") : `${xs.slice(0, -1).join(", ")} and ${xs[xs.length - 1]}`;

/** Why `spec` has no exact linear operator here, or null when it has one. */
export function unsupportedReason(spec: MethodSpecBase): string | null {
  const m = findMethod(spec.name);
  if (!m) return `unknown method '${spec.name}'`;
  const opt = optimizersOf(spec);
  if (opt[0] !== "sgd" || opt[1] !== "sgd") {
    return `optimizer [${opt.join(", ")}] is adaptive (state-dependent preconditioner): no fixed linear operator; only sgd is analysed`;
  }
  if ("none" in m.operator) return m.operator.none;
  const beta = spec.momentum ?? COMMON_DEFAULTS.momentum;
  if (beta !== 0 && m.operator.momentum !== true) {
    const with_ = methodModules()
      .filter((x) => !("none" in x.operator) && x.operator.momentum === true)
      .map((x) => x.name);
    return `momentum β = ${beta} is analysed only for ${andList(with_)} updates, not '${spec.name}'`;
  }
  let params: Record<string, unknown>;
  try {
    params = methodParams(spec);
  } catch (e) {
    return (e as Error).message;
  }
  return m.operator.unsupported?.(spec, params, unsupportedReason) ?? null;
}

/**
 * The exact linearised update operator of `spec` at a stationary point with Jacobian J = ∇v(ω*)
 * (rows/columns θ then φ, `sizes` = [n_θ, n_φ]), or null when there is none (`unsupportedReason`): the
 * method module's `operator` (src/methods). Momentum and optimistic operators act on the augmented state
 * (ω_t, ω_{t−1}) and are 2n×2n.
 */
export function updateOperator(
  spec: MethodSpecBase,
  J: Matrix,
  sizes: readonly [number, number],
): Matrix | null {
  if (unsupportedReason(spec) !== null) return null;
  const n = J.length;
  if (sizes[0] + sizes[1] !== n)
    throw new Error(`updateOperator: sizes ${sizes.join("+")} ≠ Jacobian size ${n}`);
  const m = findMethod(spec.name);
  if (!m || "none" in m.operator) return null;
  return m.operator.build({
    spec,
    params: methodParams(spec),
    J,
    sizes,
    eta: stepSizes(spec.lr, sizes),
    beta: spec.momentum ?? COMMON_DEFAULTS.momentum,
    operatorOf: (s) => updateOperator(s, J, sizes),
    reasonOf: unsupportedReason,
  });
}

/** ρ(∇F(ω*)) and its spectrum: the predicted local linear rate (Theorem 1), or null with the reason. */
export function predictedRate(
  spec: MethodSpecBase,
  J: Matrix,
  sizes: readonly [number, number],
): PredictedRate {
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
