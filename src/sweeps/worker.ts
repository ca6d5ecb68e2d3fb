/**
 * A sweep worker: a BullMQ Worker on the `saddle-runs` queue that takes one training run per job and runs it
 * in a sandboxed child process (src/sweeps/sandbox.ts), `concurrency` at a time, into `store`.
 *
 * Faults (BullMQ's own machinery): the worker holds a lock on each active job and renews it every
 * `stallSeconds / 2`; when a worker dies its locks expire, and any live worker's stalled-job check (every
 * `stallSeconds`) moves the job back to the queue, where the next worker resumes it from the run's last
 * checkpoint. A job whose child crashes fails that attempt and is retried (attempts are set by the
 * submitter); bad input fails once.
 */
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker, type Job } from "bullmq";
import { connectionOptions, QUEUE_NAME, type QueueUrl, type RunJobData } from "./queue.ts";
import type { RunJobResult } from "./run-job.ts";

export interface WorkerOptions {
  queue: QueueUrl;
  store: string;
  concurrency: number;
  /** Lock duration and stalled-check interval, seconds. */
  stallSeconds: number;
  /** Times a job may be recovered from a dead worker before it fails. */
  maxStalls?: number;
}

export type WorkerEvent =
  | { event: "started"; job: string; run: string }
  | { event: "completed"; job: string; run: string; status: string; resumedFrom: number; wallSeconds: number }
  | { event: "failed"; job: string; run: string; error: string; attemptsMade: number; final: boolean };

const SANDBOX = path.join(path.dirname(fileURLToPath(import.meta.url)), "sandbox.ts");

/** Start a worker; `onEvent` hears each job start, completion and failure. */
export function startWorker(o: WorkerOptions, onEvent: (e: WorkerEvent) => void): Worker {
  const threads = Math.max(1, Math.floor(os.availableParallelism() / o.concurrency));
  const worker = new Worker<RunJobData, RunJobResult>(QUEUE_NAME, SANDBOX, {
    connection: connectionOptions(o.queue),
    concurrency: o.concurrency,
    lockDuration: o.stallSeconds * 1000,
    stalledInterval: o.stallSeconds * 1000,
    maxStalledCount: o.maxStalls ?? 3,
    workerForkOptions: {
      // the child loads TypeScript through tsx, as bin/saddle.js does
      execArgv: ["--import", import.meta.resolve("tsx")],
      env: {
        ...process.env,
        SADDLE_SWEEP_STORE: path.resolve(o.store),
        SADDLE_SWEEP_THREADS: String(threads),
      },
    },
  });
  const run = (job: Job<RunJobData> | undefined) => String(job?.data?.run ?? "?");
  worker.on("active", (job) => onEvent({ event: "started", job: String(job.id), run: run(job) }));
  worker.on("completed", (job, res) =>
    onEvent({
      event: "completed",
      job: String(job.id),
      run: run(job),
      status: res.summary.status,
      resumedFrom: res.resumedFrom,
      wallSeconds: res.summary.wallSeconds,
    }),
  );
  worker.on("failed", (job, err) =>
    onEvent({
      event: "failed",
      job: String(job?.id),
      run: run(job),
      error: err.message.split("\n")[0],
      attemptsMade: job?.attemptsMade ?? 0,
      final: err.name === "UnrecoverableError" || (job?.attemptsMade ?? 0) >= (job?.opts.attempts ?? 1),
    }),
  );
  worker.on("error", () => {}); // connection blips: ioredis reconnects; the lock check recovers jobs
  return worker;
}
