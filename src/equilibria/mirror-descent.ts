/**
 * Simultaneous entropic mirror descent (multiplicative weights) on a zero-sum matrix game
 * min_{x∈Δ_n} max_{y∈Δ_m} xᵀAy (row player minimises; src/games/matrix-game.ts). This is the finite case of
 * Hsieh, Liu & Cevher 2019's entropic mirror descent dμ₊ ∝ e^{−ηh} dμ over mixed strategies:
 *
 *   x_{t+1} ∝ x_t · e^{−η_t A y_t},      y_{t+1} ∝ y_t · e^{+η_t Aᵀ x_t}      (both from (x_t, y_t)).
 *
 * Step sizes. `schedule: "anytime"` (default) uses η_t = η/√t. Each player then runs Hedge with per-round
 * losses in [−L, L] (L = max|A_ij|) and has regret R_T ≤ √T (log k/η + ηL²) for every T (k its number of
 * strategies), so the duality gap of the running averages x̄_T = (1/T)Σ_{t≤T} x_t, ȳ_T, which is at most
 * (R_T^x + R_T^y)/T, is O(1/√T) at EVERY T of one trajectory: one run can be fitted for the rate. The default
 * η = √(log max(n, m))/L balances the two terms. `schedule: "constant"` uses η_t = η: then
 * R_T ≤ log k/η + ηTL²/2, which is O(√T) only when η ∝ 1/√T is tuned to a known horizon T (η = √(2 log k/T)/L,
 * the default for this schedule); at any other T the bound has a floor ηL²/2, so a single constant-η run does
 * not show the O(1/√T) rate along the way.
 *
 * The LAST iterate does not converge in general: on a game with an interior equilibrium (rock-paper-scissors)
 * KL(x*‖x_t) + KL(y*‖y_t) increases at every step (Bailey & Piliouras 2018) and the iterates spiral out
 * towards the boundary; only the averages converge.
 *
 * Numerics: the strategies are kept as normalised log-weights, updated additively and renormalised with a
 * max-subtracted log-sum-exp, so nothing under- or overflows however long the run.
 */
import { UsageError } from "../engine/errors.ts";
import { colGains, rowLosses, type MatrixGame } from "../games/matrix-game.ts";
import { dualityGap } from "./lp-nash.ts";

export type StepSchedule = "anytime" | "constant";

export interface SimplexRunOptions {
  /** Number of steps T (integer ≥ 1). */
  steps: number;
  /** Base step size η > 0 (defaults: see each method). */
  eta?: number;
  /** Starting strategies (every entry > 0, summing to 1; default uniform). */
  x0?: ArrayLike<number>;
  y0?: ArrayLike<number>;
  /** When to record the gaps: every k steps (number), or at these step counts (sorted or not). The last step
   *  is always recorded. Default: every max(1, ⌊T/100⌋) steps. */
  record?: number | readonly number[];
  /** An equilibrium to measure the last iterate's KL(x*‖x_t) + KL(y*‖y_t) against (e.g. the LP's). */
  reference?: { x: ArrayLike<number>; y: ArrayLike<number> };
}

export interface MirrorDescentOptions extends SimplexRunOptions {
  /** η_t = η/√t ("anytime", default) or η_t = η ("constant"). */
  schedule?: StepSchedule;
}

export interface SimplexTracePoint {
  /** Steps taken, T. */
  step: number;
  /** Duality gap of the last iterate (x_{T+1}, y_{T+1}). */
  gapLast: number;
  /** Duality gap of the averaged iterates (x̄_T, ȳ_T). */
  gapAvg: number;
  /** KL(x*‖x_{T+1}) + KL(y*‖y_{T+1}) when `reference` was given. */
  klLast?: number;
}

export interface SimplexRun {
  method: "mirror-descent" | "mirror-prox";
  game: string;
  steps: number;
  /** The base step size η used. */
  eta: number;
  schedule: StepSchedule;
  /** Last iterates after T steps. */
  x: Float64Array;
  y: Float64Array;
  /** Averaged iterates (mirror descent: of x_1…x_T; mirror-prox: of the half points). */
  xAvg: Float64Array;
  yAvg: Float64Array;
  trace: SimplexTracePoint[];
}

function fail(field: string, value: unknown, allowed: string): never {
  const shown = typeof value === "number" ? String(value) : JSON.stringify(value);
  throw new UsageError(`${field}: ${shown} is not allowed; allowed: ${allowed}`);
}

export function checkSteps(steps: number): void {
  if (!Number.isInteger(steps) || steps < 1) fail("steps", steps, "an integer ≥ 1");
}

export function checkEta(eta: number): void {
  if (!Number.isFinite(eta) || eta <= 0) fail("eta", eta, "a finite number > 0");
}

/** log of a starting strategy (uniform by default), validated: length k, entries > 0, sum 1 (±1e-9). */
export function logStart(field: string, p: ArrayLike<number> | undefined, k: number): Float64Array {
  const out = new Float64Array(k);
  if (p === undefined) return out.fill(-Math.log(k));
  if (p.length !== k) fail(field, Array.from(p), `a distribution over ${k} strategies (length ${k})`);
  let s = 0;
  for (let i = 0; i < k; i++) {
    if (!(p[i] > 0) || !Number.isFinite(p[i]))
      fail(field, Array.from(p), "every entry > 0 (log-domain updates)");
    s += p[i];
  }
  if (Math.abs(s - 1) > 1e-9) fail(field, Array.from(p), "entries summing to 1");
  for (let i = 0; i < k; i++) out[i] = Math.log(p[i] / s);
  return out;
}

