/**
 * A few eigenvalues of a large real matrix A known only through products u ↦ Au (Jacobian- or
 * Hessian-vector products): restarted Arnoldi in the Krylov–Schur form (Stewart, "A Krylov–Schur algorithm
 * for large eigenproblems", SIAM J. Matrix Anal. Appl. 23(3), 2001), and, for a symmetric A, the same
 * iteration as thick-restart Lanczos with full reorthogonalisation (Wu & Simon, SIAM J. Matrix Anal. Appl.
 * 22(2), 2000). The method keeps a Krylov decomposition
 *
 *   A V_j = V_{j+1} H̄_j,   V_{j+1} orthonormal (n × (j+1)),  H̄_j ((j+1) × j),
 *
 * expands it to m columns by Arnoldi steps (each new vector orthogonalised against all of V twice, classical
 * Gram–Schmidt with DGKS reorthogonalisation), takes the Ritz pairs (θ, y) of H = H̄[:m, :m] (θ from
 * `eigenvalues()`, y by inverse iteration: src/analysis/ritz.ts), whose residuals are, exactly,
 *
 *   ‖A V y − θ V y‖₂ = |h̄_{m+1}ᵀ y|   (‖y‖ = 1, h̄_{m+1}ᵀ the last row of H̄),
 *
 * and restarts with the p most wanted Ritz vectors: with Y an orthonormal basis of their span (a complex pair
 * contributes Re y and Im y, so everything stays real), H Y = Y S for S = YᵀHY, hence
 *
 *   A (V_m Y) = (V_m Y) S + v_{m+1} (h̄_{m+1}ᵀ Y),
 *
 * a Krylov decomposition of size p that the next Arnoldi steps extend. The run stops when every wanted Ritz
 * pair has residual ≤ tol · ρ, ρ the largest |θ| (an estimate of ‖A‖), or after `maxRestarts`. ARPACK's
 * `eigs` (which = LM, LR, LI) and `eigsh` (BE) answer the same questions by implicit restarts.
 */
import { eigenvalues, modulus, type Complex } from "./spectrum.ts";
import { eigenvectorOf, orthonormalColumns, symmetricEigenpairs, type ComplexVector } from "./ritz.ts";

/** A real n×n matrix as products u ↦ Au (u is not modified; the result is a fresh array). */
export interface LinearOperator {
  readonly n: number;
  apply(u: Float64Array): Float64Array | Promise<Float64Array>;
}

/** Which end of the spectrum: largest |λ|, largest Re λ, or largest |Im λ| (ARPACK's LM, LR, LI). */
export type Which = "magnitude" | "real" | "imag";
export const WHICH: readonly Which[] = ["magnitude", "real", "imag"];

export interface KrylovOptions {
  /**
   * Krylov dimension m before a restart (default max(2k + 1, 20) for the largest |λ|, max(4k + 1, 40) for
   * the largest Re λ or |Im λ|, whose wanted eigenvalues may lie inside the spectrum's outline; at most n).
   */
  m?: number;
  /** Convergence: residual ≤ tol · ρ (default 1e-10). */
  tol?: number;
  /** Restarts before giving up (default 300). */
  maxRestarts?: number;
  /** Start vector (default: a fixed pseudo-random vector from `seed`). */
  start?: Float64Array;
  seed?: number;
  /** Also return the eigenvectors (Ritz vectors V y). */
  vectors?: boolean;
}

export interface Eigenpair {
  value: Complex;
  /** ‖Ax − λx‖₂ for the unit Ritz vector x (from the Krylov decomposition: |h̄_{m+1}ᵀ y|). */
  residual: number;
  converged: boolean;
  /** The unit Ritz vector x = V y (with `vectors`). */
  vector?: ComplexVector;
}

export interface KrylovRun {
  /** Products u ↦ Au used. */
  products: number;
  restarts: number;
  /** Krylov dimension m. */
  m: number;
  /** Every wanted pair converged. */
  converged: boolean;
  /** ρ, the largest |θ| of the last Ritz values (the scale `tol` is relative to). */
  scale: number;
  tol: number;
}

// ---------------------------------------------------------------- ordering

const key: Record<Which, (z: Complex) => number> = {
  magnitude: modulus,
  real: (z) => z.re,
  imag: (z) => Math.abs(z.im),
};

