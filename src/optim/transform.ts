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

/** Polyak heavy ball, in update form: u_t = u + β u_{t−1}, i.e. ω_{t+1} = ω_t − ηv(ω_t) + β(ω_t − ω_{t−1}). */
export function heavyBall(beta: number): Transform {
  return {
    name: `momentum(${beta})`,
    init: (p) => T.zerosLike(p),
    update: (u, prev) => {
      const out = T.add(u, T.scale(prev as Params, beta));
      return [T.ref(out), out];
    },
  };
}

/**
 * Adam (Kingma & Ba): m ← β₁m + (1−β₁)g, s ← β₂s + (1−β₂)g², u = −η m̂/(√ŝ + ε) with m̂ = m/(1−β₁ᵗ),
 * ŝ = s/(1−β₂ᵗ). State: [m, s, β₁ᵗ, β₂ᵗ] (the powers are carried by multiplication: jax-js's `power`
 * is only f32-accurate, which made 1 − β₂ᵗ 1% wrong at t = 1).
 */
export function adam(lr: number, b1 = 0.9, b2 = 0.999, eps = 1e-8): Transform {
  return {
    name: `adam(${lr}, ${b1}, ${b2})`,
    init: (p) => [
      T.zerosLike(p),
      T.zerosLike(p),
      T.map(T.zerosLike(p), (z) => z.add(1)),
      T.map(T.zerosLike(p), (z) => z.add(1)),
    ],
    update: (g, state) => {
      const [m0, s0, p1, p2] = state as [Params, Params, Params, Params];
      const b1t = T.scale(p1, b1);
      const b2t = T.scale(p2, b2);
      const m = T.add(T.scale(m0, b1), T.scale(T.ref(g), 1 - b1));
      const s = T.add(
        T.scale(s0, b2),
        T.scale(
          T.map(g, (x) => x.ref.mul(x)),
          1 - b2,
        ),
      );
      const u = T.map4(T.ref(m), T.ref(s), T.ref(b1t), T.ref(b2t), (mi, si, c1, c2) => {
        const one = T.scalarLike(mi, 1);
        const mhat = mi.div(one.ref.sub(c1));
        const shat = si.div(one.sub(c2));
        return mhat.div(np.sqrt(shat).add(T.scalarLike(mhat, eps))).mul(T.scalarLike(mhat, -lr));
      });
      return [u, [m, s, b1t, b2t]];
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
