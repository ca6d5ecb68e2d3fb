/**
 * Per-player base updates, shaped like optax (DESIGN.md): a transformation is a pair
 *   init(params) → state,   update(grads, state, params) → (updates, state′)
 * and transformations compose with `chain`. A method turns the game's vector field into per-player
 * "gradients"; the player's transformation turns them into parameter updates, ω′ = ω + u.
 *
 * Ownership: `update` consumes `grads` and `state` and borrows `params`; `init` borrows `params`.
 */
import { numpy as np, type Array as JArray, type JsTree } from "@jax-js/jax";
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
 * Adam (Kingma & Ba): m ← β₁m + (1−β₁)g, s ← β₂s + (1−β₂)g², u = −η m̂/(√ŝ + ε) with bias correction.
 * State: [m, s, t].
 */
export function adam(lr: number, b1 = 0.9, b2 = 0.999, eps = 1e-8): Transform {
  return {
    name: `adam(${lr}, ${b1}, ${b2})`,
    init: (p) => [T.zerosLike(p), T.zerosLike(p), np.zeros([])],
    update: (g, state) => {
      const [m0, s0, t0] = state as [Params, Params, JArray];
      const t = t0.add(1);
      const m = T.add(T.scale(m0, b1), T.scale(T.ref(g), 1 - b1));
      const s = T.add(T.scale(s0, b2), T.map(g, (x) => x.ref.mul(x).mul(1 - b2)));
      const c1 = np.power(b1, t.ref).neg().add(1);
      const c2 = np.power(b2, t.ref).neg().add(1);
      const u = mapPair(T.ref(m), T.ref(s), (mi, si) =>
        mi
          .div(c1.ref)
          .div(np.sqrt(si.div(c2.ref)).add(eps))
          .mul(-lr),
      );
      c1.dispose();
      c2.dispose();
      return [u, [m, s, t]];
    },
  };
}

/** RMSProp (Tieleman & Hinton): s ← ρs + (1−ρ)g², u = −η g/(√s + ε). State: s. */
export function rmsprop(lr: number, decay = 0.99, eps = 1e-8): Transform {
  return {
    name: `rmsprop(${lr}, ${decay})`,
    init: (p) => T.zerosLike(p),
    update: (g, s0) => {
      const s = T.add(T.scale(s0 as Params, decay), T.map(T.ref(g), (x) => x.ref.mul(x).mul(1 - decay)));
      const u = mapPair(g, T.ref(s), (gi, si) => gi.div(np.sqrt(si).add(eps)).mul(-lr));
      return [u, s];
    },
  };
}

/** Weight clipping (WGAN): the update is changed so that ω + u lies in the box |ω| ≤ c. */
export function clip(c: number): Transform {
  return {
    name: `clip(${c})`,
    init: () => [],
    update: (u, s, p) => {
      const out = mapPair(T.ref(p), u, (pi, ui) => np.clip(pi.ref.add(ui), -c, c).sub(pi));
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
