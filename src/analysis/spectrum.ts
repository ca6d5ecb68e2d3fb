/**
 * Complex spectra of real, non-symmetric matrices (game Jacobians ∇v and update operators ∇F_η).
 *
 * Mitliagkas, "Some results on GAN dynamics" (Theorem 1, Prop. 4.4.1 of Bertsekas 1999): if
 *   ρ_max := ρ(∇F_η(ω*)) = max_i |λ_i(∇F_η(ω*))| < 1
 * then ω_t → ω* locally at the linear rate O((ρ_max + ε)^t). jax-js only has the symmetric `eigh`, so the
 * non-symmetric eigenproblem is solved by ./eigensolver.ts (balancing, Hessenberg, Francis double-shift QR
 * with an iteration cap); the symmetric part's by ml-matrix's EigenvalueDecomposition (tridiagonal QL).
 */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { eigenvaluesOf } from "./eigensolver.ts";

export interface Complex {
  re: number;
  im: number;
}

/** |z|. */
export const modulus = (z: Complex): number => Math.hypot(z.re, z.im);

/**
 * All n eigenvalues of a real n×n matrix (complex pairs come as conjugates), unsorted. Throws a
 * NumericalError (EigenConvergenceError) on a non-finite entry or if the QR iteration does not converge.
 */
export function eigenvalues(m: readonly (readonly number[])[]): Complex[] {
  return eigenvaluesOf(m);
}

/** ρ(M) = max |λ_i(M)| (0 for an empty matrix). */
export function spectralRadius(m: readonly (readonly number[])[]): number {
  return eigenvalues(m).reduce((r, z) => Math.max(r, modulus(z)), 0);
}

/** Sorted by decreasing modulus, ties by decreasing real part, then decreasing imaginary part (a copy). */
export function sortByModulus(zs: readonly Complex[]): Complex[] {
  return [...zs].sort((a, b) => modulus(b) - modulus(a) || b.re - a.re || b.im - a.im);
}

/** Sorted by decreasing real part, ties by decreasing imaginary part (a copy). */
export function sortByRealPart(zs: readonly Complex[]): Complex[] {
  return [...zs].sort((a, b) => b.re - a.re || b.im - a.im);
}

/** Sorted lexicographically by (re, im) ascending (a copy): a canonical order for comparing spectra. */
export function sortLexicographic(zs: readonly Complex[]): Complex[] {
  return [...zs].sort((a, b) => a.re - b.re || a.im - b.im);
}

/** Entries of magnitude below `tol` set to exactly 0 (e.g. −1e-17 → 0), for display and comparison. */
export function cleanComplex(z: Complex, tol = 1e-12): Complex {
  return { re: Math.abs(z.re) < tol ? 0 : z.re, im: Math.abs(z.im) < tol ? 0 : z.im };
}

/** "a ± bi"-style text of one eigenvalue, e.g. "-0.15 + 0.477i". */
export function formatComplex(z: Complex, digits = 4): string {
  const c = cleanComplex(z);
  const re = Number(c.re.toPrecision(digits));
  const im = Number(c.im.toPrecision(digits));
  if (im === 0) return `${re}`;
  const sign = im < 0 ? "-" : "+";
  return `${re} ${sign} ${Math.abs(im)}i`;
}

/** The eigenvalues of −M (Mescheder's "gradient flow" convention, ω̇ = −v(ω)). */
export const negate = (zs: readonly Complex[]): Complex[] => zs.map((z) => ({ re: -z.re, im: -z.im }));

/** Symmetric part ½(M + Mᵀ). */
export function symmetricPart(m: readonly (readonly number[])[]): number[][] {
  return m.map((row, i) => row.map((x, j) => (x + m[j][i]) / 2));
}

/** Eigenvalues of the symmetric part ½(M + Mᵀ), ascending (real). */
export function symmetricEigenvalues(m: readonly (readonly number[])[]): number[] {
  if (m.length === 0) return [];
  const evd = new EigenvalueDecomposition(new Matrix(symmetricPart(m)), { assumeSymmetric: true });
  return [...evd.realEigenvalues].sort((a, b) => a - b);
}
