/** The datasets a user can name with `--data`: "ring", "grid", or a path ending in .csv. */
import { UsageError } from "../engine/errors.ts";
import { readCsv } from "./csv.ts";
import type { Dataset } from "./dataset.ts";
import { grid, ring } from "./mixtures.ts";

/** The built-in dataset names. */
export const DATASETS = ["ring", "grid"] as const;

/** The dataset for a `--data` value; throws UsageError for an unknown name or an unusable CSV. */
export function datasetFor(name: string): Dataset {
  if (name === "ring") return ring();
  if (name === "grid") return grid();
  if (/\.csv$/i.test(name)) return readCsv(name);
  throw new UsageError(`--data: unknown data '${name}'; allowed: ring, grid, or a .csv file`);
}
