/**
 * Pins two behaviours of @jax-js/jax 0.1.25 that the engine works around, so that an upgrade that changes
 * them is noticed (then the workarounds in src/games/vector-field.ts and src/analysis/jacobian.ts can go).
 *
 * (a) Under an outer `jvp`, `grad(f)` w.r.t. positional argument 0 drops the tangent of the *other*
 *     positional argument: d/dy [∂/∂x Σ x·y] = 1, but the positional form returns 0. The closure form
 *     `grad(x => f(x, y))` is right; vectorField uses it.
 * (b) `jacfwd` returns the transpose of the Jacobian (J[j][i] = ∂f_i/∂x_j); `jacobian` builds columns from jvp.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { grad, jacfwd, jit, jvp, numpy as np, type Array as JArray } from "@jax-js/jax";
import { useDevice } from "../src/engine/device.ts";
import { jacobian } from "../src/analysis/jacobian.ts";
import type { Game } from "../src/games/game.ts";
import type { Params } from "../src/engine/tree.ts";

const f64 = { dtype: np.float64 };

before(async () => {
  await useDevice("wasm");
});

describe("jax-js 0.1.25 quirk (a): grad w.r.t. a positional argument under jvp", () => {
  const primals = (): [JArray, JArray] => [np.array([2], f64), np.array([3], f64)];
  const tangentOnY = (): [JArray, JArray] => [np.array([0], f64), np.array([1], f64)];

  it("closure form grad(x => Σ x·y) gives the mixed derivative d/dy ∂_x = 1 (what vectorField relies on)", () => {
    const g = (x: JArray, y: JArray): JArray => grad((a: JArray) => np.sum(a.mul(y)))(x) as JArray;
    const [out, tan] = jvp(g, primals(), tangentOnY()) as [JArray, JArray];
    assert.deepEqual(out.js(), [3]);
    assert.deepEqual(tan.js(), [1]);
  });

  it("positional form grad((x, y) => Σ x·y) drops y's tangent: returns 0 (the bug; update if fixed)", () => {
    const g = (x: JArray, y: JArray): JArray =>
      grad((a: JArray, b: JArray) => np.sum(a.mul(b)))(x, y) as JArray;
    const [out, tan] = jvp(g, primals(), tangentOnY()) as [JArray, JArray];
    assert.deepEqual(out.js(), [3]);
    // Correct value is 1. If this assertion fails with 1, jax-js fixed the bug: the closure workaround in
    // src/games/vector-field.ts is no longer required.
    assert.deepEqual(
      tan.js(),
      [0],
      "jax-js behaviour changed: positional grad under jvp now keeps y's tangent",
    );
  });
});

describe("jax-js 0.1.25 quirk (b): jacfwd returns the transpose", () => {
  // f(x, y) = (2x, 3x + y): true Jacobian [[2, 0], [3, 1]].
  const f = (w: JArray): JArray => {
    const x = w.ref.slice([0, 1]);
    const y = w.slice([1, 2]);
    return np.concatenate([x.ref.mul(2), x.mul(3).add(y)]);
  };

  it("jacfwd gives [[2, 3], [0, 1]] (transposed; update if fixed)", () => {
    const j = jacfwd(f)(np.array([0.7, -1.3], f64)) as JArray;
    assert.deepEqual(j.js(), [
      [2, 3],
      [0, 1],
    ]);
  });

  it("our jacobian gives [[2, 0], [3, 1]] for the game with v = (2θ, 3θ + φ)", () => {
    // L^(θ) = θ², L^(φ) = 3θφ + ½φ²  ⇒  v = (∂_θ L^(θ), ∂_φ L^(φ)) = (2θ, 3θ + φ).
    const game: Game = {
      name: "quirk-b",
      description: "v = (2θ, 3θ + φ)",
      players: ["theta", "phi"],
      dtype: "float64",
      zeroSum: false,
      loss: (i, x: Params, y: Params) => {
        const th = x as JArray;
        const ph = y as JArray;
        if (i === 0) {
          ph.dispose();
          return np.sum(th.ref.mul(th));
        }
        return np.sum(th.mul(ph.ref).mul(3).add(ph.ref.mul(ph).mul(0.5)));
      },
      init: () => [np.array([0.7], f64), np.array([-1.3], f64)],
    };
    const w = game.init();
    assert.deepEqual(jacobian(game, w), [
      [2, 0],
      [3, 1],
    ]);
  });
});

describe("jax-js 0.1.25 quirk (c): jit(grad) of sum(t ⊙ (P t)) · 0.5 in float64", () => {
  const d = { dtype: np.float64 };
  it("is miscomputed under jit (the bug; src/games/bilinear.ts folds ½ into P; update if fixed)", () => {
    const P = np.array(
      [
        [0.5, 0],
        [0, 0.5],
      ],
      d,
    );
    const f = (t: JArray) => np.sum(t.ref.mul(np.dot(P.ref, t))).mul(0.5);
    const plain = (grad(f)(np.array([1, 2], d)) as JArray).js() as number[];
    const jitted = (jit(grad(f))(np.array([1, 2], d)) as JArray).js() as number[];
    assert.deepEqual(plain, [0.5, 1]);
    assert.notDeepEqual(jitted, [0.5, 1], "fixed upstream: the workaround in bilinear.ts can go");
  });
  it("the folded form sum(t ⊙ ((½P) t)) is right under jit", () => {
    const P = np.array(
      [
        [0.25, 0],
        [0, 0.25],
      ],
      d,
    );
    const f = (t: JArray) => np.sum(t.ref.mul(np.dot(P.ref, t)));
    assert.deepEqual((jit(grad(f))(np.array([1, 2], d)) as JArray).js(), [0.5, 1]);
  });
});
