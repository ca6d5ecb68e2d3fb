/**
 * The safety net every game passes before it is analysed or trained: once, at its start point
 * ω₀ = `game.init()`,
 *
 *   1. the jitted field equals the plain (eager) one:  |jit(v)_i(ω₀) − v_i(ω₀)| ≤ a + r·‖v(ω₀)‖∞;
 *   2. deterministic games with ≤ 400 parameters: the jitted Jacobian-vector product the analysis uses
 *      (src/analysis/jacobian.ts) equals central differences of the plain field along K = 3 fixed random
 *      directions u (Gaussian, ‖u‖∞ = 1; a wrong entry of ∇v shows in ∇v·u with probability 1):
 *        D = (v(ω₀ + s h u) − v(ω₀ − s h u)) / 2sh,  s = max(1, ‖ω₀‖∞),
 *        |(∇v·u)_i − D_i| ≤ a + r·(‖D‖∞ + ‖v(ω₀)‖∞).
 *
 * Tolerances, by the precision p the field is computed in. Check 1 compares one computation with itself,
 * compiled or not, so only rounding separates them. In check 2 the central difference errs by
 * h²/6·|∂³v| (truncation) + ε_p·‖v‖/h (rounding), balanced near h ≈ ε_p^{1/3}:
 *
 *   p        ε_p      check 1 (r, a)   check 2: h, (r, a)         error of check 2 per unit |∂³v|, ‖v‖
 *   float64  1.1e-16  1e-9, 1e-12      1e-5, (1e-6, 1e-9)          1.7e-11, 1.1e-11
 *   float32  6.0e-8   1e-4, 1e-6       5e-3, (3e-3, 1e-4)          4.2e-6,  1.2e-5
 *
 * p is the game's dtype, except that jax-js 0.1.25's wasm backend evaluates exp, log, sin, cos, asin, atan,
 * erf and erfc in float32 even for float64 arrays (a float64 exp is accurate to about 1e-6, log to 1e-5
 * absolute); a float64 field that uses them off the cpu device is checked at float32 tolerances (its jaxpr
 * is inspected). In float32 the points are rounded first and the tangent is their exact gap.
 *
 * A failure is one line naming the player whose gradient disagrees, the largest disagreement (both values,
 * the coordinate) and the tolerance: a `FieldCheckError` (a UsageError, so the CLI exits with code 2). It
 * catches a loss that computes differently under `jit` (reads JS state at trace time), derivatives that are
 * not those of the values (`stopGradient`, a hand-written custom rule) and engine bugs such as jax-js
 * 0.1.25's float64 `jit(grad(·))` before the patch (docs/jax-js-patch.md). Stochastic games (GANs) are
 * checked on one fixed key, field only. `jacobian()` runs the check once per game object; the CLI runs it
 * where a game enters (`dynamics`, `analyze`, `train`, `compare`); `--no-check` (`skipFieldCheck`) skips it.
 *
 * (This module and jacobian.ts import each other; each uses the other's functions only when called.)
 */
import { defaultDevice, jit, makeJaxpr, numpy as np, random, type Array as JArray } from "@jax-js/jax";
import { dtypeOf, type DTypeName } from "../engine/device.ts";
import { UsageError } from "../engine/errors.ts";
import * as J from "../engine/joint.ts";
import type { Game } from "../games/game.ts";
import { flatVectorField, tangentFn } from "./jacobian.ts";

/** Above this many parameters only check 1 runs. */
export const FD_MAX_PARAMS = 400;
/** Number of random directions of check 2. */
export const FD_DIRECTIONS = 3;

export interface Tolerance {
  /** Relative part r (times the scale in the module comment). */
  rtol: number;
  /** Absolute part a. */
  atol: number;
}

/** Check 1 (jitted vs plain field), by working precision. */
export const FIELD_TOLERANCE: Record<DTypeName, Tolerance> = {
  float64: { rtol: 1e-9, atol: 1e-12 },
  float32: { rtol: 1e-4, atol: 1e-6 },
};

/** Check 2 (jvp vs central differences with step h), by working precision. */
export const JACOBIAN_TOLERANCE: Record<DTypeName, Tolerance & { h: number }> = {
  float64: { h: 1e-5, rtol: 1e-6, atol: 1e-9 },
  float32: { h: 5e-3, rtol: 3e-3, atol: 1e-4 },
};

/** Primitives jax-js 0.1.25's wasm backend computes in float32 whatever the dtype. */
export const FLOAT32_PRIMITIVES: readonly string[] = [
  "sin",
  "cos",
  "asin",
  "atan",
  "exp",
  "log",
  "erf",
  "erfc",
];

