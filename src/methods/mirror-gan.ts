/**
 * Mirror-GAN and Mirror-Prox-GAN (Hsieh, Liu & Cevher, "Finding Mixed Nash Equilibria of Generative
 * Adversarial Networks", ICML 2019; arXiv:1811.02002): entropic mirror descent / mirror-prox on the players'
 * mixed strategies, made practical by sampling with stochastic gradient Langevin dynamics (SGLD, Welling &
 * Teh 2011). Meant for the particle game of src/games/mixed-gan.ts (each player an empirical measure of K
 * particles, every leaf with a leading particle axis), but the updates are leafwise, so any `Game` works.
 *
 * The paper's algorithms on measures (Algorithm 1, infinite-dimensional entropic MD, and its mirror-prox
 * counterpart, infinite-dimensional entropic MP):
 *
 *   MD:  ν_{t+1} = MD_η(ν_t, −G†μ_t),   μ_{t+1} = MD_η(μ_t, −g + Gν_t),   dμ₊ ∝ e^{−ηh} dμ;
 *   MP:  ν̃_t = MD_η(ν_t, −G†μ_t),   μ̃_t = MD_η(μ_t, −g + Gν_t),
 *        ν_{t+1} = MD_η(ν_t, −G†μ̃_t),  μ_{t+1} = MD_η(μ_t, −g + Gν̃_t).
 *
 * The practical Mirror-GAN / Mirror-Prox-GAN replace each MD_η by a short SGLD chain on the player's
 * potential against the opponent's CURRENT measure (the paper's "last iterate" simplification of the sum
 * Σ_s h_s over the whole history), warm-started at the player's current samples, and damp the result
 * exponentially. One outer iteration here, for player p with particles x_t, opponent y, step size γ_p,
 * temperature τ_p, damping β and K_in inner steps:
 *
 *   x⁽¹⁾ = x̄ = x_t                                               (warm start)
 *   for k = 1 … K_in:
 *     x⁽ᵏ⁺¹⁾ = Π( x⁽ᵏ⁾ − γ_p ∇_x L_p(x⁽ᵏ⁾, y; batch_k) + √(2γ_p τ_p) ξ_k ),   ξ_k ∼ N(0, I)   (SGLD)
 *     x̄ ← (1 − β) x̄ + β x⁽ᵏ⁺¹⁾                                   (exponential damping of the chain)
 *   x_{t+1} = (1 − β) x_t + β x̄                                   (damping across outer iterations)
 *
 * Π is WGAN's weight clipping (`game.clip`; projected SGLD), identity otherwise. The gradient is the full
 * per-particle gradient: mixed-gan.ts's `loss` is K × the mixed payoff, so ∇ w.r.t. particle i is the
 * particle's own gradient against the opponent's mixture, not 1/K of it.
 *
 * - mirror-gan (Mirror-GAN): both chains start from (θ_t, w_t) and face the opponent's measure at t
 *   (Algorithm 1's simultaneous MD). At K_in = 1, τ = 0, β = 1 the step is simultaneous GDA with SGD:
 *   θ_{t+1} = θ_t − γ_G∇_θL_G(θ_t, w_t), w_{t+1} = w_t − γ_D∇_wL_D(θ_t, w_t) (tested to 1e-6).
 * - mirror-prox-gan (Mirror-Prox-GAN): an extrapolation pair (θ̃, w̃) = the Mirror-GAN chains from
 *   (θ_t, w_t), then the update chains again from θ_t and w_t (warm start at the CURRENT iterate, not at
 *   the extrapolated one), G facing w̃ and D facing θ̃. At K_in = 1, τ = 0, β = 1:
 *   θ_{t+1} = θ_t − γ_G∇_θL_G(θ_t, w̃), w_{t+1} = w_t − γ_D∇_wL_D(θ̃, w_t): the gradient is taken at the
 *   player's own current point against the extrapolated OPPONENT (h = G†μ̃ is a function on Θ sampled from
 *   ν_t), which equals extragradient on bilinear games and differs from it otherwise.
 *
 * What is followed from the paper: the mixed (particle) formulation with the bi-affine WGAN payoff; SGLD
 * drift −γ∇h with thermal noise √(2γ)·ε·ξ (here written √(2γτ)·ξ, τ = ε², i.e. sampling ∝ e^{−h/τ}); K_in
 * inner steps per outer iteration; warm starts; the last-iterate approximation of the MD potential; the
 * exponential damping β of the chain and across iterations; mirror-prox's extrapolate-then-update structure
 * with both phases warm-started at the current iterate; WGAN's weight clipping.
 * What is simplified or changed, and why:
 * - The paper's practical algorithms track ONE sample per player (the damped mean of the chain); here each
 *   player keeps K particles, each running its own chain against the opponent's whole K-particle mixture
 *   (the empirical-measure version of the same updates; K = 1 is the paper's practical algorithm). This is
 *   what makes the strategies genuinely mixed.
 * - Step size γ, temperature τ and K_in are constant (the paper allows schedules γ_t, ε_t, K_t).
 * - The practical algorithms return the last iterate, and so does this method; the theoretical averages
 *   ν̄_T = (1/T)Σν_t (a population growing with T) are not kept: storing every past particle set costs
 *   memory linear in T, and the damping already averages along the trajectory.
 * - Plain SGLD only: `ctx.base` (Adam, momentum) is not used; a preconditioned drift with unpreconditioned
 *   noise would no longer sample the intended measure.
 * - Minibatches: the D chain's k-th step and the G chain's k-th step share the k-th minibatch key (as
 *   simultaneous GDA shares one key between the players), so that the K_in = 1, τ = 0 step IS simultaneous
 *   GDA; mirror-prox uses two key sets (extrapolation, update), as extragradient does.
 *
 * Sources: the mixed formulation, Algorithm 1 (entropic MD on measures, averaged output) and "take samples
 * by SGLD" are as on the authors' ICML 2019 slides (shared/seeds/hsieh-liu-cevher-2019-…); the practical
 * algorithms' details (last-iterate potential, warm starts, damping β, the extrapolate-then-update prox
 * structure) follow the paper's Section 4 and appendix from recollection: its full text could not be
 * re-checked in this environment, so no algorithm numbers are quoted for the practical versions.
 *
 * Keys: the step key (consumed) is split inside the jitted step: with τ > 0 into [minibatches, noise];
 * with τ = 0 for both players the whole key drives the minibatches. The whole outer step (all chains,
 * unrolled) is one jitted function.
 */
