/**
 * One sweep job on a worker: validate it (src/sweeps/queue.ts), then train it with the ordinary trainer into
 * `<store>/<run>/`, the same run directory as `saddle train` writes. A job that comes back after its worker
 * died resumes from the run's last checkpoint (exact on wasm: the same result as an uninterrupted run); a run
 * whose summary already says it finished is returned as it is, without training again.
 *
 * The result carries the summary and every metrics row, so a submitter can build the report from the job
 * alone where the store is not mounted.
 */
import fs from "node:fs";
import path from "node:path";
import { RunDir } from "../runs/run-dir.ts";
import { runTraining, type TrainSummary } from "../cli/train.ts";
import { specHash, validateJob } from "./queue.ts";

export interface RunJobResult {
  v: 1;
  /** The run's directory name in the store. */
  run: string;
  /** The summary as the worker wrote it (runDir is the worker's path). */
  summary: TrainSummary;
  /** metrics.jsonl, one object per evaluation. */
  metrics: Record<string, unknown>[];
  /** Step the worker started from: 0, or the checkpoint a retried job resumed at. */
  resumedFrom: number;
}

/** The summary in `dir` if it records a finished run of exactly this spec, else null. */
function finishedSummary(dir: string, hash: string): TrainSummary | null {
  try {
    const s = JSON.parse(fs.readFileSync(path.join(dir, "summary.json"), "utf8")) as TrainSummary;
    return (s.status === "completed" || s.status === "diverged") && specHash(s.spec) === hash ? s : null;
  } catch {
    return null;
  }
}

export async function runJob(
  jobId: string | undefined,
  data: unknown,
  store: string,
  hooks: {
    onStep?: (step: number, steps: number) => void;
    shouldStop?: () => boolean;
    threads?: number;
  } = {},
): Promise<RunJobResult> {
  const { spec, run, dir } = validateJob(jobId, data, store);
  const hash = specHash(spec);
  const done = finishedSummary(dir, hash);
  const runDir = new RunDir(dir);
  if (done) return { v: 1, run, summary: done, metrics: runDir.readMetrics(), resumedFrom: done.step };
  let resumedFrom = 0;
  let where: { resume: string } | { dir: string } = { dir };
  if (fs.existsSync(runDir.specPath) && runDir.checkpointSteps().length > 0) {
    const steps = runDir.checkpointSteps();
    resumedFrom = steps[steps.length - 1];
    where = { resume: dir };
  }
  const summary = await runTraining(spec, where, {
    quiet: true,
    shouldStop: hooks.shouldStop,
    threads: hooks.threads ?? "auto",
    onStep: (t) => hooks.onStep?.(t, spec.steps),
  });
  return { v: 1, run, summary, metrics: runDir.readMetrics(), resumedFrom };
}
