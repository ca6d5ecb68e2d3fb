/**
 * Entropic mirror-prox (Nemirovski 2004; extragradient in the entropic geometry, the method Hsieh, Liu &
 * Cevher 2019 lift to mixed strategies) on a zero-sum matrix game min_{x∈Δ_n} max_{y∈Δ_m} xᵀAy (row player
 * minimises; src/games/matrix-game.ts). From (x_t, y_t):
 *
 *   half step:  x_{t+½} ∝ x_t · e^{−η A y_t},        y_{t+½} ∝ y_t · e^{+η Aᵀ x_t}
 *   full step:  x_{t+1} ∝ x_t · e^{−η A y_{t+½}},    y_{t+1} ∝ y_t · e^{+η Aᵀ x_{t+½}}
 *
 * and the output is the average of the HALF points, x̄_T = (1/T)Σ_{t<T} x_{t+½}, ȳ_T likewise.
 *
 * Step size: constant η ≤ 1/L with L = max|A_ij| (default η = 1/L). The field F(x, y) = (Ay, −Aᵀx) is
 * L-Lipschitz from the norm √(‖x‖₁² + ‖y‖₁²) to its dual, and the entropy is 1-strongly convex w.r.t. it, so
 * Nemirovski's bound gives dualityGap(x̄_T, ȳ_T) ≤ (KL(x*‖x_0) + KL(y*‖y_0))/(ηT) — from uniform starts at most
 * L(log n + log m)/T: O(1/T), against mirror descent's O(1/√T).
 *
 * Numerics as in mirror-descent.ts: normalised log-weights, max-subtracted log-sum-exp.
 */
import { colGains, rowLosses, type MatrixGame } from "../games/matrix-game.ts";
import {
  checkEta,
  checkSteps,
  entropicStep,
  logStart,
  recordSteps,
  tracePoint,
  type SimplexRun,
  type SimplexRunOptions,
  type SimplexTracePoint,
} from "./mirror-descent.ts";

/** Mirror-prox for T steps (each step costs two gradient evaluations); see the file's comment. */
export function mirrorProx(game: MatrixGame, opts: SimplexRunOptions): SimplexRun {
  const T = opts.steps;
  checkSteps(T);
  const { rows: n, cols: m } = game;
  const L = game.maxAbs > 0 ? game.maxAbs : 1;
  const eta = opts.eta ?? 1 / L;
  checkEta(eta);
  const at = recordSteps(opts.record, T);

  const lx = logStart("x0", opts.x0, n);
  const ly = logStart("y0", opts.y0, m);
  const x = lx.map(Math.exp);
  const y = ly.map(Math.exp);
  const lxh = new Float64Array(n);
  const lyh = new Float64Array(m);
  const xh = new Float64Array(n);
  const yh = new Float64Array(m);
  const sx = new Float64Array(n);
  const sy = new Float64Array(m);
  const ay = new Float64Array(n);
  const atx = new Float64Array(m);
  const trace: SimplexTracePoint[] = [];
  for (let t = 1; t <= T; t++) {
    // Half step with the gradients at the current point.
    rowLosses(game, y, ay);
    colGains(game, x, atx);
    entropicStep(lxh, lx, ay, -eta, xh);
    entropicStep(lyh, ly, atx, eta, yh);
    // Full step from the current point with the gradients at the half point.
    rowLosses(game, yh, ay);
    colGains(game, xh, atx);
    entropicStep(lx, lx, ay, -eta, x);
    entropicStep(ly, ly, atx, eta, y);
    for (let i = 0; i < n; i++) sx[i] += xh[i];
    for (let j = 0; j < m; j++) sy[j] += yh[j];
    if (at.has(t)) trace.push(tracePoint(game, t, x, y, lx, ly, sx, sy, opts.reference));
  }
  return {
    method: "mirror-prox",
    game: game.name,
    steps: T,
    eta,
    schedule: "constant",
    x,
    y,
    xAvg: sx.map((v) => v / T),
    yAvg: sy.map((v) => v / T),
    trace,
  };
}
