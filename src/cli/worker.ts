/**
 * `saddle worker --queue redis://host:port`: take training runs from the sweep queue and run them with the
 * ordinary trainer, each in a sandboxed child process, into `--store` (a folder every worker and the
 * submitter reach). Also the `--queue` / `--store` flags of `compare` and `reproduce`. BullMQ and Redis are
 * loaded only when a queue is named.
 */
import { Command } from "commander";
import fs from "node:fs";
import { UsageError } from "../engine/errors.ts";
import type { SweepRunner } from "../sweeps/runner.ts";
import { parseNumber } from "./args.ts";
import { str, type RawFlags } from "./common.ts";

export function addQueueFlags(cmd: Command): Command {
  return cmd
    .option(
      "--queue <url>",
      "train the runs on `saddle worker`s through this Redis: redis://[:password@]host:port[/db]",
    )
    .option(
      "--store <dir>",
      "with --queue: the run store (shared folder) as this machine mounts it (default: <out>/runs)",
    );
}

/** The queued runner of --queue (Redis checked now, before any work), or undefined without --queue. */
export async function runnerFromFlags(flags: RawFlags): Promise<SweepRunner | undefined> {
  const raw = str(flags, "queue");
  const store = str(flags, "store");
  if (raw === undefined) {
    if (store !== undefined)
      throw new UsageError("--store: applies with --queue (runs on workers); remove it or add --queue");
    return undefined;
  }
  const { parseQueueUrl, checkReachable } = await import("../sweeps/queue.ts");
  const q = parseQueueUrl(raw);
  if (store !== undefined && fs.existsSync(store) && !fs.statSync(store).isDirectory()) {
    throw new UsageError(`--store: '${store}' is not a directory`);
  }
  await checkReachable(q);
  const { queueRunner } = await import("../sweeps/submit.ts");
  return queueRunner(q, store);
}

export function workerCommand(): Command {
  return new Command("worker")
    .description(
      "run training jobs from a sweep queue (compare/reproduce --queue), each in a sandboxed process",
    )
    .requiredOption("--queue <url>", "Redis of the queue: redis://[:password@]host:port[/db]")
    .option("--concurrency <n>", "runs at a time (each in its own process)", "1")
    .option("--store <dir>", "run store: the shared folder runs are written to (<store>/<run>/)", "runs")
    .option(
      "--stall-seconds <s>",
      "a run whose worker stops renewing its lock this long is handed to another worker (resumes from its last checkpoint)",
      "30",
    )
    .option("--json", "one JSON object per line for each job started, completed or failed")
    .addHelpText(
      "after",
      `
The store must be the same folder for every worker and the submitter (NFS, a cluster file system); see
docs/sweeps.md. Ctrl-C or SIGTERM stops the worker; its runs go back to the queue and resume elsewhere from
their last checkpoint.

Examples:
  saddle worker --queue redis://queue-host:6379 --store /shared/saddle-runs --concurrency 4
  saddle compare --data ring --methods alt-gda,extragradient --seeds 5 --queue redis://queue-host:6379 --store /shared/saddle-runs`,
    );
}

export async function runWorkerCommand(flags: RawFlags): Promise<number> {
  const { parseQueueUrl, checkReachable } = await import("../sweeps/queue.ts");
  const q = parseQueueUrl(str(flags, "queue") ?? "");
  const concurrency = parseNumber("--concurrency", str(flags, "concurrency") ?? "1", {
    integer: true,
    min: 1,
    max: 256,
  });
  const stallSeconds = parseNumber("--stall-seconds", str(flags, "stallSeconds") ?? "30", {
    min: 1,
    max: 86_400,
  });
  const store = str(flags, "store") ?? "runs";
  if (fs.existsSync(store) && !fs.statSync(store).isDirectory())
    throw new UsageError(`--store: '${store}' is not a directory`);
  await checkReachable(q); // before anything is written
  try {
    fs.mkdirSync(store, { recursive: true });
  } catch (e) {
    throw new UsageError(
      `--store: cannot create '${store}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
    );
  }
  const { startWorker } = await import("../sweeps/worker.ts");
  const json = flags.json === true;
  const worker = startWorker({ queue: q, store, concurrency, stallSeconds }, (e) => {
    if (json) process.stdout.write(JSON.stringify(e) + "\n");
    else if (e.event === "started") process.stdout.write(`started    ${e.run}\n`);
    else if (e.event === "completed")
      process.stdout.write(
        `${e.status.padEnd(10)} ${e.run} (${e.wallSeconds.toFixed(1)} s${e.resumedFrom > 0 ? `, resumed at step ${e.resumedFrom}` : ""})\n`,
      );
    else process.stdout.write(`${e.final ? "failed" : "retrying"}   ${e.run}: ${e.error}\n`);
  });
  await worker.waitUntilReady();
  if (!json) process.stderr.write(`saddle worker: ${q.shown}, ${concurrency} at a time, store ${store}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await worker.close(true);
  return 0;
}