/** Most wanted first: by the key of `which`, ties (conjugate pairs) by +Im first, then by Re. */
export function compareWanted(which: Which): (a: Complex, b: Complex) => number {
  const k = key[which];
  return (a, b) => k(b) - k(a) || b.im - a.im || b.re - a.re;
}

/** The k most wanted of a list of eigenvalues (e.g. a dense spectrum), most wanted first. */
export function topK(values: readonly Complex[], k: number, which: Which): Complex[] {
  return [...values].sort(compareWanted(which)).slice(0, k);
}

// ---------------------------------------------------------------- small vector helpers

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
const norm2 = (a: Float64Array): number => Math.sqrt(dot(a, a));
function axpy(alpha: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] += alpha * x[i];
}

/** A reproducible vector of uniform(−1, 1) entries (xorshift32). */
export function pseudoRandom(n: number, seed = 1): Float64Array {
  let s = (seed * 2654435761) >>> 0 || 1;
  return Float64Array.from({ length: n }, () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2147483648 - 1;
  });
}

/** Orthogonalise w against V[0..count) in place, twice (DGKS); returns the coefficients. */
function orthogonalize(V: Float64Array[], count: number, w: Float64Array): number[] {
  const h = new Array<number>(count).fill(0);
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < count; i++) {
      const d = dot(V[i], w);
      h[i] += d;
      axpy(-d, V[i], w);
    }
  }
  return h;
}

/** Σ_l V_l · c_l. */
function combine(V: Float64Array[], c: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let l = 0; l < c.length; l++) if (c[l] !== 0) axpy(c[l], V[l], out);
  return out;
}

// ---------------------------------------------------------------- the iteration

/** How one kind of problem reads its projected matrix H. */
interface Projection {
  /** Ritz values of H and the order of preference (indices, most wanted first). */
  ritz(H: number[][]): { values: Complex[]; order: number[] };
  /** Unit Ritz vector y of H for values[i]. */
  vector(H: number[][], values: Complex[], i: number): ComplexVector;
  /** Number of wanted pairs (the first of `order`). */
  wanted: number;
}

interface Ritz {
  value: Complex;
  y: ComplexVector;
  residual: number;
}