/** A game that fails the safety net; `message` is one line. */
export class FieldCheckError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = "FieldCheckError";
  }
}

export interface FieldCheckReport {
  parameters: number;
  /** The precision the tolerances are for, and why when it is not the game's dtype. */
  precision: DTypeName;
  precisionReason?: string;
  /** max_i |jit(v)_i − v_i| and the tolerance it met. */
  field: { maxDiff: number; tol: number };
  /** max |∇v·u − D| over the directions and its tolerance, or why check 2 was skipped. */
  jacobian: { maxDiff: number; tol: number; directions: number } | { skipped: string };
}

const firstLine = (e: unknown): string => String(e instanceof Error ? e.message : e).split("\n")[0];
const fmt = (x: number): string => (Number.isFinite(x) ? String(Number(x.toPrecision(6))) : String(x));
const maxAbs = (xs: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < xs.length; i++) m = Math.max(m, Math.abs(xs[i]));
  return m;
};
/** |a − b|; infinite when exactly one is finite (or they are different non-finite values). */
const gap = (a: number, b: number): number =>
  a === b ? 0 : Number.isNaN(a - b) ? Infinity : Math.abs(a - b);

/** Index of the largest gap(a_i, b_i). */
function worstIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let w = 0;
  for (let i = 1; i < a.length; i++) if (gap(a[i], b[i]) > gap(a[w], b[w])) w = i;
  return w;
}

/** The player owning flat coordinate i of ω (θ's first) and the coordinate's name, e.g. "phi[2]". */
function coordinate(game: Game, sizes: readonly [number, number], i: number): { player: string; at: string } {
  const p = i < sizes[0] ? 0 : 1;
  return { player: game.players[p], at: `${game.players[p]}[${p === 0 ? i : i - sizes[0]}]` };
}

/** Runs `f`, turning an engine or user-code exception into a one-line FieldCheckError. */
function attempt<T>(game: Game, what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new FieldCheckError(`game '${game.name}': ${what} failed: ${firstLine(e)}`);
  }
}

const read = (a: JArray): Float64Array => Float64Array.from(a.dataSync() as ArrayLike<number>);

/** Fixed Gaussian directions with ‖u‖∞ = 1 (mulberry32 + Box–Muller, seed 1). */
export function directions(n: number, k: number): Float64Array[] {
  let s = 1;
  const uniform = (): number => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  return Array.from({ length: k }, () => {
    const u = Float64Array.from(
      { length: n },
      () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()),
    );
    const m = maxAbs(u);
    return u.map((x) => x / m);
  });
}

/**
 * Runs both checks at ω₀ = game.init() and returns what was measured; throws FieldCheckError (one line)
 * when either fails.
 */
