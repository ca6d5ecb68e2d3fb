/**
 * How a sweep's runs get trained. `compare` (and `reproduce`'s comparisons) plan every (method, seed) run as a
 * validated spec, hand the list to a runner, and build one table from the outcomes, whichever runner it was:
 * `localRunner` trains them one after another in this process (the default), `queueRunner`
 * (src/sweeps/submit.ts) fans them out over `saddle worker`s through BullMQ.
 */
import type { ExperimentSpec } from "../spec/experiment.ts";
import type { EvalRow } from "../train/trainer.ts";
import { runTraining, type TrainSummary } from "../cli/train.ts";

/** One run of a sweep: the method entry it belongs to, its seed and its full spec. */
export interface PlannedRun {
  entry: number;
  label: string;
  seed: number;
  spec: ExperimentSpec;
}

/** What a run left: the trainer's summary fields, or `failed` with its one-line error. */
export interface RunOutcome {
  spec: ExperimentSpec;
  runDir: string;
  status: TrainSummary["status"] | "failed";
  error?: string;
  divergence: TrainSummary["divergence"];
  metrics: EvalRow | null;
  wallSeconds: number;
  /** Queued runs: when the job was enqueued, last started and finished (ms since the epoch). */
  timing?: { enqueuedAt: number; startedAt: number; finishedAt: number };
  /** Queued runs: the checkpoint step the final attempt resumed from (0 = from the start). */
  resumedFrom?: number;
}

export interface RunnerOptions {
  quiet: boolean;
  shouldStop?: () => boolean;
}

/** Train `runs` under `runsRoot`; outcomes in the order of `runs` (fewer if stopped). */
export type SweepRunner = (
  runs: PlannedRun[],
  runsRoot: string,
  opts: RunnerOptions,
) => Promise<RunOutcome[]>;

/** Every run in this process, in order; stops between runs (and inside one, with a checkpoint) on request. */
export const localRunner: SweepRunner = async (runs, runsRoot, opts) => {
  const out: RunOutcome[] = [];
  for (const r of runs) {
    if (opts.shouldStop?.()) break;
    out.push(
      await runTraining(
        r.spec,
        { out: runsRoot },
        { quiet: opts.quiet, label: `${r.label} seed ${r.seed}`, shouldStop: opts.shouldStop },
      ),
    );
  }
  return out;
};