/** The steps at which to record, as a Set (always including T). */
export function recordSteps(record: SimplexRunOptions["record"], steps: number): Set<number> {
  const at = new Set<number>([steps]);
  if (record === undefined || typeof record === "number") {
    const k = record ?? Math.max(1, Math.floor(steps / 100));
    if (!Number.isInteger(k) || k < 1)
      fail("record", k, "an integer ≥ 1 (record every k steps) or a list of steps");
    for (let t = k; t <= steps; t += k) at.add(t);
  } else {
    for (const t of record) {
      if (!Number.isInteger(t) || t < 1 || t > steps) fail("record", t, `steps between 1 and ${steps}`);
      at.add(t);
    }
  }
  return at;
}

/**
 * In place: logp ← normalised (logp + sign·η·g), i.e. p ∝ p·e^{sign·η·g}; writes p = exp(logp) into `p`.
 * Renormalised by log-sum-exp with the maximum subtracted.
 */
export function entropicStep(
  logp: Float64Array,
  from: Float64Array,
  g: Float64Array,
  etaSigned: number,
  p: Float64Array,
): void {
  let mx = -Infinity;
  for (let i = 0; i < logp.length; i++) {
    logp[i] = from[i] + etaSigned * g[i];
    mx = Math.max(mx, logp[i]);
  }
  let s = 0;
  for (let i = 0; i < logp.length; i++) s += Math.exp(logp[i] - mx);
  const lse = mx + Math.log(s);
  for (let i = 0; i < logp.length; i++) {
    logp[i] -= lse;
    p[i] = Math.exp(logp[i]);
  }
}

/** KL(q‖p) = Σ q_i log(q_i/p_i) with p given by its logs (terms with q_i = 0 contribute 0). */
export function klFromLog(q: ArrayLike<number>, logp: Float64Array): number {
  let s = 0;
  for (let i = 0; i < logp.length; i++) if (q[i] > 0) s += q[i] * (Math.log(q[i]) - logp[i]);
  return s;
}

/** Records a trace point from the last iterate (x, y; logs lx, ly) and the sums of averaged iterates. */
export function tracePoint(
  game: MatrixGame,
  t: number,
  x: Float64Array,
  y: Float64Array,
  lx: Float64Array,
  ly: Float64Array,
  sx: Float64Array,
  sy: Float64Array,
  reference: SimplexRunOptions["reference"],
): SimplexTracePoint {
  const point: SimplexTracePoint = {
    step: t,
    gapLast: dualityGap(game, x, y),
    gapAvg: dualityGap(
      game,
      sx.map((v) => v / t),
      sy.map((v) => v / t),
    ),
  };
  if (reference) point.klLast = klFromLog(reference.x, lx) + klFromLog(reference.y, ly);
  return point;
}

/** Simultaneous entropic mirror descent (multiplicative weights) for T steps; see the file's comment. */
export function mirrorDescent(game: MatrixGame, opts: MirrorDescentOptions): SimplexRun {
  const T = opts.steps;
  checkSteps(T);
  const schedule = opts.schedule ?? "anytime";
  if (schedule !== "anytime" && schedule !== "constant") fail("schedule", schedule, "anytime, constant");
  const { rows: n, cols: m } = game;
  const L = game.maxAbs > 0 ? game.maxAbs : 1;
  const logK = Math.log(Math.max(n, m, 2));
  const eta = opts.eta ?? (schedule === "anytime" ? Math.sqrt(logK) / L : Math.sqrt((2 * logK) / T) / L);
  checkEta(eta);
  const at = recordSteps(opts.record, T);

  const lx = logStart("x0", opts.x0, n);
  const ly = logStart("y0", opts.y0, m);
  const x = lx.map(Math.exp);
  const y = ly.map(Math.exp);
  const sx = new Float64Array(n);
  const sy = new Float64Array(m);
  const ay = new Float64Array(n);
  const atx = new Float64Array(m);
  const trace: SimplexTracePoint[] = [];
  for (let t = 1; t <= T; t++) {
    for (let i = 0; i < n; i++) sx[i] += x[i];
    for (let j = 0; j < m; j++) sy[j] += y[j];
    rowLosses(game, y, ay);
    colGains(game, x, atx);
    const et = schedule === "anytime" ? eta / Math.sqrt(t) : eta;
    entropicStep(lx, lx, ay, -et, x);
    entropicStep(ly, ly, atx, et, y);
    if (at.has(t)) trace.push(tracePoint(game, t, x, y, lx, ly, sx, sy, opts.reference));
  }
  return {
    method: "mirror-descent",
    game: game.name,
    steps: T,
    eta,
    schedule,
    x,
    y,
    xAvg: sx.map((v) => v / T),
    yAvg: sy.map((v) => v / T),
    trace,
  };
}