import { jit, numpy as np, random, tree, type Array as JArray } from "@jax-js/jax";
import { z } from "zod";
import { UsageError } from "../engine/errors.ts";
import * as T from "../engine/tree.ts";
import { scalarLike, type Params } from "../engine/tree.ts";
import { playerGradient } from "../games/vector-field.ts";
import type { Game, Joint, Player } from "../games/game.ts";
import { splitKeys, stepKeys, type StepKeys } from "./keys.ts";
import type { Method, MethodContext } from "./method.ts";

export const MIXED_METHOD_NAMES = ["mirror-gan", "mirror-prox-gan"] as const;
export type MixedMethodName = (typeof MIXED_METHOD_NAMES)[number];

/** saddle's defaults (not the paper's tuned values, which depend on the data set). */
export const DEFAULT_TEMPERATURE = 1e-4;
export const DEFAULT_INNER_STEPS = 1;
export const DEFAULT_AVERAGING = 1;

/**
 * A mixed method's hyper-parameters as an experiment spec names them: particles K per player (K = 1 is the
 * paper's single-sample practical algorithm), SGLD temperature τ (noise √(2γτ)ξ), inner SGLD steps K_in and
 * damping β ∈ (0, 1].
 */
export const MIXED_METHOD_PARAMS = z.object({
  particles: z.number().int().min(1).max(64).default(4),
  temperature: z.number().min(0).max(10).default(DEFAULT_TEMPERATURE),
  sgldSteps: z.number().int().min(1).max(100).default(DEFAULT_INNER_STEPS),
  averaging: z.number().gt(0).max(1).default(DEFAULT_AVERAGING),
});

export interface MirrorGanOptions {
  /** SGLD step sizes [γ_G, γ_D]. */
  lr: [number, number];
  /** Temperature τ ≥ 0 of each player (one number for both): noise √(2γτ)·ξ per step (default 1e-4). */
  temperature?: number | [number, number];
  /** SGLD steps K_in per player per outer iteration (per phase for mirror-prox), ≥ 1 (default 1). */
  innerSteps?: number;
  /** Damping β ∈ (0, 1]: x̄ ← (1−β)x̄ + βx⁽ᵏ⁺¹⁾, x_{t+1} = (1−β)x_t + βx̄; 1 = no damping (default 1). */
  averaging?: number;
}

