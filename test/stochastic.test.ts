import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { numpy as np, random, type Array as JArray } from "@jax-js/jax";
import { useDevice } from "../src/engine/device.ts";
import * as J from "../src/engine/joint.ts";
import type { Game } from "../src/games/game.ts";
import { runDynamics } from "../src/dynamics/run-dynamics.ts";
import { createMethod } from "../src/methods/registry.ts";
import { METHOD_NAMES, type MethodSpec } from "../src/methods/spec.ts";

before(async () => {
  await useDevice("wasm");
});

/**
 * A stochastic bilinear game: L = θφ + ξθ with ξ ~ N(0, σ²) drawn from the key (a "minibatch" of one).
 * v = (φ + ξ, −θ): its mean is the deterministic field plus (ξ, 0).
 */
function noisyBilinear(sigma: number): Game {
  const f64 = { dtype: np.float64 };
  const L = (x: JArray, y: JArray, key?: JArray): JArray => {
    if (!key) throw new Error("noisyBilinear needs a key");
    const xi = random
      .normal(key, [1])
      .astype(np.float64)
      .mul(np.full([], sigma, f64));
    return np.sum(x.ref.mul(y).add(x.mul(xi)));
  };
  return {
    name: "noisy-bilinear",
    description: "θφ + ξθ",
    players: ["theta", "phi"],
    dtype: "float64",
    zeroSum: true,
    stochastic: true,
    loss: (i, x, y, key) =>
      i === 0 ? L(x as JArray, y as JArray, key) : L(x as JArray, y as JArray, key).neg(),
    init: () => [np.array([1], f64), np.array([1], f64)],
    equilibrium: () => [np.zeros([1], f64), np.zeros([1], f64)],
  };
}

describe("stochastic games: every method takes a fresh key each step", () => {
  for (const name of METHOD_NAMES) {
    test(`${name}: same seed → same run; another seed → another run; σ = 0 → the deterministic run`, () => {
      const spec: MethodSpec = { name, lr: [0.1, 0.1] };
      const run = (sigma: number, seed: number) =>
        runDynamics(noisyBilinear(sigma), createMethod(noisyBilinear(sigma), spec), { steps: 5, seed }).final;
      const a = run(0.5, 1);
      const b = run(0.5, 1);
      const c = run(0.5, 2);
      assert.deepEqual(a, b);
      assert.notDeepEqual(a, c);
      // With σ = 0 the noise vanishes: compare with the same method on θ·φ.
      const det = runDynamics(noisyBilinear(0), createMethod(noisyBilinear(0), spec), {
        steps: 5,
        seed: 3,
      }).final;
      const plain = (() => {
        const g = noisyBilinear(0);
        const m = createMethod(g, spec);
        let w = g.init();
        let s = m.init(w, random.key(9));
        for (let t = 0; t < 5; t++) [w, s] = m.step(w, s, random.key(10 + t));
        return Array.from(J.toFloat64(w));
      })();
      det.forEach((x, i) => assert.ok(Math.abs(x - plain[i]) < 1e-12));
    });
  }
});
