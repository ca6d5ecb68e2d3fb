/**
 * What `saddle train` costs beyond its steps: the trainer's ms per step at the default evaluation interval
 * (evaluation every 500 steps, checkpoints, metrics, progress) beside the raw jitted step of the same GAN (the
 * MLP pair of bench/gan.bench.ts: ring, batch 256, non-saturating, alternating Adam(2e-4, 0.5, 0.999), float32,
 * wasm), and PyTorch CPU's iteration of the same pair for scale. The trainer's rate is the difference of two
 * runs, `--short` and `--long` steps, so start-up and compilation cancel:
 *
 *   ms/step(train) = (wall(long) − wall(short)) / (long − short)
 *
 * Target (issue 17): train within 10 % of the raw step, i.e. overhead ≤ 1.10×. Printed, never asserted.
 * Usage: npm run bench:train [-- --short 200 --long 1200 --json]
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { ring } from "../src/data/toy2d/ring.ts";
import { useDevice } from "../src/engine/device.ts";
import { keyStream } from "../src/engine/rng.ts";
import * as T from "../src/engine/tree.ts";
import { gan } from "../src/games/gan.ts";
import type { Joint } from "../src/games/game.ts";
import { createMethod } from "../src/methods/registry.ts";
import { stepDigest } from "../src/train/step-digest.ts";
import { medianMs, refuseRatio, runPython, torchBlas } from "./torch-baseline.ts";
import { referenceMethod } from "./reference-method.ts";

const arg = (name: string, dflt: string): number => {
  const i = process.argv.indexOf(`--${name}`);
  const text = i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : dflt;
  const v = Number(text);
  if (!Number.isInteger(v) || v < 1) {
    console.error(`bench:train: --${name}: ${JSON.stringify(text)}: expected an integer ≥ 1`);
    process.exit(2);
  }
  return v;
};
const short = arg("short", "200");
const long = arg("long", "1200");
if (long <= short) {
  console.error(`bench:train: --long: ${long}: expected more steps than --short (${short})`);
  process.exit(2);
}
const json = process.argv.includes("--json");

await useDevice("wasm");

/** Median ms of the raw alternating round, read back through the trainer's one digest per step. */
function rawStepMs(steps: number): number {
  const game = gan({ data: ring(), batch: 256, objective: "non-saturating" });
  const method = createMethod(game, referenceMethod());
  let w: Joint = game.init();
  const keys = keyStream(0, "noise");
  let s = method.init(w, keys.next());
  const times: number[] = [];
  for (let t = 0; t < steps + 5; t++) {
    const t0 = performance.now();
    [w, s] = method.step(w, s, keys.next());
    stepDigest(w, s).dataSync();
    if (t >= 5) times.push(performance.now() - t0);
  }
  T.dispose(w);
  T.dispose(s);
  keys.dispose();
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

/** Wall seconds of `saddle train` for `steps` steps (its own --json summary), in a fresh folder. */
function trainWall(steps: number): number {
  const out = mkdtempSync(path.join(tmpdir(), "saddle-bench-train-"));
  try {
    const text = execFileSync(
      process.execPath,
      [
        path.resolve("bin/saddle.js"),
        "train",
        ...["--data", "ring", "--batch", "256", "--objective", "non-saturating", "--method", "alternating"],
        ...["--optimizer", "adam", "--lr-g", "2e-4", "--lr-d", "2e-4", "--betas", "0.5,0.999"],
        ...["--steps", String(steps), "--out", out, "--json"],
      ],
      { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 64 << 20 },
    );
    const summary = JSON.parse(text) as { wallSeconds: number; status: string };
    if (summary.status !== "completed") throw new Error(`train ${steps} steps: status ${summary.status}`);
    return summary.wallSeconds;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const rawMs = rawStepMs(200);
const wShort = trainWall(short);
const wLong = trainWall(long);
const trainMs = ((wLong - wShort) * 1000) / (long - short);
const status = torchBlas(2);
const refusal = refuseRatio(status);
let torchMs: number | null = null;
if (status.ok) {
  try {
    torchMs = medianMs(
      runPython(path.resolve("../shared/baselines/torch_gan_cpu.py"), [
        "mlp",
        "--steps",
        "50",
        "--threads",
        "2",
      ]),
    );
  } catch (e) {
    console.error(`bench:train: PyTorch baseline failed: ${(e as Error).message}`);
  }
}
const result = {
  rawStepMs: rawMs,
  trainMsPerStep: trainMs,
  overhead: trainMs / rawMs,
  trainStepsPerSecond: 1000 / trainMs,
  rawStepsPerSecond: 1000 / rawMs,
  torchMs,
  ratioTrainVsTorch: torchMs !== null && refusal === null ? trainMs / torchMs : null,
  blas: status.ok ? `${status.blas.kind} (${status.blas.library})` : status.why,
  short,
  long,
  loadAverage: loadavg()[0],
};
if (json) console.log(JSON.stringify(result, null, 2));
else {
  console.log("MLP GAN (ring, batch 256, alternating Adam), wasm float32: `saddle train` vs its raw step");
  console.log(
    `  raw jitted step + digest read: ${rawMs.toFixed(2)} ms (${result.rawStepsPerSecond.toFixed(1)} steps/s)`,
  );
  console.log(
    `  saddle train (eval every 500, checkpoints, metrics), (wall(${long}) − wall(${short})) / ${long - short}: ` +
      `${trainMs.toFixed(2)} ms (${result.trainStepsPerSecond.toFixed(1)} steps/s)   overhead ${result.overhead.toFixed(2)}× (target ≤ 1.10×)`,
  );
  console.log(
    `  PyTorch CPU iteration: ${torchMs === null ? "—" : `${torchMs.toFixed(2)} ms`}` +
      (result.ratioTrainVsTorch === null
        ? refusal
          ? ` — no ratio: ${refusal}`
          : ""
        : `   train/PyTorch = ${result.ratioTrainVsTorch.toFixed(2)}×`),
  );
  console.log(`  load average: ${result.loadAverage.toFixed(2)} (both sides slow down under load)`);
}
