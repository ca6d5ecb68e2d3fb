/**
 * Matrix-free linear operators of a game at one point ω = (θ, φ), for the spectra of src/analysis/krylov-schur.ts:
 *
 *   game Jacobian   u ↦ ∇v(ω)·u                   (one forward-mode `jvp` of the field v = [∇_θL^(θ); ∇_φL^(φ)])
 *   own Hessians    u ↦ ∇²_θθ L^(θ)(ω)·u,  u ↦ ∇²_φφ L^(φ)(ω)·u   (forward over reverse: `jvp` of one
 *                   player's gradient with the other player held fixed; the diagonal blocks of ∇v)
 *
 * as in Berard et al., "A closer look at the optimization landscapes of GANs" (ICLR 2020), whose code
 * (facebookresearch/GAN-optimization-landscape, lib/linalg.py) hands the same products to ARPACK. A stochastic
 * game (a GAN) is evaluated on one fixed batch, the batch its `loss` draws from `key`, so each operator is a
 * fixed matrix. Vectors cross as Float64Array in the joint layout of src/engine/joint.ts (θ's leaves, then
 * φ's); the products run in the game's dtype (float32 or float64), jitted once per operator.
 */
import { jit, jvp, numpy as np, tree, type Array as JArray } from "@jax-js/jax";
import { dtypeOf } from "../engine/device.ts";
import * as J from "../engine/joint.ts";
import * as T from "../engine/tree.ts";
import type { Game, Joint, Player } from "../games/game.ts";
import { playerGradient, vectorField } from "../games/vector-field.ts";
import type { LinearOperator } from "./krylov-schur.ts";

/** The operators and values of one point; `dispose` frees the point and the compiled functions. */
export interface PointOperators {
  /** [n_θ, n_φ]. */
  sizes: [number, number];
  /** u ↦ ∇v(ω)·u, n_θ + n_φ. */
  jacobian: LinearOperator;
  /** u ↦ ∇²_ii L^(i)(ω)·u, player i's own Hessian, n_i. */
  hessian: [LinearOperator, LinearOperator];
  /** v(ω), and each player's own loss L^(i)(ω), on the fixed batch. */
  field(): Promise<FieldValue>;
  dispose(): void;
}

/** v(ω) and each player's own loss L^(i)(ω) at one point. */
export interface FieldValue {
  v: Float64Array;
  losses: [number, number];
}

/**
 * ω ↦ (v(ω), [L^(0)(ω), L^(1)(ω)]) on the fixed batch of `key` (consumed by `dispose`; none for a
 * deterministic game), jitted once; `at` takes the flat joint point (a Float64Array, or an array it consumes).
 */
export function fieldEvaluator(
  game: Game,
  layout: J.JointLayout,
  key?: JArray,
): { at(x: Float64Array | JArray): Promise<FieldValue>; dispose(): void } {
  const dt = dtypeOf(game.dtype);
  const f64 = game.dtype === "float64";
  const v = vectorField(game);
  const body = (x: JArray, k: JArray | undefined): JArray => {
    const kref = (): JArray | undefined => (k ? k.ref : undefined);
    const [a, b] = J.unflatten(layout, x.ref);
    const out = J.flatten(v(a, b, kref()));
    const [a0, b0] = J.unflatten(layout, x.ref);
    const [a1, b1] = J.unflatten(layout, x);
    const l0 = game.loss(0, a0, b0, kref()).astype(dt).reshape([1]);
    const l1 = game.loss(1, a1, b1, kref()).astype(dt).reshape([1]);
    k?.dispose();
    return np.concatenate([l0, l1, out]);
  };
  const withKey = jit((x: JArray, k: JArray) => body(x, k));
  const noKey = jit((x: JArray) => body(x, undefined));
  return {
    at: async (x) => {
      const xa = x instanceof Float64Array ? toArray(x, f64) : x;
      const out = key ? withKey(xa, key.ref) : noKey(xa);
      const all = await read(out);
      return { v: all.slice(2), losses: [all[0], all[1]] };
    },
    dispose: () => {
      withKey.dispose();
      noKey.dispose();
      key?.dispose();
    },
  };
}

/** One player's parameters as one flat 1-D array (traceable); consumes p. */
function flatParams(p: T.Params): JArray {
  const leaves = tree.leaves(p).map((x) => x.reshape([-1]));
  return leaves.length === 1 ? leaves[0] : np.concatenate(leaves);
}

const toArray = (x: Float64Array, f64: boolean): JArray =>
  np.array((f64 ? x : Float32Array.from(x)) as unknown as number[], {
    dtype: f64 ? np.float64 : np.float32,
  });

