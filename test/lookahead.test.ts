/**
 * Lookahead-minmax (src/methods/lookahead.ts) around other methods: its predicted rate against the closed
 * form |(1 − α) + α(1 − iη)^k| on θ·φ, its operator against the dense map of one real step on a linear
 * game, predicted = measured rates around augmented base states (optimistic, heavy ball), the degenerate
 * k = 1, α = 1 case (the base method itself), and `saddle dynamics --method lookahead`.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { numpy as np } from "@jax-js/jax";
import { jacobian } from "../src/analysis/jacobian.ts";
import { predictedRate, updateOperator } from "../src/analysis/operators.ts";
import { measuredRate } from "../src/analysis/rate.ts";
import { useDevice } from "../src/engine/device.ts";
import * as J from "../src/engine/joint.ts";
import * as T from "../src/engine/tree.ts";
import { runDynamics } from "../src/dynamics/run-dynamics.ts";
import { bilinear } from "../src/games/bilinear.ts";
import type { Game } from "../src/games/game.ts";
import { createMethod } from "../src/methods/registry.ts";
import type { MethodSpec } from "../src/methods/spec.ts";
import { saddle } from "./helpers/cli.ts";

before(async () => {
  await useDevice("wasm");
});

const la = (inner: string, lr: number, k: number, alpha: number, extra: object = {}): MethodSpec => ({
  name: "lookahead",
  lr: [lr, lr],
  inner,
  lookaheadK: k,
  lookaheadAlpha: alpha,
  ...extra,
});

/** |(1 − α) + α(1 − iη)^k|: lookahead around Sim-GDA on θ·φ (eigenvalues of I − ηJ are 1 ∓ iη). */
function closedForm(eta: number, k: number, alpha: number): number {
  const r = Math.hypot(1, eta) ** k;
  const phi = -k * Math.atan(eta);
  return Math.hypot(1 - alpha + alpha * r * Math.cos(phi), alpha * r * Math.sin(phi));
}

/** Predicted ρ of `spec` on `game` at ω*, and the rate measured over `steps` steps from its start. */
function rates(game: Game, spec: MethodSpec, steps: number): { predicted: number; measured: number } {
  const eq = game.equilibrium!();
  const sizes = J.layoutOf(eq).sizes;
  const Jm = jacobian(game, eq);
  T.dispose(eq);
  const p = predictedRate(spec, Jm, sizes);
  assert.ok(p.radius !== null, p.reason);
  const rec = runDynamics(game, createMethod(game, spec), { steps });
  const m = measuredRate(rec.distances).rate;
  assert.ok(m !== null, "no measured rate");
  return { predicted: p.radius, measured: m };
}

describe("lookahead: linearised operator", () => {
  it("around simultaneous GDA on θ·φ: ρ = |(1 − α) + α(1 − iη)^k| (converges where GDA diverges)", () => {
    for (const [eta, k, alpha] of [
      [0.5, 5, 0.5],
      [0.2, 10, 0.3],
      [1, 3, 0.8],
    ]) {
      const game = bilinear();
      const { predicted, measured } = rates(game, la("simultaneous", eta, k, alpha), 150);
      const expected = closedForm(eta, k, alpha);
      assert.ok(
        Math.abs(predicted - expected) < 1e-12,
        `η ${eta}, k ${k}, α ${alpha}: ${predicted} vs ${expected}`,
      );
      assert.ok(
        Math.abs(measured - predicted) <= 0.02 * predicted,
        `measured ${measured}, predicted ${predicted}`,
      );
    }
    assert.ok(closedForm(0.5, 5, 0.5) < 0.65 && Math.hypot(1, 0.5) > 1.1);
  });

  it("equals the dense map of one real step on a linear game, for every base method without extra state", () => {
    const game = bilinear({ dim: 2, p: 0.3, q: 0.2, seed: 3 });
    const eq = game.equilibrium!();
    const layout = J.layoutOf(eq);
    const Jm = jacobian(game, eq);
    T.dispose(eq);
    const n = layout.sizes[0] + layout.sizes[1];
    for (const inner of [
      "simultaneous",
      "alternating",
      "extragradient",
      "consensus",
      "grad-norm",
      "proximal-point",
    ]) {
      const spec = la(inner, 0.3, 4, 0.6, { steps: [1, 2] });
      const op = updateOperator(spec, Jm, layout.sizes);
      assert.ok(op !== null && op.length === n, inner);
      const method = createMethod(game, spec);
      for (let i = 0; i < n; i++) {
        const e = Array.from({ length: n }, (_, j) => (j === i ? 1 : 0));
        const w = J.unflatten(layout, np.array(e, { dtype: np.float64 }));
        const s = method.init(w);
        const [w2, s2] = method.step(w, s);
        const col = Array.from(J.toFloat64(w2));
        T.dispose(s2);
        for (let r = 0; r < n; r++) {
          assert.ok(
            Math.abs(col[r] - op[r][i]) < 1e-9,
            `${inner}: entry (${r}, ${i}) ${col[r]} vs ${op[r][i]}`,
          );
        }
      }
    }
  });

  it("around an augmented base state: optimistic (v(ω₋) kept) and heavy ball (velocity kept), predicted = measured", () => {
    const game = () => bilinear({ p: 0.1, q: 0.1 });
    for (const spec of [
      la("optimistic", 0.4, 5, 0.5),
      la("simultaneous", 0.3, 4, 0.5, { momentum: -0.3 }),
      la("alternating", 0.5, 3, 0.7, { momentum: 0.2 }),
    ]) {
      const { predicted, measured } = rates(game(), spec, 150);
      assert.ok(predicted < 1, `${spec.inner}: ρ ${predicted}`);
      assert.ok(
        Math.abs(measured - predicted) <= 0.02 * predicted,
        `${spec.inner}: measured ${measured}, predicted ${predicted}`,
      );
    }
  });

  it("k = 1, α = 1 is the base method itself, step for step; the base's missing operator is the reason", () => {
    const a = runDynamics(bilinear(), createMethod(bilinear(), la("extragradient", 0.5, 1, 1)), {
      steps: 20,
    });
    const b = runDynamics(bilinear(), createMethod(bilinear(), { name: "extragradient", lr: [0.5, 0.5] }), {
      steps: 20,
    });
    assert.deepEqual(a.distances, b.distances);
    const r = predictedRate(
      la("unrolled", 0.1, 5, 0.5),
      [
        [0, 1],
        [-1, 0],
      ],
      [1, 1],
    );
    assert.equal(r.radius, null);
    assert.match(r.reason ?? "", /^lookahead around unrolled: /);
  });
});

describe("saddle dynamics --method lookahead", () => {
  it("prints predicted = measured rate (the closed form)", async () => {
    const r = await saddle([
      ...["dynamics", "--method", "lookahead", "--inner", "simultaneous", "--lookahead-k", "5"],
      ...["--lookahead-alpha", "0.5", "--lr", "0.5", "--steps", "150", "--json"],
    ]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { predicted: { radius: number }; measured: { rate: number } };
    const expected = closedForm(0.5, 5, 0.5);
    assert.ok(Math.abs(out.predicted.radius - expected) < 1e-9, `${out.predicted.radius} vs ${expected}`);
    assert.ok(Math.abs(out.measured.rate - expected) <= 0.02 * expected, `measured ${out.measured.rate}`);
  });
  it("refuses an unknown base method in one line", async () => {
    const r = await saddle(["dynamics", "--method", "lookahead", "--inner", "nope", "--lr", "0.5"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^saddle: --inner: unknown value 'nope'; allowed: simultaneous, /);
  });
});
