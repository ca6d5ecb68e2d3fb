/**
 * `saddle reproduce experiments`: the lectures' empirical claims on real GANs (issue 19), each a module of
 * src/experiments/ with its relation, thresholds and budgets fixed in code. Claims run in the order below;
 * each result is stored in the results file as it completes (src/experiments/results-file.ts), a rerun skips
 * the claims already stored at the same budget mode, `only` picks claims by id, `force` reruns them.
 */
import { UsageError } from "../engine/errors.ts";
import { bilinearMomentumSweep } from "./bilinear-momentum-sweep.ts";
import { consensusMescheder } from "./consensus-mescheder.ts";
import { currentCommit, hardware, type BudgetMode, type ClaimResult, type Experiment } from "./experiment.ts";
import { mixturesProtocolGrid, mixturesProtocolRing } from "./mixtures-protocol.ts";
import { readResults, storeResult } from "./results-file.ts";
import { unrolledCoverage } from "./unrolled-coverage.ts";

/** Every experiment, in priority order. */
export const EXPERIMENTS: readonly Experiment[] = [
  mixturesProtocolRing,
  mixturesProtocolGrid,
  consensusMescheder,
  unrolledCoverage,
  bilinearMomentumSweep,
];

/** The experiments named by a comma-separated id list (all when undefined); an unknown id is a UsageError. */
export function selectExperiments(only: string | undefined): Experiment[] {
  if (only === undefined) return [...EXPERIMENTS];
  const ids = only
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const known = EXPERIMENTS.map((e) => e.id);
  const bad = ids.find((id) => !known.includes(id));
  if (bad !== undefined || ids.length === 0) {
    throw new UsageError(`--only: unknown claim id '${bad ?? only}'; allowed: ${known.join(", ")}`);
  }
  return EXPERIMENTS.filter((e) => ids.includes(e.id));
}

export interface SuiteOptions {
  results: string;
  mode: BudgetMode;
  only?: string;
  force?: boolean;
  /** Before each claim: its id, index and count, and whether it is skipped (already stored). */
  onStart?: (e: Experiment, index: number, count: number, skipped: boolean) => void;
  /** Progress within a claim. */
  onTick?: (e: Experiment, done: number, total: number) => void;
}

/** Runs the selected claims; returns every selected claim's result (stored or new) and which ran now. */
export async function runExperiments(
  o: SuiteOptions,
): Promise<{ results: ClaimResult[]; ran: string[]; skipped: string[] }> {
  const chosen = selectExperiments(o.only);
  const ran: string[] = [];
  const skipped: string[] = [];
  const results: ClaimResult[] = [];
  const commit = currentCommit();
  for (const [i, e] of chosen.entries()) {
    const stored = readResults(o.results).claims[e.id];
    if (o.force !== true && stored !== undefined && stored.mode === o.mode) {
      o.onStart?.(e, i, chosen.length, true);
      skipped.push(e.id);
      results.push(stored);
      continue;
    }
    o.onStart?.(e, i, chosen.length, false);
    const t0 = performance.now();
    const out = await e.run({ mode: o.mode, tick: (d, t) => o.onTick?.(e, d, t) });
    const r: ClaimResult = {
      id: e.id,
      relation: e.relation,
      source: e.source,
      threshold: e.threshold,
      mode: o.mode,
      budget: e.budget[o.mode],
      ...out,
      wallSeconds: (performance.now() - t0) / 1000,
      commit,
      hardware: hardware(),
      finishedAt: new Date().toISOString(),
    };
    storeResult(o.results, r);
    ran.push(e.id);
    results.push(r);
  }
  return { results, ran, skipped };
}