/** The shared Krylov–Schur loop; returns the wanted Ritz pairs (in order of preference) and the run. */
async function krylovSchur(
  op: LinearOperator,
  proj: Projection,
  opts: KrylovOptions,
  mDefault: number,
): Promise<{ pairs: Ritz[]; run: KrylovRun; V: Float64Array[] }> {
  const n = op.n;
  const kw = proj.wanted;
  if (!Number.isInteger(kw) || kw < 1 || kw > n) {
    throw new RangeError(`krylov-schur: ${kw} eigenvalues asked of an operator of dimension ${n}`);
  }
  const m = Math.min(n, Math.max(opts.m ?? mDefault, kw + 2));
  const tol = opts.tol ?? 1e-10;
  const maxRestarts = opts.maxRestarts ?? 300;
  const V: Float64Array[] = [];
  const v0 = Float64Array.from(opts.start ?? pseudoRandom(n, opts.seed ?? 1));
  const nv0 = norm2(v0);
  if (!(nv0 > 0)) throw new RangeError("krylov-schur: the start vector is zero");
  V.push(v0.map((x) => x / nv0));
  let Hb: number[][] = Array.from({ length: m + 1 }, () => new Array<number>(m).fill(0));
  let j = 0;
  let products = 0;
  let restarts = 0;
  let extraSeed = (opts.seed ?? 1) + 1000;

  for (;;) {
    // expand A V_j = V_{j+1} H̄_j to j = m
    for (let c = j; c < m; c++) {
      const w = await op.apply(V[c]);
      products++;
      const w0 = norm2(w);
      const h = orthogonalize(V, c + 1, w);
      for (let i = 0; i <= c; i++) Hb[i][c] = h[i];
      let beta = norm2(w);
      if (c + 1 === n) {
        beta = 0; // the whole space: V is square, the residual is rounding
        V[c + 1] = new Float64Array(n);
      } else if (beta <= 1e-13 * w0 || beta === 0) {
        // an invariant subspace: continue with any unit vector orthogonal to V (coefficient 0 keeps the relation)
        beta = 0;
        let r = pseudoRandom(n, extraSeed++);
        orthogonalize(V, c + 1, r);
        const nr = norm2(r);
        r = r.map((x) => x / nr);
        V[c + 1] = r;
      } else {
        V[c + 1] = w.map((x) => x / beta);
      }
      Hb[c + 1][c] = beta;
    }
    j = m;
    const H = Hb.slice(0, m).map((row) => row.slice(0, m));
    const { values, order } = proj.ritz(H);
    const scale = values.reduce((s, z) => Math.max(s, modulus(z)), 0);
    const last = Hb[m];
    const ritzAt = (i: number): Ritz => {
      const y = proj.vector(H, values, i);
      const rr = dot(Float64Array.from(last), y.re);
      const ri = dot(Float64Array.from(last), y.im);
      return { value: values[i], y, residual: Math.hypot(rr, ri) };
    };
    const wanted = order.slice(0, kw).map(ritzAt);
    const converged = wanted.every((p) => p.residual <= tol * scale);
    if (converged || restarts >= maxRestarts || m === n) {
      return {
        pairs: wanted,
        run: { products, restarts, m, converged, scale, tol },
        V,
      };
    }
    // thick restart with the p most wanted Ritz vectors (a complex pair as Re y, Im y)
    let p = Math.min(m - 2, Math.max(kw + 1, Math.floor((m + kw) / 2)));
    const isPartner = (a: Complex, b: Complex): boolean =>
      a.im !== 0 &&
      Math.abs(a.re - b.re) <= 1e-10 * modulus(a) &&
      Math.abs(a.im + b.im) <= 1e-10 * modulus(a);
    if (p < order.length && p > 0 && isPartner(values[order[p - 1]], values[order[p]])) {
      p = p + 1 <= m - 1 ? p + 1 : p - 1;
    }
    const cols: Float64Array[] = [];
    for (const i of order.slice(0, p)) {
      const z = values[i];
      if (z.im < 0 && order.slice(0, p).some((o) => isPartner(values[o], z) && values[o].im > 0)) continue;
      const y = proj.vector(H, values, i);
      cols.push(y.re);
      if (z.im !== 0) cols.push(y.im);
    }
    const Y = orthonormalColumns(cols);
    const q = Y.length;
    const newV = Y.map((y) => combine(V, y, n));
    newV.push(V[m]);
    // S = Yᵀ H Y, b = h̄_{m+1}ᵀ Y
    const HY = Y.map((y) => H.map((row) => row.reduce((s, x, l) => s + x * y[l], 0)));
    const next: number[][] = Array.from({ length: m + 1 }, () => new Array<number>(m).fill(0));
    for (let a = 0; a < q; a++) {
      for (let b = 0; b < q; b++) next[a][b] = dot(Y[a], Float64Array.from(HY[b]));
    }
    for (let b = 0; b < q; b++) next[q][b] = dot(Float64Array.from(last), Y[b]);
    Hb = next;
    V.length = 0;
    V.push(...newV);
    j = q;
    restarts++;
  }
}

/** x = V_m y for a small complex y. */
function ritzVector(V: Float64Array[], y: ComplexVector, n: number): ComplexVector {
  return { re: combine(V, y.re, n), im: combine(V, y.im, n) };
}

/**
 * The k most wanted eigenvalues of a real (non-symmetric) A, most wanted first (conjugates +Im first), each
 * with its residual; Krylov–Schur restarted Arnoldi.
 */
export async function arnoldiEigs(
  op: LinearOperator,
  k: number,
  which: Which,
  opts: KrylovOptions = {},
): Promise<{ eigenpairs: Eigenpair[]; run: KrylovRun }> {
  const cmp = compareWanted(which);
  const proj: Projection = {
    wanted: k,
    ritz: (H) => {
      const values = eigenvalues(H);
      const order = values.map((_, i) => i).sort((a, b) => cmp(values[a], values[b]));
      return { values, order };
    },
    vector: (H, values, i) => {
      const z = values[i];
      if (z.im >= 0) return eigenvectorOf(H, z);
      const y = eigenvectorOf(H, { re: z.re, im: -z.im });
      return { re: y.re, im: y.im.map((x) => -x) };
    },
  };
  const mDefault = which === "magnitude" ? Math.max(2 * k + 1, 20) : Math.max(4 * k + 1, 40);
  const { pairs, run, V } = await krylovSchur(op, proj, opts, mDefault);
  const tolAbs = run.tol * run.scale;
  return {
    run,
    eigenpairs: pairs.map((p) => ({
      value: p.value,
      residual: p.residual,
      converged: p.residual <= tolAbs,
      ...(opts.vectors ? { vector: ritzVector(V, p.y, op.n) } : {}),
    })),
  };
}

