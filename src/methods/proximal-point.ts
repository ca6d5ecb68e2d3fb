/**
 * Proximal point method (Gidel, lecture 13, "Next Idea: Proximal Point Method" and its generalisation):
 *
 *   θ_{t+1} = θ_t − η ∇_θ L(θ_{t+1}, φ_{t+1}),   φ_{t+1} = φ_t + η ∇_φ L(θ_{t+1}, φ_{t+1}),
 *
 * i.e. the implicit step ω_{t+1} = ω_t − H v(ω_{t+1}) with H = diag(η_θ on θ's coordinates, η_φ on φ's).
 * "Implicit update: we need to solve a non-linear system" — here by Newton's method on
 *   F(z) = z − ω_t + H v(z),   ∇F(z) = I + H ∇v(z),
 * with the exact Jacobian (src/analysis/jacobian.ts) and an LU solve (ml-matrix) when ω has ≤ 400
 * coordinates, else by the fixed-point iteration z ← ω_t − H v(z) (a contraction only when η‖∇v‖ < 1).
 * Both start from the explicit predictor z₀ = ω_t − H v(ω_t) and stop at the relative test
 *
 *   ‖F(z)‖ ≤ tol·‖z − ω_t‖ + 16ε·(‖ω_t‖ + ‖z − ω_t‖)      (ε: the game dtype's machine epsilon)
 *
 * (tol default 1e-10 in float64, 1e-5 in float32) or after maxInner corrections (default 100; both in
 * PROXIMAL_TOL and the module's params below). The residual
 * is measured against the step ‖z − ω_t‖ = ‖Hv(z)‖, not absolutely: near ω* the step shrinks with ‖ω_t − ω*‖,
 * so an absolute tolerance would accept the explicit predictor there and the method would turn into explicit
 * GDA (on θ·φ at η = 0.5 the measured rate drifted from 0.894 to 0.97 over 400 steps). The ε term is the
 * rounding floor of F itself. The error of z is then ≈ tol·‖step‖, a fixed fraction of the step however close
 * ω_t is to ω*. StepInfo reports the final absolute residual ‖F(z)‖ and the corrections used. On θ·φ the rate
 * is 1/√(1 + η²): 0.8944 at η = 0.5.
 *
 * Conventions: only SGD base updates make sense for an implicit step (UsageError otherwise). Momentum β
 * follows the heavy-ball update form of src/optim/transform.ts: with z the proximal point,
 *   u_t = (z − ω_t) + β u_{t−1},   ω_{t+1} = ω_t + u_t   (= z + β(ω_t − ω_{t−1}) when nothing is clipped),
 * and the state holds u_{t−1}. A player's clipping box (game.clip) is applied last, as a projection.
 * The step runs on the host (Float64 numbers), not jitted: only v and its Jacobian go through jax-js.
 */
import { jit, numpy as np, type Array as JArray } from "@jax-js/jax";
import { inverse, Matrix, solve } from "ml-matrix";
import { flatVectorField, jacobian } from "../analysis/jacobian.ts";
import { dtypeOf, machineEpsilon, type DTypeName } from "../engine/device.ts";
import { UsageError } from "../engine/errors.ts";
import * as J from "../engine/joint.ts";
import * as T from "../engine/tree.ts";
import type { Game } from "../games/game.ts";
import { z } from "zod";
import { addM, identity, scaleRows } from "../analysis/linear.ts";
import type { Method } from "./method.ts";
import { COMMON_DEFAULTS, defineMethod, optimizersOf, type MethodSpecBase } from "./method.ts";

/** Above this many coordinates the inner solver is the fixed-point iteration instead of Newton. */
export const NEWTON_MAX_COORDS = 400;

/** The inner solve's default relative tolerance (on ‖F(z)‖ / ‖z − ω‖), per dtype. */
export const PROXIMAL_TOL: Record<DTypeName, number> = { float64: 1e-10, float32: 1e-5 };
/** The inner solve's default iteration cap. */
export const PROXIMAL_MAX_INNER = 100;

