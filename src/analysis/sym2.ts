/**
 * Closed-form linear algebra of 2×2 matrices in plain float64 JS: the eigen-decomposition of a symmetric
 * [[a, b], [b, c]] (λ = (a + c)/2 ± √(((a − c)/2)² + b²)), σ_max and the spectral-norm projection of a general
 * 2×2 (through AᵀA), the square root of a symmetric PSD M, √M = (M + √det M · I)/√(tr M + 2√det M), products
 * and inverses, plus a central-difference gradient. Exact up to rounding, no iteration; used by the
 * linear-Gaussian W2GAN's solvers (src/analysis/linear-gaussian.ts) and its experiments.
 */

/** Eigen-decomposition of a symmetric 2×2 [[a, b], [b, c]]: values descending, unit vectors. */
export function eigSym(
  a: number,
  b: number,
  c: number,
): { values: [number, number]; vectors: [number[], number[]] } {
  const m = (a + c) / 2;
  const r = Math.hypot((a - c) / 2, b);
  const l1 = m + r;
  const l2 = m - r;
  let v1: number[];
  if (Math.abs(b) > 1e-300) v1 = [b, l1 - a];
  else v1 = a >= c ? [1, 0] : [0, 1];
  const n = Math.hypot(v1[0], v1[1]);
  v1 = [v1[0] / n, v1[1] / n];
  return { values: [l1, l2], vectors: [v1, [-v1[1], v1[0]]] };
}

/** Projection of A (row-major [a11, a12, a21, a22]) onto {σ_max(A) ≤ 1}: exact SVD clip. */
export function projectSpectral(a: readonly number[]): number[] {
  const [a11, a12, a21, a22] = a;
  // AᵀA = V diag(s²) Vᵀ; A' = A V diag(min(s, 1)/s) Vᵀ
  const e = eigSym(a11 * a11 + a21 * a21, a11 * a12 + a21 * a22, a12 * a12 + a22 * a22);
  const s = e.values.map((x) => Math.sqrt(Math.max(x, 0)));
  if (s[0] <= 1) return [...a];
  const f = s.map((x) => (x > 1 ? 1 / x : 1));
  // M = V diag(f) Vᵀ
  const [v1, v2] = e.vectors;
  const M = [
    [f[0] * v1[0] * v1[0] + f[1] * v2[0] * v2[0], f[0] * v1[0] * v1[1] + f[1] * v2[0] * v2[1]],
    [f[0] * v1[1] * v1[0] + f[1] * v2[1] * v2[0], f[0] * v1[1] * v1[1] + f[1] * v2[1] * v2[1]],
  ];
  return [
    a11 * M[0][0] + a12 * M[1][0],
    a11 * M[0][1] + a12 * M[1][1],
    a21 * M[0][0] + a22 * M[1][0],
    a21 * M[0][1] + a22 * M[1][1],
  ];
}

/** σ_max of a row-major 2×2. */
export function sigmaMax(a: readonly number[]): number {
  const [a11, a12, a21, a22] = a;
  const e = eigSym(a11 * a11 + a21 * a21, a11 * a12 + a21 * a22, a12 * a12 + a22 * a22);
  return Math.sqrt(Math.max(e.values[0], 0));
}

/** √M of a 2×2 symmetric PSD [[a, b], [b, c]]: (M + √det I)/√(tr M + 2√det). */
export function sqrtm(a: number, b: number, c: number): [number, number, number] {
  const sd = Math.sqrt(Math.max(a * c - b * b, 0));
  const t = Math.sqrt(Math.max(a + c + 2 * sd, 0));
  if (t === 0) return [0, 0, 0];
  return [(a + sd) / t, b / t, (c + sd) / t];
}

/** Product of two symmetric 2×2 given as [a, b, c] = [[a, b], [b, c]] (the result need not be symmetric). */
export function mul2(x: readonly number[], y: readonly number[]): [[number, number], [number, number]] {
  return [
    [x[0] * y[0] + x[1] * y[1], x[0] * y[1] + x[1] * y[2]],
    [x[1] * y[0] + x[2] * y[1], x[1] * y[1] + x[2] * y[2]],
  ];
}

/** Inverse of a symmetric 2×2 [a, b, c]. */
export function inv2(a: number, b: number, c: number): [number, number, number] {
  const det = a * c - b * b;
  return [c / det, -b / det, a / det];
}

/** Central-difference gradient of a scalar function of a small vector. */
export function numGrad(f: (x: number[]) => number, x: readonly number[], h = 1e-6): number[] {
  return x.map((_, i) => {
    const p = [...x];
    const m = [...x];
    p[i] += h;
    m[i] -= h;
    return (f(p) - f(m)) / (2 * h);
  });
}
