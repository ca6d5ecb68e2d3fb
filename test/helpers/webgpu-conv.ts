/**
 * The stride-2 4×4 convolution of the DCGANs (x [8, 8, 8, 1], w [4, 4, 1, 2], padding 1) and its transposed
 * convolution, on the device named by argv[2]: values and the jitted gradients of Σ y² with respect to x and
 * w, for each implementation (im2col "patches" and "outputs", jax-js's lax.conv). Prints JSON
 * { "<case> <y|gx|gw>": number[] }. Run with the SwiftShader environment (test/webgpu.test.ts).
 */
import { defaultDevice, grad, jit, numpy as np, type Array as JArray } from "@jax-js/jax";
import { useDevice } from "../../src/engine/device.ts";
import { conv2d, convTranspose2d, type ConvOptions } from "../../src/engine/conv.ts";

const device = process.argv[2] === "webgpu" ? "webgpu" : "wasm";
await useDevice("webgpu"); // both devices initialised; the one under test is the default
defaultDevice(device);
const impls: [string, ConvOptions][] = [
  ["patches", { impl: "im2col", form: "patches" }],
  ["outputs", { impl: "im2col", form: "outputs" }],
  ["lax", { impl: "lax" }],
];
const filled = (shape: number[], f: (i: number) => number): JArray =>
  np
    .array(
      Array.from({ length: shape.reduce((a, b) => a * b) }, (_, i) => f(i)),
      { dtype: np.float32 },
    )
    .reshape(shape);
const out: Record<string, number[]> = {};
for (const transposed of [false, true]) {
  for (const [label, impl] of impls) {
    const opts: ConvOptions = { ...impl, stride: 2, padding: 1 };
    const op = (x: JArray, w: JArray) => (transposed ? convTranspose2d(x, w, opts) : conv2d(x, w, opts));
    const xs = transposed ? [8, 2, 2, 4] : [8, 8, 8, 1];
    const ws = transposed ? [4, 4, 4, 2] : [4, 4, 1, 2];
    const x = filled(xs, (i) => Math.sin(0.37 * i));
    const w = filled(ws, (i) => Math.cos(0.53 * i));
    const loss = (a: JArray, b: JArray) => {
      const y = op(a, b);
      return y.ref.mul(y).sum();
    };
    const name = `${transposed ? "convTranspose" : "conv"} ${label}`;
    out[`${name} y`] = Array.from((await op(x.ref, w.ref).data()) as Float32Array);
    const [gx, gw] = jit(grad(loss, { argnums: [0, 1] }))(x, w) as [JArray, JArray];
    out[`${name} gx`] = Array.from((await gx.data()) as Float32Array);
    out[`${name} gw`] = Array.from((await gw.data()) as Float32Array);
  }
}
console.log(JSON.stringify(out));
process.exit(0); // Dawn keeps the event loop alive
