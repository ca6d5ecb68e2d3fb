/**
 * Per-player base updates, shaped like optax (DESIGN.md): a transformation is a pair
 *   init(params) → state,   update(grads, state, params) → (updates, state′)
 * and transformations compose with `chain`. A method turns the game's vector field into per-player
 * "gradients"; the player's transformation turns them into parameter updates, ω′ = ω + u.
 *
 * Ownership: `update` consumes `grads` and `state` and borrows `params`; `init` borrows `params`.
 */
import { numpy as np, tree, type Array as JArray, type JsTree } from "@jax-js/jax";
import * as T from "../engine/tree.ts";
import type { Params } from "../engine/tree.ts";

export type State = JsTree<JArray>;

export interface Transform {
  readonly name: string;
  init(params: Params): State;
  update(grads: Params, state: State, params: Params): [Params, State];
}

/** SGD: u = −η g. */
export function sgd(lr: number): Transform {
  return {
    name: `sgd(${lr})`,
    init: () => [],
    update: (g, s) => [T.scale(g, -lr), s],
  };
}

/** Heavy ball's state: the previous update u_{t−1}. */
export type HeavyBallState = { prev: Params };

/** Polyak heavy ball, in update form: u_t = u + β u_{t−1}, i.e. ω_{t+1} = ω_t − ηv(ω_t) + β(ω_t − ω_{t−1}). */
export function heavyBall(beta: number): Transform {
  return {
    name: `momentum(${beta})`,
    init: (p): HeavyBallState => ({ prev: T.zerosLike(p) }),
    update: (u, state) => {
      const out = T.add(u, T.scale((state as HeavyBallState).prev, beta));
      const next: HeavyBallState = { prev: out };
      return [T.ref(out), next];
    },
  };
}

/** Adam's state: the moment estimates m and s, and the update count t (an int32 scalar). */
export type AdamState = {
  mu: Params;
  nu: Params;
  count: JArray;
};

/**
 * β^t for an integer count t ≥ 0 (an int32 scalar; consumed), in `dtype`: the product of β^(2^k) over the
 * binary digits k of t, each factor β^(2^k) computed by the host's `**` in float64: a few ulps off the
 * exact power (at most 31 roundings, where β·β·…·β carried step by step rounds t times). jax-js's `power`
 * and `exp` are only float32-accurate (1 − β₂ᵗ came out 1% wrong at t = 1). Once β^(2^k) underflows, every
 * higher digit makes the power 0.
 */
export function powCount(beta: number, t: JArray, dtype: JArray["dtype"]): JArray {
  const one = () => np.ones([], { dtype });
  if (beta === 1) {
    t.dispose();
    return one();
  }
  const int = (n: number) => np.full([], n, { dtype: np.int32 });
  let out = one();
  for (let k = 0; k < 31; k++) {
    const digit = np.bitwiseAnd(np.rightShift(t.ref, int(k)), int(1)).equal(int(1));
    out = out.mul(np.where(digit, np.full([], beta ** (2 ** k), { dtype }), one()));
    const next = beta ** (2 ** (k + 1));
    const underflow = (String(dtype) === "float64" ? next : Math.fround(next)) === 0;
    if (underflow || k === 30) {
      const rest = np.rightShift(t, int(k + 1)).equal(int(0));
      return out.mul(rest.astype(dtype));
    }
  }
  throw new Error("unreachable");
}

/**
 * Adam (Kingma & Ba): m ← β₁m + (1−β₁)g, s ← β₂s + (1−β₂)g², u = −η m̂/(√ŝ + ε) with m̂ = m/(1−β₁ᵗ),
 * ŝ = s/(1−β₂ᵗ). State: `AdamState` {m, s, t}; β₁ᵗ, β₂ᵗ are computed from the count (`powCount`).
 */
