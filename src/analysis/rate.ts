/**
 * The measured local linear rate of a run: if ‖ω_t − ω*‖ ≈ C ρ^t (Mitliagkas, "Some results on GAN dynamics",
 * Theorem 1: rate O((ρ_max + ε)^t) with ρ_max = ρ(∇F_η(ω*))), then log‖ω_t − ω*‖ ≈ log C + t log ρ, and
 *
 *   ρ̂ = exp(slope of the least-squares line through (t, log‖ω_t − ω*‖)).
 *
 * A pair of eigenvalues of equal modulus (rotation, ρe^{±iα}) makes the distance oscillate around the
 * envelope; a least-squares fit over a long window averages the oscillation out.
 */

export interface RateOptions {
  /** Fraction of the steps dropped at the start as transient (default 0.25). */
  skipFraction?: number;
  /** First step index to use (overrides skipFraction). */
  from?: number;
  /**
   * One past the last step index to use (default: one past the last usable distance, so a NaN/∞ tail after
   * divergence or a zero tail after underflow does not shrink the window the transient is cut from).
   */
  to?: number;
  /** Distances below this are dropped (underflow / exact convergence; default 1e-280). */
  floor?: number;
}

export interface MeasuredRate {
  /** exp(slope) per step, or null when fewer than 3 usable points remain. */
  rate: number | null;
  /** The window [from, to) of step indices considered. */
  from: number;
  to: number;
  /** Number of points actually fitted (finite, ≥ floor, within the window). */
  points: number;
}

/** Least-squares slope of ys against xs (n ≥ 2 distinct xs). */
export function leastSquaresSlope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  return sxy / sxx;
}

const usable = (d: number, floor: number): boolean => Number.isFinite(d) && d >= floor;

/**
 * ρ̂ = exp(slope) of log distances (distances[t] = ‖ω_t − ω*‖) over the window [from, to): by default the
 * last 75% of the steps up to the last usable one; non-finite values and values below `floor` are skipped.
 */
export function measuredRate(distances: readonly number[], opts: RateOptions = {}): MeasuredRate {
  const floor = opts.floor ?? 1e-280;
  let end = distances.length;
  while (end > 0 && !usable(distances[end - 1], floor)) end--;
  const to = Math.max(0, Math.min(opts.to ?? end, distances.length));
  const from = Math.max(0, opts.from ?? Math.floor(to * (opts.skipFraction ?? 0.25)));
  const xs: number[] = [];
  const ys: number[] = [];
  for (let t = from; t < to; t++) {
    const d = distances[t];
    if (!usable(d, floor)) continue;
    xs.push(t);
    ys.push(Math.log(d));
  }
  const rate = xs.length < 3 ? null : Math.exp(leastSquaresSlope(xs, ys));
  return { rate, from, to, points: xs.length };
}
