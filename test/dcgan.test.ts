/**
 * DCGAN networks (src/models/dcgan.ts): output shapes, the conditional label path (G's label = argmax of the
 * latent tail, passed through to D's input), batch norm's per-channel statistics, spectral normalisation
 * (σ_max of the normalised matrix ≈ 1, checked with ml-matrix's SVD), the image-size rule, and the gradient
 * of D's loss against central finite differences in float64.
 */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { grad, numpy as np, random, type Array as JArray } from "@jax-js/jax";
import { Matrix, SingularValueDecomposition } from "ml-matrix";
import { useDevice } from "../src/engine/device.ts";
import { UsageError } from "../src/engine/errors.ts";
import {
  dcganDiscriminator,
  dcganGenerator,
  minibatchStd,
  spectralNormalize,
  type DcganConfig,
} from "../src/models/dcgan.ts";
import type { MlpParams } from "../src/models/mlp.ts";
import { TINY_DCGAN } from "./helpers/tiny-dcgan.ts";

before(async () => {
  await useDevice("wasm");
});

const tiny: DcganConfig = TINY_DCGAN;

describe("DCGAN", () => {
  test("G maps z [n, k] to images [n, H·W·C] in (−1, 1); D maps them to one score each", () => {
    const G = dcganGenerator({ ...tiny, channels: 3 });
    const D = dcganDiscriminator({ ...tiny, channels: 3 });
    const x = G.apply(G.init(random.key(1), "float32"), random.normal(random.key(2), [5, 3]));
    assert.deepEqual(x.shape, [5, 8 * 8 * 3]);
    const v = x.ref.dataSync();
    assert.ok(Array.from(v, Number).every((t) => t > -1 && t < 1));
    assert.deepEqual(D.apply(D.init(random.key(3), "float32"), x).shape, [5, 1]);
  });
  test("conditional G: the label is argmax of the latent tail and rides along as one-hot; D takes it", () => {
    const cfg = { ...tiny, classes: 4 };
    const G = dcganGenerator(cfg);
    const z = np.array([
      [0.1, 0.2, 0.3, 0, 0, 5, 0],
      [0.1, 0.2, 0.3, 9, 0, 0, 1],
    ]);
    const out = G.apply(G.init(random.key(1), "float32"), z).js() as number[][];
    assert.deepEqual(out[0].slice(64), [0, 0, 1, 0]);
    assert.deepEqual(out[1].slice(64), [1, 0, 0, 0]);
    const D = dcganDiscriminator(cfg);
    const Dp = D.init(random.key(2), "float32");
    // D sees the label: the same image with two labels gets two scores
    const img = Array.from({ length: 64 }, (_, i) => Math.sin(i));
    const s = D.apply(
      Dp,
      np.array([
        [...img, 1, 0, 0, 0],
        [...img, 0, 0, 0, 1],
      ]),
    ).js() as number[][];
    assert.notEqual(s[0][0], s[1][0]);
  });
  test("conditional pair: y enters every layer — G's transposed convs and D's fc take the label too", () => {
    const cfg = { ...tiny, classes: 4 };
    const G = dcganGenerator(cfg);
    const Gp = G.init(random.key(1), "float32");
    // fc [3 + 4 → 2·2·4], convT [4, 4, 4 + 4, 2], convT [4, 4, 2 + 4, 1]
    assert.deepEqual(
      Gp.map((l) => l.w.shape),
      [
        [7, 16],
        [4, 4, 8, 2],
        [4, 4, 6, 1],
      ],
    );
    // zero the fc's label rows: the image must still depend on y, through the conv layers alone
    const fcW = Gp[0].w.js() as number[][];
    Gp[0].w = np.array(fcW.map((row, i) => (i >= 3 ? row.map(() => 0) : row)));
    const z = [0.3, -0.7, 1.1];
    const out = G.apply(
      Gp,
      np.array([
        [...z, 5, 0, 0, 0],
        [...z, 0, 0, 5, 0],
      ]),
    ).js() as number[][];
    const diff = out[0].slice(0, 64).reduce((a, v, i) => a + Math.abs(v - out[1][i]), 0);
    assert.ok(diff > 1e-3, `image independent of the label through the convs (Σ|Δ| = ${diff})`);
    const D = dcganDiscriminator(cfg);
    const Dp = D.init(random.key(2), "float32");
    assert.deepEqual(Dp[2].w.shape, [2 * 2 * 4 + 4, 1]);
    // zero D's first conv's label channels: the score must still depend on y, through the fc
    const c0 = Dp[0].w.js() as number[][][][];
    Dp[0].w = np.array(c0.map((r) => r.map((c) => c.map((ch, i) => (i >= 1 ? ch.map(() => 0) : ch)))));
    const img = Array.from({ length: 64 }, (_, i) => Math.cos(i));
    const s = D.apply(
      Dp,
      np.array([
        [...img, 1, 0, 0, 0],
        [...img, 0, 1, 0, 0],
      ]),
    ).js() as number[][];
    assert.notEqual(s[0][0], s[1][0]);
  });
  test("batch norm: G's first feature map has per-channel mean β = 0 and variance γ² = 1 over the batch", () => {
    const cfg = { ...tiny, batchNorm: true, gWidths: [3, 2] };
    const G = dcganGenerator(cfg);
    const p = G.init(random.key(4), "float32");
    assert.equal(p.length, 5); // fc, bn, convT, bn, convT
    // the normalised map, by running the first two layers by hand through the public pieces
    const n = 16;
    const z = random.normal(random.key(5), [n, 3]);
    const h = np.dot(z, p[0].w.ref).add(p[0].b.ref).reshape([n, 2, 2, 3]);
    const stats = h.js() as number[][][][];
    const ch = (c: number) => stats.flatMap((a) => a.flatMap((b) => b.map((v) => v[c])));
    for (let c = 0; c < 3; c++) {
      const v = ch(c);
      const m = v.reduce((s, t) => s + t, 0) / v.length;
      const norm = v.map(
        (t) => (t - m) / Math.sqrt(v.reduce((s, u) => s + (u - m) ** 2, 0) / v.length + 1e-5),
      );
      assert.ok(Math.abs(norm.reduce((s, t) => s + t, 0) / norm.length) < 1e-6);
    }
    // and G with BN runs and stays in (−1, 1)
    const x = G.apply(p, random.normal(random.key(6), [n, 3])).dataSync();
    assert.ok(Array.from(x, Number).every((t) => Number.isFinite(t) && t > -1 && t < 1));
  });
  test("batch norm in D: after every conv but the first, so the second conv's bias has no effect", () => {
    const scores = (dBatchNorm: boolean, bias: number) => {
      const D = dcganDiscriminator({ ...tiny, dBatchNorm });
      const p = D.init(random.key(11), "float32");
      const x = random.normal(random.key(12), [6, 64]);
      const q = p.map((l, k) => (k === 1 ? { w: l.w, b: l.b.add(np.full([], bias)) } : l));
      return { n: p.length, s: D.apply(q, x).js() as number[][] };
    };
    const a = scores(true, 0);
    const b = scores(true, 0.5);
    assert.equal(a.n, 4); // conv, conv, bn, fc
    for (let i = 0; i < 6; i++) assert.ok(Math.abs(a.s[i][0] - b.s[i][0]) < 1e-5, `${a.s[i]} vs ${b.s[i]}`);
    // without BN the same bias shift moves the scores
    const c = scores(false, 0);
    const d = scores(false, 0.5);
    assert.equal(c.n, 3);
    assert.ok(c.s.some((r, i) => Math.abs(r[0] - d.s[i][0]) > 1e-3));
  });
  test("spectral normalisation: σ_max(W / σ̂) ≈ 1 (ml-matrix SVD), for a matrix with a clear top singular value", () => {
    const rows = 12;
    const cols = 7;
    const vals = Array.from({ length: rows * cols }, (_, k) => {
      const i = Math.floor(k / cols);
      const j = k % cols;
      return 3 * Math.cos(i) * Math.sin(j + 1) + 0.1 * Math.sin(7 * k);
    });
    const w = spectralNormalize(
      np.array(vals, { dtype: np.float64 }).reshape([rows, cols]),
    ).js() as number[][];
    const s = new SingularValueDecomposition(new Matrix(w)).diagonal[0];
    assert.ok(Math.abs(s - 1) < 1e-3, `σ_max = ${s}`);
  });
  test("spectral normalisation's gradient (u, v held constant, Miyato et al.) = finite differences when the power iteration has converged", () => {
    const rows = 6;
    const cols = 4;
    const base = Array.from(
      { length: rows * cols },
      (_, k) => 3 * Math.cos(Math.floor(k / cols)) * Math.sin((k % cols) + 1) + 0.1 * Math.sin(7 * k),
    );
    const c = np
      .array(
        Array.from({ length: rows * cols }, (_, k) => Math.cos(3 * k)),
        { dtype: np.float64 },
      )
      .reshape([rows, cols]);
    const f = (w: JArray) => np.sum(spectralNormalize(w).mul(c.ref));
    const at = (vals: number[]) =>
      f(np.array(vals, { dtype: np.float64 }).reshape([rows, cols])).js() as number;
    const g = grad(f)(np.array(base, { dtype: np.float64 }).reshape([rows, cols])).js() as number[][];
    const eps = 1e-6;
    for (const k of [0, 5, 13, 22]) {
      const plus = [...base];
      const minus = [...base];
      plus[k] += eps;
      minus[k] -= eps;
      const fd = (at(plus) - at(minus)) / (2 * eps);
      const ad = g[Math.floor(k / cols)][k % cols];
      assert.ok(Math.abs(fd - ad) < 1e-4, `${fd} vs ${ad}`);
    }
  });
  test("an image side the DCGAN cannot halve is a UsageError naming the multiple", () => {
    assert.throws(
      () => dcganGenerator({ ...tiny, height: 30, width: 30 }),
      (e: Error) => e instanceof UsageError && /must be a multiple of 4; got 30/.test(e.message),
    );
  });
  test("minibatch std: mean over features of the batch's standard deviation, by hand; one more fc input in D", () => {
    const h = np.array(
      [
        [1, 2, 0],
        [3, 2, 4],
      ],
      { dtype: np.float64 },
    );
    // per-feature population std over the batch: 1, 0, 2 (each with +1e-8 under the root)
    const want = (Math.sqrt(1 + 1e-8) + Math.sqrt(1e-8) + Math.sqrt(4 + 1e-8)) / 3;
    assert.ok(Math.abs((minibatchStd(h).js() as number) - want) < 1e-12);
    const D = dcganDiscriminator({ ...tiny, dMinibatchStd: true });
    const p = D.init(random.key(13), "float32");
    assert.deepEqual(p[p.length - 1].w.shape, [2 * 2 * 4 + 1, 1]);
    assert.match(D.arch, /‖ minibatch std → fc 1/);
    // the spread term changes with the batch: sample 0 scores differently beside other samples (fc weight 1 on
    // s), and identically without the term (no BN)
    const fc = p[p.length - 1];
    const wFc = (fc.w.ref.js() as number[][]).map((r) => r[0]);
    const withStd = [
      ...p.slice(0, -1),
      { w: np.array([...wFc.slice(0, -1), 1]).reshape([17, 1]), b: fc.b.ref },
    ];
    const noStd = [...p.slice(0, -1), { w: np.array(wFc.slice(0, -1)).reshape([16, 1]), b: fc.b }];
    const x = random.normal(random.key(14), [4, 64]);
    const other = () => np.concatenate([x.ref.slice([0, 1]), np.zeros([3, 64])], 0);
    const score = (net: typeof D, q: typeof p, batch: JArray) =>
      (
        net
          .apply(
            q.map((l) => ({ w: l.w.ref, b: l.b.ref })),
            batch,
          )
          .js() as number[][]
      )[0][0];
    const plain = dcganDiscriminator(tiny);
    assert.ok(Math.abs(score(plain, noStd, x.ref) - score(plain, noStd, other())) < 1e-6);
    const a = score(D, withStd, x.ref);
    const b = score(D, withStd, other());
    assert.ok(Math.abs(a - b) > 1e-4, `${a} vs ${b}`); // s is ~1e-3 at this init (features ~1e-3)
  });
  for (const [dBatchNorm, dMinibatchStd] of [
    [false, false],
    [true, false],
    [true, true],
  ])
    test(`∂/∂D of a loss through D = central finite differences, float64${dBatchNorm ? ", BN in D" : ""}${dMinibatchStd ? ", minibatch std" : ""}`, () => {
      const cfg = { ...tiny, dBatchNorm, dMinibatchStd };
      const D = dcganDiscriminator(cfg);
      const Dp = D.init(random.key(8), "float64");
      const x = random.normal(random.key(9), [3, 64]).astype(np.float64);
      // no tanh/exp: jax-js's are only f32-accurate on wasm, which finite differences would see
      const c = np.array([[0.3], [-1.2], [0.7]], { dtype: np.float64 });
      const loss = (p: MlpParams) => np.sum(D.apply(p, x.ref).mul(c.ref));
      const g = grad(loss)(Dp.map((l) => ({ w: l.w.ref, b: l.b.ref }))) as MlpParams;
      const gw = g[1].w.js() as number[][][][];
      const w = Dp[1].w.js() as number[][][][];
      const eps = 1e-6;
      for (const [a, b, c, o] of [
        [0, 0, 0, 0],
        [1, 2, 1, 3],
        [3, 3, 1, 2],
      ]) {
        const at = (delta: number) => {
          const w2 = w.map((r) => r.map((s) => s.map((t) => [...t])));
          w2[a][b][c][o] += delta;
          const p = Dp.map((l, k) => ({
            w: k === 1 ? np.array(w2, { dtype: np.float64 }) : l.w.ref,
            b: l.b.ref,
          }));
          return (loss(p).js() as number) ?? 0;
        };
        const fd = (at(eps) - at(-eps)) / (2 * eps);
        assert.ok(
          Math.abs(fd - gw[a][b][c][o]) < 1e-5 * Math.max(1, Math.abs(fd)),
          `${fd} vs ${gw[a][b][c][o]}`,
        );
      }
      (x as JArray).dispose();
    });
});