export interface SymmetricEigenpair {
  value: number;
  residual: number;
  converged: boolean;
  vector?: Float64Array;
}

/**
 * The `top` largest and `bottom` smallest eigenvalues of a symmetric A (largest first; smallest first), each
 * with its residual; thick-restart Lanczos with full reorthogonalisation (ARPACK's `eigsh`, which = BE).
 */
export async function lanczosExtremes(
  op: LinearOperator,
  top: number,
  bottom: number,
  opts: KrylovOptions = {},
): Promise<{ top: SymmetricEigenpair[]; bottom: SymmetricEigenpair[]; run: KrylovRun }> {
  const n = op.n;
  if (top > n || bottom > n || top < 0 || bottom < 0 || top + bottom < 1) {
    throw new RangeError(
      `lanczos: top ${top} and bottom ${bottom} eigenvalues of an operator of dimension ${n}`,
    );
  }
  const kw = Math.min(n, top + bottom);
  let cache: { H: number[][]; vectors: Float64Array[] } | null = null;
  /** Preference order: the top and bottom wanted, then alternately the next largest and next smallest. */
  const orderOf = (vals: number[]): number[] => {
    const desc = vals.map((_, i) => i).sort((a, b) => vals[b] - vals[a]);
    const asc = [...desc].reverse();
    const out: number[] = [];
    const seen = new Set<number>();
    const add = (i: number): void => {
      if (!seen.has(i)) {
        seen.add(i);
        out.push(i);
      }
    };
    desc.slice(0, top).forEach(add);
    asc.slice(0, bottom).forEach(add);
    for (let t = 0; out.length < vals.length; t++) {
      if (t + top < desc.length) add(desc[t + top]);
      if (t + bottom < asc.length) add(asc[t + bottom]);
    }
    return out;
  };
  const proj: Projection = {
    wanted: kw,
    ritz: (H) => {
      const { values, vectors } = symmetricEigenpairs(H);
      cache = { H, vectors };
      return { values: values.map((re) => ({ re, im: 0 })), order: orderOf(values) };
    },
    vector: (H, _values, i) => {
      if (cache?.H !== H) throw new Error("lanczos: stale Ritz vectors");
      const y = cache.vectors[i];
      return { re: y, im: new Float64Array(y.length) };
    },
  };
  const { pairs, run, V } = await krylovSchur(op, proj, opts, Math.max(2 * kw + 1, 20));
  const tolAbs = run.tol * run.scale;
  const pairsOut: SymmetricEigenpair[] = pairs.map((p) => ({
    value: p.value.re,
    residual: p.residual,
    converged: p.residual <= tolAbs,
    ...(opts.vectors ? { vector: combine(V, p.y.re, n) } : {}),
  }));
  const desc = [...pairsOut].sort((a, b) => b.value - a.value);
  return { top: desc.slice(0, top), bottom: [...desc].reverse().slice(0, bottom), run };
}

/** ‖Ax − λx‖₂ / ‖x‖₂ from products (two for a complex x): the residual checked independently of the method. */
export async function trueResidual(op: LinearOperator, lambda: Complex, x: ComplexVector): Promise<number> {
  const ar = await op.apply(x.re);
  const complex = lambda.im !== 0 || x.im.some((v) => v !== 0);
  const ai = complex ? await op.apply(x.im) : new Float64Array(op.n);
  let s = 0;
  let nx = 0;
  for (let i = 0; i < op.n; i++) {
    const rr = ar[i] - (lambda.re * x.re[i] - lambda.im * x.im[i]);
    const ri = ai[i] - (lambda.re * x.im[i] + lambda.im * x.re[i]);
    s += rr * rr + ri * ri;
    nx += x.re[i] ** 2 + x.im[i] ** 2;
  }
  return Math.sqrt(s / nx);
}
