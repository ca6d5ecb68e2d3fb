/**
 * Fits a power law gap ≈ C·T^{−p} by ordinary least squares of log gap on log T over a range of T:
 * log gap = log C − p·log T. Use points spread evenly in log T (`logSpacedSteps`), otherwise the large T
 * dominate the fit.
 */
import { UsageError } from "../engine/errors.ts";

export interface RateFit {
  /** The fitted exponent p (gap ∝ T^{−p}); 0.5 for O(1/√T), 1 for O(1/T). */
  exponent: number;
  /** The fitted constant C. */
  constant: number;
  /** Coefficient of determination of the log–log fit (1 = a straight line). */
  r2: number;
  /** Number of points used and the T range they span. */
  points: number;
  tMin: number;
  tMax: number;
}

/**
 * Least-squares fit of log gap against log T over the points with tMin ≤ T ≤ tMax (default: all). Points
 * whose gap is not finite and positive are skipped (log undefined); at least two distinct T are needed.
 */
export function fitRateExponent(
  ts: readonly number[],
  gaps: readonly number[],
  range: { tMin?: number; tMax?: number } = {},
): RateFit {
  if (ts.length !== gaps.length)
    throw new UsageError(`rate fit: ${ts.length} steps but ${gaps.length} gaps; allowed: equal lengths`);
  const lo = range.tMin ?? -Infinity;
  const hi = range.tMax ?? Infinity;
  const X: number[] = [];
  const Y: number[] = [];
  for (let k = 0; k < ts.length; k++) {
    const t = ts[k];
    const g = gaps[k];
    if (t >= lo && t <= hi && t > 0 && g > 0 && Number.isFinite(g)) {
      X.push(Math.log(t));
      Y.push(Math.log(g));
    }
  }
  const n = X.length;
  const mx = X.reduce((a, b) => a + b, 0) / n;
  const my = Y.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let k = 0; k < n; k++) {
    sxx += (X[k] - mx) ** 2;
    sxy += (X[k] - mx) * (Y[k] - my);
    syy += (Y[k] - my) ** 2;
  }
  if (n < 2 || !(sxx > 0))
    throw new UsageError(
      `rate fit: ${n} usable point(s) in T ∈ [${lo}, ${hi}]; allowed: at least two distinct T`,
    );
  const slope = sxy / sxx;
  return {
    exponent: -slope,
    constant: Math.exp(my - slope * mx),
    r2: syy > 0 ? (sxy * sxy) / (sxx * syy) : 1,
    points: n,
    tMin: Math.round(Math.exp(Math.min(...X))),
    tMax: Math.round(Math.exp(Math.max(...X))),
  };
}

/** About `count` distinct integer steps spread evenly in log T between `from` and `to` (both included). */
export function logSpacedSteps(from: number, to: number, count: number): number[] {
  const out = new Set<number>();
  for (let k = 0; k < count; k++) {
    const t = Math.round(from * Math.pow(to / from, count === 1 ? 1 : k / (count - 1)));
    out.add(Math.min(to, Math.max(from, t)));
  }
  return [...out].sort((a, b) => a - b);
}
