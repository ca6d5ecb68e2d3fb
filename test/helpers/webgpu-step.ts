/**
 * One alternating Adam round of the MLP GAN (REFERENCE.md pair, batch 64) and one alternating SGD round of a tiny
 * DCGAN (8×8, batch 8) on the device named by argv[2], from the same fixed initial parameters; prints {mlp, dcgan} = the flattened parameters after the
 * step (read back asynchronously: WebGPU in Node has no synchronous read). Used by test/webgpu.test.ts.
 */
import { numpy as np, tree, type Array as JArray } from "@jax-js/jax";
import { imageDataset } from "../../src/data/images.ts";
import { ring } from "../../src/data/toy2d/ring.ts";
import { useDevice, type DeviceName } from "../../src/engine/device.ts";
import { keyStream } from "../../src/engine/rng.ts";
import * as T from "../../src/engine/tree.ts";
import { gan } from "../../src/games/gan.ts";
import type { Game, Joint } from "../../src/games/game.ts";
import { createMethod } from "../../src/methods/registry.ts";
import { dcgan, type DcganConfig } from "../../src/models/dcgan.ts";
import { TINY_DCGAN } from "./tiny-dcgan.ts";

const device = (process.argv[2] ?? "wasm") as DeviceName;
await useDevice(device);

async function flat(w: Joint): Promise<number[]> {
  const out: number[] = [];
  for (const leaf of tree.leaves(w)) out.push(...Array.from((await leaf.data()) as ArrayLike<number>));
  return out;
}

/** A tree shaped like `w` (consumed) with fixed values 0.08·sin(1.3·i + 0.7·leaf), i the index within the leaf. */
function fixedLike(w: Joint): Joint {
  let leaf = 0;
  return tree.map((x: JArray) => {
    const k = leaf++;
    const vals = Array.from({ length: x.size }, (_, i) => 0.08 * Math.sin(1.3 * i + 0.7 * k));
    const out = np.array(vals, { dtype: np.float32 }).reshape(x.shape);
    x.dispose();
    return out;
  }, w) as Joint;
}

/**
 * Adam's first step is lr·g/|g|: a parameter whose gradient is near 0 moves by ±lr on a sign that float32
 * rounding decides, so a step compared across devices uses Adam only where every gradient is well away from 0
 * (the MLP) and plain SGD (update −lr·g) elsewhere.
 */
async function oneStep(
  game: Game,
  optimizer: "adam" | "sgd",
): Promise<{ before: number[]; after: number[]; leaves: number[] }> {
  const method = createMethod(game, {
    name: "alternating",
    lr: optimizer === "adam" ? [2e-4, 2e-4] : [0.1, 0.1],
    optimizer: [optimizer, optimizer],
    betas: [0.5, 0.999],
    first: 1,
  });
  // The same start on every device: jax-js's normal sampler rounds differently on WebGPU (≈1e-4 relative).
  let w = fixedLike(game.init());
  const keys = keyStream(0, "noise");
  let s = method.init(w, keys.next());
  const leaves = tree.leaves(w).map((x) => x.size);
  const before = await flat(T.ref(w));
  [w, s] = method.step(w, s, keys.next());
  const after = await flat(w);
  T.dispose(s);
  keys.dispose();
  return { before, after, leaves };
}

/** 16 fixed 8×8 grey images in [−1, 1] (a smooth pattern per image, no data files needed). */
function tinyImages() {
  const n = 16;
  const images = new Float32Array(n * 64);
  for (let i = 0; i < n; i++)
    for (let p = 0; p < 64; p++) images[i * 64 + p] = Math.sin(0.7 * i + 0.3 * p + 0.05 * i * p);
  return imageDataset(
    "tiny",
    { height: 8, width: 8, channels: 1 },
    { count: n, images, labels: null },
    null,
    [],
  );
}
const TINY: DcganConfig = TINY_DCGAN;

const t0 = performance.now();
const mlp = await oneStep(gan({ data: ring(), batch: 64, objective: "non-saturating" }), "adam");
const t1 = performance.now();
const dcganStep = await oneStep(
  gan({ data: tinyImages(), batch: 8, latentDim: 3, objective: "non-saturating", networks: dcgan(TINY) }),
  "sgd",
);
const t2 = performance.now();
process.stdout.write(
  JSON.stringify({ device, mlp, dcgan: dcganStep, mlpMs: t1 - t0, dcganMs: t2 - t1 }) + "\n",
);
// Dawn keeps the event loop alive: exit once stdout is flushed.
process.stdout.write("", () => process.exit(0));
