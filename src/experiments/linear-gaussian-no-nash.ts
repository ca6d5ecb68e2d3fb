/**
 * The no-Nash and proximal-equilibrium demonstrations on the linear-Gaussian W2GAN (Farnia & Ozdaglar 2020,
 * "Do GANs always have Nash equilibria?"; src/games/linear-gaussian.ts for the game and its formulas,
 * src/analysis/linear-gaussian.ts for the closed-form solvers): the grid certificate that no generator is a
 * local Nash equilibrium, the duality gap min_G f − sup_D g > 0 with the gap along a projected
 * alternating-GDA trajectory, and proximal training reaching a λ-proximal equilibrium. The claims
 * (src/claims/equilibria-proximal.ts) check their numbers.
 */
import { numpy as np, type Array as JArray } from "@jax-js/jax";
import {
  bestResponseD,
  bestValueD,
  maximinValue,
  minimaxClosedForm,
  nashGap,
  projectG,
  projectJoint,
  proximalGap,
  proxValueJs,
} from "../analysis/linear-gaussian.ts";
import { eigSym, numGrad } from "../analysis/sym2.ts";
import { dtypeOf } from "../engine/device.ts";
import { proximalGame } from "../equilibria/proximal.ts";
import type { Joint } from "../games/game.ts";
import { linearGaussian, valueJs, type LinearGaussianGame, type Sym } from "../games/linear-gaussian.ts";
import type { Method } from "../methods/method.ts";
import { alternatingMethod } from "../methods/alternating.ts";
import { createMethod } from "../methods/registry.ts";

/** Runs a method for `steps` steps with the feasible-set projection after each; returns every point. */
export function projectedRun(
  game: LinearGaussianGame,
  method: Method,
  steps: number,
  start?: Joint,
): { g: number[]; d: number[] }[] {
  let w = projectJoint(game, start ?? game.init());
  let s = method.init(w);
  const out: { g: number[]; d: number[] }[] = [];
  const read = (x: Joint) => ({
    g: Array.from((x[0] as JArray).ref.js() as number[]),
    d: Array.from((x[1] as JArray).ref.js() as number[]),
  });
  out.push(read(w));
  for (let t = 0; t < steps; t++) {
    const [w2, s2] = method.step(w, s);
    s = s2;
    w = projectJoint(game, w2);
    out.push(read(w));
  }
  (w[0] as JArray).dispose();
  (w[1] as JArray).dispose();
  return out;
}

export interface LocalNashPoint {
  g: number[];
  /** f(G) − V(G, D_G): 0 when the closed-form D_G is D's maximiser. */
  dResidual: number;
  /** ‖G − Π(G − t∇_G V(G, D_G))‖/t at t = 1e-6 (Π: G's feasible set): > 0 ⇒ not first-order stationary. */
  projectedGradient: number;
  /** V(Π(G − t∇_G V)) − V(G) at t = 1e-3 (< −1e-12: a feasible descent step was found). */
  firstOrderDrop: number;
  /** Smallest eigenvalue of ∇²_b V(G, D_G). */
  curvatureB: number;
  /** min over ±h v (v its eigenvector, h = 1e-3, projected) of V(G′) − V(G). */
  secondOrderDrop: number;
  /** Which certificate shows G can improve locally: "first-order", "second-order" or "none". */
  certificate: "first-order" | "second-order" | "none";
}

/**
 * "No local Nash equilibrium" checked over a grid of generators (seed: "2-Wasserstein GAN has … no local NEs
 * with quadratic D"). V(G, ·) is concave, so at a local NE D is D's global best response D_G (closed form,
 * `bestResponseD`); (G, D_G) is then a local NE only if G is a local minimum of V(·, D_G) over its feasible
 * set. At every grid point this measures a certificate that it is not: a non-zero projected gradient with a
 * feasible step that lowers V (first order), or else negative curvature in b along which a feasible step
 * lowers V (second order). Grid: AAᵀ = U diag(s₁², s₂²) Uᵀ (A = U diag(s)), s₁, s₂ ∈ {0.25, 0.5, 0.75, 1},
 * U the rotation by θ ∈ {0, π/4, π/2, 3π/4} (only AAᵀ enters V), b ∈ {0, ±e₁/2, ±e₂/2, (0.6, 0.8),
 * (−0.8, 0.6), (0, −1)}: 4·4·4·8 = 512 points, including the Stackelberg point A = I, b = 0.
 */
