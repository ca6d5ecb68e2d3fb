/**
 * The one array that realises a training step (src/train/step-digest.ts) and the kernel-hash memo
 * (src/engine/kernel-hash-memo.ts): exact values, nothing consumed, and jitted results unchanged by the memo.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { jit, numpy as np, random, type Array as JArray } from "@jax-js/jax";
import { installKernelHashMemo } from "../src/engine/kernel-hash-memo.ts";
import type { Joint } from "../src/games/game.ts";
import { stepDigest } from "../src/train/step-digest.ts";

describe("step digest", () => {
  test("[‖θ_G‖², ‖θ_D‖², Σ first entries of the rest], borrowing every leaf", () => {
    const w: Joint = [
      [np.array([1, 2, 3]), np.array([[0.5], [-1]])],
      { w: np.array([[2, -2]]), b: np.array([4]) },
    ];
    const rest = [[np.array([7, 8]), np.array([[-3, 1]])], np.array([0.25])];
    const d = stepDigest(w, rest).dataSync();
    assert.equal(d.length, 3);
    assert.ok(Math.abs(d[0] - (1 + 4 + 9 + 0.25 + 1)) < 1e-6, `‖θ_G‖² = ${d[0]}`);
    assert.ok(Math.abs(d[1] - (4 + 4 + 16)) < 1e-6, `‖θ_D‖² = ${d[1]}`);
    assert.ok(Math.abs(d[2] - (7 - 3 + 0.25)) < 1e-6, `c = ${d[2]}`);
    // borrowed: every leaf is still readable
    assert.deepEqual((w[0] as JArray[])[0].js(), [1, 2, 3]);
    assert.deepEqual((rest[1] as JArray).js(), [0.25]);
  });

  test("a non-finite parameter shows in its player's norm only", () => {
    const w: Joint = [np.array([1, Number.NaN]), np.array([3])];
    const d = stepDigest(w, []).dataSync();
    assert.ok(Number.isNaN(d[0]));
    assert.equal(d[1], 9);
  });
});

describe("kernel-hash memo", () => {
  test("installs on the pinned jax-js and leaves jitted results unchanged", async () => {
    const f = jit((x: JArray) => np.tanh(x.ref.mul(np.array(2))).add(np.sum(x)));
    const x = random.normal(random.key(3), [257]);
    const before = f(x.ref).js() as number[];
    assert.equal(await installKernelHashMemo(), true, "jax-js's FpHash / Kernel were not found");
    assert.equal(await installKernelHashMemo(), true, "installing twice");
    for (let i = 0; i < 3; i++) assert.deepEqual(f(x.ref).js(), before); // the same Kernel objects, memoized
    const g = jit((x: JArray) => np.tanh(x.ref.mul(np.array(2))).add(np.sum(x))); // new kernels, same code
    assert.deepEqual(g(x.ref).js(), before);
    const h = jit((x: JArray) => np.tanh(x.ref.mul(np.array(3))).add(np.sum(x))); // a different kernel
    assert.notDeepEqual(h(x).js(), before);
  });
});
