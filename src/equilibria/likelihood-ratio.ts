/**
 * The algorithms of the Purdue lecture "Computing the GAN equilibrium" on the finite likelihood-ratio game
 * (src/games/likelihood-ratio.ts: E over p_r, Euclidean coordinates, P₀ the seed's tangent projection):
 *
 * Algorithm 1, alternating (exact) minimisation (slide "Algorithm 1: Alternating Minimization"):
 *   f̂ ← argmin_f d(R̂, f) = 1/(1 + R̂);   R̂ ← argmin_{R ∈ Ω_g} g(R, f̂).
 *   The generator step is the linear program
 *       minimise g(R, f̂) = Σ_i p_r(i) (−log f̂_i) R_i   subject to   Σ_i p_r(i) R_i = 1,   R ≥ 0
 *   over the closure of Ω_g (the minimum over the open set R > 0 is not attained), solved by GLPK's simplex
 *   (glpk.js, as in lp-nash.ts) — nothing about its solution is assumed. The lecture's answer is what the LP
 *   must return: one equality constraint means a basic solution has one non-zero, all mass on
 *   y_o = argmax_i f̂_i = argmin_i R̂_i, R̂ = δ_{y_o}/p_r(y_o) (the slide's R̂(y) = δ(y − y_o)/p_r(y_o)), and
 *   the optimal value is min_i (−log f̂_i). The whole optimal set is the face of mixes of the points where
 *   −log f̂ attains that minimum (`optimalPoints`): one point when argmax f̂ is unique (the first round, from a
 *   generic R₀), so then every minimiser is a point mass; after the first round every other point has R̂ = 0,
 *   f̂ = 1, all tie, and the simplex's vertex (whichever GLPK picks) is one of the optimal point masses.
 *   Result: mode collapse — p_R is a point mass after every round, the first at argmin R₀, never R ≡ 1.
 *
 * Algorithm 2, generator-loss gradient descent, GLGD (slides "Algorithm 2" and "GLGD Convergence"):
 *   f* ← 1/(1 + R);   R ← R − α P₀ ∇_R g(R, f*),   ∇_R g(R, f*)_i = −p_r(i) log f*_i = p_r(i) log(1 + R_i).
 *   ∇C(R)_i = p_r(i)(log(1 + R_i) + 1) differs from it by exactly p_r, the normal P₀ removes, so
 *   P₀∇_R g(R, f*) = P₀∇C(R): GLGD is projected gradient descent on C(R) = E[(1+R) log(1+R)] (the slide's
 *   "∇_R g(R, f*) = ∇_R C(R)" holds after P₀, which is the form its "More Details on GLGD" slide states).
 *   Implemented as R ← project(R − α ∇_R g(R, f*)), which equals the slide's update whenever positivity does
 *   not bind (the step records whether it did).
 *
 * Algorithm 2, practical (slide "Algorithm 2: Practical Algorithm"): N_d gradient steps on the discriminator,
 * then one generator step. The discriminator is parameterised by its logit u (f = σ(u), as a network's last
 * layer, so f stays in Ω_d = (0, 1)); exact expectations over the finite space replace the random batches B:
 *   repeat N_d times: u ← u − β ∂d/∂u,   ∂d/∂u_i = p_r(i) (f_i (1 + R_i) − 1);
 *   then R ← project(R − α ∇_R g(R, f)),   ∇_R g(R, f)_i = −p_r(i) log f_i.
 *
 * Method 3, the Wasserstein algorithm (slides "Wasserstein GAN", "Method 3: Wasserstein Algorithm"):
 *   φ* ← argmin_{‖φ‖_L ≤ 1} d_w(R, φ) (exact on the line: the critic of `optimalCritic`);
 *   R ← R − α P₀ ∇_R g_w(R, φ*),   ∇_R g_w(R, φ*)_i = −p_r(i) φ*_i,
 *   and by the envelope (Danskin) theorem ∇_R g_w(R, φ*) = ∇_R W(p_r ‖ p_R) along every feasible direction
 *   (the slide's "key result"). W is piecewise linear in R, so with a constant step this is a projected
 *   subgradient method; an optional α/√t decay at step t = 1, 2, … (`decay: "sqrt"`) makes it converge.
 */
import { UsageError } from "../engine/errors.ts";
import type { LikelihoodRatioGame } from "../games/likelihood-ratio.ts";
import { glpk } from "./lp-nash.ts";

type Vec = ArrayLike<number>;

