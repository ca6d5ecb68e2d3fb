/**
 * One array that realises a whole training step: [‖θ_G‖², ‖θ_D‖², c], where c adds up one entry of every
 * other leaf of the run's state (the method's optimizer state, G's moving average, the noise key).
 *
 * jax-js 0.1.25 runs lazily: a jitted step leaves every output leaf with the list of kernels still to run,
 * and realising an array prepares each kernel on that list before submitting them (`prepare`, then
 * `submit`, dist/index.js). Each leaf of a jitted step's outputs carries the whole step's list, so waiting
 * on every leaf (`blockUntilReady([w, s, …])`, ~80 leaves for the mnist-dcgan preset with Adam and an
 * average) prepared each of the step's ~530 kernels once per leaf — tens of thousands of async calls and
 * their garbage on the main thread per step while the wasm worker threads waited. Reading this one array
 * prepares and submits each kernel once, and the trainer needs the two norms anyway (divergence is a
 * non-finite norm, recorded with its step and player). Measured in docs/images.md, "Where a step's time went".
 */
import { jit, numpy as np, tree, type Array as JArray, type JsTree } from "@jax-js/jax";
import * as T from "../engine/tree.ts";
import type { Joint } from "../games/game.ts";

const digest = jit((w: Joint, rest: JsTree<JArray>) => {
  const nG = T.sqNorm(w[0]);
  const nD = T.sqNorm(w[1]);
  const touched = tree.leaves(rest).map((x) => x.reshape([-1]).slice(0).astype(nG.dtype));
  const c = touched.reduce((a, b) => a.add(b), np.zeros([], { dtype: nG.dtype }));
  return np.stack([nG, nD.astype(nG.dtype), c]);
});

/** [‖θ_G‖², ‖θ_D‖², c] as one lazy array (see the module comment); borrows w and rest. */
export function stepDigest(w: Joint, rest: JsTree<JArray>): JArray {
  return digest(T.ref(w), tree.ref(rest));
}