/** The data that names a mixed method (what the experiment spec maps to). */
export interface MixedMethodSpec extends MirrorGanOptions {
  name: MixedMethodName;
}

interface Resolved {
  lr: [number, number];
  temperature: [number, number];
  innerSteps: number;
  averaging: number;
}

function resolve(opts: MirrorGanOptions): Resolved {
  const [lrG, lrD] = opts.lr;
  for (const [flag, v] of [
    ["lr-g", lrG],
    ["lr-d", lrD],
  ] as const) {
    if (!Number.isFinite(v) || v <= 0) throw new UsageError(`--${flag}: must be a number > 0, got '${v}'`);
  }
  const t = opts.temperature ?? DEFAULT_TEMPERATURE;
  const temperature: [number, number] = typeof t === "number" ? [t, t] : [t[0], t[1]];
  for (const v of temperature) {
    if (!Number.isFinite(v) || v < 0) {
      throw new UsageError(`--temperature: must be a number ≥ 0, got '${v}'`);
    }
  }
  const innerSteps = opts.innerSteps ?? DEFAULT_INNER_STEPS;
  if (!Number.isInteger(innerSteps) || innerSteps < 1 || innerSteps > 100) {
    throw new UsageError(`--inner-steps: must be an integer in [1, 100], got '${innerSteps}'`);
  }
  const averaging = opts.averaging ?? DEFAULT_AVERAGING;
  if (!Number.isFinite(averaging) || averaging <= 0 || averaging > 1) {
    throw new UsageError(`--averaging: must be a number in (0, 1], got '${averaging}'`);
  }
  return { lr: [lrG, lrD], temperature, innerSteps, averaging };
}

/** (1 − β)a + βb leafwise in each leaf's dtype; consumes both. β = 1 returns b (a disposed). */
function damp<P extends Params>(a: P, b: P, beta: number): P {
  if (beta === 1) {
    T.dispose(a);
    return b;
  }
  return T.add(T.scale(a, 1 - beta), T.scale(b, beta));
}

/** σ·ξ shaped like x, ξ ∼ N(0, I) from key (consumed), one subkey per leaf; borrows x. */
function gaussianLike<P extends Params>(x: P, key: JArray, sigma: number): P {
  const [leaves, def] = tree.flatten(x);
  const ks = splitKeys([key], leaves.length) as JArray[];
  const noise = leaves.map((leaf, i) =>
    random.normal(ks[i], leaf.shape).astype(leaf.dtype).mul(scalarLike(leaf, sigma)),
  );
  return tree.unflatten(def, noise) as P;
}

/** The one-line formula of a mixed method, for CLI output. */
export function describeMixedMethod(spec: MixedMethodSpec): string {
  const r = resolve(spec);
  const core =
    spec.name === "mirror-gan"
      ? "SGLD x ← Π(x − γ∇L(x, y) + √(2γτ)ξ) from (θ_t, w_t), each player vs the other's measure at t"
      : "extrapolate (θ̃, w̃) by SGLD from (θ_t, w_t), then SGLD from θ_t vs w̃ and from w_t vs θ̃";
  return (
    `${spec.name}: ${core}; K_in = ${r.innerSteps}, damping β = ${r.averaging}; ` +
    `γ = [${r.lr.join(", ")}], τ = [${r.temperature.join(", ")}]`
  );
}

