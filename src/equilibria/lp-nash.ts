/**
 * Exact Nash equilibria of a zero-sum matrix game min_{x∈Δ_n} max_{y∈Δ_m} xᵀAy (row player minimises; see
 * src/games/matrix-game.ts) by linear programming, and the exact duality gap of any pair of mixed strategies.
 *
 * The row player's problem min_x max_j (xᵀA)_j is the LP
 *     minimise v   subject to   Σ_i x_i A_ij ≤ v  (every column j),   Σ_i x_i = 1,   x ≥ 0,   v free,
 * and the column player's max_y min_i (Ay)_i is
 *     maximise w   subject to   Σ_j A_ij y_j ≥ w  (every row i),      Σ_j y_j = 1,   y ≥ 0,   w free.
 * They are each other's duals, so v = w is the value of the game (von Neumann). Both are solved with GLPK's
 * simplex (glpk.js, WebAssembly) rather than reading the duals of one, so x* and y* are primal solutions of
 * their own LPs; `gap` reports how well the pair does (≈ 1e-16 in practice).
 */
import GLPKFactory, { type GLPK, type LP } from "glpk.js/node";
import { colGains, matrixGame, rowLosses, type MatrixGame } from "../games/matrix-game.ts";

export interface NashSolution {
  /** The value v = min_x max_y xᵀAy = max_y min_x xᵀAy. */
  value: number;
  /** An optimal (minimax) strategy of the row player. */
  x: Float64Array;
  /** An optimal (maximin) strategy of the column player. */
  y: Float64Array;
  /** dualityGap(A, x, y) of the returned pair (0 up to rounding). */
  gap: number;
}

let glpkInstance: Promise<GLPK> | null = null;
/** One GLPK module per process (the WebAssembly instantiation is the slow part); shared by every LP here. */
export function glpk(): Promise<GLPK> {
  glpkInstance ??= GLPKFactory();
  return glpkInstance;
}

type GameLike = MatrixGame | readonly (readonly number[])[];
const asGame = (A: GameLike): MatrixGame =>
  "a" in A && A.a instanceof Float64Array ? A : matrixGame(A as number[][]);

/**
 * max_j (xᵀA)_j − min_i (Ay)_i: what the column player gains by best-responding to x plus what the row player
 * saves by best-responding to y. Always ≥ 0 for x ∈ Δ_n, y ∈ Δ_m (both terms bracket xᵀAy), and = 0 exactly
 * when (x, y) is a Nash equilibrium; then both terms equal the value.
 */
export function dualityGap(A: GameLike, x: ArrayLike<number>, y: ArrayLike<number>): number {
  const g = asGame(A);
  const gains = colGains(g, x);
  const losses = rowLosses(g, y);
  let best = -Infinity;
  for (let j = 0; j < g.cols; j++) best = Math.max(best, gains[j]);
  let worst = Infinity;
  for (let i = 0; i < g.rows; i++) worst = Math.min(worst, losses[i]);
  return best - worst;
}

/** Clamps rounding-level negatives to 0 and renormalises onto the simplex. */
function toSimplex(p: Float64Array): Float64Array {
  let s = 0;
  for (let k = 0; k < p.length; k++) {
    p[k] = Math.max(0, p[k]);
    s += p[k];
  }
  for (let k = 0; k < p.length; k++) p[k] /= s;
  return p;
}

/**
 * Solves one player's LP. `row` = true: minimise v s.t. (xᵀA)_j ≤ v; false: maximise w s.t. (Ay)_i ≥ w.
 * Returns the strategy and the optimal objective.
 */
function solvePlayer(G: GLPK, g: MatrixGame, row: boolean): { p: Float64Array; value: number } {
  const k = row ? g.rows : g.cols; // this player's strategies
  const c = row ? g.cols : g.rows; // one constraint per opponent pure strategy
  const name = (s: number): string => `p${s}`;
  const entry = (s: number, o: number): number => (row ? g.a[s * g.cols + o] : g.a[o * g.cols + s]);
  const subjectTo: LP["subjectTo"] = [];
  for (let o = 0; o < c; o++) {
    const vars = [{ name: "v", coef: -1 }];
    for (let s = 0; s < k; s++) {
      const coef = entry(s, o);
      if (coef !== 0) vars.push({ name: name(s), coef });
    }
    subjectTo.push({
      name: `c${o}`,
      vars,
      bnds: row ? { type: G.GLP_UP, ub: 0, lb: 0 } : { type: G.GLP_LO, ub: 0, lb: 0 },
    });
  }
  subjectTo.push({
    name: "simplex",
    vars: Array.from({ length: k }, (_, s) => ({ name: name(s), coef: 1 })),
    bnds: { type: G.GLP_FX, ub: 1, lb: 1 },
  });
  const lp: LP = {
    name: row ? "row-player" : "column-player",
    objective: { direction: row ? G.GLP_MIN : G.GLP_MAX, name: "value", vars: [{ name: "v", coef: 1 }] },
    subjectTo,
    bounds: [
      { name: "v", type: G.GLP_FR, ub: 0, lb: 0 },
      ...Array.from({ length: k }, (_, s) => ({ name: name(s), type: G.GLP_LO, ub: 0, lb: 0 })),
    ],
  };
  const r = G.solve(lp, { msglev: G.GLP_MSG_OFF });
  if (r.result.status !== G.GLP_OPT)
    throw new Error(
      `lp-nash: GLPK returned status ${r.result.status} for the ${lp.name} LP (expected optimal)`,
    );
  const p = new Float64Array(k);
  for (let s = 0; s < k; s++) p[s] = r.result.vars[name(s)] ?? 0;
  return { p: toSimplex(p), value: r.result.z };
}

/** The value and one Nash equilibrium (x*, y*) of min_x max_y xᵀAy, by two LPs (GLPK simplex). */
export async function solveMatrixGame(A: GameLike): Promise<NashSolution> {
  const g = asGame(A);
  const G = await glpk();
  const rowSol = solvePlayer(G, g, true);
  const colSol = solvePlayer(G, g, false);
  return {
    value: rowSol.value,
    x: rowSol.p,
    y: colSol.p,
    gap: dualityGap(g, rowSol.p, colSol.p),
  };
}
