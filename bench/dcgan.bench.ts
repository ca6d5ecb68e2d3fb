/**
 * One DCGAN iteration (one D step + one G step: an alternating round, D first, non-saturating loss,
 * Adam(2e-4, 0.5, 0.999), float32, batch 64, MNIST) with REFERENCE.md's pair — "z 64 → fc 128·7·7 →
 * convT 64 → convT 1; D conv 64 → conv 128 → fc" — timed with saddle's im2col convolutions (and, with
 * `--lax`, jax-js's own `lax.conv`) beside PyTorch CPU (../shared/baselines/torch_gan_cpu.py dcgan, Debian's
 * python3-torch, when installed). Printed, never asserted.
 * On wasm it times one thread (synchronous reads, jax-js's default in Node) and the worker pool on every
 * core (`train --threads`, src/engine/wasm-threads.ts; `--threads N` picks N), and then the iteration of the
 * PyTorch script itself, whose G step reuses the D step's `fake = G(z)` (`--reuse-fake`).
 * A ratio is printed only against a torch on OpenBLAS (bench/torch-baseline.ts). Target: ≤ 2× PyTorch CPU.
 * Usage: npm run bench:dcgan [-- --steps 20 --lax --device wasm|webgpu --threads N --json]
 */
import "./install-threads.ts"; // first: jax-js picks its worker pool when it is imported
import path from "node:path";
import { random, type Array as JArray } from "@jax-js/jax";
import { loadImageDataset, mnistDir } from "../src/data/images.ts";
import type { ConvImpl } from "../src/engine/conv.ts";
import { useDevice, type DeviceName } from "../src/engine/device.ts";
import { wasmPoolSize } from "../src/engine/wasm-threads.ts";
import { keyFor } from "../src/engine/rng.ts";
import * as T from "../src/engine/tree.ts";
import { gan } from "../src/games/gan.ts";
import type { Joint } from "../src/games/game.ts";
import { createMethod } from "../src/methods/registry.ts";
import { dcgan, REFERENCE_DCGAN } from "../src/models/dcgan.ts";
import { stepDigest } from "../src/train/step-digest.ts";
import { medianMs, refuseRatio, runPython, torchBlas, type BenchRow } from "./torch-baseline.ts";
import { referenceMethod } from "./reference-method.ts";

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : dflt;
};
const steps = Number(arg("steps", "20"));
const device = arg("device", "wasm") as DeviceName;
await useDevice(device);
const data = loadImageDataset("mnist");

/**
 * Median ms of one iteration; `threaded` realises each step asynchronously (the worker pool runs it);
 * `reuse`: G's step reuses D's fake batch (`--reuse-fake`), the iteration pattern of the PyTorch baseline.
 */
async function time(impl: ConvImpl, n: number, threaded = false, reuse = false): Promise<number> {
  const game = gan({
    data,
    batch: 64,
    latentDim: 64,
    objective: "non-saturating",
    networks: dcgan({ ...REFERENCE_DCGAN, impl }),
  });
  const method = createMethod(game, referenceMethod(reuse));
  let w: Joint = game.init();
  let noise = keyFor(0, "noise");
  const next = (): JArray => {
    const ks = random.split(noise, 2);
    noise = ks.ref.slice(0);
    return ks.slice(1);
  };
  let s = method.init(w, next());
  const times: number[] = [];
  const warm = 3;
  for (let t = 0; t < n + warm; t++) {
    const t0 = performance.now();
    [w, s] = method.step(w, s, next());
    // read back through one array, as the trainer does (arrays are lazy; src/train/step-digest.ts)
    const digest = stepDigest(w, s);
    if (threaded) await digest.data();
    else digest.dataSync();
    if (t >= warm) times.push(performance.now() - t0);
  }
  T.dispose(w);
  T.dispose(s);
  noise.dispose();
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const json = process.argv.includes("--json");
const status = torchBlas(2);
const refusal = refuseRatio(status);
const blas = status.ok ? `${status.blas.kind} (${status.blas.library})` : status.why;
let torchMs: number | null = null;
if (status.ok) {
  try {
    const out = runPython(path.resolve("../shared/baselines/torch_gan_cpu.py"), [
      "dcgan",
      "--steps",
      "20",
      "--mnist-dir",
      mnistDir(),
    ]);
    torchMs = medianMs(out); // wall clock, 2 threads; its G step reuses D's fake batch
  } catch (e) {
    console.error(`bench:dcgan: PyTorch baseline failed: ${(e as Error).message}`);
  }
}
const rows: BenchRow[] = [];
const row = (name: string, saddleMs: number, saddleThreads: number): void => {
  rows.push({
    name,
    saddleMs,
    torchMs,
    ratio: torchMs !== null && refusal === null ? saddleMs / torchMs : null,
    blas,
    threads: { saddle: saddleThreads, torch: status.ok ? status.blas.threads : null },
  });
};
row(
  `saddle, im2col conv (${device}${device === "wasm" ? ", 1 thread" : ""})`,
  await time("im2col", steps),
  1,
);
const pool = device === "wasm" && wasmPoolSize() > 1;
if (pool)
  row(
    `saddle, im2col conv (wasm, ${wasmPoolSize()} threads)`,
    await time("im2col", steps, true),
    wasmPoolSize(),
  );
row(
  `saddle, --reuse-fake (${pool ? `wasm, ${wasmPoolSize()} threads` : device}; PyTorch's loop)`,
  await time("im2col", steps, pool, true),
  pool ? wasmPoolSize() : 1,
);
if (process.argv.includes("--lax")) {
  row(`saddle, jax-js lax.conv (${device})`, await time("lax", Math.max(2, Math.floor(steps / 10))), 1);
}
if (json) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  console.log("DCGAN iteration (batch 64, REFERENCE.md's pair, Adam, non-saturating, float32), median");
  console.log(
    `PyTorch baseline (torch_gan_cpu.py dcgan, measured now): ${torchMs === null ? "—" : `${torchMs.toFixed(1)} ms`}; ${blas}${refusal ? ` — no ratio: ${refusal}` : ""}`,
  );
  for (const r of rows) {
    const ratio = r.ratio === null ? "" : `   ${r.ratio.toFixed(2)}× PyTorch (target ≤ 2×)`;
    console.log(`  ${r.name.padEnd(52)} ${r.saddleMs.toFixed(1)} ms${ratio}`);
  }
}