function checkR0(game: LikelihoodRatioGame, R0: Vec): Float64Array {
  if (R0 === null || typeof R0 !== "object" || typeof R0.length !== "number" || R0.length !== game.n) {
    throw new UsageError(
      `--r0: must have ${game.n} entries (one per point of --pr), got ${String(R0?.length)}`,
    );
  }
  const R = Float64Array.from(R0);
  R.forEach((r, i) => {
    if (!Number.isFinite(r) || r < 0 || (r === 0 && game.pr[i] > 0)) {
      throw new UsageError(`--r0: entry ${i} is ${r}; a likelihood ratio must be a finite number > 0`);
    }
  });
  const { mean } = game.feasibility(R);
  if (Math.abs(mean - 1) > 1e-9) {
    throw new UsageError(
      `--r0: E_pr[R] = ${mean}; a likelihood ratio must satisfy E_pr[R] = 1 (within 1e-9)`,
    );
  }
  return R;
}

function checkPositive(flag: string, v: number): void {
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) {
    throw new UsageError(`--${flag}: must be a finite number > 0, got '${String(v)}'`);
  }
}

function checkCount(flag: string, v: number, min = 0): void {
  if (!Number.isInteger(v) || v < min) {
    throw new UsageError(`--${flag}: must be an integer ≥ ${min}, got '${String(v)}'`);
  }
}

// ─── Algorithm 1: alternating exact minimisation ──────────────────────────────────────────────────────

export interface GeneratorResponse {
  /** The LP's minimiser R̂ (0 where it puts no mass). */
  R: Float64Array;
  /** The points where p_R = R̂·p_r > 1e-12 (one point: a point mass). */
  massPoints: number[];
  /** The point with the most mass (y_o for a point mass). */
  point: number;
  /** The LP's optimal value min g(R, f̂) (GLPK's objective). */
  objective: number;
  /** min over the support of −log f̂_i: the value a point mass on argmax f̂ attains (the cross-check). */
  vertexValue: number;
  /** The optimal face: the points where −log f̂_i is within 1e-12 of its minimum (every mix of them is optimal). */
  optimalPoints: number[];
}

export interface AlternatingRound {
  /** Round number, 1-based. */
  round: number;
  /** f̂ = 1/(1 + R̂_prev), the discriminator's exact best response to the previous generator. */
  f: Float64Array;
  /** The LP's solution of the generator step. */
  response: GeneratorResponse;
  /** The point with the most generator mass after the step (y_o for a point mass). */
  point: number;
  /** R̂, the LP's minimiser. */
  R: Float64Array;
  /** p_R = R̂·p_r. */
  pR: Float64Array;
  /** max_i p_R(i): 1 for a point mass. */
  topMass: number;
  /** g(R̂, f̂): the generator's loss against the discriminator it just beat. */
  g: number;
  /** g, d at the new generator's best response f*(R̂). */
  gAtBest: number;
  dAtBest: number;
  /** max |R̂ − 1| over the support. */
  distance: number;
}

export interface AlternatingResult {
  R0: Float64Array;
  rounds: AlternatingRound[];
}

/**
 * The generator's exact response: argmin of g(R, f) = E_pr[−R log f] over {E_pr[R] = 1, R ≥ 0}, by linear
 * programming (GLPK simplex). f must lie in (0, 1] on the support.
 */
export async function generatorExactResponse(game: LikelihoodRatioGame, f: Vec): Promise<GeneratorResponse> {
  if (f === null || typeof f !== "object" || f.length !== game.n) {
    throw new UsageError(
      `--f: must have ${game.n} entries (one per point of --pr), got ${String(f?.length)}`,
    );
  }
  const cost = new Float64Array(game.n);
  for (const i of game.support) {
    if (!(f[i] > 0 && f[i] <= 1)) {
      throw new UsageError(`--f: entry ${i} is ${f[i]}; a discriminator must lie in (0, 1]`);
    }
    cost[i] = -Math.log(f[i]);
  }
  const G = await glpk();
  const name = (i: number) => `r${i}`;
  const r = G.solve(
    {
      name: "generator-response",
      objective: {
        direction: G.GLP_MIN,
        name: "g",
        vars: game.support.map((i) => ({ name: name(i), coef: game.pr[i] * cost[i] })),
      },
      subjectTo: [
        {
          name: "mean-one",
          vars: game.support.map((i) => ({ name: name(i), coef: game.pr[i] })),
          bnds: { type: G.GLP_FX, ub: 1, lb: 1 },
        },
      ],
      bounds: game.support.map((i) => ({ name: name(i), type: G.GLP_LO, ub: 0, lb: 0 })),
    },
    { msglev: G.GLP_MSG_OFF },
  );
  if (r.result.status !== G.GLP_OPT) {
    throw new Error(
      `likelihood-ratio: GLPK returned status ${r.result.status} for the generator LP (expected optimal)`,
    );
  }
  const R = new Float64Array(game.n);
  for (const i of game.support) R[i] = Math.max(0, r.result.vars[name(i)] ?? 0);
  const massPoints = game.support.filter((i) => R[i] * game.pr[i] > 1e-12);
  let point = game.support[0];
  for (const i of game.support) if (R[i] * game.pr[i] > R[point] * game.pr[point]) point = i;
  const vertexValue = Math.min(...game.support.map((i) => cost[i]));
  const optimalPoints = game.support.filter((i) => cost[i] - vertexValue <= 1e-12);
  return { R, massPoints, point, objective: r.result.z, vertexValue, optimalPoints };
}

