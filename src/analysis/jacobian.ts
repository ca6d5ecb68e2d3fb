/**
 * The Jacobian ∇v(ω) of the game's vector field at a point (Mitliagkas: "Jacobian is non-symmetric, with
 * complex eigenvalues → rotations in decision space"), exact by forward-mode autodiff: column j is the
 * Jacobian-vector product ∇v(ω)·e_j (jax-js `jvp`). jax-js 0.1.25's `jacfwd` returns the transpose, so the
 * columns are built here explicitly. Rows/columns follow the joint layout (θ then φ; src/engine/joint.ts).
 */
import { jit, jvp, numpy as np, type Array as JArray } from "@jax-js/jax";
import { dtypeOf } from "../engine/device.ts";
import * as J from "../engine/joint.ts";
import * as T from "../engine/tree.ts";
import type { Game, Joint } from "../games/game.ts";
import { vectorField } from "../games/vector-field.ts";
import { checkGameOnce } from "./field-check.ts";

export type Matrix = number[][];

/** v as a function of the flat joint vector (traceable); consumes its arguments (key: stochastic games). */
export function flatVectorField(game: Game, layout: J.JointLayout): (flat: JArray, key?: JArray) => JArray {
  const v = vectorField(game);
  return (flat, key) => {
    const [x, y] = J.unflatten(layout, flat);
    return J.flatten(v(x, y, key));
  };
}

/** v(ω) as numbers; borrows w. */
export function fieldAt(game: Game, w: Joint): Float64Array {
  const v = vectorField(game);
  return J.toFloat64(v(T.ref(w[0]), T.ref(w[1])));
}

type TangentFn = (x: JArray, e: JArray) => JArray;
const tangentCache = new WeakMap<Game, Map<string, TangentFn>>();

/**
 * (ω, e) ↦ ∇v(ω)·e, the jitted Jacobian-vector product of the flat field (jax-js `jvp`), compiled once per
 * game and layout; consumes x and e.
 */
export function tangentFn(game: Game, layout: J.JointLayout): TangentFn {
  let byLayout = tangentCache.get(game);
  if (!byLayout) tangentCache.set(game, (byLayout = new Map()));
  const key = JSON.stringify(layout.shapes);
  let fn = byLayout.get(key);
  if (!fn) {
    const f = flatVectorField(game, layout);
    fn = jit((x: JArray, e: JArray): JArray => {
      const [out, tan] = jvp(f, [x], [e]) as [JArray, JArray];
      out.dispose();
      return tan;
    });
    byLayout.set(key, fn);
  }
  return fn;
}

/**
 * (ω, E) ↦ [∇v(ω)·e_j]_j: one jitted Jacobian-vector product per row e_j of E. (A `vmap` over the tangents
 * gave wrong numbers for games with np.dot in jax-js 0.1.25.)
 */
function columns(game: Game, layout: J.JointLayout, x: JArray, basis: JArray): JArray {
  const col = tangentFn(game, layout);
  const n = basis.shape[0];
  const cols = Array.from({ length: n }, (_, j) => col(x.ref, basis.ref.slice(j)));
  x.dispose();
  basis.dispose();
  return np.stack(cols);
}

/**
 * Exact ∇v(ω) (n×n, row i = ∂v_i/∂ω); borrows w. The first call for a game object runs the safety net
 * (src/analysis/field-check.ts: jitted = plain field, jvp = finite differences, at the game's start point).
 */
export function jacobian(game: Game, w: Joint): Matrix {
  checkGameOnce(game);
  const layout = J.layoutOf(w);
  const n = layout.sizes[0] + layout.sizes[1];
  const x0 = J.flatten(T.ref(w));
  const basis = np.eye(n, undefined, { dtype: dtypeOf(game.dtype) });
  const cols = columns(game, layout, x0, basis).dataSync() as ArrayLike<number>; // row j = ∇v·e_j
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => cols[j * n + i]));
}

/** Central finite differences (v(ω + εe_j) − v(ω − εe_j)) / 2ε, for checking `jacobian`; borrows w. */
export function finiteDifferenceJacobian(game: Game, w: Joint, eps = 1e-5): Matrix {
  const layout = J.layoutOf(w);
  const x = J.toFloat64(T.ref(w));
  const n = x.length;
  const dt = dtypeOf(game.dtype);
  const v = vectorField(game);
  const at = (p: Float64Array): Float64Array => {
    const [a, b] = J.unflatten(layout, np.array(Array.from(p), { dtype: dt }));
    return J.toFloat64(v(a, b));
  };
  const cols: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    const p = Float64Array.from(x);
    const m = Float64Array.from(x);
    p[j] += eps;
    m[j] -= eps;
    const vp = at(p);
    const vm = at(m);
    cols.push(vp.map((a, i) => (a - vm[i]) / (2 * eps)));
  }
  return Array.from({ length: n }, (_, i) => cols.map((c) => c[i]));
}
