/**
 * Proximal equilibria (Farnia & Ozdaglar 2020, seed slides "Proximal Equilibria: Spectrum between Nash and
 * Stackelberg Equilibria" and "Proximal Training via Optimizing the Proximal Objective"). The proximal
 * objective of a game with payoff V (G minimises, D maximises) is
 *
 *   V_λ^prox(G, D) := max_{D̃} V(G, D̃) − λ‖D − D̃‖²,
 *
 * and its Nash equilibria are the λ-proximal equilibria (nested: λ₁ ≤ λ₂ ⇒ PE(λ₂) ⊆ PE(λ₁); λ → ∞ gives
 * back V's Nash equilibria, λ → 0 the Stackelberg ones). `proximalGame(game, opts)` is a new `Game`:
 *
 * - V is D's payoff, V(G, D̃) := −L_D(G, D̃) (for a zero-sum game L_G = −L_D = V, so this is "L_G of a
 *   zero-sum game"; for a GAN it includes the real-data term, which L_G omits).
 * - The inner maximisation is gradient ascent on D̃ ↦ V(G, D̃) − λ‖D − D̃‖² from D̃ = D, a fixed number of
 *   steps (`innerSteps`, step `innerLr`) so that it unrolls inside one `jit`; the same key (minibatch) is
 *   used for every inner step and for the outer loss, so D̃* maximises the objective on that batch.
 *   `proxSolve` reports the final inner gradient norm (the residual) r = ‖∇_D̃(V − λ‖D − D̃‖²)‖ at D̃*, the
 *   same norm r₀ = ‖∇_D V(G, D)‖ at the start D̃ = D, and `converged` ⇔ r ≤ (tol + 16ε)·r₀ (ε: the dtype's
 *   machine epsilon). The test is relative: the ascent must shrink the inner gradient by the factor tol, and
 *   ‖D̃ − D̃*‖ ≤ r/(2λ) is then a fraction of ‖D − D̃*‖ ≲ r₀/(2λ) however small the gradients are (an absolute
 *   tolerance called every point near an equilibrium "converged", even after no ascent step at all).
 * - Generator loss: L_G^prox(G, D) = L_G(G, D̃*) − λ‖D − D̃*‖² with D̃* computed from stop-gradient(G):
 *   by Danskin's theorem ∇_G V_λ^prox(G, D) = ∇_G V(G, D̃*) with D̃* treated as fixed (exact when the inner
 *   maximiser is unique, e.g. V concave in D̃: the regulariser makes the inner problem 2λ-strongly concave
 *   then). For a zero-sum game the loss's value is V_λ^prox(G, D). For a non-zero-sum objective
 *   (non-saturating) D̃* still maximises D's payoff −L_D − λ‖·‖² and G descends its own loss L_G(·, D̃*): G
 *   plays against the proximal best response (documented choice; not a Danskin gradient of one function).
 * - The D player's loss is unchanged, L_D(G, D). (At a λ-proximal equilibrium D must maximise V(G, ·)
 *   itself — max_D V_λ^prox(G, D) = max_D V(G, D), attained at D = D̃* — so D's own condition is V's.)
 *
 * Norms: "euclidean" = the parameter norm ‖D − D̃‖²; "sobolev" = ‖D − D̃‖²_Sob = E_x‖∇ₓD(x) − ∇ₓD̃(x)‖²
 * (the seed's Sobolev norm √E‖∇ₓD(X)‖²), from the game's closed form (`sobolevSqDist`, e.g. the
 * linear-Gaussian game) or a `SobolevDistance` on data batches (`ganSobolev`, GANs).
 *
 * "Proximal training" (the seed: apply alternating gradient methods to V_λ^prox instead of V) needs no new
 * code: since `proximalGame` is a Game, every Method of src/methods (alternating, extragradient, Adam,
 * momentum, …) trains it unchanged, e.g. `createMethod(proximalGame(gan, { lambda: 1 }), spec)`.
 */
import { grad, jit, lax, numpy as np, tree, type Array as JArray } from "@jax-js/jax";
import { machineEpsilon } from "../engine/device.ts";
import { UsageError } from "../engine/errors.ts";
import * as T from "../engine/tree.ts";
import { scalarLike, type Params } from "../engine/tree.ts";
import type { Game, Joint, Player } from "../games/game.ts";
import { batchMean } from "../objectives/objective.ts";

