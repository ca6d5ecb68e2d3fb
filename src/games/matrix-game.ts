/**
 * Finite zero-sum matrix games (Hsieh, Liu & Cevher 2019: a mixed-strategy GAN is a bi-affine game over
 * probability measures; over finitely many pure strategies it is exactly this):
 *
 *   min_{x ∈ Δ_n} max_{y ∈ Δ_m}  f(x, y) = xᵀAy,      A ∈ R^{n×m}.
 *
 * Convention: the ROW player chooses x (a distribution over the n rows) and MINIMISES xᵀAy (A_ij is what the
 * row player pays the column player); the COLUMN player chooses y (over the m columns) and MAXIMISES it.
 * The gradients are ∇_x f = Ay (the row player's losses per pure row) and ∇_y f = Aᵀx (the column player's
 * gains per pure column). By von Neumann's minimax theorem min_x max_y = max_y min_x = v, the game's value.
 *
 * Pure JS numerics (Float64Array, row-major): these games are small and every loop is O(nm).
 */
import { UsageError } from "../engine/errors.ts";

export interface MatrixGame {
  name: string;
  description: string;
  /** n: the row (minimising) player's number of pure strategies. */
  rows: number;
  /** m: the column (maximising) player's number of pure strategies. */
  cols: number;
  /** A, row-major: A_ij = a[i·cols + j]. */
  a: Float64Array;
  /** L = max_ij |A_ij|: the Lipschitz constant of (Ay, −Aᵀx) from ℓ1 to ℓ∞ (mirror-prox's step bound 1/L). */
  maxAbs: number;
}

export interface MatrixGameOptions {
  name?: string;
  description?: string;
  /** Reject a non-square A (the CLI's symmetric-game presets need n = m). Default false. */
  requireSquare?: boolean;
  /** The flag or field named in error messages (default `--matrix`). */
  field?: string;
}

/**
 * Validates A (non-empty, rectangular, every entry a finite number; square when `requireSquare`) and builds
 * the game. Errors are one-line UsageErrors naming the field, the value and what is allowed.
 */
export function matrixGame(A: readonly (readonly number[])[], opts: MatrixGameOptions = {}): MatrixGame {
  const field = opts.field ?? "--matrix";
  if (!Array.isArray(A) || A.length === 0)
    throw new UsageError(
      `${field}: the payoff matrix is empty; allowed: a non-empty n×m matrix of finite numbers`,
    );
  const rowOf = (i: number): readonly number[] => {
    const r = A[i];
    if (!Array.isArray(r))
      throw new UsageError(`${field}: row ${i + 1} is ${JSON.stringify(r)}, not a list of numbers`);
    return r;
  };
  const m = rowOf(0).length;
  if (m === 0)
    throw new UsageError(`${field}: row 1 is empty; allowed: a non-empty n×m matrix of finite numbers`);
  for (let i = 1; i < A.length; i++) {
    const len = rowOf(i).length;
    if (len !== m)
      throw new UsageError(
        `${field}: row ${i + 1} has ${len} entries but row 1 has ${m}; allowed: a rectangular matrix (every row the same length)`,
      );
  }
  const n = A.length;
  if (opts.requireSquare && n !== m)
    throw new UsageError(
      `${field}: the payoff matrix is ${n}×${m}; allowed: a square matrix (n×n) for this game`,
    );
  const a = new Float64Array(n * m);
  let maxAbs = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      const v = A[i][j];
      if (typeof v !== "number" || !Number.isFinite(v))
        throw new UsageError(
          `${field}: entry (${i + 1}, ${j + 1}) is ${typeof v === "number" ? String(v) : JSON.stringify(v)}; allowed: finite numbers`,
        );
      a[i * m + j] = v;
      maxAbs = Math.max(maxAbs, Math.abs(v));
    }
  return {
    name: opts.name ?? "matrix",
    description: opts.description ?? `zero-sum matrix game ${n}×${m}: min_x max_y xᵀAy`,
    rows: n,
    cols: m,
    a,
    maxAbs,
  };
}

/** A as nested arrays (for printing and JSON). */
export function toRows(game: MatrixGame): number[][] {
  return Array.from({ length: game.rows }, (_, i) =>
    Array.from(game.a.subarray(i * game.cols, (i + 1) * game.cols)),
  );
}

/**
 * Rock-paper-scissors, A_ij = what the row player pays: 0 on a tie, −1 when row i beats column j, +1 when it
 * loses. Value 0, unique equilibrium x* = y* = (⅓, ⅓, ⅓).
 */
export function rockPaperScissors(): MatrixGame {
  return matrixGame(
    [
      [0, 1, -1],
      [-1, 0, 1],
      [1, -1, 0],
    ],
    { name: "rock-paper-scissors", description: "rock-paper-scissors 3×3: value 0, equilibrium (⅓, ⅓, ⅓)" },
  );
}

/** mulberry32: a small, fast 32-bit seeded PRNG; returns uniform numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function requireCount(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1)
    throw new UsageError(`${name}: ${String(v)} is not allowed; allowed: an integer ≥ 1`);
}

/**
 * An n×m game with entries uniform in [−1, 1) drawn from mulberry32(seed): reproducible on every machine
 * (plain 32-bit integer arithmetic and one division), so L = max|A_ij| ≤ 1.
 */
export function randomMatrix(n: number, m: number, seed: number): MatrixGame {
  requireCount("--rows", n);
  requireCount("--cols", m);
  if (!Number.isInteger(seed))
    throw new UsageError(`--seed: ${String(seed)} is not allowed; allowed: an integer`);
  const rand = mulberry32(seed);
  const A = Array.from({ length: n }, () => Array.from({ length: m }, () => 2 * rand() - 1));
  return matrixGame(A, {
    name: "random",
    description: `random ${n}×${m} zero-sum game, A_ij ~ U[−1, 1) (mulberry32, seed ${seed})`,
  });
}

/** Ay ∈ R^n: the row player's expected loss for each pure row against y. */
export function rowLosses(
  game: MatrixGame,
  y: ArrayLike<number>,
  out = new Float64Array(game.rows),
): Float64Array {
  const { a, rows: n, cols: m } = game;
  for (let i = 0; i < n; i++) {
    let s = 0;
    const o = i * m;
    for (let j = 0; j < m; j++) s += a[o + j] * y[j];
    out[i] = s;
  }
  return out;
}

/** Aᵀx ∈ R^m: the column player's expected gain for each pure column against x. */
export function colGains(
  game: MatrixGame,
  x: ArrayLike<number>,
  out = new Float64Array(game.cols),
): Float64Array {
  const { a, rows: n, cols: m } = game;
  out.fill(0);
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    if (xi === 0) continue;
    const o = i * m;
    for (let j = 0; j < m; j++) out[j] += xi * a[o + j];
  }
  return out;
}

/** xᵀAy. */
export function payoff(game: MatrixGame, x: ArrayLike<number>, y: ArrayLike<number>): number {
  const ay = rowLosses(game, y);
  let s = 0;
  for (let i = 0; i < game.rows; i++) s += x[i] * ay[i];
  return s;
}