export function adam(lr: number, b1 = 0.9, b2 = 0.999, eps = 1e-8): Transform {
  return {
    name: `adam(${lr}, ${b1}, ${b2})`,
    init: (p): AdamState => ({
      mu: T.zerosLike(p),
      nu: T.zerosLike(p),
      count: np.zeros([], { dtype: np.int32 }),
    }),
    update: (g, state) => {
      const { mu: m0, nu: s0, count: t0 } = state as AdamState;
      const count = t0.add(np.ones([], { dtype: np.int32 }));
      // 1 − βᵗ once per dtype of the leaves (jit traces it once, not once per leaf).
      const corr = new Map<string, [JArray, JArray]>();
      const correction = (x: JArray): [JArray, JArray] => {
        const key = String(x.dtype);
        let c = corr.get(key);
        if (!c) {
          const one = () => np.ones([], { dtype: x.dtype });
          c = [one().sub(powCount(b1, count.ref, x.dtype)), one().sub(powCount(b2, count.ref, x.dtype))];
          corr.set(key, c);
        }
        return [c[0].ref, c[1].ref];
      };
      const m = T.add(T.scale(m0, b1), T.scale(T.ref(g), 1 - b1));
      const s = T.add(
        T.scale(s0, b2),
        T.scale(
          T.map(g, (x) => x.ref.mul(x)),
          1 - b2,
        ),
      );
      const u = T.map2(T.ref(m), T.ref(s), (mi, si) => {
        const [c1, c2] = correction(mi);
        const mhat = mi.div(c1);
        const shat = si.div(c2);
        return mhat.div(np.sqrt(shat).add(T.scalarLike(mhat, eps))).mul(T.scalarLike(mhat, -lr));
      });
      for (const [c1, c2] of corr.values()) {
        c1.dispose();
        c2.dispose();
      }
      const next: AdamState = { mu: m, nu: s, count };
      return [u, next];
    },
  };
}

/** RMSProp (Tieleman & Hinton): s ← ρs + (1−ρ)g², u = −η g/(√s + ε). State: s. */
export function rmsprop(lr: number, decay = 0.99, eps = 1e-8): Transform {
  return {
    name: `rmsprop(${lr}, ${decay})`,
    init: (p) => T.zerosLike(p),
    update: (g, s0) => {
      const s = T.add(
        T.scale(s0 as Params, decay),
        T.scale(
          T.map(T.ref(g), (x) => x.ref.mul(x)),
          1 - decay,
        ),
      );
      const u = mapPair(g, T.ref(s), (gi, si) =>
        gi.div(np.sqrt(si).add(T.scalarLike(gi, eps))).mul(T.scalarLike(gi, -lr)),
      );
      return [u, s];
    },
  };
}

/**
 * Linear learning-rate decay to zero over the last updates, as a transformation after the optimizer (optax's
 * `scale_by_schedule` with a piecewise-linear schedule): the t-th update (t = 1, 2, …) is scaled by
 *
 *   f_t = clamp((total − t + 1) / (total − start), 0, 1),
 *
 * i.e. 1 for the first start + 1 updates, then smaller by 1/(total − start) each update down to
 * 1/(total − start) at update `total` (and 0
 * after it). The constant-then-linear schedule of pix2pix/CycleGAN ("keep the same learning rate for the
 * first n epochs and linearly decay the rate to zero over the next n"). State: the update count, one f32
 * scalar per leaf (exact for counts up to 2²⁴).
 */
export function linearDecay(total: number, start: number): Transform {
  if (!(start >= 0 && start < total))
    throw new RangeError(`linearDecay: need 0 ≤ start < total, got ${start}, ${total}`);
  const span = total - start;
  return {
    name: `linearDecay(${start}→${total})`,
    init: (p) => tree.map((_x: JArray) => np.zeros([], { dtype: np.float32 }), p) as Params,
    update: (u, state) => {
      const t = T.map(state as Params, (c) => c.add(1));
      const out = T.map2(u, T.ref(t), (ui, ti) => {
        const f = np.clip(ti.mul(-1 / span).add((total + 1) / span), 0, 1);
        return ui.mul(f.astype(ui.dtype));
      });
      return [out, t];
    },
  };
}

/** Weight clipping (WGAN): the update is changed so that ω + u lies in the box |ω| ≤ c. */
export function clip(c: number): Transform {
  return {
    name: `clip(${c})`,
    init: () => [],
    update: (u, s, p) => {
      const out = mapPair(T.ref(p), u, (pi, ui) =>
        np.clip(pi.ref.add(ui), T.scalarLike(pi, -c), T.scalarLike(pi, c)).sub(pi),
      );
      return [out, s];
    },
  };
}

/** Apply transformations in order (optax.chain). */
export function chain(...ts: Transform[]): Transform {
  return {
    name: ts.map((t) => t.name).join(" → "),
    init: (p) => ts.map((t) => t.init(p)),
    update: (g, state, p) => {
      const ss = state as State[];
      let u = g;
      const out: State[] = [];
      ts.forEach((t, i) => {
        const [u2, s2] = t.update(u, ss[i], p);
        u = u2;
        out.push(s2);
      });
      return [u, out];
    },
  };
}

function mapPair(a: Params, b: Params, f: (x: JArray, y: JArray) => JArray): Params {
  return T.map2(a, b, f);
}
