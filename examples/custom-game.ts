/**
 * A user-defined game in a few lines: L(θ, φ) = θ³φ/3 + θφ (θ minimises, φ maximises). Its Jacobian at
 * (0, 0) is the bilinear one, so extragradient's predicted local rate at η = 0.5 is √(1 − η² + η⁴) ≈ 0.9014.
 * Run: npx tsx examples/custom-game.ts
 */
import { numpy as np, type Array as JArray } from "@jax-js/jax";
import { jacobian } from "../src/analysis/jacobian.ts";
import { predictedRate } from "../src/analysis/operators.ts";
import { measuredRate } from "../src/analysis/rate.ts";
import { runDynamics } from "../src/dynamics/run-dynamics.ts";
import { useDevice } from "../src/engine/device.ts";
import type { Game } from "../src/games/game.ts";
import { createMethod } from "../src/methods/registry.ts";
import type { MethodSpec } from "../src/methods/spec.ts";

await useDevice("wasm");
const f64 = { dtype: np.float64 };
// Losses consume their arguments (jax-js's rule): `.ref` keeps an array for a second use.
const L = (th: JArray, ph: JArray): JArray =>
  np.sum(th.ref.mul(th.ref).mul(th.ref).mul(ph.ref).div(3).add(th.mul(ph)));
const game: Game = {
  name: "cubic",
  description: "θ³φ/3 + θφ",
  players: ["theta", "phi"],
  dtype: "float64",
  zeroSum: true,
  loss: (i, x, y) => (i === 0 ? L(x as JArray, y as JArray) : L(x as JArray, y as JArray).neg()),
  init: () => [np.array([0.5], f64), np.array([0.5], f64)],
  equilibrium: () => [np.zeros([1], f64), np.zeros([1], f64)],
};

const spec: MethodSpec = { name: "extragradient", lr: [0.5, 0.5] };
const predicted = predictedRate(spec, jacobian(game, game.equilibrium!()), [1, 1]);
const run = runDynamics(game, createMethod(game, spec), { steps: 300 });
const measured = measuredRate(run.distances);
console.log(JSON.stringify({ predicted: predicted.radius, measured: measured.rate, final: run.final }));
