/**
 * One DCGAN iteration (one D step + one G step: an alternating round, D first, non-saturating loss,
 * Adam(2e-4, 0.5, 0.999), float32, batch 64, MNIST) with REFERENCE.md's pair — "z 64 → fc 128·7·7 →
 * convT 64 → convT 1; D conv 64 → conv 128 → fc" — timed with saddle's im2col convolutions (and, with
 * `--lax`, jax-js's own `lax.conv`) beside PyTorch CPU (../shared/baselines/torch_gan_cpu.py dcgan, Debian's
 * python3-torch, when installed). Printed, never asserted. The target: ≤ 3× PyTorch CPU.
 * On wasm it times one thread (synchronous reads, jax-js's default in Node) and the worker pool on every
 * core (`train --threads`, src/engine/wasm-threads.ts; `--threads N` picks N), and then the iteration of the
 * PyTorch script itself, whose G step reuses the D step's `fake = G(z)` (`--reuse-fake`).
 * Usage: npm run bench:dcgan [-- --steps 20 --lax --device wasm|webgpu --threads N]
 */
import "./install-threads.ts"; // first: jax-js picks its worker pool when it is imported
import { spawnSync } from "node:child_process";
import fs from "node:fs";
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
  const method = createMethod(game, {
    name: "alternating",
    lr: [2e-4, 2e-4],
    optimizer: ["adam", "adam"],
    betas: [0.5, 0.999],
    first: 1,
    reuseFake: reuse,
  });
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

const rows: [string, string][] = [];
const one = await time("im2col", steps);
rows.push([
  `saddle, im2col conv (${device}${device === "wasm" ? ", 1 thread" : ""})`,
  `${one.toFixed(1)} ms`,
]);
let im2col = one;
if (device === "wasm" && wasmPoolSize() > 1) {
  const many = await time("im2col", steps, true);
  rows.push([`saddle, im2col conv (wasm, ${wasmPoolSize()} threads)`, `${many.toFixed(1)} ms`]);
  im2col = Math.min(one, many);
}
{
  const pool = device === "wasm" && wasmPoolSize() > 1;
  const shared = await time("im2col", steps, pool, true);
  const where = pool ? `wasm, ${wasmPoolSize()} threads` : device;
  rows.push([`saddle, --reuse-fake (${where}; PyTorch's loop)`, `${shared.toFixed(1)} ms`]);
  im2col = Math.min(im2col, shared);
}
if (process.argv.includes("--lax")) {
  const lax = await time("lax", Math.max(2, Math.floor(steps / 10)));
  rows.push([`saddle, jax-js lax.conv (${device})`, `${lax.toFixed(1)} ms`]);
}

let torchMs: number | null = null;
let torch = "not installed (apt-get install python3-torch)";
const script = path.resolve("../shared/baselines/torch_gan_cpu.py");
if (fs.existsSync(script) && fs.existsSync("/usr/bin/python3")) {
  try {
    const r = spawnSync("/usr/bin/python3", [script, "dcgan", "--steps", "20", "--mnist-dir", mnistDir()], {
      encoding: "utf8",
      env: { ...process.env, OPENBLAS_NUM_THREADS: "1" },
    });
    // the script prints "ms/iter (1 D step + 1 G step): median=… " (wall clock) and then a CPU-time line
    const out = `${r.stdout}\n${r.stderr}`;
    const m = /ms\/iter \(1 D step[^:]*: median=([\d.]+)/.exec(out);
    torchMs = m ? Number(m[1]) : null;
    torch = m
      ? `${m[1]} ms (wall, 2 threads)`
      : r.error
        ? `failed: ${r.error.message}`
        : `no timing in its output: ${out.trim().split("\n").pop() ?? "?"}`;
  } catch (e) {
    torch = `failed: ${(e as Error).message.split("\n")[0]}`;
  }
}
rows.push(["PyTorch CPU (torch_gan_cpu.py dcgan, measured now)", torch]);
rows.push(["PyTorch CPU (REFERENCE.md, idle machine)", "144 ms"]);
if (torchMs)
  rows.push(["ratio saddle (best row) / PyTorch (now)", `${(im2col / torchMs).toFixed(2)}× (target ≤ 3×)`]);
rows.push(["ratio saddle (best row) / PyTorch (REFERENCE 144 ms)", `${(im2col / 144).toFixed(2)}×`]);
console.log("DCGAN iteration (batch 64, REFERENCE.md's pair, Adam, non-saturating, float32), median");
for (const [k, v] of rows) console.log(`${k.padEnd(52)} ${v}`);
