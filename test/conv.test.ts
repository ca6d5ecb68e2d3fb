/**
 * src/engine/conv.ts: the im2col convolution and the matmul transposed convolution against jax-js's own
 * `lax.conv` (values and gradients, on random inputs), the transposed convolution against the vector-Jacobian
 * product of `lax.conv` (its definition as conv's adjoint), and a hand-computed 1-channel case.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { grad, jit, lax, numpy as np, random, vjp, type Array as JArray } from "@jax-js/jax";
import { useDevice } from "../src/engine/device.ts";
import {
  conv2d,
  convTranspose2d,
  convTransposeOutSize,
  MATMUL_FORMS,
  matmulForm,
} from "../src/engine/conv.ts";

const f64 = { dtype: np.float64 };
before(async () => {
  await useDevice("wasm");
});

const rand = (seed: number, shape: number[]): JArray =>
  random.normal(random.key(seed), shape).astype(np.float64);
const maxAbsDiff = (a: JArray, b: JArray): number => {
  const x = a.dataSync();
  const y = b.dataSync();
  assert.equal(x.length, y.length);
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return m;
};
/** lax.conv in NHWC with [kh, kw, C, Co] kernels: the oracle. */
const laxConv = (x: JArray, w: JArray, s: number, p: number): JArray =>
  lax
    .convGeneralDilated(
      x.transpose([0, 3, 1, 2]),
      w.transpose([3, 2, 0, 1]),
      [s, s],
      [
        [p, p],
        [p, p],
      ],
    )
    .transpose([0, 2, 3, 1]);

const CASES: { name: string; x: number[]; w: number[]; s: number; p: number }[] = [
  { name: "3×3, stride 1, pad 1", x: [2, 5, 6, 3], w: [3, 3, 3, 4], s: 1, p: 1 },
  { name: "4×4, stride 2, pad 1 (DCGAN)", x: [2, 8, 8, 3], w: [4, 4, 3, 5], s: 2, p: 1 },
  { name: "3×3, stride 2, pad 0, odd size", x: [1, 7, 9, 2], w: [3, 3, 2, 3], s: 2, p: 0 },
  { name: "5×5, stride 3, pad 2", x: [1, 10, 8, 2], w: [5, 5, 2, 2], s: 3, p: 2 },
  { name: "4×4, stride 2, pad 1, 1 channel in", x: [2, 8, 8, 1], w: [4, 4, 1, 3], s: 2, p: 1 },
  {
    name: "4×4, stride 2, pad 1, 4×4 → 2×2 (the tiny DCGAN's D layer 2)",
    x: [8, 4, 4, 2],
    w: [4, 4, 2, 4],
    s: 2,
    p: 1,
  },
  { name: "2×3 kernel, stride 2, pad 1, one output channel", x: [1, 6, 7, 3], w: [2, 3, 3, 1], s: 2, p: 1 },
];

describe("conv2d (im2col) = lax.conv", () => {
  it("the matmul form is chosen by layer shape", () => {
    assert.equal(matmulForm("conv", 1, 32), "patches");
    assert.equal(matmulForm("conv", 32, 64), "patches"); // "outputs": a wrong float32 ∂/∂x on wasm, below
    assert.equal(matmulForm("convTranspose", 32, 1), "outputs");
    assert.equal(matmulForm("convTranspose", 64, 32), "patches");
  });
  for (const c of CASES) {
    for (const form of MATMUL_FORMS)
      it(`${c.name}, ${form} form: values and both gradients`, () => {
        const x = rand(1, c.x);
        const w = rand(2, c.w);
        assert.ok(
          maxAbsDiff(
            conv2d(x.ref, w.ref, { stride: c.s, padding: c.p, form }),
            laxConv(x.ref, w.ref, c.s, c.p),
          ) < 1e-9,
        );
        // gradients of a random linear functional of the output
        const y = laxConv(x.ref, w.ref, c.s, c.p);
        const r = rand(3, y.shape);
        y.dispose();
        const mine = (xx: JArray, ww: JArray) =>
          np.sum(conv2d(xx, ww, { stride: c.s, padding: c.p, form }).mul(r.ref));
        const theirs = (xx: JArray, ww: JArray) => np.sum(laxConv(xx, ww, c.s, c.p).mul(r.ref));
        const gx1 = grad((xx: JArray) => mine(xx, w.ref))(x.ref);
        const gx2 = grad((xx: JArray) => theirs(xx, w.ref))(x.ref);
        assert.ok(maxAbsDiff(gx1, gx2) < 1e-9, "∂/∂x");
        const gw1 = grad((ww: JArray) => mine(x.ref, ww))(w.ref);
        const gw2 = grad((ww: JArray) => theirs(x.ref, ww))(w.ref);
        assert.ok(maxAbsDiff(gw1, gw2) < 1e-9, "∂/∂w");
        x.dispose();
        w.dispose();
        r.dispose();
      });
  }
  // float32, as the DCGANs train: each form's values and gradients against the float64 oracle, relative to
  // the oracle's largest entry
  for (const c of CASES) {
    for (const form of MATMUL_FORMS)
      it(`${c.name}, ${form} form, float32: values and both gradients within 1e-5 of float64`, () => {
        const x = rand(1, c.x);
        const w = rand(2, c.w);
        const y = laxConv(x.ref, w.ref, c.s, c.p);
        const r = rand(3, y.shape);
        y.dispose();
        const f32 = (a: JArray) => a.astype(np.float32);
        const loss = (xx: JArray, ww: JArray, impl: "im2col" | "lax", dt: "f32" | "f64") =>
          np.sum(
            (impl === "lax"
              ? laxConv(xx, ww, c.s, c.p)
              : conv2d(xx, ww, { stride: c.s, padding: c.p, form })
            ).mul(dt === "f32" ? f32(r.ref) : r.ref),
          );
        const rel = (a: JArray, b: JArray) => {
          const scale = Math.max(...(b.ref.dataSync() as Float64Array).map(Math.abs));
          return maxAbsDiff(a.astype(np.float64), b) / scale;
        };
        const y32 = conv2d(f32(x.ref), f32(w.ref), { stride: c.s, padding: c.p, form });
        assert.ok(rel(y32, laxConv(x.ref, w.ref, c.s, c.p)) < 1e-5, "values");
        const [gx32, gw32] = grad((a: JArray, b: JArray) => loss(a, b, "im2col", "f32"), {
          argnums: [0, 1],
        })(f32(x.ref), f32(w.ref)) as [JArray, JArray];
        const [gx, gw] = grad((a: JArray, b: JArray) => loss(a, b, "lax", "f64"), { argnums: [0, 1] })(
          x,
          w,
        ) as [JArray, JArray];
        assert.ok(rel(gx32, gx) < 1e-5, "∂/∂x");
        assert.ok(rel(gw32, gw) < 1e-5, "∂/∂w");
        r.dispose();
      });
  }
  it("lax implementation gives the same numbers under jit", () => {
    const x = rand(4, [2, 8, 8, 3]);
    const w = rand(5, [4, 4, 3, 2]);
    const f = jit((a: JArray, b: JArray) => conv2d(a, b, { stride: 2, padding: 1, impl: "lax" }));
    const g = jit((a: JArray, b: JArray) => conv2d(a, b, { stride: 2, padding: 1 }));
    assert.ok(maxAbsDiff(f(x.ref, w.ref), g(x, w)) < 1e-9);
  });
});

