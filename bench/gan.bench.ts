/**
 * One MLP-GAN iteration (one D step + one G step: an alternating round, D first, non-saturating loss,
 * Adam(2e-4, 0.5, 0.999), float32, batch 256; G 2→128→128→2, D 2→128→128→1 — REFERENCE.md's benchmark pair),
 * timed on wasm beside PyTorch CPU run in the same bench (../shared/baselines/torch_gan_cpu.py; for replicas,
 * bench/torch_replicas.py, R GANs in one baddbmm-batched step). A ratio is printed only against a torch that
 * uses OpenBLAS (bench/torch-baseline.ts reads the BLAS mapped into the torch process). Printed, never asserted.
 * Usage: npm run bench:gan [-- --steps 100 --replicas 1,8,64 --torch-threads 2 --json]
 */
import { loadavg } from "node:os";
import path from "node:path";
import { ring } from "../src/data/toy2d/ring.ts";
import { useDevice } from "../src/engine/device.ts";
import { keyStream } from "../src/engine/rng.ts";
import * as T from "../src/engine/tree.ts";
import { gan } from "../src/games/gan.ts";
import type { Joint } from "../src/games/game.ts";
import { createMethod } from "../src/methods/registry.ts";
import { stepDigest } from "../src/train/step-digest.ts";
import { cpuMs, medianMs, refuseRatio, runPython, torchBlas, type BenchRow } from "./torch-baseline.ts";
import { referenceMethod } from "./reference-method.ts";

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : dflt;
};
const steps = Number(arg("steps", "100"));
const replicaList = arg("replicas", "1")
  .split(",")
  .map((s) => Number(s));
const json = process.argv.includes("--json");
const torchThreads = Number(arg("torch-threads", "2"));
if (!Number.isInteger(torchThreads) || torchThreads < 1) {
  console.error(
    `bench:gan: --torch-threads: ${JSON.stringify(arg("torch-threads", ""))}: expected an integer ≥ 1 (1 on a loaded machine)`,
  );
  process.exit(2);
}
for (const r of replicaList) {
  if (!Number.isInteger(r) || r < 1) {
    console.error(
      `bench:gan: --replicas: ${JSON.stringify(arg("replicas", ""))}: expected integers ≥ 1, e.g. 1,8,64`,
    );
    process.exit(2);
  }
}

await useDevice("wasm");

/**
 * Median ms of one alternating round for R replicas in one jitted step (read back each step); `reuse`: G's step
 * reuses D's fake batch (`--reuse-fake`), the iteration of the PyTorch baseline (R = 1 only).
 */
function timeSaddle(replicas: number, reuse = false): { ms: number; cpuMs: number } {
  const game = gan({ data: ring(), batch: 256, objective: "non-saturating", replicas });
  const method = createMethod(game, referenceMethod(reuse));
  let w: Joint = game.init();
  const keys = keyStream(0, "noise");
  const next = keys.next;
  let s = method.init(w, next());
  const times: number[] = [];
  const cpu: number[] = [];
  const n = replicas >= 64 ? Math.max(10, Math.round(steps / 5)) : steps;
  for (let t = 0; t < n + 5; t++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    [w, s] = method.step(w, s, next());
    stepDigest(w, s).dataSync(); // read back through one array, as the trainer does (src/train/step-digest.ts)
    if (t >= 5) {
      times.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }
  }
  T.dispose(w);
  T.dispose(s);
  keys.dispose();
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { ms: median(times), cpuMs: median(cpu) };
}

const status = torchBlas(torchThreads);
const refusal = refuseRatio(status);
const blas = status.ok ? `${status.blas.kind} (${status.blas.library})` : status.why;
const torchFor = (replicas: number): { ms: number; cpuMs: number | null } | null => {
  if (!status.ok) return null;
  try {
    const out =
      replicas === 1
        ? runPython(path.resolve("../shared/baselines/torch_gan_cpu.py"), [
            "mlp",
            "--steps",
            "50",
            "--threads",
            String(torchThreads),
          ])
        : runPython(path.resolve("bench/torch_replicas.py"), [
            "--replicas",
            String(replicas),
            "--steps",
            "20",
            "--threads",
            String(torchThreads),
          ]);
    return { ms: medianMs(out), cpuMs: cpuMs(out) };
  } catch (e) {
    console.error(`bench:gan: PyTorch baseline failed: ${(e as Error).message}`);
    return null;
  }
};

const rows: BenchRow[] = [];
let single: number | null = null;
const row = (
  name: string,
  saddle: { ms: number; cpuMs: number },
  torch: { ms: number; cpuMs: number | null } | null,
): BenchRow => ({
  name,
  saddleMs: saddle.ms,
  torchMs: torch?.ms ?? null,
  ratio: torch && refusal === null ? saddle.ms / torch.ms : null,
  saddleCpuMs: saddle.cpuMs,
  torchCpuMs: torch?.cpuMs ?? null,
  blas,
  threads: { saddle: 1, torch: status.ok ? status.blas.threads : null },
});
for (const r of replicaList) {
  const saddle = timeSaddle(r);
  const torch = torchFor(r);
  if (r === 1) {
    single = saddle.ms;
    rows.push(row("MLP GAN iteration", saddle, torch));
    rows.push(row("same, G reuses D's fake batch (as PyTorch)", timeSaddle(1, true), torch));
  } else {
    rows.push(row(`MLP GAN iteration, ${r} replicas in one step`, saddle, torch));
  }
}

if (json) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  console.log(`MLP GAN iteration (batch 256, Adam, alternating D→G), wasm float32, ${steps} timed steps`);
  console.log(`PyTorch baseline: ${blas}${refusal ? ` — no ratio: ${refusal}` : ""}`);
  for (const x of rows) {
    const r = /(\d+) replicas/.exec(x.name)?.[1];
    const per = r ? ` (${(x.saddleMs / Number(r)).toFixed(3)} per replica` : "";
    const vsSingle =
      r && single ? `, ${(x.saddleMs / Number(r) / single).toFixed(2)}× the single run)` : r ? ")" : "";
    const t = x.torchMs === null ? "—" : `${x.torchMs.toFixed(2)} ms`;
    const ratio = x.ratio === null ? "" : `   saddle/PyTorch = ${x.ratio.toFixed(2)}×`;
    const cpuText =
      x.saddleCpuMs === undefined
        ? ""
        : `   CPU ms/iter: saddle ${x.saddleCpuMs.toFixed(2)}, PyTorch ${x.torchCpuMs?.toFixed(2) ?? "—"}`;
    console.log(
      `  ${x.name.padEnd(44)} saddle ${x.saddleMs.toFixed(2)} ms${per}${vsSingle}   PyTorch ${t}${ratio}${cpuText}`,
    );
  }
  console.log(
    `  load average: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")} (both sides slow down under load)`,
  );
  console.log(
    "  REFERENCE.md: PyTorch 1.13 CPU 3.3 ms, TF.js wasm ~47 ms, jax-js wasm (SGD, jitted) ~10.5 ms",
  );
}
