import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { jit, numpy as np, type Array as JArray } from "@jax-js/jax";
import { finiteDifferenceJacobian, flatVectorField, jacobian } from "../src/analysis/jacobian.ts";
import { useDevice } from "../src/engine/device.ts";
import { UsageError } from "../src/engine/errors.ts";
import * as J from "../src/engine/joint.ts";
import type { Game } from "../src/games/game.ts";
import { DIRAC_OBJECTIVES } from "../src/games/dirac.ts";
import { GAME_NAMES, gameModules, gameParamValues, makeGame } from "../src/games/registry.ts";
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
  ["dirac least-squares", () => makeGame("dirac", { objective: "least-squares" })],
  ["mean-matching 2-d", () => makeGame("mean-matching", { mean: [1, -2] })],
  ["quadratic general-sum", () => makeGame("quadratic", { a: 0.5, b: 1, c: 0.3, d: -0.2 })],
  ...GAME_NAMES.map((n): [string, () => Game] => [`${n} at its defaults`, () => makeGame(n)]),
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
    assert.throws(
      () => makeGame("dirac", { gp: -1 }),
      (e: unknown) => e instanceof UsageError && /game 'dirac': field 'gp' = -1/.test(e.message),
    );
    // objectives the Dirac-GAN cannot take: a penalty on ∇ₓD (its D is seen through outputs), a kink
    for (const o of ["wgan-gp", "hinge"]) {
      assert.ok(!DIRAC_OBJECTIVES.includes(o), o);
      assert.throws(() => makeGame("dirac", { objective: o }), UsageError, o);
    }
  });
  test("Dirac-GAN from src/objectives: the alias wgan is wasserstein with ψ clipped to c = 1 by default", () => {
    const g = makeGame("dirac", { objective: "wgan" });
    assert.match(g.description, /wasserstein objective/);
    assert.deepEqual(g.clip, [null, 1]);
    assert.deepEqual(makeGame("dirac", { objective: "wasserstein", clip: 0.5 }).clip, [null, 0.5]);
    assert.equal(makeGame("dirac", { objective: "minimax" }).clip, undefined);
    assert.deepEqual(
      ["minimax", "non-saturating", "wasserstein", "least-squares"].map(
        (o) => makeGame("dirac", { objective: o }).zeroSum,
      ),
      [true, false, true, false],
    );
    assert.equal(makeGame("dirac", { objective: "minimax", gp: 0.3 }).zeroSum, false);
  });
  test("Dirac-GAN far from 0 (|ψθ| = 1600): the objectives' softplus keeps losses and field finite", () => {
    // nn.softplus(t) = log(eᵗ + 1) overflows (e^1600 = ∞ even in float64); the objectives' softplus does not
    for (const dtype of ["float32", "float64"] as const) {
      for (const objective of ["minimax", "non-saturating"]) {
        for (const [th, psi] of [
          [40, 40],
          [40, -40],
        ]) {
          const g = makeGame("dirac", { objective, dtype, init: [[th], [psi]] });
          const t = th * psi;
          // L^(θ) = f(ψθ) (minimax) or −f(−ψθ); L^(ψ) = −f(ψθ) − f(0), f(t) = −softplus(−t) ≈ min(t, 0)
          const [x0, y0] = g.init();
          const [x1, y1] = g.init();
          const lG = Number(g.loss(0, x0, y0).js());
          const lD = Number(g.loss(1, x1, y1).js());
          assert.ok(
            Math.abs(lG - (objective === "minimax" ? Math.min(t, 0) : Math.max(t, 0))) < 1e-3,
            `${lG}`,
          );
          assert.ok(Math.abs(lD - (Math.max(-t, 0) + Math.log(2))) < 1e-3, `${lD}`);
          // v = (∂θL^(θ), ∂ψL^(ψ)) with σ(±1600) ∈ {0, 1}
          const s = (u: number) => (u > 0 ? 1 : 0);
          const v = fieldAt(g, g.init());
          const want = [objective === "minimax" ? psi * s(-t) : psi * s(t), -th * s(-t)];
          assert.ok(
            v.every(Number.isFinite) && Math.abs(v[0] - want[0]) < 1e-9 && Math.abs(v[1] - want[1]) < 1e-9,
            `${dtype} ${objective} at (${th}, ${psi}): ${v} vs ${want}`,
          );
        }
      }
    }
  });
  test("the module list: unique names, each game named as its module, with a citation and a formula", () => {
    assert.equal(new Set(GAME_NAMES).size, GAME_NAMES.length);
    for (const m of gameModules()) {
      assert.ok(m.citation.length > 0 && m.formula.length > 0, m.name);
      const g = makeGame(m.name);
      assert.equal(g.name, m.name);
      // the defaults parse; a start point given travels to the game
      const d = gameParamValues(m.name);
      assert.deepEqual(gameParamValues(m.name, d), d);
      if (m.dim === 1) {
        const s = makeGame(m.name, { init: [[0.25], [-0.5]] }).init();
        assert.deepEqual(Array.from(J.toFloat64(s)), [0.25, -0.5]);
      }
    }
  });
  test("the drawn matrix depends on the seed only", () => {
    const a = (makeGame("bilinear", { dim: 3, seed: 5 }) as Game & { matrix: number[][] }).matrix;
    const b = (makeGame("bilinear", { dim: 3, seed: 5 }) as Game & { matrix: number[][] }).matrix;
    const c = (makeGame("bilinear", { dim: 3, seed: 6 }) as Game & { matrix: number[][] }).matrix;
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });
});
