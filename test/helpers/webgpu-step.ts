/**
 * One alternating Adam round of the MLP GAN (REFERENCE.md pair, batch 64) and one of a tiny DCGAN on the device
 * named by argv[2], from the same initial parameters; prints {mlp, dcgan} = the flattened parameters after the
 * step (read back asynchronously: WebGPU in Node has no synchronous read). Used by test/webgpu.test.ts.
 */
import { tree } from "@jax-js/jax";
import { ring } from "../../src/data/mixtures.ts";
import { useDevice, type DeviceName } from "../../src/engine/device.ts";
import { keyStream } from "../../src/engine/rng.ts";
import * as T from "../../src/engine/tree.ts";
import { gan } from "../../src/games/gan.ts";
import type { Game, Joint } from "../../src/games/game.ts";
import { createMethod } from "../../src/methods/registry.ts";

const device = (process.argv[2] ?? "wasm") as DeviceName;
await useDevice(device);

async function flat(w: Joint): Promise<number[]> {
  const out: number[] = [];
  for (const leaf of tree.leaves(w)) out.push(...Array.from((await leaf.data()) as ArrayLike<number>));
  return out;
}

async function oneStep(game: Game): Promise<{ before: number[]; after: number[] }> {
  const method = createMethod(game, {
    name: "alternating",
    lr: [2e-4, 2e-4],
    optimizer: ["adam", "adam"],
    betas: [0.5, 0.999],
    first: 1,
  });
  let w: Joint = game.init();
  const keys = keyStream(0, "noise");
  let s = method.init(w, keys.next());
  const before = await flat(T.ref(w));
  [w, s] = method.step(w, s, keys.next());
  const after = await flat(w);
  T.dispose(s);
  keys.dispose();
  return { before, after };
}

const t0 = performance.now();
const mlp = await oneStep(gan({ data: ring(), batch: 64, objective: "non-saturating" }));
const mlpMs = performance.now() - t0;
process.stdout.write(JSON.stringify({ device, mlp, mlpMs }) + "\n");
process.exit(0);
