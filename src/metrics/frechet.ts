/**
 * The Fréchet distance between two Gaussians fitted to feature vectors (Heusel et al. 2017, "FID"):
 *
 *   d² = ‖μ₁ − μ₂‖² + Tr(Σ₁) + Tr(Σ₂) − 2 Tr((Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2}).
 *
 * Tr((Σ₁Σ₂)^{1/2}) is computed through the symmetric positive semi-definite matrix Σ₁^{1/2} Σ₂ Σ₁^{1/2}
 * (same eigenvalues as Σ₁Σ₂), so both square roots are symmetric eigen-decompositions (ml-matrix) with tiny
 * negative round-off eigenvalues clamped to 0 — no complex parts to discard, unlike scipy's sqrtm of the
 * non-symmetric product.
 */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";

/** (M + Mᵀ)/2 as a new matrix (M untouched). */
function symmetrized(m: Matrix): Matrix {
  return Matrix.add(m, m.transpose()).div(2);
}

/** The symmetric PSD square root S^{1/2} = V diag(√max(λ, 0)) Vᵀ of a symmetric matrix (symmetrised first). */
export function sqrtmSym(a: number[][] | Matrix): Matrix {
  // ml-matrix's add / div / mulRowVector work in place: copy first, never touch the caller's matrix
  const m = Matrix.isMatrix(a) ? (a as Matrix) : new Matrix(a as number[][]);
  const e = new EigenvalueDecomposition(symmetrized(m), { assumeSymmetric: true });
  const V = e.eigenvectorMatrix;
  const d = e.realEigenvalues.map((l) => Math.sqrt(Math.max(l, 0)));
  return V.clone().mulRowVector(d).mmul(V.transpose());
}

/** Mean and (unbiased, n − 1) covariance of n feature rows of length d, given flat row-major. */
export function meanCov(flat: ArrayLike<number>, n: number, d: number): { mean: number[]; cov: number[][] } {
  if (n < 2) throw new Error(`meanCov: need at least 2 rows, got ${n}`);
  const mean = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += flat[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const c = new Matrix(n, d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) c.set(i, j, flat[i * d + j] - mean[j]);
  const cov = c
    .transpose()
    .mmul(c)
    .div(n - 1);
  return { mean, cov: cov.to2DArray() };
}

export interface Gaussian {
  mean: number[];
  cov: number[][];
}

/** The Fréchet distance d² between N(μ₁, Σ₁) and N(μ₂, Σ₂) (the formula above). */
export function frechetDistance(a: Gaussian, b: Gaussian): number {
  const d = a.mean.length;
  if (b.mean.length !== d) throw new Error(`frechetDistance: dimensions ${d} and ${b.mean.length}`);
  let diff = 0;
  for (let j = 0; j < d; j++) diff += (a.mean[j] - b.mean[j]) ** 2;
  const s1 = new Matrix(a.cov);
  const s2 = new Matrix(b.cov);
  const r1 = sqrtmSym(s1);
  const inner = r1.mmul(s2).mmul(r1);
  const e = new EigenvalueDecomposition(symmetrized(inner), { assumeSymmetric: true });
  const trSqrt = e.realEigenvalues.reduce((acc, l) => acc + Math.sqrt(Math.max(l, 0)), 0);
  return Math.max(0, diff + s1.trace() + s2.trace() - 2 * trSqrt);
}