export type ProxNorm = "euclidean" | "sobolev";

/** ‖D − D̃‖²_Sob estimate; consumes D, D̃ and key. */
export interface SobolevDistance {
  sqDist(D: Params, Dt: Params, key?: JArray): JArray;
}

export interface ProximalOptions {
  /** λ > 0. */
  lambda: number;
  /** Inner gradient-ascent steps (default 20). */
  innerSteps?: number;
  /** Inner step size (default 0.05). */
  innerLr?: number;
  /** Relative inner tolerance: `converged` ⇔ residual ≤ (tol + 16ε)·initialResidual (default 1e-6). */
  tol?: number;
  /** Default "euclidean". */
  norm?: ProxNorm;
  /** Sobolev distance for games without a closed form (GANs: `ganSobolev`). */
  sobolev?: SobolevDistance;
}

export interface ProxSolve {
  /** V_λ^prox(G, D) = V(G, D̃*) − λ‖D − D̃*‖². */
  value: number;
  /** V(G, D) at the current D. */
  base: number;
  /** ‖D − D̃*‖² in the chosen norm. */
  sqDist: number;
  /** ‖∇_D̃ (V − λ‖D − D̃‖²)‖ at D̃*. */
  residual: number;
  /** The same gradient norm at the start D̃ = D, ‖∇_D V(G, D)‖. */
  initialResidual: number;
  /** residual ≤ (tol + 16ε)·initialResidual. */
  converged: boolean;
  /** D̃* (fresh arrays). */
  dTilde: Params;
}

export interface ProximalGame extends Game {
  readonly base: Game;
  readonly lambda: number;
  readonly innerSteps: number;
  readonly innerLr: number;
  readonly tol: number;
  readonly norm: ProxNorm;
  /** Solves the inner maximisation at w (borrowed; key consumed). */
  proxSolve(w: Joint, key?: JArray): ProxSolve;
}

/** A Sobolev distance on data batches: D as a function of its input, and a sampler of x; for GANs. */
export function ganSobolev(
  critic: (D: Params, x: JArray) => JArray,
  sample: (key: JArray) => JArray,
): SobolevDistance {
  const inGrad = (D: Params, x: JArray) => grad((xx: JArray) => np.sum(critic(T.ref(D), xx)))(x);
  return {
    sqDist: (D, Dt, key) => {
      if (!key) {
        T.dispose([D, Dt]);
        throw new Error("ganSobolev: needs a key (data batch)");
      }
      const x = sample(key);
      const d = inGrad(D, x.ref).sub(inGrad(Dt, x));
      T.dispose([D, Dt]);
      return batchMean(np.sum(d.ref.mul(d), 1));
    },
  };
}

export function checkLambda(lambda: number, flag = "--prox-lambda"): number {
  if (!Number.isFinite(lambda) || !(lambda > 0)) {
    throw new UsageError(`${flag}: '${lambda}' must be a number > 0 (λ of V_λ^prox)`);
  }
  return lambda;
}