/** Realise a (consumed) array asynchronously, so that jax-js's wasm worker pool can run it. */
async function read(a: JArray): Promise<Float64Array> {
  const d = (await a.data()) as ArrayLike<number>;
  return Float64Array.from(d);
}

type Body = (x: JArray, u: JArray, k: JArray | undefined) => JArray;

/**
 * The operators of `game` at w (borrowed; the operators keep their own copy). `key` (consumed) fixes the
 * batch of a stochastic game; a deterministic game needs none (a key given is disposed).
 */
export function pointOperators(game: Game, w: Joint, key?: JArray): PointOperators {
  const layout = J.layoutOf(w);
  const [nt, nf] = layout.sizes;
  const f64 = game.dtype === "float64";
  const dt = dtypeOf(game.dtype);
  const k0 = game.stochastic === true ? key : undefined;
  if (!k0) key?.dispose();
  if (game.stochastic === true && !k0) throw new Error("pointOperators: a stochastic game needs a key");
  const x0 = J.flatten(T.ref(w)).astype(dt);
  const kref = (k: JArray | undefined): JArray | undefined => (k ? k.ref : undefined);
  /** jit of a body of (x, u[, k]): with a key argument only for a stochastic game. */
  const compile = (body: Body) => {
    const withKey = jit((x: JArray, u: JArray, k: JArray) => body(x, u, k));
    const noKey = jit((x: JArray, u: JArray) => body(x, u, undefined));
    const call = (u: JArray): JArray => (k0 ? withKey(x0.ref, u, k0.ref) : noKey(x0.ref, u));
    return {
      call,
      dispose: () => {
        withKey.dispose();
        noKey.dispose();
      },
    };
  };

  // u ↦ ∇v·u, one player's rows at a time: [∇(∇_θL^(θ))·u; ∇(∇_φL^(φ))·u] (half the peak memory of one program)
  const rowsFor = (i: Player) => {
    const g = playerGradient(game, i);
    return compile((x, u, k) => {
      const rows = (xx: JArray): JArray => {
        const [a, b] = J.unflatten(layout, xx);
        return flatParams(g(a, b, kref(k)));
      };
      const [out, tan] = jvp(rows, [x], [u]) as [JArray, JArray];
      out.dispose();
      k?.dispose();
      return tan;
    });
  };
  const rows = [rowsFor(0), rowsFor(1)] as const;
  const jv = {
    call: (u: JArray): JArray => np.concatenate([rows[0].call(u.ref), rows[1].call(u)]),
    dispose: () => {
      rows[0].dispose();
      rows[1].dispose();
    },
  };

  // u ↦ ∇²_ii L^(i)·u, the other player's parameters fixed
  const hvFor = (i: Player) => {
    const g = playerGradient(game, i);
    return compile((x, u, k) => {
      const mine = i === 0 ? x.ref.slice([0, nt]) : x.ref.slice([nt, nt + nf]);
      const other = i === 0 ? x.slice([nt, nt + nf]) : x.slice([0, nt]);
      const grad = (xi: JArray): JArray => {
        const both = i === 0 ? [xi, other.ref] : [other.ref, xi];
        const [a, b] = J.unflatten(layout, np.concatenate(both));
        return flatParams(g(a, b, kref(k)));
      };
      const [out, tan] = jvp(grad, [mine], [u]) as [JArray, JArray];
      out.dispose();
      other.dispose();
      k?.dispose();
      return tan;
    });
  };
  const hv = [hvFor(0), hvFor(1)] as const;

  const fieldAt = fieldEvaluator(game, layout, k0 ? k0.ref : undefined);

  let disposed = false;
  const live = (): void => {
    if (disposed) throw new Error("pointOperators: used after dispose");
  };
  const op = (n: number, f: { call: (u: JArray) => JArray }): LinearOperator => ({
    n,
    apply: async (u: Float64Array) => {
      live();
      if (u.length !== n)
        throw new Error(`pointOperators: vector of length ${u.length}, operator is ${n}×${n}`);
      return read(f.call(toArray(u, f64)));
    },
  });

  return {
    sizes: [nt, nf],
    jacobian: op(nt + nf, jv),
    hessian: [op(nt, hv[0]), op(nf, hv[1])],
    field: async () => {
      live();
      return fieldAt.at(x0.ref);
    },
    dispose: () => {
      if (disposed) return;
      disposed = true;
      x0.dispose();
      k0?.dispose();
      jv.dispose();
      hv[0].dispose();
      hv[1].dispose();
      fieldAt.dispose();
    },
  };
}
