/**
 * The submitting side of a queued sweep (`compare --queue`, `reproduce --queue`): check that Redis answers,
 * enqueue every run as a BullMQ job whose id is its spec's hash (a run already queued, running or done is
 * found, not added again; one that failed before is retried), show one progress line over the sweep (queued /
 * running / done / failed, ETA), and return each run's outcome from its job's result.
 *
 * The run store: workers write `<their --store>/<run>/`; the outcome's runDir is `<store>/<run>` as this
 * machine sees the same shared folder. Metrics and summaries come back in the job's result, so the table and
 * report need no file from the store.
 */
import path from "node:path";
import { Queue, QueueEvents, type Job } from "bullmq";
import { progress } from "../cli/progress.ts";
import type { TrainSummary } from "../cli/train.ts";
import {
  checkReachable,
  connectionOptions,
  jobDataOf,
  jobIdOf,
  QUEUE_NAME,
  type QueueUrl,
  type RunJobData,
} from "./queue.ts";
import type { RunJobResult } from "./run-job.ts";
import type { RunOutcome, SweepRunner } from "./runner.ts";

/** Attempts per job for crashes (a child killed, an unexpected error); bad input fails at the first. */
export const JOB_ATTEMPTS = 3;

type State = "queued" | "running" | "done" | "failed";

function stateOf(s: string): State {
  if (s === "active") return "running";
  if (s === "completed") return "done";
  if (s === "failed") return "failed";
  return "queued";
}

/** Outcome of a finished job, its runDir under `store`. */
function outcomeOf(job: Job<RunJobData, RunJobResult>, store: string): RunOutcome {
  const timing = {
    enqueuedAt: job.timestamp,
    startedAt: job.processedOn ?? NaN,
    finishedAt: job.finishedOn ?? NaN,
  };
  const res = job.returnvalue;
  if (job.failedReason || !res) {
    return {
      spec: job.data.spec,
      runDir: path.join(store, job.data.run),
      status: "failed",
      error: String(job.failedReason ?? "no result").split("\n")[0],
      divergence: null,
      metrics: null,
      wallSeconds: NaN,
      timing,
    };
  }
  const summary: TrainSummary = { ...res.summary, runDir: path.join(store, res.run) };
  return { ...summary, timing, resumedFrom: res.resumedFrom };
}

/** A runner that enqueues on `queue` and waits; runs land in `store` (default: the sweep's runs folder). */
export function queueRunner(queue: QueueUrl, store?: string): SweepRunner {
  return async (runs, runsRoot, opts) => {
    await checkReachable(queue);
    const where = store ?? runsRoot;
    const connection = connectionOptions(queue);
    const q = new Queue<Job<RunJobData, RunJobResult, string>>(QUEUE_NAME, { connection });
    const events = new QueueEvents(QUEUE_NAME, { connection });
    q.on("error", () => {});
    events.on("error", () => {});
    // one waitUntilFinished listener per run on each
    q.setMaxListeners(runs.length + 16);
    events.setMaxListeners(2 * runs.length + 16);
    try {
      await events.waitUntilReady();
      const ids = runs.map((r) => jobIdOf(r.spec));
      const states = new Map<string, State>();
      const bar = progress(`sweep of ${runs.length} runs`, runs.length, opts.quiet);
      const draw = () => {
        const n = { queued: 0, running: 0, done: 0, failed: 0 };
        for (const s of states.values()) n[s]++;
        bar.tick(
          n.done + n.failed,
          `queued ${n.queued} running ${n.running} done ${n.done} failed ${n.failed}`,
        );
      };
      const set = (id: string, s: State) => {
        if (!states.has(id)) return;
        states.set(id, s);
        draw();
      };
      events.on("active", ({ jobId }) => set(jobId, "running"));
      events.on("waiting", ({ jobId }) => set(jobId, "queued"));
      events.on("delayed", ({ jobId }) => set(jobId, "queued"));
      events.on("stalled", ({ jobId }) => set(jobId, "queued"));
      events.on("completed", ({ jobId }) => set(jobId, "done"));
      events.on("failed", ({ jobId }) => set(jobId, "failed"));
      const jobs = await q.addBulk(
        runs.map((r, i) => ({
          name: r.label,
          data: jobDataOf(r.spec),
          opts: { jobId: ids[i], attempts: JOB_ATTEMPTS, backoff: { type: "fixed", delay: 1000 } },
        })),
      );
      for (const id of ids) {
        const job = await q.getJob(id);
        let s = (await job?.getState()) ?? "unknown";
        if (s === "failed" && job) {
          await job.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true }); // a new sweep tries it again
          s = "waiting";
        }
        states.set(id, stateOf(s));
      }
      draw();
      const waits = Promise.all(jobs.map((j) => j.waitUntilFinished(events).catch(() => undefined)));
      let timer: NodeJS.Timeout | undefined;
      const stop = new Promise<"stopped">((resolve) => {
        timer = setInterval(() => opts.shouldStop?.() && resolve("stopped"), 200);
      });
      const ended = await Promise.race([waits.then(() => "finished" as const), stop]);
      clearInterval(timer);
      bar.done();
      if (ended === "stopped") return []; // the jobs stay queued; a later submission of the same sweep finds them
      const out: RunOutcome[] = [];
      for (const id of ids) {
        const job = await q.getJob(id);
        if (job) out.push(outcomeOf(job, where));
      }
      return out;
    } finally {
      await events.close();
      await q.close();
    }
  };
}
