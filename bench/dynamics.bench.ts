/**
 * Steps per second of `dynamics` on a 100-dimensional bilinear game (wasm by default), for every method,
 * side by side with two baselines run in the same process: a hand-written Float64Array loop of the closed-form
 * update (no autodiff, no engine: the floor), and PyTorch CPU with autograd (bench/torch_dynamics.py, when
 * Debian's python3-torch is installed). Printed, never asserted.
 * Usage: npm run bench [-- --dim 100 --steps 2000 --device wasm]
 *
 * Each method's whole step is jitted; the loop reads ω back every step (as `saddle dynamics` does, to
 * record distances and catch NaN/Inf), so the numbers include that read-back.
 */
import { execFileSync } from "node:child_process";
import { useDevice, type DeviceName } from "../src/engine/device.ts";
import { bilinear } from "../src/games/bilinear.ts";
import { createMethod } from "../src/methods/registry.ts";
import { runDynamics } from "../src/dynamics/run-dynamics.ts";
import type { MethodSpec } from "../src/methods/spec.ts";

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : dflt;
};
const dim = Number(arg("dim", "100"));
const steps = Number(arg("steps", "2000"));
const device = arg("device", "wasm") as DeviceName;

/** The floor: the closed-form simultaneous / extragradient update on θᵀAφ with plain Float64Arrays. */
function handWritten(name: "simultaneous" | "extragradient", A: number[][], n: number): number {
  const eta = 0.05;
  const mv = (x: Float64Array, out: Float64Array, t: boolean) => {
    for (let i = 0; i < dim; i++) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += (t ? A[j][i] : A[i][j]) * x[j];
      out[i] = s;
    }
  };
  let th = new Float64Array(dim).fill(1);
  let ph = new Float64Array(dim).fill(1);
  const gt = new Float64Array(dim);
  const gp = new Float64Array(dim);
  const field = (a: Float64Array, b: Float64Array) => {
    mv(b, gt, false); // ∂θ L = Aφ
    mv(a, gp, true); // ∂φ(−L) = −Aᵀθ
    for (let i = 0; i < dim; i++) gp[i] = -gp[i];
  };
  const t0 = performance.now();
  for (let s = 0; s < n; s++) {
    field(th, ph);
    if (name === "extragradient") {
      const th2 = th.map((x, i) => x - eta * gt[i]);
      const ph2 = ph.map((x, i) => x - eta * gp[i]);
      field(th2, ph2);
    }
    th = th.map((x, i) => x - eta * gt[i]);
    ph = ph.map((x, i) => x - eta * gp[i]);
  }
  return (performance.now() - t0) / n;
}

/** PyTorch CPU, same game and methods, when Debian's python3-torch is installed; null otherwise. */
function torchBaseline(): Record<string, number> | null {
  try {
    const out = execFileSync(
      "/usr/bin/python3",
      ["bench/torch_dynamics.py", "--dim", String(dim), "--steps", String(steps)],
      {
        encoding: "utf8",
        env: { ...process.env, OPENBLAS_NUM_THREADS: "1" },
        stdio: ["ignore", "pipe", "ignore"],
      },
    );
    return JSON.parse(out.trim().split("\n").pop() ?? "null") as Record<string, number>;
  } catch {
    return null;
  }
}

await useDevice(device);
const game = bilinear({ dim, seed: 0, dtype: "float32" });
const specs: MethodSpec[] = [
  { name: "simultaneous", lr: [0.05, 0.05] },
  { name: "alternating", lr: [0.05, 0.05] },
  { name: "alternating", lr: [0.05, 0.05], momentum: -0.1 },
  { name: "extragradient", lr: [0.05, 0.05] },
  { name: "optimistic", lr: [0.05, 0.05] },
  { name: "consensus", lr: [0.05, 0.05], gamma: 1 },
  { name: "grad-norm", lr: [0.05, 0.05] },
  { name: "proximal-point", lr: [0.05, 0.05], tol: 1e-5 },
  { name: "simultaneous", lr: [0.01, 0.01], optimizer: ["adam", "adam"] },
];
console.log(
  `dynamics benchmark: bilinear game, dim ${dim} per player (${2 * dim} parameters), ${steps} steps, device ${device}`,
);
const torch = torchBaseline();
const hand: Record<string, number> = {
  simultaneous: handWritten("simultaneous", game.matrix, steps),
  extragradient: handWritten("extragradient", game.matrix, steps),
};
console.log(
  `${"method".padEnd(34)} ${"steps/s".padStart(10)} ${"ms/step".padStart(9)} ${"plain TS loop".padStart(14)} ${"PyTorch CPU".padStart(12)}`,
);
if (!torch) console.log("(PyTorch CPU column: install Debian's python3-torch to fill it)");
for (const spec of specs) {
  const n = spec.name === "proximal-point" ? Math.min(steps, 200) : steps;
  runDynamics(game, createMethod(game, spec), { steps: 5 }); // compile
  const rec = runDynamics(game, createMethod(game, spec), { steps: n });
  const label = `${spec.name}${spec.momentum ? ` β=${spec.momentum}` : ""}${spec.optimizer ? ` (${spec.optimizer[0]})` : ""}`;
  const ms = rec.wallMs / rec.stepsRun;
  const plain = spec.optimizer || spec.momentum ? undefined : hand[spec.name];
  const tq = spec.optimizer || spec.momentum ? undefined : torch?.[spec.name];
  const cell = (b: number | undefined) =>
    b === undefined ? "—" : `${b.toFixed(3)} (×${(ms / b).toFixed(1)})`;
  console.log(
    `${label.padEnd(34)} ${(1000 / ms).toFixed(0).padStart(10)} ${ms.toFixed(3).padStart(9)} ${cell(plain).padStart(14)} ${cell(tq).padStart(12)}`,
  );
}
