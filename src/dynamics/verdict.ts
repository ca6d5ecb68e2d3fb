/**
 * What a run did, in one word: "converges" (distance to ω* shrinks at a rate < 1), "diverges" (grows at a
 * rate > 1, or a value became NaN/Inf), or "cycles" (bounded, neither: e.g. alternating GDA on θ·φ, whose
 * update has spectral radius exactly 1; Gidel, lecture 13).
 */
export type Verdict = "converges" | "diverges" | "cycles";

export interface VerdictInput {
  rate: number | null;
  d0: number;
  dT: number;
  nonFinite: boolean;
  /** Rates within 1 ± tol count as neither (default 1e-3). */
  tol?: number;
}

export function verdictOf({ rate, d0, dT, nonFinite, tol = 1e-3 }: VerdictInput): Verdict {
  if (nonFinite || !Number.isFinite(dT)) return "diverges";
  if (rate === null)
    return dT <= 1e-12 * Math.max(d0, 1e-300) ? "converges" : dT > d0 * 1e6 ? "diverges" : "cycles";
  if (rate < 1 - tol) return "converges";
  if (rate > 1 + tol) return "diverges";
  return "cycles";
}
