/**
 * Steps per second of `dynamics` on a 100-dimensional bilinear game (wasm by default), for every method.
 * Printed, never asserted. Usage: npm run bench [-- --dim 100 --steps 2000 --device wasm]
 *
 * Each method's whole step is jitted; the loop reads ω back every step (as `saddle dynamics` does, to
 * record distances and catch NaN/Inf), so the numbers include that read-back.
 */
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
console.log(`${"method".padEnd(34)} ${"steps/s".padStart(10)} ${"ms/step".padStart(9)}`);
for (const spec of specs) {
  const n = spec.name === "proximal-point" ? Math.min(steps, 200) : steps;
  runDynamics(game, createMethod(game, spec), { steps: 5 }); // compile
  const rec = runDynamics(game, createMethod(game, spec), { steps: n });
  const label = `${spec.name}${spec.momentum ? ` β=${spec.momentum}` : ""}${spec.optimizer ? ` (${spec.optimizer[0]})` : ""}`;
  const ms = rec.wallMs / rec.stepsRun;
  console.log(`${label.padEnd(34)} ${(1000 / ms).toFixed(0).padStart(10)} ${ms.toFixed(3).padStart(9)}`);
}
