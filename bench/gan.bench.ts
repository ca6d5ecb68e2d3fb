/**
 * One MLP-GAN iteration (one D step + one G step: an alternating round, D first, non-saturating loss,
 * Adam(2e-4, 0.5, 0.999), float32, batch 256; G 2→128→128→2, D 2→128→128→1 — REFERENCE.md's benchmark pair),
 * timed on wasm beside PyTorch CPU run in the same process tree (../shared/baselines/torch_gan_cpu.py, Debian's
 * python3-torch, when installed), with REFERENCE.md's recorded numbers. Printed, never asserted.
 * Usage: npm run bench:gan [-- --steps 100 --replicas 1]
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ring } from "../src/data/mixtures.ts";
import { useDevice } from "../src/engine/device.ts";
import { keyFor } from "../src/engine/rng.ts";
import * as T from "../src/engine/tree.ts";
import { random, type Array as JArray } from "@jax-js/jax";
import { gan } from "../src/games/gan.ts";
import type { Joint } from "../src/games/game.ts";
import { createMethod } from "../src/methods/registry.ts";

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : dflt;
};
const steps = Number(arg("steps", "100"));
const replicas = Number(arg("replicas", "1"));

await useDevice("wasm");
const game = gan({ data: ring(), batch: 256, objective: "non-saturating", replicas });
const method = createMethod(game, {
  name: "alternating",
  lr: [2e-4, 2e-4],
  optimizer: ["adam", "adam"],
  betas: [0.5, 0.999],
  first: 1,
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
for (let t = 0; t < steps + 10; t++) {
  const t0 = performance.now();
  [w, s] = method.step(w, s, next());
  T.sqNorm(T.ref(w[0])).dataSync(); // read back: arrays are lazy
  if (t >= 10) times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];

let torch = "not installed (apt-get install python3-torch)";
const script = path.resolve("../shared/baselines/torch_gan_cpu.py");
if (fs.existsSync(script) && fs.existsSync("/usr/bin/python3")) {
  try {
    const out = execFileSync("/usr/bin/python3", [script, "mlp", "--steps", "50"], {
      encoding: "utf8",
      env: { ...process.env, OPENBLAS_NUM_THREADS: "1" },
      stdio: ["ignore", "pipe", "ignore"],
    });
    const m = /median=([\d.]+)/.exec(out);
    if (m) torch = `${Number(m[1]).toFixed(2)} ms`;
  } catch {
    // torch missing: keep the note
  }
}
const torchMs = Number.parseFloat(torch);
console.log(
  `MLP GAN iteration (batch 256, Adam, alternating D→G), ${steps} timed steps, replicas ${replicas}`,
);
console.log(
  `  saddle (jax-js 0.1.25 wasm)      ${median.toFixed(2)} ms/iter${replicas > 1 ? ` (${(median / replicas).toFixed(2)} per replica)` : ""}`,
);
console.log(
  `  PyTorch CPU (this machine, now)  ${torch}${Number.isFinite(torchMs) ? `   → saddle/PyTorch = ${(median / replicas / torchMs).toFixed(1)}×` : ""}`,
);
console.log("  REFERENCE.md: PyTorch 1.13 CPU 3.3 ms, TF.js wasm ~47 ms, jax-js wasm (SGD, jitted) ~10.5 ms");
T.dispose(w);
T.dispose(s);