export function noLocalNashGrid(game: LinearGaussianGame = linearGaussian()): LocalNashPoint[] {
  const { sigma, beta } = game;
  const ss = [0.25, 0.5, 0.75, 1];
  const thetas = [0, Math.PI / 4, Math.PI / 2, (3 * Math.PI) / 4];
  const bs = [
    [0, 0],
    [0.5, 0],
    [-0.5, 0],
    [0, 0.5],
    [0, -0.5],
    [0.6, 0.8],
    [-0.8, 0.6],
    [0, -1],
  ];
  const out: LocalNashPoint[] = [];
  for (const s1 of ss)
    for (const s2 of ss)
      for (const th of thetas)
        for (const b of bs) {
          const c = Math.cos(th);
          const sn = Math.sin(th);
          const g = [c * s1, -sn * s2, sn * s1, c * s2, b[0], b[1]];
          const { d } = bestResponseD(sigma, beta, g);
          const V = (x: readonly number[]) => valueJs(sigma, beta, x, d);
          const v0 = V(g);
          const gr = numGrad(V, g);
          const step = (t: number) => projectG(g.map((x, j) => x - t * gr[j]));
          const tiny = step(1e-6);
          const projectedGradient = Math.hypot(...tiny.map((x, j) => x - g[j])) / 1e-6;
          const firstOrderDrop = V(step(1e-3)) - v0;
          const h = 1e-4;
          const vb = (x: number, y: number) => V([...g.slice(0, 4), g[4] + x, g[5] + y]);
          const hxx = (vb(h, 0) - 2 * v0 + vb(-h, 0)) / (h * h);
          const hyy = (vb(0, h) - 2 * v0 + vb(0, -h)) / (h * h);
          const hxy = (vb(h, h) - vb(h, -h) - vb(-h, h) + vb(-h, -h)) / (4 * h * h);
          const e = eigSym(hxx, hxy, hyy);
          const u = e.vectors[1];
          const secondOrderDrop = Math.min(
            ...[1e-3, -1e-3].map(
              (t) => V(projectG([...g.slice(0, 4), g[4] + t * u[0], g[5] + t * u[1]])) - v0,
            ),
          );
          const certificate =
            projectedGradient > 1e-6 && firstOrderDrop < -1e-12
              ? "first-order"
              : e.values[1] < -1e-6 && secondOrderDrop < -1e-12
                ? "second-order"
                : "none";
          out.push({
            g,
            dResidual: bestValueD(sigma, beta, g) - v0,
            projectedGradient,
            firstOrderDrop,
            curvatureB: e.values[1],
            secondOrderDrop,
            certificate,
          });
        }
  return out;
}

export interface NoNashReport {
  sigmaMax: number;
  /** min_G f(G) = β Σ(√σᵢ − 1)₊² (closed form) and the best found by multi-start descent. */
  minimaxClosedForm: number;
  minimaxNumeric: number;
  /** sup_D g(D) (concave ascent). */
  maximin: number;
  /** min over all (G, D) of the Nash gap ≥ minimax − maximin. */
  gapLowerBound: number;
  /** Smallest Nash gap along an alternating-GDA trajectory (projected), and its last value. */
  trajectoryMinGap: number;
  /** Smallest eigenvalue of ∇²_b V(G†, D†) at the Stackelberg point (negative: a saddle for G). */
  stackelbergCurvatureB: number;
  trajectorySteps: number;
}

/** Curvature of G's own loss in b at (G, D): the smaller eigenvalue of ∇²_b V (finite differences). */
function curvatureB(sigma: Sym, beta: number, g: readonly number[], d: readonly number[]): number {
  const h = 1e-4;
  const v = (x: number, y: number) => valueJs(sigma, beta, [...g.slice(0, 4), g[4] + x, g[5] + y], d);
  const v0 = v(0, 0);
  const hxx = (v(h, 0) - 2 * v0 + v(-h, 0)) / (h * h);
  const hyy = (v(0, h) - 2 * v0 + v(0, -h)) / (h * h);
  const hxy = (v(h, h) - v(h, -h) - v(-h, h) + v(-h, -h)) / (4 * h * h);
  return eigSym(hxx, hxy, hyy).values[1];
}

/**
 * (i) No pure Nash equilibrium when σ_max(Σ) > 1: the Nash gap f(G) − g(D) is bounded below by
 * minimax − maximin > 0 everywhere; also measured along a projected alternating-GDA trajectory (η = 0.05,
 * `steps` steps), and G's curvature in b at the Stackelberg point (negative: not even a local NE).
 */
