/**
 * A source of real data points for GAN training: the 2-D Gaussian mixtures of the VEEGAN / PacGAN protocol
 * (`ring`, `grid`, see ../../../shared/REFERENCE.md, "Benchmarks from the literature") or the rows of a CSV file.
 */
import type { Array as JArray } from "@jax-js/jax";
import type { DTypeName } from "../engine/device.ts";

/** The largest number of rows `preview` returns. */
export const PREVIEW_MAX = 2500;

export interface Dataset {
  /** A built-in set's name ("ring", "two-moons", …; src/data/mixtures.ts), or the CSV's file name. */
  readonly name: string;
  /** Number of columns of a sample. */
  readonly dim: number;
  /**
   * n samples as an [n, dim] array of `dtype` (default float32). Consumes `key`; deterministic per key;
   * traceable, so it can be called inside `jit` (n is fixed at trace time).
   */
  sample(key: JArray, n: number, dtype?: DTypeName): JArray;
  /** The mixture's modes (for the mode metrics, src/metrics/modes.ts), when known. */
  readonly modes?: { centers: number[][]; sigma: number };
  /** A fixed set of real points for pictures: min(n, PREVIEW_MAX) rows (fewer for a smaller CSV). Pure JS. */
  preview(n?: number): number[][];
}

/** Checks the sample count: a positive integer (a programming error otherwise). */
export function checkSampleCount(n: number): void {
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`Dataset.sample: n must be a positive integer, got ${n}`);
}
