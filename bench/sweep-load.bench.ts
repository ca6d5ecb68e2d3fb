/**
 * Load of a queued sweep: N tiny training runs (default 200: 2 methods × 100 seeds, 10 steps of 8-unit MLPs)
 * enqueued through BullMQ on a local `redis-server` (free loopback port) and trained by W local `saddle worker`
 * processes (default 4). Prints runs/s over the whole sweep and the queue latency (enqueue → a worker starts the
 * job) and run time (start → finish) at p50 / p95, and writes docs/sweep-load.png (runs finished over time).
 * Printed, never asserted. Usage: npm run bench:sweep [-- --workers 4 --seeds 100 --steps 10]
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { planSweep } from "../src/workflows/compare.ts";
import { writePlot } from "../src/report/render.ts";
import { parseSpec } from "../src/spec/experiment.ts";
import { parseQueueUrl } from "../src/sweeps/queue.ts";
import { queueRunner } from "../src/sweeps/submit.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : dflt;
};
const nWorkers = Number(arg("workers", "4"));
const seeds = Number(arg("seeds", "100"));
const steps = Number(arg("steps", "10"));
const plotFile = arg("plot", path.join(ROOT, "docs/sweep-load.png"));

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  const v = [...xs].sort((a, b) => a - b);
  return v[Math.min(v.length - 1, Math.floor((p / 100) * v.length))];
};

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "saddle-sweep-load-"));
const port = await freePort();
const redis = spawn(
  "redis-server",
  ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
  {
    stdio: "ignore",
  },
);
const url = `redis://127.0.0.1:${port}`;
const store = path.join(tmp, "store");
const workers: ChildProcess[] = [];
try {
  await sleep(500);
  for (let i = 0; i < nWorkers; i++) {
    workers.push(
      spawn(
        process.execPath,
        [path.join(ROOT, "bin/saddle.js"), "worker", "--queue", url, "--store", store],
        {
          cwd: ROOT,
          stdio: "ignore",
        },
      ),
    );
  }
  const base = parseSpec({
    data: "ring",
    steps,
    batch: 32,
    evalEvery: steps,
    evalSamples: 200,
    checkpointEvery: steps,
    keepCheckpoints: 1,
    generator: { hidden: [8] },
    discriminator: { hidden: [8] },
  });
  const { runs } = planSweep(base, ["alt-gda", "extragradient"], seeds);
  const t0 = Date.now();
  const outcomes = await queueRunner(parseQueueUrl(url), store)(runs, store, { quiet: false });
  const wall = (Date.now() - t0) / 1000;
  const ok = outcomes.filter((o) => o.status === "completed");
  const wait = outcomes.map((o) => (o.timing ? o.timing.startedAt - o.timing.enqueuedAt : NaN) / 1000);
  const run = outcomes.map((o) => (o.timing ? o.timing.finishedAt - o.timing.startedAt : NaN) / 1000);
  const first = Math.min(...outcomes.map((o) => o.timing?.enqueuedAt ?? Infinity));
  const finishes = outcomes.map((o) => ((o.timing?.finishedAt ?? NaN) - first) / 1000).sort((a, b) => a - b);
  const steady =
    finishes.length > 20 ? (finishes.length - 10) / (finishes[finishes.length - 1] - finishes[9]) : NaN;
  const lines = [
    `sweep-load: ${runs.length} runs (${steps} steps each), ${nWorkers} workers, ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? "?"})`,
    `  completed ${ok.length}/${runs.length} in ${wall.toFixed(1)} s: ${(runs.length / wall).toFixed(2)} runs/s overall, ${steady.toFixed(2)} runs/s after the first 10 (workers warm)`,
    `  queue latency (enqueued → started): p50 ${pct(wait, 50).toFixed(2)} s, p95 ${pct(wait, 95).toFixed(2)} s, min ${Math.min(...wait).toFixed(2)} s`,
    `  run time on a worker (started → finished): p50 ${pct(run, 50).toFixed(2)} s, p95 ${pct(run, 95).toFixed(2)} s`,
  ];
  process.stdout.write(lines.join("\n") + "\n");
  await writePlot(plotFile, {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: `${runs.length} runs over ${nWorkers} local workers (${os.availableParallelism()} cores)`,
    width: 520,
    height: 300,
    data: { values: finishes.map((t, i) => ({ t, done: i + 1 })) },
    mark: { type: "line", interpolate: "step-after" },
    encoding: {
      x: { field: "t", type: "quantitative", title: "seconds since the sweep was enqueued" },
      y: { field: "done", type: "quantitative", title: "runs finished" },
    },
  });
  process.stdout.write(`  plot: ${path.relative(process.cwd(), plotFile)}\n`);
} finally {
  for (const w of workers) w.kill("SIGTERM");
  await sleep(1000);
  for (const w of workers) if (w.exitCode === null) w.kill("SIGKILL");
  redis.kill("SIGKILL");
  fs.rmSync(tmp, { recursive: true, force: true });
}
