/**
 * The tiny DCGAN's float32 gradients on wasm against float64 (same parameter values): both players'
 * gradients of D's score sum, G's through every layer of D. This is where jax-js 0.1.25's float32 wasm path
 * computed the im2col "outputs" form's input gradient wrongly in a training sequence (G's gradient off by
 * about its own size), which is why `matmulForm` picks "patches" for convolutions (src/engine/conv.ts).
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { grad, jit, numpy as np, random, tree, type Array as JArray } from "@jax-js/jax";
import { useDevice } from "../src/engine/device.ts";
import type { MlpParams } from "../src/models/mlp.ts";
import { dcganDiscriminator, dcganGenerator } from "../src/models/dcgan.ts";
import { TINY_DCGAN } from "./helpers/tiny-dcgan.ts";

before(async () => {
  await useDevice("wasm");
});

/** The same fixed values 0.08·sin(1.3 i + 0.7 leaf) in a tree shaped like `p` (consumed), in `dtype`. */
function fixed(p: MlpParams, dtype: "float32" | "float64"): MlpParams {
  let leaf = 0;
  return tree.map((x: JArray) => {
    const k = leaf++;
    const v = Array.from({ length: x.size }, (_, i) => 0.08 * Math.sin(1.3 * i + 0.7 * k));
    x.dispose();
    return np.array(v, { dtype: dtype === "float32" ? np.float32 : np.float64 }).reshape(x.shape);
  }, p) as MlpParams;
}

function gradients(dtype: "float32" | "float64"): { d: number[][]; g: number[][] } {
  const G = dcganGenerator(TINY_DCGAN);
  const D = dcganDiscriminator(TINY_DCGAN);
  const gp = fixed(G.init(random.key(0), dtype), dtype);
  const dp = fixed(D.init(random.key(1), dtype), dtype);
  const z = np
    .array(
      Array.from({ length: 8 * 3 }, (_, i) => Math.sin(0.9 * i)),
      { dtype: dtype === "float32" ? np.float32 : np.float64 },
    )
    .reshape([8, 3]);
  const x = G.apply(tree.ref(gp), z.ref);
  const gd = jit(grad((d: MlpParams) => D.apply(d, x.ref).sum()))(tree.ref(dp));
  const gg = jit(grad((g: MlpParams) => D.apply(tree.ref(dp), G.apply(g, z.ref)).sum()))(gp);
  const read = (t: MlpParams) => tree.leaves(t).map((l) => Array.from(l.dataSync() as ArrayLike<number>));
  const out = { d: read(gd), g: read(gg) };
  tree.dispose([dp, x, z]);
  return out;
}

describe("tiny DCGAN: float32 gradients on wasm equal float64's", () => {
  it("every leaf of D's and G's gradient within 1e-4 of its largest float64 entry", () => {
    const [a, b] = [gradients("float32"), gradients("float64")];
    for (const who of ["d", "g"] as const) {
      assert.equal(a[who].length, b[who].length);
      a[who].forEach((leaf, i) => {
        const scale = Math.max(...b[who][i].map(Math.abs));
        const diff = Math.max(...leaf.map((v, j) => Math.abs(v - b[who][i][j])));
        assert.ok(diff <= 1e-4 * scale, `${who} leaf ${i}: max |Δ| ${diff}, scale ${scale}`);
      });
    }
  });
});