/** Algorithm 1: `rounds` rounds of f̂ ← f*(R̂), R̂ ← argmin_R g(R, f̂) (the LP), from R0 (feasible). */
export async function alternatingExactMinimization(
  game: LikelihoodRatioGame,
  R0: Vec,
  rounds: number,
): Promise<AlternatingResult> {
  const start = checkR0(game, R0);
  checkCount("rounds", rounds, 1);
  let R = start;
  const out: AlternatingRound[] = [];
  for (let t = 1; t <= rounds; t++) {
    const f = game.bestResponse(R);
    const response = await generatorExactResponse(game, f);
    R = response.R;
    const pR = game.pR(R);
    const best = game.lossesAtBest(R);
    out.push({
      round: t,
      f,
      response,
      point: response.point,
      R,
      pR,
      topMass: Math.max(...pR),
      g: game.g(R, f),
      gAtBest: best.g,
      dAtBest: best.d,
      distance: game.distanceToOne(R),
    });
  }
  return { R0: start, rounds: out };
}

// ─── Algorithm 2: GLGD ─────────────────────────────────────────────────────────────────────────────────

export interface GlgdStep {
  /** Step number (0 = the start). */
  t: number;
  R: Float64Array;
  /** C(R) = E[(1+R) log(1+R)]. */
  C: number;
  /** g(R, f*(R)) and d(R, f*(R)). */
  g: number;
  d: number;
  /** max |R − 1| over the support. */
  distance: number;
  /** Whether the positivity bound R ≥ eps was active in the projection that produced this R. */
  clipped: boolean;
}

export interface GlgdOptions {
  /** α, the generator step size. */
  lr: number;
  steps: number;
  /** Positivity floor of the projection (default 1e-12). */
  eps?: number;
}

export interface GlgdResult {
  trajectory: GlgdStep[];
  final: Float64Array;
}

function glgdRecord(game: LikelihoodRatioGame, t: number, R: Float64Array, clipped: boolean): GlgdStep {
  const best = game.lossesAtBest(R);
  return { t, R, C: game.C(R), g: best.g, d: best.d, distance: game.distanceToOne(R), clipped };
}

function projectedStep(
  game: LikelihoodRatioGame,
  R: Float64Array,
  grad: Float64Array,
  lr: number,
  eps: number,
): { R: Float64Array; clipped: boolean } {
  const next = game.project(
    R.map((r, i) => r - lr * grad[i]),
    eps,
  );
  let clipped = false;
  for (const i of game.support) if (next[i] === eps) clipped = true;
  return { R: next, clipped };
}

/** Algorithm 2 (GLGD): f* ← 1/(1+R); R ← R − α P₀ ∇_R g(R, f*) (projected onto R ≥ eps if needed). */
export function glgd(game: LikelihoodRatioGame, R0: Vec, options: GlgdOptions): GlgdResult {
  let R = checkR0(game, R0);
  checkPositive("lr", options.lr);
  checkCount("steps", options.steps);
  const eps = options.eps ?? 1e-12;
  const trajectory = [glgdRecord(game, 0, R, false)];
  for (let t = 1; t <= options.steps; t++) {
    const f = game.bestResponse(R);
    const step = projectedStep(game, R, game.gradGR(R, f), options.lr, eps);
    R = step.R;
    trajectory.push(glgdRecord(game, t, R, step.clipped));
  }
  return { trajectory, final: R };
}

// ─── Algorithm 2, practical: N_d discriminator steps per generator step ─────────────────────────────────

export interface NStepOptions {
  /** α, the generator step size. */
  lr: number;
  /** β, the discriminator step size (on the logit). */
  lrD: number;
  /** N_d, discriminator steps per generator step. */
  nD: number;
  /** Generator steps. */
  steps: number;
  /** Initial discriminator (default f ≡ 1/2). */
  f0?: Vec;
  eps?: number;
}

export interface NStepStep extends GlgdStep {
  /** The discriminator after its N_d steps (the one the generator step used). */
  f: Float64Array;
  /** g(R, f) and d(R, f) at that discriminator. */
  gAtF: number;
  dAtF: number;
  /** max |f − f*(R)| over the support: how far the N_d steps left f from the best response. */
  fGap: number;
}

