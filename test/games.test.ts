import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { jit, numpy as np, type Array as JArray } from "@jax-js/jax";
import { finiteDifferenceJacobian, flatVectorField, jacobian } from "../src/analysis/jacobian.ts";
import { useDevice } from "../src/engine/device.ts";
import { UsageError } from "../src/engine/errors.ts";
import * as J from "../src/engine/joint.ts";
import type { Game } from "../src/games/game.ts";
import { makeGame } from "../src/games/registry.ts";
import { fieldAt } from "../src/analysis/jacobian.ts";

before(async () => {
  await useDevice("wasm");
});

const configs: [string, () => Game][] = [
  ["bilinear 1-d", () => makeGame("bilinear")],
  ["bilinear 3-d with P, Q", () => makeGame("bilinear", { dim: 3, seed: 4, p: 0.7, q: 0.3 })],
  ["bilinear 2-d, P only", () => makeGame("bilinear", { dim: 2, seed: 1, p: 0.5 })],
  ["dirac minimax", () => makeGame("dirac", { objective: "minimax" })],
  ["dirac non-saturating γ=0.3", () => makeGame("dirac", { objective: "non-saturating", gp: 0.3 })],
  ["dirac wgan", () => makeGame("dirac", { objective: "wgan" })],
  ["mean-matching 2-d", () => makeGame("mean-matching", { mean: [1, -2] })],
];

/** Deterministic pseudo-random points. */
function points(n: number, count: number, seed: number): number[][] {
  let s = seed;
  const r = () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1;
  return Array.from({ length: count }, () => Array.from({ length: n }, r));
}

describe("every built-in game: the jitted vector field equals the plain one, and ∇v equals finite differences", () => {
  for (const [name, make] of configs) {
    test(name, () => {
      const game = make();
      const w0 = game.init();
      const layout = J.layoutOf(w0);
      J.toFloat64(w0);
      const n = layout.sizes[0] + layout.sizes[1];
      const f = flatVectorField(game, layout);
      const fj = jit(f);
      for (const p of points(n, 4, 7 + n)) {
        const plain = (f(np.array(p, { dtype: np.float64 })) as JArray).js() as number[];
        const jitted = (fj(np.array(p, { dtype: np.float64 })) as JArray).js() as number[];
        plain.forEach((x, i) =>
          assert.ok(Math.abs(x - jitted[i]) < 1e-9, `${name} at ${p}: ${plain} vs jit ${jitted}`),
        );
        const w = J.unflatten(layout, np.array(p, { dtype: np.float64 }));
        const Ja = jacobian(game, w);
        const Jf = finiteDifferenceJacobian(game, w, 1e-5);
        J.toFloat64(w);
        Ja.forEach((row, i) =>
          row.forEach((x, k) =>
            assert.ok(Math.abs(x - Jf[i][k]) < 1e-3, `${name} ∂v${i}/∂ω${k}: ${x} vs ${Jf[i][k]}`),
          ),
        );
      }
      fj.dispose();
    });
  }
});

describe("game definitions", () => {
  test("bilinear θᵀAφ + ½θᵀPθ − ½φᵀQφ: v = (Aφ + Pθ, −Aᵀθ + Qφ)", () => {
    const g = makeGame("bilinear", { dim: 1, p: 0.4, q: 0.2 });
    const w = J.unflatten(J.layoutOf(g.init()), np.array([2, 3], { dtype: np.float64 }));
    const v = fieldAt(g, w);
    assert.ok(Math.abs(v[0] - (3 + 0.4 * 2)) < 1e-12 && Math.abs(v[1] - (-2 + 0.2 * 3)) < 1e-12, String(v));
  });
  test("Dirac-GAN minimax: v(θ, ψ) = (ψ f′(ψθ), −θ f′(ψθ) + γψ) with f′(t) = σ(−t)", () => {
    const g = makeGame("dirac", { gp: 0.3 });
    const w = J.unflatten(J.layoutOf(g.init()), np.array([0.7, -0.4], { dtype: np.float64 }));
    const v = fieldAt(g, w);
    const fp = 1 / (1 + Math.exp(0.7 * -0.4));
    assert.ok(
      Math.abs(v[0] - -0.4 * fp) < 1e-6 && Math.abs(v[1] - (-0.7 * fp + 0.3 * -0.4)) < 1e-6,
      String(v),
    );
  });
  test("Dirac-GAN non-saturating generator: ∂θ[−f(−ψθ)] = ψ f′(−ψθ)", () => {
    const g = makeGame("dirac", { objective: "non-saturating" });
    const w = J.unflatten(J.layoutOf(g.init()), np.array([0.7, -0.4], { dtype: np.float64 }));
    const v = fieldAt(g, w);
    assert.ok(Math.abs(v[0] - -0.4 / (1 + Math.exp(0.7 * 0.4))) < 1e-6, String(v)); // f′(−ψθ) = σ(ψθ)
  });
  test("mean-matching: equilibrium θ = μ, φ = 0 is stationary; v = (−φ, θ − μ)", () => {
    const g = makeGame("mean-matching", { mean: [1, -2] });
    const eq = g.equilibrium!();
    for (const x of fieldAt(g, eq)) assert.ok(Math.abs(x) < 1e-12);
    assert.deepEqual(Array.from(J.toFloat64(eq)), [1, -2, 0, 0]);
    const w = J.unflatten(J.layoutOf(g.init()), np.array([0.5, 0, 3, -1], { dtype: np.float64 }));
    assert.deepEqual(Array.from(fieldAt(g, w)), [-3, 1, 0.5 - 1, 0 + 2]);
  });
  test("unknown game and bad dirac options are UsageErrors naming the flag", () => {
    assert.throws(
      () => makeGame("go"),
      (e: unknown) => e instanceof UsageError && /--game: unknown game 'go'/.test(e.message),
    );
    assert.throws(() => makeGame("dirac", { dim: 3 }), /--dim: dirac is 1-dimensional/);
  });
  test("the drawn matrix depends on the seed only", () => {
    const a = (makeGame("bilinear", { dim: 3, seed: 5 }) as Game & { matrix: number[][] }).matrix;
    const b = (makeGame("bilinear", { dim: 3, seed: 5 }) as Game & { matrix: number[][] }).matrix;
    const c = (makeGame("bilinear", { dim: 3, seed: 6 }) as Game & { matrix: number[][] }).matrix;
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });
});
