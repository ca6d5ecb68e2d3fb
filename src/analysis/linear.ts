/**
 * Small dense linear algebra for the linearised update operators of src/methods (each method module builds
 * its own operator from these; src/analysis/operators.ts adds the shared checks and the spectral radius):
 * one gradient sub-step I − E_p H J of the players in `active`, its heavy-ball form on (ω, ω_prev)
 * (Mitliagkas, "Jacobian of momentum operator"), and the alternating round built from them (Gidel,
 * lecture 13, Alt-GDA).
 */
export type Matrix = number[][];

export const identity = (n: number): Matrix =>
  Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
export const zeros = (n: number, m = n): Matrix =>
  Array.from({ length: n }, () => new Array<number>(m).fill(0));
export const matmul = (a: Matrix, b: Matrix): Matrix =>
  a.map((row) => b[0].map((_, j) => row.reduce((s, x, k) => s + x * b[k][j], 0)));
export const transpose = (a: Matrix): Matrix => a[0].map((_, j) => a.map((row) => row[j]));
export const addM = (a: Matrix, b: Matrix): Matrix => a.map((row, i) => row.map((x, j) => x + b[i][j]));
export const subM = (a: Matrix, b: Matrix): Matrix => a.map((row, i) => row.map((x, j) => x - b[i][j]));
export const scaleM = (a: Matrix, c: number): Matrix => a.map((row) => row.map((x) => c * x));
/** [[a, b], [c, d]] as one matrix. */
export const blocks = (a: Matrix, b: Matrix, c: Matrix, d: Matrix): Matrix => [
  ...a.map((row, i) => [...row, ...b[i]]),
  ...c.map((row, i) => [...row, ...d[i]]),
];

/** The per-coordinate step sizes: η_θ on θ's n_θ coordinates, η_φ on φ's n_φ. */
export function stepSizes(lr: readonly [number, number], sizes: readonly [number, number]): number[] {
  return [...new Array<number>(sizes[0]).fill(lr[0]), ...new Array<number>(sizes[1]).fill(lr[1])];
}

/** HM with H = diag(η): row i scaled by η_i. */
export const scaleRows = (eta: readonly number[], m: Matrix): Matrix =>
  m.map((row, i) => row.map((x) => eta[i] * x));

/**
 * One heavy-ball sub-step of the coordinates in `active` (a mask), on the augmented state (ω, ω_prev) of
 * size 2n: for active i, ω_i ← (1+β)ω_i − η_i (Jω)_i − β ω_prev,i and ω_prev,i ← ω_i; inactive coordinates
 * (and their ω_prev) are left alone. With every coordinate active this is Mitliagkas's momentum operator
 * [[(1+β)I − HJ, −βI], [I, 0]].
 */
export function momentumSubStep(
  J: Matrix,
  eta: readonly number[],
  beta: number,
  active: readonly boolean[],
): Matrix {
  const n = J.length;
  const m = identity(2 * n);
  for (let i = 0; i < n; i++) {
    if (!active[i]) continue;
    for (let j = 0; j < n; j++) m[i][j] = -eta[i] * J[i][j];
    m[i][i] += 1 + beta;
    m[i][n + i] = -beta;
    m[n + i].fill(0);
    m[n + i][i] = 1;
  }
  return m;
}

/** One plain gradient sub-step of the `active` coordinates: row i of I − HJ where active, of I elsewhere. */
export function gradientSubStep(J: Matrix, eta: readonly number[], active: readonly boolean[]): Matrix {
  return J.map((row, i) => row.map((x, j) => (i === j ? 1 : 0) - (active[i] ? eta[i] * x : 0)));
}

/**
 * The alternating round: k_first sub-steps of the `first` player, then k_other of the other (rows/columns θ
 * then φ, `sizes` = [n_θ, n_φ]); with β ≠ 0 each sub-step is the heavy ball on (ω, ω_prev), 2n×2n.
 */
export function alternatingOperator(
  J: Matrix,
  eta: readonly number[],
  sizes: readonly [number, number],
  beta: number,
  steps: readonly [number, number],
  first: 0 | 1,
): Matrix {
  const n = J.length;
  const mask = (p: 0 | 1): boolean[] =>
    Array.from({ length: n }, (_, i) => (p === 0 ? i < sizes[0] : i >= sizes[0]));
  const sub = (p: 0 | 1): Matrix =>
    beta === 0 ? gradientSubStep(J, eta, mask(p)) : momentumSubStep(J, eta, beta, mask(p));
  let op = identity(beta === 0 ? n : 2 * n);
  for (const p of [first, (1 - first) as 0 | 1]) {
    const s = sub(p);
    for (let k = 0; k < steps[p]; k++) op = matmul(s, op);
  }
  return op;
}