describe("convTranspose2d = adjoint of conv (vjp of lax.conv in x)", () => {
  for (const c of CASES) {
    for (const form of MATMUL_FORMS)
      it(`${c.name}, ${form} form: values, both implementations, and gradients`, () => {
        // x of the transposed conv lives in conv's output space
        const [N, H, W, C] = c.x;
        const [kh, kw, , Co] = c.w;
        const Ho = Math.floor((H + 2 * c.p - kh) / c.s) + 1;
        const Wo = Math.floor((W + 2 * c.p - kw) / c.s) + 1;
        // conv's input size must be the transposed conv's output size for the adjoint identity
        const Ht = convTransposeOutSize(Ho, kh, c.s, c.p);
        const Wt = convTransposeOutSize(Wo, kw, c.s, c.p);
        const w = rand(6, [kh, kw, C, Co]); // conv: C → Co; its adjoint maps Co → C
        const u = rand(7, [N, Ho, Wo, Co]);
        const [, pull] = vjp((xx: JArray) => laxConv(xx, w.ref, c.s, c.p), [np.zeros([N, Ht, Wt, C], f64)]);
        const [expected] = pull(u.ref) as JArray[];
        // the transposed conv's kernel maps Co → C: W'[a, b, o, c] = W[a, b, c, o]
        const wt = w.ref.transpose([0, 1, 3, 2]);
        const mine = convTranspose2d(u.ref, wt.ref, { stride: c.s, padding: c.p, form });
        assert.deepEqual(mine.shape, [N, Ht, Wt, C]);
        assert.ok(maxAbsDiff(mine, expected.ref) < 1e-9, "im2col");
        assert.ok(
          maxAbsDiff(convTranspose2d(u.ref, wt.ref, { stride: c.s, padding: c.p, impl: "lax" }), expected) <
            1e-9,
          "lax",
        );
        const r = rand(8, [N, Ht, Wt, C]);
        const loss = (impl: "im2col" | "lax") => (uu: JArray, ww: JArray) =>
          np.sum(convTranspose2d(uu, ww, { stride: c.s, padding: c.p, impl, form }).mul(r.ref));
        const g1 = grad((ww: JArray) => loss("im2col")(u.ref, ww))(wt.ref);
        const g2 = grad((ww: JArray) => loss("lax")(u.ref, ww))(wt.ref);
        assert.ok(maxAbsDiff(g1, g2) < 1e-9, "∂/∂w");
        const h1 = grad((uu: JArray) => loss("im2col")(uu, wt.ref))(u.ref);
        const h2 = grad((uu: JArray) => loss("lax")(uu, wt.ref))(u.ref);
        assert.ok(maxAbsDiff(h1, h2) < 1e-9, "∂/∂x");
        w.dispose();
        wt.dispose();
        u.dispose();
        r.dispose();
      });
  }
  it("a hand-computed case: 1 pixel through a 2×2 kernel at stride 2 tiles the kernel", () => {
    const x = np.array([1, 2, 3, 4], f64).reshape([1, 2, 2, 1]);
    const w = np.array([1, 10, 100, 1000], f64).reshape([2, 2, 1, 1]);
    const y = convTranspose2d(x, w, { stride: 2 }).js() as number[][][][];
    const img = y[0].map((row) => row.map((v) => v[0]));
    assert.deepEqual(img, [
      [1, 10, 2, 20],
      [100, 1000, 200, 2000],
      [3, 30, 4, 40],
      [300, 3000, 400, 4000],
    ]);
  });
});
