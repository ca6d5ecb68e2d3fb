/**
 * Eigenvectors of a small dense real matrix H (the m×m projected matrix of a Krylov method, m ≲ 100), for Ritz
 * vectors: the eigenvalues come from `eigenvalues()` (src/analysis/spectrum.ts), each eigenvector from inverse
 * iteration (Wilkinson; Golub & Van Loan, Matrix Computations, §7.6.1),
 *
 *   (H − λI) z_{t+1} = y_t,   y_{t+1} = z_{t+1} / ‖z_{t+1}‖,
 *
 * in complex arithmetic with Gaussian elimination and partial pivoting. With λ a computed eigenvalue the
 * matrix is singular to working precision, and one or two solves make the residual ‖Hy − λy‖ of the order of
 * ε‖H‖ (a zero pivot is replaced by ε‖H‖). A symmetric H uses ml-matrix's symmetric eigendecomposition
 * instead, whose eigenvectors are orthonormal even for clustered eigenvalues.
 */
import { EigenvalueDecomposition, Matrix as MlMatrix } from "ml-matrix";
import type { Complex } from "./spectrum.ts";

/** A complex vector as its real and imaginary parts. */
export interface ComplexVector {
  re: Float64Array;
  im: Float64Array;
}

const EPS = 2.220446049250313e-16;

/** max_i Σ_j |h_ij| (the ∞-norm). */
export function infNorm(h: readonly (readonly number[])[]): number {
  return h.reduce(
    (m, row) =>
      Math.max(
        m,
        row.reduce((s, x) => s + Math.abs(x), 0),
      ),
    0,
  );
}

/**
 * A unit eigenvector of H for its eigenvalue λ by inverse iteration; the entry of largest modulus is made real
 * and positive (a real λ of a real H gives a real vector).
 */
export function eigenvectorOf(
  h: readonly (readonly number[])[],
  lambda: Complex,
  iterations = 2,
): ComplexVector {
  const m = h.length;
  const floor = EPS * Math.max(infNorm(h), Number.MIN_VALUE);
  // LU of A = H − λI with row pivoting, in place (ar + i·ai)
  const ar = h.map((row, i) => row.map((x, j) => (i === j ? x - lambda.re : x)));
  const ai = h.map((row, i) => row.map((_, j) => (i === j ? -lambda.im : 0)));
  const perm = Array.from({ length: m }, (_, i) => i);
  for (let c = 0; c < m; c++) {
    let p = c;
    for (let r = c + 1; r < m; r++) {
      if (Math.hypot(ar[r][c], ai[r][c]) > Math.hypot(ar[p][c], ai[p][c])) p = r;
    }
    if (p !== c) {
      [ar[p], ar[c]] = [ar[c], ar[p]];
      [ai[p], ai[c]] = [ai[c], ai[p]];
      [perm[p], perm[c]] = [perm[c], perm[p]];
    }
    if (Math.hypot(ar[c][c], ai[c][c]) < floor) {
      ar[c][c] = floor;
      ai[c][c] = 0;
    }
    const dr = ar[c][c];
    const di = ai[c][c];
    const d2 = dr * dr + di * di;
    for (let r = c + 1; r < m; r++) {
      // l = a[r][c] / a[c][c]
      const lr = (ar[r][c] * dr + ai[r][c] * di) / d2;
      const li = (ai[r][c] * dr - ar[r][c] * di) / d2;
      ar[r][c] = lr;
      ai[r][c] = li;
      for (let j = c + 1; j < m; j++) {
        ar[r][j] -= lr * ar[c][j] - li * ai[c][j];
        ai[r][j] -= lr * ai[c][j] + li * ar[c][j];
      }
    }
  }
  // a fixed start with no special structure
  let yr = Float64Array.from({ length: m }, (_, i) => 1 + 0.5 * Math.sin(1.7 * i + 0.3));
  let yi = new Float64Array(m);
  for (let t = 0; t < iterations; t++) {
    // forward substitution L z = P y (L unit lower), then back substitution U x = z
    const zr = Float64Array.from(perm, (p) => yr[p]);
    const zi = Float64Array.from(perm, (p) => yi[p]);
    for (let r = 1; r < m; r++) {
      for (let j = 0; j < r; j++) {
        zr[r] -= ar[r][j] * zr[j] - ai[r][j] * zi[j];
        zi[r] -= ar[r][j] * zi[j] + ai[r][j] * zr[j];
      }
    }
    for (let r = m - 1; r >= 0; r--) {
      let sr = zr[r];
      let si = zi[r];
      for (let j = r + 1; j < m; j++) {
        sr -= ar[r][j] * zr[j] - ai[r][j] * zi[j];
        si -= ar[r][j] * zi[j] + ai[r][j] * zr[j];
      }
      const dr = ar[r][r];
      const di = ai[r][r];
      const d2 = dr * dr + di * di;
      zr[r] = (sr * dr + si * di) / d2;
      zi[r] = (si * dr - sr * di) / d2;
    }
    const scale = Math.max(...zr.map((x, i) => Math.hypot(x, zi[i])));
    yr = zr.map((x) => x / scale);
    yi = zi.map((x) => x / scale);
  }
  return normalizePhase({ re: yr, im: yi });
}