export function checkGame(game: Game): FieldCheckReport {
  const w0 = attempt(game, "init()", () => game.init());
  const layout = J.layoutOf(w0);
  const sizes = layout.sizes;
  const n = sizes[0] + sizes[1];
  const x = J.toFloat64(w0);
  const dt = dtypeOf(game.dtype);
  const arr = (p: ArrayLike<number>): JArray => np.array(Array.from(p), { dtype: dt });
  const f = flatVectorField(game, layout);
  const key = game.stochastic ? random.key(0) : undefined;
  const plainAt = (p: ArrayLike<number>, k?: JArray): Float64Array => read(f(arr(p), k?.ref));

  // the precision the field is computed in
  let precision: DTypeName = game.dtype;
  let precisionReason: string | undefined;
  if (game.dtype === "float64" && defaultDevice() !== "cpu") {
    const used = attempt(game, "tracing the field", () => {
      const traced = key ? makeJaxpr(f)(arr(x), key.ref) : makeJaxpr((a: JArray) => f(a))(arr(x));
      const prims = new Set(traced.jaxpr.jaxpr.flatten().eqns.map((e) => String(e.primitive)));
      traced.jaxpr.dispose();
      return FLOAT32_PRIMITIVES.filter((p) => prims.has(p));
    });
    if (used.length > 0) {
      precision = "float32";
      precisionReason = `${used.join("/")} run in float32 on ${defaultDevice()}`;
    }
  }
  const where = `game '${game.name}' (${game.dtype}${precisionReason ? `; ${precisionReason}` : ""}) at its start point`;

  // 1. jitted field = plain field
  const plain = attempt(game, "the plain field v(ω₀)", () => plainAt(x, key));
  const jitted = attempt(game, "the jitted field jit(v)(ω₀)", () =>
    read(key ? jit(f)(arr(x), key.ref) : jit((a: JArray) => f(a))(arr(x))),
  );
  key?.dispose();
  const bad = plain.findIndex((t) => !Number.isFinite(t));
  if (bad >= 0) {
    const c = coordinate(game, sizes, bad);
    throw new FieldCheckError(
      `${where}: player '${c.player}': the field is not finite, v at ${c.at} (index ${bad}) = ${fmt(plain[bad])}; start from a point where the losses are finite`,
    );
  }
  const vmax = maxAbs(plain);
  const ft = FIELD_TOLERANCE[precision];
  const fieldTol = ft.atol + ft.rtol * vmax;
  const wi = worstIndex(jitted, plain);
  const fieldDiff = n === 0 ? 0 : gap(jitted[wi], plain[wi]);
  if (fieldDiff > fieldTol) {
    const c = coordinate(game, sizes, wi);
    throw new FieldCheckError(
      `${where}: player '${c.player}': the jitted field differs from the plain field at ${c.at} (index ${wi}): ${fmt(jitted[wi])} vs ${fmt(plain[wi])}, |Δ| = ${fmt(fieldDiff)} > tolerance ${fmt(fieldTol)} (${ft.atol} + ${ft.rtol}·‖v‖∞); the loss computes differently under jit (--no-check skips this check)`,
    );
  }
  const report: FieldCheckReport = {
    parameters: n,
    precision,
    ...(precisionReason ? { precisionReason } : {}),
    field: { maxDiff: fieldDiff, tol: fieldTol },
    jacobian: { skipped: "" },
  };
  if (game.stochastic) {
    report.jacobian = { skipped: "stochastic game: the field is checked on one key, its Jacobian is not" };
    return report;
  }
  if (n > FD_MAX_PARAMS) {
    report.jacobian = { skipped: `${n} parameters > ${FD_MAX_PARAMS}: finite differences skipped` };
    return report;
  }

  // 2. jitted ∇v·u = central differences of the plain field along u
  const jt = JACOBIAN_TOLERANCE[precision];
  const step = jt.h * Math.max(1, maxAbs(x));
  const round = game.dtype === "float32" ? Math.fround : (t: number) => t;
  const tangent = tangentFn(game, layout);
  let worst = { diff: 0, tol: 0, i: 0, d: -1, jv: 0, fd: 0 };
  directions(n, FD_DIRECTIONS).forEach((u, d) => {
    const p = x.map((t, j) => round(t + step * u[j]));
    const m = x.map((t, j) => round(t - step * u[j]));
    const e = p.map((t, j) => (t - m[j]) / (2 * step)); // the direction actually taken (= u in float64)
    const vp = attempt(game, "the plain field near ω₀", () => plainAt(p));
    const vm = attempt(game, "the plain field near ω₀", () => plainAt(m));
    const fd = vp.map((a, i) => (a - vm[i]) / (2 * step));
    const jv = attempt(game, "the jitted Jacobian-vector product", () => read(tangent(arr(x), arr(e))));
    const tol = jt.atol + jt.rtol * (maxAbs(fd) + vmax);
    const i = worstIndex(jv, fd);
    const diff = gap(jv[i], fd[i]);
    if (worst.d < 0 || diff / tol > worst.diff / worst.tol) worst = { diff, tol, i, d, jv: jv[i], fd: fd[i] };
  });
  if (worst.diff > worst.tol) {
    const c = coordinate(game, sizes, worst.i);
    throw new FieldCheckError(
      `${where}: player '${c.player}': the Jacobian by jvp differs from central differences of the plain field at ${c.at} (row ${worst.i}) along random direction ${worst.d + 1} of ${FD_DIRECTIONS}: (∇v·u) = ${fmt(worst.jv)} vs ${fmt(worst.fd)}, |Δ| = ${fmt(worst.diff)} > tolerance ${fmt(worst.tol)} (h = ${jt.h}: ${jt.atol} + ${jt.rtol}·(‖D‖∞ + ‖v‖∞)); the loss's derivatives are not those of its values (--no-check skips this check)`,
    );
  }
  report.jacobian = { maxDiff: worst.diff, tol: worst.tol, directions: FD_DIRECTIONS };
  return report;
}

const checked = new WeakSet<Game>();

/** Runs `checkGame` the first time a game object is seen (after a failure, again on the next call). */
export function checkGameOnce(game: Game): void {
  if (checked.has(game)) return;
  checkGame(game);
  checked.add(game);
}

/** Marks a game as checked without checking it (`--no-check`). */
export function skipFieldCheck(game: Game): void {
  checked.add(game);
}