function build(game: Game, opts: MirrorGanOptions, prox: boolean, name: MixedMethodName): Method {
  const { lr, temperature, innerSteps, averaging } = resolve(opts);
  const noisy = temperature[0] > 0 || temperature[1] > 0;
  const sigma = [0, 1].map((p) => Math.sqrt(2 * lr[p] * temperature[p]));
  const grads = [playerGradient(game, 0), playerGradient(game, 1)] as const;
  const box = game.clip;

  /**
   * Player p's damped SGLD chain from `own` against the fixed `other`; returns x_{t+1}. Consumes own, other,
   * the K_in minibatch keys and the K_in noise keys (null without noise).
   */
  const chain = (
    p: Player,
    own: Params,
    other: Params,
    batchKeys: (JArray | undefined)[],
    noiseKeys: JArray[] | null,
  ): Params => {
    let cur = T.ref(own);
    let bar = T.ref(own);
    for (let k = 0; k < innerSteps; k++) {
      const g =
        p === 0
          ? grads[0](T.ref(cur), T.ref(other), batchKeys[k])
          : grads[1](T.ref(other), T.ref(cur), batchKeys[k]);
      let next = T.add(cur, T.scale(g, -lr[p]));
      if (noiseKeys && sigma[p] > 0) next = T.add(next, gaussianLike(next, noiseKeys[k], sigma[p]));
      else noiseKeys?.[k].dispose();
      const c = box?.[p];
      if (typeof c === "number") {
        next = T.map(next, (x) => np.clip(x, scalarLike(x, -c), scalarLike(x, c)));
      }
      bar = damp(bar, T.ref(next), averaging);
      cur = next;
    }
    T.dispose(cur);
    T.dispose(other);
    return damp(own, bar, averaging);
  };

  /** Keys of one phase for both players: shared minibatch keys, per-player noise keys; consumes both roots. */
  const phaseKeys = (batchRoot: JArray | undefined, noiseRoot: JArray | undefined) => {
    const batch = splitKeys(batchRoot ? [batchRoot] : [], innerSteps);
    if (!noiseRoot) return { batch, noise: [null, null] as const };
    const ks = splitKeys([noiseRoot], 2 * innerSteps) as JArray[];
    return { batch, noise: [ks.slice(0, innerSteps), ks.slice(innerSteps)] as const };
  };

  /** Both players' chains from (θ, w): G against w, D against θ, sharing minibatches; consumes all. */
  const bothChains = (
    theta: Params,
    w: Params,
    vsTheta: Params,
    vsW: Params,
    keys: ReturnType<typeof phaseKeys>,
  ): Joint => {
    const refKeys = keys.batch.map((k) => k?.ref);
    const g = chain(0, theta, vsW, refKeys, keys.noise[0]);
    const d = chain(1, w, vsTheta, keys.batch, keys.noise[1]);
    return [g, d];
  };

  const step = jit((x: Joint, keys: StepKeys): Joint => {
    let batchRoot: JArray | undefined = keys[0];
    let noiseRoot: JArray | undefined;
    if (noisy) [batchRoot, noiseRoot] = splitKeys(keys, 2) as JArray[];
    if (!prox) {
      const ks = phaseKeys(batchRoot, noiseRoot);
      return bothChains(x[0], x[1], T.ref(x[0]), T.ref(x[1]), ks);
    }
    const [bE, bU] = splitKeys(batchRoot ? [batchRoot] : [], 2);
    const [nE, nU] = noiseRoot ? splitKeys([noiseRoot], 2) : [undefined, undefined];
    const [tTilde, wTilde] = bothChains(
      T.ref(x[0]),
      T.ref(x[1]),
      T.ref(x[0]),
      T.ref(x[1]),
      phaseKeys(bE, nE),
    );
    return bothChains(x[0], x[1], tTilde, wTilde, phaseKeys(bU, nU));
  });

  return {
    name,
    init: (_w, key) => {
      key?.dispose();
      return [];
    },
    step: (w, s, key) => {
      T.dispose(s);
      if (noisy && !key) {
        T.dispose(w);
        throw new Error(`${name}: the SGLD noise needs a step key (temperature > 0)`);
      }
      return [step(w, stepKeys(key)), [], {}];
    },
  };
}

/** Mirror-GAN (approximate entropic mirror descent by damped, warm-started SGLD chains). */
export function mirrorGan(ctx: Pick<MethodContext, "game">, opts: MirrorGanOptions): Method {
  return build(ctx.game, opts, false, "mirror-gan");
}

/** Mirror-Prox-GAN (approximate entropic mirror-prox: an SGLD extrapolation, then SGLD updates). */
export function mirrorProxGan(ctx: Pick<MethodContext, "game">, opts: MirrorGanOptions): Method {
  return build(ctx.game, opts, true, "mirror-prox-gan");
}

/** The mixed method named by `spec` on `game` (a MixedGanGame from buildMixedGan, or any Game). */
export function createMixedMethod(game: Game, spec: MixedMethodSpec): Method {
  switch (spec.name) {
    case "mirror-gan":
      return mirrorGan({ game }, spec);
    case "mirror-prox-gan":
      return mirrorProxGan({ game }, spec);
    default:
      throw new UsageError(
        `--method: unknown mixed method '${String(spec.name)}'; allowed: ${MIXED_METHOD_NAMES.join(", ")}`,
      );
  }
}
