/**
 * A source of real data points for GAN training: a built-in 2-D set (the list src/data/toy2d/index.ts: the
 * Gaussian mixtures of the VEEGAN / PacGAN protocol, see ../../../shared/REFERENCE.md, "Benchmarks from the
 * literature", and small teaching sets), the rows of a CSV file, or image data.
 */
import type { Array as JArray } from "@jax-js/jax";
import type { z } from "zod";
import type { DTypeName } from "../engine/device.ts";

/** The largest number of rows `preview` returns. */
export const PREVIEW_MAX = 2500;

export interface Dataset {
  /** A built-in set's name (its module's, src/data/toy2d/), or the CSV's file name. */
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

/**
 * A built-in 2-D data set as one self-describing module: its name, parameters (a zod schema with defaults
 * and ranges), builder, formula text and citation. src/data/toy2d/index.ts lists the modules; `--data`,
 * the experiment spec's help, the CLI's help and the web lab's data menu derive from that list.
 */
export interface DatasetModule<N extends string = string, P extends object = object> {
  readonly name: N;
  /** Where the set is from (a paper's protocol), when it has a source. */
  readonly citation?: string;
  /** Its parameters (centres, spread, noise σ), with defaults and ranges. */
  readonly params: z.ZodType<P>;
  /** What a sample is, with the parameters' values, e.g. "8 Gaussians on the circle of radius 2, σ = 0.02". */
  formula(params: P): string;
  /** The data set, named `name`. */
  create(params: P): Dataset;
}

/** Type-checks a module (its params type inferred from the schema). */
export const defineDataset = <N extends string, P extends object>(
  m: DatasetModule<N, P>,
): DatasetModule<N, P> => m;
