/**
 * The Jacobian ∇v(ω) of the game's vector field at a point (Mitliagkas: "Jacobian is non-symmetric, with
 * complex eigenvalues → rotations in decision space"), exact by forward-mode autodiff: column j is the
 * Jacobian-vector product ∇v(ω)·e_j (jax-js `jvp`). jax-js 0.1.25's `jacfwd` returns the transpose, so the
 * columns are built here explicitly. Rows/columns follow the joint layout (θ then φ; src/engine/joint.ts).
 */
import { jvp, numpy as np, type Array as JArray } from "@jax-js/jax";
import { dtypeOf } from "../engine/device.ts";
import * as J from "../engine/joint.ts";
import * as T from "../engine/tree.ts";
import type { Game, Joint } from "../games/game.ts";
import { vectorField } from "../games/vector-field.ts";

export type Matrix = number[][];

/** v as a function of the flat joint vector (traceable); consumes its argument. */
export function flatVectorField(game: Game, layout: J.JointLayout): (flat: JArray) => JArray {
  const v = vectorField(game);
  return (flat) => {
    const [x, y] = J.unflatten(layout, flat);
    return J.flatten(v(x, y));
  };
}

/** v(ω) as numbers; borrows w. */
export function fieldAt(game: Game, w: Joint): Float64Array {
  const v = vectorField(game);
  return J.toFloat64(v(T.ref(w[0]), T.ref(w[1])));
}

/** Exact ∇v(ω) (n×n, row i = ∂v_i/∂ω); borrows w. */
export function jacobian(game: Game, w: Joint): Matrix {
  const layout = J.layoutOf(w);
  const n = layout.sizes[0] + layout.sizes[1];
  const f = flatVectorField(game, layout);
  const x0 = J.flatten(T.ref(w));
  const dt = dtypeOf(game.dtype);
  const cols: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    const e = np.zeros([n], { dtype: dt }).add(np.eye(n, undefined, { dtype: dt }).slice(j));
    const [out, tan] = jvp(f, [x0.ref], [e]) as [JArray, JArray];
    out.dispose();
    cols.push(Float64Array.from(tan.dataSync() as ArrayLike<number>));
  }
  x0.dispose();
  return Array.from({ length: n }, (_, i) => cols.map((c) => c[i]));
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
