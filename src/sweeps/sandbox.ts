/**
 * The BullMQ sandboxed processor of `saddle worker` (src/sweeps/worker.ts): BullMQ forks this module in a child
 * process, so a crash, an out-of-memory kill or a SIGKILL of a run takes down that child, not the worker; the
 * job then fails this attempt and is retried, resuming from the run's last checkpoint.
 *
 * The child exits at once when its worker goes away (the IPC channel closes), so that a run never trains on
 * unsupervised: BullMQ's stalled-job check hands the job to another worker after the lock expires. On SIGTERM /
 * SIGINT the run stops at the next step with a checkpoint, and the attempt fails so that the job is retried.
 * Bad input (a UsageError: a spec the schema rejects, a missing data file, a path outside --store) fails the
 * job once, as BullMQ's UnrecoverableError.
 */
import type { SandboxedJob } from "bullmq";

// As bin/saddle.js: the wasm thread pool before jax-js is first imported, then the kernel-hash memo.
const { installWasmThreads } = await import("../engine/wasm-threads.ts");
const threads = installWasmThreads(Math.max(1, Number(process.env.SADDLE_SWEEP_THREADS ?? 1)));
const { installKernelHashMemo } = await import("../engine/kernel-hash-memo.ts");
await installKernelHashMemo();
const { UnrecoverableError } = await import("bullmq");
const { UsageError } = await import("../engine/errors.ts");
const { runJob } = await import("./run-job.ts");

let stop = false;
process.on("disconnect", () => process.exit(1));
process.on("SIGTERM", () => (stop = true));
process.on("SIGINT", () => (stop = true));

/** Seconds between progress reports (BullMQ job progress: {step, steps}). */
const PROGRESS_EVERY_MS = 1000;

export default async function processRun(job: SandboxedJob): Promise<unknown> {
  const store = process.env.SADDLE_SWEEP_STORE;
  if (store === undefined) throw new Error("SADDLE_SWEEP_STORE is not set (the worker sets it)");
  let lastReport = 0;
  try {
    const res = await runJob(job.id, job.data, store, {
      threads: Math.max(1, threads),
      shouldStop: () => stop,
      onStep: (step, steps) => {
        const now = Date.now();
        if (now - lastReport < PROGRESS_EVERY_MS && step < steps) return;
        lastReport = now;
        void job.updateProgress({ step, steps });
      },
    });
    if (res.summary.status === "interrupted") {
      throw new Error(`worker stopped at step ${res.summary.step}; the run resumes from its checkpoint`);
    }
    return res;
  } catch (e) {
    if (e instanceof UsageError) throw new UnrecoverableError(e.message.split("\n")[0]);
    throw e;
  }
}
