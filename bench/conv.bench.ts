/**
 * Convolutions on the DCGAN's layer shapes (batch 64, REFERENCE.md's pair): saddle's matmul convolutions
 * in both forms (src/engine/conv.ts: "patches" = im2col / phase-decomposed transposed conv, "outputs" =
 * matmul then summed shifted slices; "auto" = the form `matmulForm` picks for the layer) against jax-js's
 * own `lax.conv`, forward and forward + gradients, jitted, median ms and GFLOP/s (2·MACs / time).
 * Printed, never asserted.
 * Usage: npm run bench:conv [-- --reps 5 --device wasm|webgpu --no-lax]
 */
import { grad, jit, numpy as np, random, type Array as JArray } from "@jax-js/jax";
import { conv2d, convTranspose2d, matmulForm, type ConvOptions } from "../src/engine/conv.ts";
import { useDevice, type DeviceName } from "../src/engine/device.ts";

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : dflt;
};
const reps = Number(arg("reps", "5"));
const device = arg("device", "wasm") as DeviceName;
const withLax = !process.argv.includes("--no-lax");
await useDevice(device);

interface Layer {
  name: string;
  kind: "conv" | "convT";
  x: number[];
  w: number[];
  /** Multiply-adds of the forward pass. */
  macs: number;
}
const LAYERS: Layer[] = [
  {
    name: "D conv 1→64, 28→14",
    kind: "conv",
    x: [64, 28, 28, 1],
    w: [4, 4, 1, 64],
    macs: 64 * 196 * 16 * 64,
  },
  {
    name: "D conv 64→128, 14→7",
    kind: "conv",
    x: [64, 14, 14, 64],
    w: [4, 4, 64, 128],
    macs: 64 * 49 * 1024 * 128,
  },
  {
    name: "G convT 128→64, 7→14",
    kind: "convT",
    x: [64, 7, 7, 128],
    w: [4, 4, 128, 64],
    macs: 64 * 49 * 128 * 1024,
  },
  {
    name: "G convT 64→1, 14→28",
    kind: "convT",
    x: [64, 14, 14, 64],
    w: [4, 4, 64, 1],
    macs: 64 * 196 * 64 * 16,
  },
  // the training presets' half-width pair (src/spec/presets.ts PRESET_WIDTHS)
  {
    name: "preset D conv 1→32, 28→14",
    kind: "conv",
    x: [64, 28, 28, 1],
    w: [4, 4, 1, 32],
    macs: 64 * 196 * 16 * 32,
  },
  {
    name: "preset D conv 32→64, 14→7",
    kind: "conv",
    x: [64, 14, 14, 32],
    w: [4, 4, 32, 64],
    macs: 64 * 49 * 512 * 64,
  },
  {
    name: "preset G convT 64→32, 7→14",
    kind: "convT",
    x: [64, 7, 7, 64],
    w: [4, 4, 64, 32],
    macs: 64 * 49 * 64 * 512,
  },
  {
    name: "preset G convT 32→1, 14→28",
    kind: "convT",
    x: [64, 14, 14, 32],
    w: [4, 4, 32, 1],
    macs: 64 * 196 * 32 * 16,
  },
];

function median(f: () => JArray, n: number): number {
  f().dataSync(); // compile
  const ts: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    f().dataSync();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  return ts[Math.floor(ts.length / 2)];
}

console.log(`convolutions, batch 64, ${device}; median of ${reps} (lax.conv: 1) runs`);
console.log(["layer", "impl", "fwd ms", "GFLOP/s", "fwd+grad ms", "GFLOP/s"].join("\t"));
for (const l of LAYERS) {
  const picked = matmulForm(l.kind === "conv" ? "conv" : "convTranspose", l.w[2], l.w[3]);
  const variants: [string, ConvOptions][] = [
    [`im2col patches${picked === "patches" ? " (auto)" : ""}`, { impl: "im2col", form: "patches" }],
    [`im2col outputs${picked === "outputs" ? " (auto)" : ""}`, { impl: "im2col", form: "outputs" }],
    ...(withLax ? [["lax.conv", { impl: "lax" }] as [string, ConvOptions]] : []),
  ];
  for (const [label, o] of variants) {
    const impl = o.impl;
    const x = random.normal(random.key(1), l.x);
    const w = random.normal(random.key(2), l.w);
    const op = (a: JArray, b: JArray) =>
      l.kind === "conv"
        ? conv2d(a, b, { stride: 2, padding: 1, ...o })
        : convTranspose2d(a, b, { stride: 2, padding: 1, ...o });
    const fwd = jit((a: JArray, b: JArray) => np.sum(op(a, b)));
    const both = jit((a: JArray, b: JArray) => {
      const [ga, gb] = grad((aa: JArray, bb: JArray) => np.sum(op(aa, bb)), { argnums: [0, 1] })(
        a,
        b,
      ) as JArray[];
      return np.sum(ga).add(np.sum(gb));
    });
    const n = impl === "lax" ? 1 : reps;
    const tf = median(() => fwd(x.ref, w.ref), n);
    const tb = median(() => both(x.ref, w.ref), n);
    const gf = (2 * l.macs) / (tf * 1e6);
    const gb = (3 * 2 * l.macs) / (tb * 1e6);
    console.log([l.name, label, tf.toFixed(1), gf.toFixed(2), tb.toFixed(1), gb.toFixed(2)].join("\t"));
    x.dispose();
    w.dispose();
  }
}
