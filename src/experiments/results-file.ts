/**
 * The resumable results file of `saddle reproduce experiments` (default results/experiments.json): one
 * entry per claim id, each written as soon as its claim completes by writing a temporary file next to it and
 * renaming it over the old one (atomic on one file system), so an interrupted suite keeps every finished claim.
 */
import fs from "node:fs";
import path from "node:path";
import { UsageError } from "../engine/errors.ts";
import type { ClaimResult } from "./experiment.ts";

export const RESULTS_VERSION = 1;

export interface ResultsFile {
  suite: "experiments";
  version: number;
  claims: Record<string, ClaimResult>;
}

export function readResults(file: string): ResultsFile {
  if (!fs.existsSync(file)) return { suite: "experiments", version: RESULTS_VERSION, claims: {} };
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new UsageError(`--results: '${file}' is not valid JSON: ${(e as Error).message}`);
  }
  const r = json as Partial<ResultsFile> | null;
  if (r === null || typeof r !== "object" || r.suite !== "experiments" || typeof r.claims !== "object") {
    throw new UsageError(`--results: '${file}' is not an experiments results file (no suite "experiments")`);
  }
  return { suite: "experiments", version: r.version ?? RESULTS_VERSION, claims: r.claims ?? {} };
}

/** Store one claim's result: read the file, replace the entry, write temp + rename. */
export function storeResult(file: string, result: ClaimResult): void {
  const all = readResults(file);
  all.claims[result.id] = result;
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(all, null, 2) + "\n");
  fs.renameSync(tmp, file);
}