/** y / ‖y‖₂ times the phase that makes its largest-modulus entry real and positive. */
function normalizePhase(y: ComplexVector): ComplexVector {
  let big = 0;
  for (let i = 1; i < y.re.length; i++) {
    if (Math.hypot(y.re[i], y.im[i]) > Math.hypot(y.re[big], y.im[big])) big = i;
  }
  const pr = y.re[big];
  const pi = y.im[big];
  const pm = Math.hypot(pr, pi);
  let norm = 0;
  for (let i = 0; i < y.re.length; i++) norm += y.re[i] ** 2 + y.im[i] ** 2;
  const s = 1 / (Math.sqrt(norm) * pm);
  // multiply by conj(p)/|p| / ‖y‖
  const re = y.re.map((x, i) => (x * pr + y.im[i] * pi) * s);
  const im = y.im.map((x, i) => (y.im[i] * pr - y.re[i] * pi) * s);
  if (y.re.length > 0) im[big] = 0;
  return { re, im };
}

/** ‖Hy − λy‖₂ for a complex vector y. */
export function eigenResidual(h: readonly (readonly number[])[], lambda: Complex, y: ComplexVector): number {
  let s = 0;
  for (let i = 0; i < h.length; i++) {
    let rr = 0;
    let ri = 0;
    for (let j = 0; j < h.length; j++) {
      rr += h[i][j] * y.re[j];
      ri += h[i][j] * y.im[j];
    }
    rr -= lambda.re * y.re[i] - lambda.im * y.im[i];
    ri -= lambda.re * y.im[i] + lambda.im * y.re[i];
    s += rr * rr + ri * ri;
  }
  return Math.sqrt(s);
}

/** All eigenpairs of a symmetric matrix (its symmetric part ½(H + Hᵀ) is used), eigenvectors orthonormal. */
export function symmetricEigenpairs(h: readonly (readonly number[])[]): {
  values: number[];
  vectors: Float64Array[];
} {
  const m = h.length;
  if (m === 0) return { values: [], vectors: [] };
  const sym = h.map((row, i) => row.map((x, j) => (x + h[j][i]) / 2));
  const evd = new EigenvalueDecomposition(new MlMatrix(sym), { assumeSymmetric: true });
  const V = evd.eigenvectorMatrix;
  const values = [...evd.realEigenvalues];
  const vectors = values.map((_, c) => Float64Array.from({ length: m }, (_, r) => V.get(r, c)));
  return { values, vectors };
}

/**
 * An orthonormal basis of the span of `cols` (two passes of modified Gram–Schmidt); a column whose norm
 * falls below `dropTol` times its original norm after orthogonalisation is dependent and dropped.
 */
export function orthonormalColumns(cols: readonly Float64Array[], dropTol = 1e-10): Float64Array[] {
  const out: Float64Array[] = [];
  for (const c of cols) {
    const v = Float64Array.from(c);
    const n0 = Math.hypot(...v);
    if (n0 === 0) continue;
    for (let pass = 0; pass < 2; pass++) {
      for (const q of out) {
        let d = 0;
        for (let i = 0; i < v.length; i++) d += q[i] * v[i];
        for (let i = 0; i < v.length; i++) v[i] -= d * q[i];
      }
    }
    const n1 = Math.hypot(...v);
    if (n1 <= dropTol * n0) continue;
    for (let i = 0; i < v.length; i++) v[i] /= n1;
    out.push(v);
  }
  return out;
}