export interface ProximalSpec extends Pick<MethodSpecBase, "lr" | "optimizer" | "momentum"> {
  /** Relative inner-solver tolerance (default PROXIMAL_TOL of the game's dtype). */
  tol?: number;
  /** Inner-solver iteration cap (default PROXIMAL_MAX_INNER). */
  maxInner?: number;
}

/** The inner solve's relative tolerance for a game of this dtype. */
export const innerTol = (spec: { tol?: number }, dtype: DTypeName): number => spec.tol ?? PROXIMAL_TOL[dtype];

/** Throws UsageError unless both players use SGD. */
export function requireSgd(spec: Pick<MethodSpecBase, "optimizer">): void {
  const opt = optimizersOf(spec);
  if (opt.some((o) => o !== "sgd")) {
    throw new UsageError(
      `--optimizer: method 'proximal-point' is implicit and needs plain steps; got '${opt.join(",")}', allowed: sgd`,
    );
  }
}

/** ‖a‖₂ (a loop: spreading a large array into Math.hypot overflows the argument list). */
function norm(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

interface InnerResult {
  z: Float64Array;
  residual: number;
  inner: number;
}

/**
 * The inner solve's acceptance bound for ‖F(z)‖: tol·‖z − ω‖ + 16ε·(‖ω‖ + ‖z − ω‖), relative to the step
 * z − ω with a floor at F's own rounding error.
 */
export function innerBound(omega: ArrayLike<number>, z: ArrayLike<number>, tol: number, eps: number): number {
  let s = 0;
  for (let i = 0; i < z.length; i++) s += (z[i] - omega[i]) ** 2;
  const step = Math.sqrt(s);
  return tol * step + 16 * eps * (norm(omega) + step);
}

/**
 * Solve z = ω − h∘v(z) for z; `field` evaluates v at a flat point, `jac` its Jacobian (or null: fixed point).
 * Stops when ‖F(z)‖ ≤ `innerBound(ω, z, tol, eps)` (relative to the step) or after `maxInner` corrections.
 */
export function solveProximal(
  omega: Float64Array,
  h: Float64Array,
  field: (z: Float64Array) => Float64Array,
  jac: ((z: Float64Array) => number[][]) | null,
  tol: number,
  maxInner: number,
  eps = Number.EPSILON,
): InnerResult {
  const n = omega.length;
  const v0 = field(omega);
  let z = omega.map((o, i) => o - h[i] * v0[i]);
  let inner = 0;
  for (;;) {
    const vz = field(z);
    const F = z.map((zi, i) => zi - omega[i] + h[i] * vz[i]);
    const residual = norm(F);
    if (residual <= innerBound(omega, z, tol, eps) || inner >= maxInner || !Number.isFinite(residual))
      return { z, residual, inner };
    inner++;
    if (jac) {
      const Jz = jac(z);
      const A = Array.from({ length: n }, (_, i) =>
        Array.from({ length: n }, (_, j) => (i === j ? 1 : 0) + h[i] * Jz[i][j]),
      );
      const delta = solve(new Matrix(A), Matrix.columnVector(Array.from(F))).to1DArray();
      z = z.map((zi, i) => zi - delta[i]);
    } else {
      z = omega.map((o, i) => o - h[i] * vz[i]);
    }
  }
}

export function proximalPoint(game: Game, spec: ProximalSpec): Method {
  requireSgd(spec);
  const beta = spec.momentum ?? COMMON_DEFAULTS.momentum;
  const tol = innerTol(spec, game.dtype);
  const maxInner = spec.maxInner ?? PROXIMAL_MAX_INNER;
  const dt = dtypeOf(game.dtype);
  const eps = machineEpsilon(game.dtype);
  const fields = new Map<string, (flat: JArray, key?: JArray) => JArray>();
  const fieldFor = (layout: J.JointLayout): ((flat: JArray, key?: JArray) => JArray) => {
    const key = JSON.stringify(layout.shapes);
    let f = fields.get(key);
    if (!f) fields.set(key, (f = jit(flatVectorField(game, layout))));
    return f;
  };
  const toArray = (a: ArrayLike<number>): JArray => np.array(Array.from(a), { dtype: dt });
  /** With momentum β ≠ 0, the previous step u_{t−1} (flat); else nothing. */
  type ProximalState = { uPrev?: JArray };
  return {
    name: "proximal-point",
    init: (w): ProximalState => (beta !== 0 ? { uPrev: np.zeros([T.size(w)], { dtype: dt }) } : {}),
    step: (w, s, key) => {
      const layout = J.layoutOf(w);
      const [n0, n1] = layout.sizes;
      const h = new Float64Array(n0 + n1).map((_, i) => (i < n0 ? spec.lr[0] : spec.lr[1]));
      const omega = J.toFloat64(w);
      const f = fieldFor(layout);
      // A stochastic game keeps one minibatch (one key) for the whole implicit solve.
      const field = (z: Float64Array): Float64Array =>
        Float64Array.from((key ? f(toArray(z), key.ref) : f(toArray(z))).dataSync() as ArrayLike<number>);
      const jac = (z: Float64Array): number[][] => {
        const pt = J.unflatten(layout, toArray(z));
        const m = jacobian(game, pt);
        T.dispose(pt);
        return m;
      };
      const { z, residual, inner } = solveProximal(
        omega,
        h,
        field,
        n0 + n1 <= NEWTON_MAX_COORDS && !game.stochastic ? jac : null,
        tol,
        maxInner,
        eps,
      );
      key?.dispose();
      let u = z.map((zi, i) => zi - omega[i]);
      let state: ProximalState = {};
      const { uPrev } = s as ProximalState;
      if (beta !== 0 && uPrev) {
        const prev = uPrev.dataSync() as ArrayLike<number>;
        u = u.map((ui, i) => ui + beta * prev[i]);
        state = { uPrev: toArray(u) };
      } else {
        T.dispose(s);
      }
      const next = omega.map((o, i) => {
        const c = game.clip?.[i < n0 ? 0 : 1];
        const x = o + u[i];
        return typeof c === "number" ? Math.min(c, Math.max(-c, x)) : x;
      });
      return [J.unflatten(layout, toArray(next)), state, { residual, inner }];
    },
  };
}

/** 1e-10, 1e-5 (not 0.00001). */
const exp = (x: number): string => x.toExponential();

/** The proximal point method as a module: operator (I + HJ)⁻¹. */
export const proximalPointMethod = defineMethod({
  name: "proximal-point",
  citation: 'Gidel, lecture 13, "Next Idea: Proximal Point Method"',
  params: z.object({
    /** Relative inner-solver tolerance (absent: PROXIMAL_TOL of the game's dtype). */
    tol: z.number().positive().optional(),
    /** Inner-solver iteration cap. */
    maxInner: z.number().int().min(0).default(PROXIMAL_MAX_INNER),
  }),
  create: ({ game, spec, params }) => proximalPoint(game, { ...spec, ...params }),
  formula: (_, p) => {
    const tol =
      p.tol === undefined ? `${exp(PROXIMAL_TOL.float64)}/${exp(PROXIMAL_TOL.float32)}` : exp(p.tol);
    return `ω′ = ω − ηv(ω′) (Newton until ‖ω′ − ω + ηv(ω′)‖ ≤ tol·‖ω′ − ω‖, tol ${tol}, ≤ ${p.maxInner} iterations)`;
  },
  operator: {
    build: ({ J, eta }) => inverse(new Matrix(addM(identity(J.length), scaleRows(eta, J)))).to2DArray(),
  },
  usesBaseUpdates: false,
  flags: [
    {
      flag: "--tol",
      arg: "<x>",
      help: `proximal point: inner-solver tolerance relative to the step, ‖residual‖ ≤ tol·‖ω′ − ω‖ (default: ${exp(PROXIMAL_TOL.float64)} in float64, ${exp(PROXIMAL_TOL.float32)} in float32; ≤ ${PROXIMAL_MAX_INNER} iterations)`,
      param: "tol",
      value: { number: { above: 0 } },
    },
  ],
  analyze: {},
});