export interface NStepResult {
  trajectory: NStepStep[];
  final: Float64Array;
}

const sigmoid = (u: number): number => (u >= 0 ? 1 / (1 + Math.exp(-u)) : Math.exp(u) / (1 + Math.exp(u)));

/** The practical algorithm: N_d logit-gradient steps on d, then one projected gradient step on g. */
export function nStepDiscriminatorGLGD(
  game: LikelihoodRatioGame,
  R0: Vec,
  options: NStepOptions,
): NStepResult {
  let R = checkR0(game, R0);
  checkPositive("lr", options.lr);
  checkPositive("lr-d", options.lrD);
  checkCount("n-d", options.nD, 1);
  checkCount("steps", options.steps);
  const eps = options.eps ?? 1e-12;
  const u = new Float64Array(game.n);
  if (options.f0 !== undefined) {
    if (options.f0.length !== game.n)
      throw new UsageError(`--f0: must have ${game.n} entries, got ${options.f0.length}`);
    for (let i = 0; i < game.n; i++) {
      const fi = options.f0[i];
      if (!(fi > 0 && fi < 1))
        throw new UsageError(`--f0: entry ${i} is ${fi}; a discriminator must lie in (0, 1)`);
      u[i] = Math.log(fi / (1 - fi));
    }
  }
  const pr = game.pr;
  const fOf = () => Float64Array.from(u, sigmoid);
  const record = (t: number, clipped: boolean, f: Float64Array): NStepStep => {
    const fStar = game.bestResponse(R);
    let fGap = 0;
    for (const i of game.support) fGap = Math.max(fGap, Math.abs(f[i] - fStar[i]));
    return { ...glgdRecord(game, t, R, clipped), f, gAtF: game.g(R, f), dAtF: game.d(R, f), fGap };
  };
  const trajectory = [record(0, false, fOf())];
  for (let t = 1; t <= options.steps; t++) {
    for (let k = 0; k < options.nD; k++) {
      for (const i of game.support) u[i] -= options.lrD * pr[i] * (sigmoid(u[i]) * (1 + R[i]) - 1);
    }
    const f = fOf();
    const step = projectedStep(game, R, game.gradGR(R, f), options.lr, eps);
    R = step.R;
    trajectory.push(record(t, step.clipped, f));
  }
  return { trajectory, final: R };
}

// ─── Method 3: the Wasserstein algorithm ──────────────────────────────────────────────────────────────

export interface WassersteinStep {
  t: number;
  R: Float64Array;
  /** W(p_r ‖ p_R). */
  W: number;
  /** The exact critic φ*(R) used for the step from this R. */
  critic: Float64Array;
  /** g_w(R, φ*) and d_w(R, φ*) = −W. */
  gw: number;
  dw: number;
  distance: number;
  clipped: boolean;
}

export interface WassersteinOptions {
  lr: number;
  steps: number;
  /** Step schedule: constant α (default) or α/√t at step t = 1, 2, …. */
  decay?: "none" | "sqrt";
  eps?: number;
}

export interface WassersteinResult {
  trajectory: WassersteinStep[];
  final: Float64Array;
}

/** Method 3: φ* ← argmax_{‖φ‖_L ≤ 1} E[φ(Y)] − E[φ(Ỹ)]; R ← R − α P₀ ∇_R g_w(R, φ*). */
export function wassersteinGLGD(
  game: LikelihoodRatioGame,
  R0: Vec,
  options: WassersteinOptions,
): WassersteinResult {
  let R = checkR0(game, R0);
  checkPositive("lr", options.lr);
  checkCount("steps", options.steps);
  const decay = options.decay ?? "none";
  if (decay !== "none" && decay !== "sqrt") {
    throw new UsageError(`--decay: must be 'none' or 'sqrt', got '${String(decay)}'`);
  }
  const eps = options.eps ?? 1e-12;
  const record = (t: number, clipped: boolean): WassersteinStep => {
    const critic = game.optimalCritic(R);
    return {
      t,
      R,
      W: game.wasserstein(R),
      critic,
      gw: game.gw(R, critic),
      dw: game.dw(R, critic),
      distance: game.distanceToOne(R),
      clipped,
    };
  };
  const trajectory = [record(0, false)];
  for (let t = 1; t <= options.steps; t++) {
    const phi = trajectory[trajectory.length - 1].critic;
    const lr = decay === "sqrt" ? options.lr / Math.sqrt(t) : options.lr;
    const step = projectedStep(game, R, game.gradGwR(R, phi), lr, eps);
    R = step.R;
    trajectory.push(record(t, step.clipped));
  }
  return { trajectory, final: R };
}
