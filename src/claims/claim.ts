/**
 * A claim of the lectures, checked by running saddle: what is claimed, where it comes from, the expected
 * value, what saddle measured, and whether they agree within the stated tolerance.
 */
import type { DTypeName } from "../engine/device.ts";
import type { SweepRunner } from "../sweeps/runner.ts";

export interface Claim {
  id: string;
  /**
   * "check" (default): saddle's implementation reproduces the lecture's relation; a failure is a bug.
   * "finding": the lecture's relation tested as stated at a budget fixed in the code; `pass` says whether it
   * held, and a relation that does not hold is reported with its numbers (`reproduce` exits 0 on findings).
   */
  kind?: "check" | "finding";
  claim: string;
  source: string;
  expected: number | string;
  measured: number | string;
  tolerance?: number;
  pass: boolean;
  /** Extra context (e.g. the measured trajectory rate beside the operator radius). */
  detail?: string;
}

/** What a suite may use: the runner of its training sweeps (default: in this process; `--queue`: workers). */
export interface SuiteContext {
  runner?: SweepRunner;
  /**
   * The dtype of the suite's games (default: the suite's own, float64 for dynamics). `reproduce --device webgpu`
   * sets float32 (WebGPU has no float64); a suite then states its float32 tolerance in each claim.
   */
  dtype?: DTypeName;
}

export interface Suite {
  name: string;
  description: string;
  run(ctx?: SuiteContext): Promise<Claim[]>;
}

/** |measured − expected| ≤ tol. */
export function close(measured: number, expected: number, tol: number): boolean {
  return Number.isFinite(measured) && Math.abs(measured - expected) <= tol;
}

/** Relative agreement |measured/expected − 1| ≤ rel. */
export function closeRel(measured: number | null, expected: number, rel: number): boolean {
  return measured !== null && Number.isFinite(measured) && Math.abs(measured / expected - 1) <= rel;
}
