/**
 * The joint parameter vector ω = (θ, φ) as one flat array: θ's leaves then φ's leaves, each raveled in
 * row-major order. Analysis (Jacobians, operators) works on this layout.
 */
import { numpy as np, tree, type Array as JArray, type JsTreeDef } from "@jax-js/jax";
import * as T from "./tree.ts";

/** Both players' parameters, [θ, φ]. */
export type Joint = [T.Params, T.Params];

/** The shapes needed to rebuild a Joint from a flat vector. */
export interface JointLayout {
  defs: [JsTreeDef, JsTreeDef];
  shapes: [number[][], number[][]];
  /** Number of scalars of each player, [n_θ, n_φ]. */
  sizes: [number, number];
}

/** Layout of a joint point; borrows w. */
export function layoutOf(w: Joint): JointLayout {
  const [l0, d0] = tree.flatten(w[0]);
  const [l1, d1] = tree.flatten(w[1]);
  const n = (ls: JArray[]): number => ls.reduce((s, x) => s + x.size, 0);
  return { defs: [d0, d1], shapes: [l0.map((x) => x.shape), l1.map((x) => x.shape)], sizes: [n(l0), n(l1)] };
}

/** Concatenate ω into one 1-D array (traceable); consumes w. */
export function flatten(w: Joint): JArray {
  const leaves = [...tree.leaves(w[0]), ...tree.leaves(w[1])].map((x) => x.reshape([-1]));
  return leaves.length === 1 ? leaves[0] : np.concatenate(leaves);
}

/** Split a flat 1-D array back into a Joint of the layout (traceable); consumes flat. */
export function unflatten(layout: JointLayout, flat: JArray): Joint {
  let o = 0;
  const take = (shapes: number[][]): JArray[] =>
    shapes.map((sh) => {
      const n = sh.reduce((a, b) => a * b, 1);
      const x = flat.ref.slice([o, o + n]).reshape(sh);
      o += n;
      return x;
    });
  const l0 = take(layout.shapes[0]);
  const l1 = take(layout.shapes[1]);
  flat.dispose();
  return [tree.unflatten(layout.defs[0], l0) as T.Params, tree.unflatten(layout.defs[1], l1) as T.Params];
}

/** Read ω as a Float64Array; consumes w. */
export function toFloat64(w: Joint): Float64Array {
  const a = T.toFlat(w[0]);
  const b = T.toFlat(w[1]);
  const out = new Float64Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