export function proximalGame(game: Game, opts: ProximalOptions): ProximalGame {
  const lambda = checkLambda(opts.lambda);
  const innerSteps = opts.innerSteps ?? 20;
  const innerLr = opts.innerLr ?? 0.05;
  const tol = opts.tol ?? 1e-6;
  const norm = opts.norm ?? "euclidean";
  if (!Number.isInteger(innerSteps) || innerSteps < 0)
    throw new UsageError(`--prox-inner-steps: '${innerSteps}' must be an integer ≥ 0`);
  if (!(innerLr > 0)) throw new UsageError(`--prox-inner-lr: '${innerLr}' must be a number > 0`);
  if (norm !== "euclidean" && norm !== "sobolev")
    throw new UsageError(`--prox-norm: unknown norm '${String(norm)}'; allowed: euclidean, sobolev`);
  const closed = (game as { sobolevSqDist?: (D: Params, Dt: Params) => JArray }).sobolevSqDist;
  if (norm === "sobolev" && !opts.sobolev && !closed) {
    throw new UsageError(
      `--prox-norm: 'sobolev' needs data inputs (a GAN with a sampler) or a closed form; game '${game.name}' has neither`,
    );
  }
  const stochastic = game.stochastic === true;
  const eps = machineEpsilon(game.dtype);

  /** ‖D − D̃‖²; consumes D, D̃ and key. */
  const sqDist = (D: Params, Dt: Params, key?: JArray): JArray => {
    if (norm === "euclidean") {
      key?.dispose();
      return T.sqNorm(T.sub(D, Dt));
    }
    if (opts.sobolev) return opts.sobolev.sqDist(D, Dt, key);
    key?.dispose();
    return closed!(D, Dt);
  };
  /** V(G, D̃) − λ‖D − D̃‖²; consumes all. */
  const innerObjective = (G: Params, D: Params, Dt: Params, key?: JArray): JArray => {
    const v = game.loss(1, G, T.ref(Dt), key?.ref).neg();
    const dist = sqDist(D, Dt, key);
    return v.sub(dist.mul(scalarLike(dist, lambda)));
  };
  /** ∇_D̃ of the inner objective; consumes D̃ and key, borrows G and D. */
  const innerGrad = (G: Params, D: Params, Dt: Params, key?: JArray): Params =>
    grad((dd: Params) => innerObjective(T.ref(G), T.ref(D), dd, key?.ref))(Dt) as Params;
  /** D̃* by `innerSteps` ascent steps from D; borrows G and D, consumes key. */
  const solve = (G: Params, D: Params, key?: JArray): Params => {
    let Dt = T.ref(D);
    for (let k = 0; k < innerSteps; k++) {
      const g = innerGrad(G, D, T.ref(Dt), key?.ref);
      Dt = T.map2(Dt, g, (x, y) => x.add(y.mul(scalarLike(y, innerLr))));
    }
    key?.dispose();
    return Dt;
  };
  const sg = (p: Params): Params => tree.map((x: JArray) => lax.stopGradient(x), p) as Params;

  const gLoss = (G: Params, D: Params, key?: JArray): JArray => {
    const Dt = sg(solve(sg(T.ref(G)), D, key?.ref));
    const l = game.loss(0, G, T.ref(Dt), key?.ref);
    const dist = sqDist(D, Dt, key);
    return l.sub(dist.mul(scalarLike(dist, lambda)));
  };

  const solveJit = jit((G: Params, D: Params, keys: JArray[]) => {
    const key = keys[0] as JArray | undefined;
    const Dt = solve(G, D, key?.ref);
    const g = innerGrad(G, D, T.ref(Dt), key?.ref);
    const res = np.sqrt(T.sqNorm(g));
    const res0 = np.sqrt(T.sqNorm(innerGrad(G, D, T.ref(D), key?.ref)));
    const vt = game.loss(1, T.ref(G), T.ref(Dt), key?.ref).neg();
    const v0 = game.loss(1, G, T.ref(D), key?.ref).neg();
    const dist = sqDist(D, T.ref(Dt), key);
    const value = vt.sub(dist.ref.mul(scalarLike(dist, lambda)));
    return [Dt, np.stack([value, v0, dist, res.astype(vt.dtype), res0.astype(vt.dtype)])];
  });

  return {
    name: `prox(${game.name})`,
    description: `V_λ^prox(G, D) = max_D̃ V(G, D̃) − λ‖D − D̃‖²${norm === "sobolev" ? "_Sob" : ""}, λ = ${lambda} (${innerSteps} ascent steps, η = ${innerLr}) of ${game.description}`,
    players: game.players,
    dtype: game.dtype,
    zeroSum: false,
    stochastic: game.stochastic,
    clip: game.clip,
    base: game,
    lambda,
    innerSteps,
    innerLr,
    tol,
    norm,
    loss: (i: Player, x: Params, y: Params, key?: JArray) => {
      if (i === 1) return game.loss(1, x, y, key);
      return gLoss(x, y, key);
    },
    init: () => game.init(),
    equilibrium: game.equilibrium ? () => game.equilibrium!() : undefined,
    proxSolve: (w, key) => {
      if (stochastic && !key) throw new Error("proxSolve: a stochastic game needs a key");
      const [Dt, nums] = solveJit(T.ref(w[0]), T.ref(w[1]), key ? [key] : []) as [Params, JArray];
      const [value, base, dist, residual, initialResidual] = nums.js() as number[];
      const converged = residual <= (tol + 16 * eps) * initialResidual;
      return { value, base, sqDist: dist, residual, initialResidual, converged, dTilde: Dt };
    },
  };
}
