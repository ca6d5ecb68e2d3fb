/**
 * Pytree helpers over @jax-js/jax arrays.
 *
 * Ownership (jax-js's rule): every function here *consumes* its array arguments unless its doc says
 * "borrows". Pass `tree.ref(t)` to keep a tree alive.
 */
import { numpy as np, tree, type Array as JArray, type JsTree } from "@jax-js/jax";

/** A player's parameters: any pytree (array, list or record of arrays). */
export type Params = JsTree<JArray>;

export const ref = <T extends Params>(t: T): T => tree.ref(t);
export const dispose = (t: Params | null | undefined): void => tree.dispose(t);

/** a + b, leafwise; consumes both. */
export function add<T extends Params>(a: T, b: T): T {
  return tree.map((x: JArray, y: JArray) => x.add(y), a, b) as T;
}
/** a − b, leafwise; consumes both. */
export function sub<T extends Params>(a: T, b: T): T {
  return tree.map((x: JArray, y: JArray) => x.sub(y), a, b) as T;
}
/**
 * The number c as a 0-d array of x's dtype (borrows x). Use it for every hyper-parameter (η, β, γ, c): the
 * scalar then has the leaf's dtype by construction (unpatched jax-js rounded JS numbers to float32 inside
 * `jit`, docs/jax-js-patch.md §2; kept so results stay bit-identical across versions).
 */
export function scalarLike(x: JArray, c: number): JArray {
  return np.full([], c, { dtype: x.dtype });
}

/** c · a, leafwise, in each leaf's dtype; consumes a. */
export function scale<T extends Params>(a: T, c: number): T {
  return tree.map((x: JArray) => x.mul(scalarLike(x, c)), a) as T;
}
/** Leafwise map of one tree; consumes it. */
export function map<T extends Params>(a: T, f: (x: JArray) => JArray): T {
  return tree.map(f, a) as T;
}
/** Zeros shaped like `a`; borrows a. */
export function zerosLike<T extends Params>(a: T): T {
  return tree.map((x: JArray) => np.zerosLike(x.ref), a) as T;
}
/** Number of scalars in the tree; borrows. */
export function size(a: Params): number {
  return tree.leaves(a).reduce((n, x) => n + x.size, 0);
}
/** Squared Euclidean norm as a scalar array; consumes. */
export function sqNorm(a: Params): JArray {
  const parts = tree.leaves(a).map((x) => np.sum(x.ref.mul(x)));
  return parts.reduce((s, x) => s.add(x));
}

/** Read a tree into one flat Float64Array (leaf order of jax-js's flatten); consumes. */
export function toFlat(a: Params): Float64Array {
  const leaves = tree.leaves(a);
  const out = new Float64Array(leaves.reduce((n, x) => n + x.size, 0));
  let o = 0;
  for (const x of leaves) {
    const d = x.dataSync();
    out.set(d as ArrayLike<number>, o);
    o += d.length;
  }
  return out;
}

/** Build a tree shaped like `template` (borrowed, not consumed) from flat values. */
export function fromFlat<T extends Params>(template: T, flat: ArrayLike<number>): T {
  const [leaves, def] = tree.flatten(template);
  let o = 0;
  const made = leaves.map((x) => {
    const n = x.size;
    const vals = Array.from({ length: n }, (_, i) => flat[o + i]);
    o += n;
    return np.array(vals, { dtype: x.dtype }).reshape(x.shape);
  });
  if (o !== flat.length) throw new Error(`fromFlat: ${flat.length} values for a tree of ${o}`);
  return tree.unflatten(def, made) as T;
}

/** Leafwise f(a_i, b_i) of two trees of one shape; consumes both. */
export function map2<T extends Params>(a: T, b: T, f: (x: JArray, y: JArray) => JArray): T {
  return tree.map(f, a, b) as T;
}

/** Leafwise f of four trees of one shape; consumes all four. */
export function map4<T extends Params>(
  a: T,
  b: T,
  c: T,
  d: T,
  f: (w: JArray, x: JArray, y: JArray, z: JArray) => JArray,
): T {
  return tree.map(f, a, b, c, d) as T;
}