export function demonstrateNoNash(game: LinearGaussianGame = linearGaussian(), steps = 300): NoNashReport {
  const { sigma, beta } = game;
  const closed = minimaxClosedForm(sigma, beta);
  // minimax by multi-start projected descent on f (closed form), finite-difference gradients
  let minimaxNumeric = Infinity;
  for (const s of [
    [0.5, 0, 0, 0.5, 0.5, 0.5],
    [1, 0, 0, 1, 0, 0.3],
    [0.2, 0.3, -0.3, 0.2, -0.6, 0],
    [0.9, 0, 0, 0.1, 0, 0],
  ]) {
    let g = projectG(s);
    for (let i = 0; i < 400; i++) {
      const gr = numGrad((x) => bestValueD(sigma, beta, x), g);
      g = projectG(g.map((v, j) => v - 0.05 * gr[j]));
    }
    minimaxNumeric = Math.min(minimaxNumeric, bestValueD(sigma, beta, g));
  }
  const maximin = maximinValue(sigma, beta).value;
  const tr = projectedRun(
    game,
    createMethod(game, { name: alternatingMethod.name, lr: [0.05, 0.05] }),
    steps,
  );
  const gaps = tr.map((p) => nashGap(sigma, beta, p.g, p.d).gap);
  const gStar = [1, 0, 0, 1, 0, 0];
  // D†: best response to G† by projected ascent on the concave V(G†, ·)
  const dStar = proxValueJs(sigma, beta, 1e-12, gStar, [0, 0, 0, 0, 0], undefined, 3000).dTilde;
  const e = eigSym(sigma[0][0], sigma[0][1], sigma[1][1]).values;
  return {
    sigmaMax: e[0],
    minimaxClosedForm: closed,
    minimaxNumeric,
    maximin,
    gapLowerBound: Math.min(closed, minimaxNumeric) - maximin,
    trajectoryMinGap: Math.min(...gaps),
    stackelbergCurvatureB: curvatureB(sigma, beta, gStar, dStar),
    trajectorySteps: steps,
  };
}

export interface ProximalReport {
  lambda: number;
  steps: number;
  /** The point proximal training reached. */
  g: number[];
  d: number[];
  /** Proximal Nash gap there (≈ 0: a λ-proximal equilibrium), and its two parts. */
  proximalGap: number;
  proximalGainD: number;
  proximalGainG: number;
  /** The ordinary Nash gap at the same point (> 0: not a Nash equilibrium of V). */
  nashGap: number;
  /** The proximal gap at the end of plain (non-proximal) alternating GDA, for contrast. */
  plainProximalGap: number;
  /** Inner residual of the jitted solver at the end point. */
  innerResidual: number;
  seconds: number;
}

/**
 * (ii) Proximal training (alternating GDA, η = 0.05, 30 inner steps of 0.1, on `proximalGame(game, {λ, Sobolev})`, with the
 * feasible-set projections) reaches a point whose proximal Nash gap max_D′ V^prox(G, D′) − min_G′
 * V^prox(G′, D) is ≈ 0 (measured with the JS solvers: closed-form f, multi-start Danskin descent for G′).
 */
export function demonstrateProximal(
  game: LinearGaussianGame = linearGaussian(),
  lambda = 0.1,
  steps = 400,
): ProximalReport {
  const t0 = performance.now();
  const { sigma, beta } = game;
  const pg = proximalGame(game, { lambda, norm: "sobolev", innerSteps: 30, innerLr: 0.1 });
  const spec = { name: alternatingMethod.name, lr: [0.05, 0.05] as [number, number] };
  const tr = projectedRun(game, createMethod(pg, spec), steps);
  const last = tr[tr.length - 1];
  const pgap = proximalGap(sigma, beta, lambda, last.g, last.d);
  const plain = projectedRun(game, createMethod(game, spec), steps);
  const pl = plain[plain.length - 1];
  const dt = dtypeOf("float64");
  const w: Joint = [np.array(last.g, { dtype: dt }), np.array(last.d, { dtype: dt })];
  const sol = pg.proxSolve(w);
  (sol.dTilde as JArray).dispose();
  (w[0] as JArray).dispose();
  (w[1] as JArray).dispose();
  return {
    lambda,
    steps,
    g: last.g,
    d: last.d,
    proximalGap: pgap.gap,
    proximalGainD: pgap.gainD,
    proximalGainG: pgap.gainG,
    nashGap: nashGap(sigma, beta, last.g, last.d).gap,
    plainProximalGap: proximalGap(sigma, beta, lambda, pl.g, pl.d).gap,
    innerResidual: sol.residual,
    seconds: (performance.now() - t0) / 1000,
  };
}
