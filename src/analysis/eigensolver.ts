/**
 * Eigenvalues and eigenvectors of a real, non-symmetric n×n matrix A, by the standard dense pipeline
 * (LAPACK dgeev; Golub & Van Loan, Matrix Computations 4th ed., §7.4–7.6):
 *
 *   1. balance     B = D⁻¹AD, D = diag of powers of 2 that make each row and column of B about equally
 *                  large (LAPACK dgebal, job 'S'; Parlett & Reinsch 1969): same eigenvalues, smaller ‖B‖;
 *   2. Hessenberg  B = Q H Qᵀ by n − 2 Householder reflections (Alg. 7.4.2; dgehd2);
 *   3. Schur       H = Z T Zᵀ by Francis double-shift QR steps (Alg. 7.5.2; LAPACK dlahqr, EISPACK hqr):
 *                  deflate when a subdiagonal h_{k,k−1} is negligible (Ahues & Tisseur's test), split each
 *                  2×2 diagonal block into its standard form (dlanv2), take an exceptional shift after
 *                  every 10 steps without a deflation, and stop after 30·max(10, n) steps on one
 *                  eigenvalue with `EigenConvergenceError` (never a hang);
 *   4. vectors     back-substitution on the quasi-triangular T (dtrevc), then v = D·Q·Z·x, ‖v‖₂ = 1.
 *
 * T is real quasi-upper-triangular: its 1×1 blocks are the real eigenvalues, its 2×2 blocks [[a, b], [c, a]]
 * (bc < 0) the complex pairs a ± i√(−bc). Eigenvalues come in Schur order, a complex pair as (λ, λ̄) with
 * Im λ > 0 first. Written here because ml-matrix's EigenvalueDecomposition (a JAMA port) has no balancing and no
 * iteration cap, and skips the QR step whenever the shift h_nn is exactly 0, so it loops forever on, e.g.,
 * the skew-symmetric Jacobian [[0, A], [−Aᵀ, 0]] of a bilinear game.
 */
import { NumericalError } from "../engine/errors.ts";
import type { Complex } from "./spectrum.ts";

/** The QR iteration did not converge within its step budget (the message names n and the eigenvalue). */
export class EigenConvergenceError extends NumericalError {
  constructor(message: string) {
    super(message);
    this.name = "EigenConvergenceError";
  }
}

export interface Eigen {
  /** The n eigenvalues in Schur order; a complex pair as (λ, λ̄), Im λ > 0 first. */
  values: Complex[];
  /** vectors[k] is a unit eigenvector (2-norm) of values[k], n complex entries: A·v = λ·v. */
  vectors: Complex[][];
}

export interface EigOptions {
  /** QR steps allowed on one eigenvalue before EigenConvergenceError (default 30·max(10, n), as dlahqr). */
  maxSteps?: number;
}

type Rows = Float64Array[];

const EPS = Number.EPSILON; // LAPACK's ulp for base 2 double precision (2⁻⁵²)
const SAFMIN = 2 ** -1022;
/** Largest number of balancing sweeps; dgebal converges in a handful, this only bounds a pathological input. */
const MAX_BALANCE_SWEEPS = 100;
/** Steps without a deflation between exceptional shifts (dlahqr's KEXSH). */
const EXCEPTIONAL_EVERY = 10;

// ---------------------------------------------------------------- 1. balancing (dgebal, scaling only)

/**
 * Scales B ← D⁻¹BD in place, D = diag(scale) of powers of 2, until no row/column pair's 2-norms c + r drop
 * below 0.95 of their sum by a further factor of 2. Returns `scale`.
 */
function balance(b: Rows): Float64Array {
  const n = b.length;
  const scale = new Float64Array(n).fill(1);
  const sfmin1 = SAFMIN / (2 * EPS);
  const sfmax1 = 1 / sfmin1;
  const sfmin2 = sfmin1 * 2;
  const sfmax2 = 1 / sfmin2;
  for (let sweep = 0, changed = true; changed && sweep < MAX_BALANCE_SWEEPS; sweep++) {
    changed = false;
    for (let i = 0; i < n; i++) {
      let c = 0;
      let r = 0;
      let ca = 0;
      let ra = 0;
      for (let k = 0; k < n; k++) {
        c = Math.hypot(c, b[k][i]);
        r = Math.hypot(r, b[i][k]);
        ca = Math.max(ca, Math.abs(b[k][i]));
        ra = Math.max(ra, Math.abs(b[i][k]));
      }
      if (c === 0 || r === 0) continue;
      const s = c + r;
      let f = 1;
      let g = r / 2;
      while (c < g && Math.max(f, c, ca) < sfmax2 && Math.min(r, g, ra) > sfmin2) {
        f *= 2;
        c *= 2;
        ca *= 2;
        r /= 2;
        g /= 2;
        ra /= 2;
      }
      g = c / 2;
      while (g >= r && Math.max(r, ra) < sfmax2 && Math.min(f, c, g, ca) > sfmin2) {
        f /= 2;
        c /= 2;
        g /= 2;
        ca /= 2;
        r *= 2;
        ra *= 2;
      }
      if (c + r >= 0.95 * s) continue;
      if (f < 1 && scale[i] < 1 && f * scale[i] <= sfmin1) continue;
      if (f > 1 && scale[i] > 1 && scale[i] >= sfmax1 / f) continue;
      scale[i] *= f;
      changed = true;
      for (let k = 0; k < n; k++) b[i][k] /= f;
      for (let k = 0; k < n; k++) b[k][i] *= f;
    }
  }
  return scale;
}

// ---------------------------------------------------------------- 2. Householder reflections, Hessenberg form

/**
 * The reflector P = I − τ·[1; v][1; v]ᵀ with P·[α; x] = [β; 0] (LAPACK dlarfg). Overwrites x with v and
 * returns [β, τ]; τ = 0 (P = I) when x = 0.
 */
function reflector(alpha: number, x: number[]): [number, number] {
  let xnorm = 0;
  for (const xi of x) xnorm = Math.hypot(xnorm, xi);
  if (xnorm === 0) return [alpha, 0];
  const h = Math.hypot(alpha, xnorm);
  const beta = alpha >= 0 ? -h : h;
  const inv = 1 / (alpha - beta);
  for (let i = 0; i < x.length; i++) x[i] *= inv;
  return [beta, (beta - alpha) / beta];
}

/** H ← QᵀHQ upper Hessenberg in place (Golub & Van Loan Alg. 7.4.2); returns Q (orthogonal) if asked. */
function hessenberg(h: Rows, wantQ: boolean): Rows | null {
  const n = h.length;
  const q = wantQ ? identity(n) : null;
  for (let k = 0; k < n - 2; k++) {
    const v = [];
    for (let i = k + 2; i < n; i++) v.push(h[i][k]);
    const [beta, tau] = reflector(h[k + 1][k], v);
    if (tau === 0) continue;
    const u = [1, ...v]; // acts on rows/columns k+1 … n−1
    h[k + 1][k] = beta;
    for (let i = k + 2; i < n; i++) h[i][k] = 0;
    for (let j = k + 1; j < n; j++) {
      let s = 0;
      for (let i = 0; i < u.length; i++) s += u[i] * h[k + 1 + i][j];
      s *= tau;
      for (let i = 0; i < u.length; i++) h[k + 1 + i][j] -= s * u[i];
    }
    for (const rows of q ? [h, q] : [h]) {
      for (let r = 0; r < n; r++) {
        const row = rows[r];
        let s = 0;
        for (let i = 0; i < u.length; i++) s += row[k + 1 + i] * u[i];
        s *= tau;
        for (let i = 0; i < u.length; i++) row[k + 1 + i] -= s * u[i];
      }
    }
  }
  return q;
}

// ---------------------------------------------------------------- 3. Francis double-shift QR (dlahqr)

interface Block {
  /** The standardised block [[a, b], [c, d]]: c = 0 (two real eigenvalues a, d) or a = d, bc < 0 (a ± i√(−bc)). */
  a: number;
  b: number;
  c: number;
  d: number;
  /** Rotation [[cs, −sn], [sn, cs]] with old block = R · new block · Rᵀ. */
  cs: number;
  sn: number;
}

const sign = (x: number): number => (x >= 0 ? 1 : -1);

/** The Schur factorisation of one real 2×2 block in standard form (LAPACK dlanv2). */
function standardize2x2(a: number, b: number, c: number, d: number): Block {
  if (c === 0) return { a, b, c, d, cs: 1, sn: 0 };
  if (b === 0) return { a: d, b: -c, c: 0, d: a, cs: 0, sn: 1 };
  if (a - d === 0 && sign(b) !== sign(c)) return { a, b, c, d, cs: 1, sn: 0 };
  const temp = a - d;
  let p = temp / 2;
  const bcmax = Math.max(Math.abs(b), Math.abs(c));
  const bcmis = Math.min(Math.abs(b), Math.abs(c)) * sign(b) * sign(c);
  const scale = Math.max(Math.abs(p), bcmax);
  let z = (p / scale) * p + (bcmax / scale) * bcmis;
  if (z >= 4 * EPS) {
    // real eigenvalues: triangularise
    z = p + sign(p) * Math.sqrt(scale) * Math.sqrt(z);
    const tau = Math.hypot(c, z);
    return { a: d + z, b: b - c, c: 0, d: d - (bcmax / z) * bcmis, cs: z / tau, sn: c / tau };
  }
  // complex or nearly equal real eigenvalues: make the diagonal equal
  const sigma = b + c;
  const tau = Math.hypot(sigma, temp);
  let cs = Math.sqrt(0.5 * (1 + Math.abs(sigma) / tau));
  let sn = -(p / (tau * cs)) * sign(sigma);
  const aa = a * cs + b * sn;
  const bb = -a * sn + b * cs;
  const cc = c * cs + d * sn;
  const dd = -c * sn + d * cs;
  b = bb * cs + dd * sn;
  c = -aa * sn + cc * cs;
  const mid = (aa * cs + cc * sn + (-bb * sn + dd * cs)) / 2;
  a = mid;
  d = mid;
  if (c !== 0) {
    if (b !== 0) {
      if (sign(b) === sign(c)) {
        // real after all: triangularise
        const sab = Math.sqrt(Math.abs(b));
        const sac = Math.sqrt(Math.abs(c));
        p = sign(c) * sab * sac;
        const t = 1 / Math.sqrt(Math.abs(b + c));
        a = mid + p;
        d = mid - p;
        b -= c;
        c = 0;
        const cs1 = sab * t;
        const sn1 = sac * t;
        const cs2 = cs * cs1 - sn * sn1;
        sn = cs * sn1 + sn * cs1;
        cs = cs2;
      }
    } else {
      b = -c;
      c = 0;
      const t = cs;
      cs = -sn;
      sn = t;
    }
  }
  return { a, b, c, d, cs, sn };
}

/** row[k…k+nr−1] ← row·(I − t₁·u·uᵀ), u = [1, v₂, v₃] (nr = 3) or [1, v₂] (nr = 2), t₂ = t₁v₂, t₃ = t₁v₃. */
function reflectRow(
  row: Float64Array,
  k: number,
  nr: number,
  v2: number,
  v3: number,
  t1: number,
  t2: number,
  t3: number,
): void {
  if (nr === 3) {
    const sum = row[k] + v2 * row[k + 1] + v3 * row[k + 2];
    row[k] -= sum * t1;
    row[k + 1] -= sum * t2;
    row[k + 2] -= sum * t3;
  } else {
    const sum = row[k] + v2 * row[k + 1];
    row[k] -= sum * t1;
    row[k + 1] -= sum * t2;
  }
}

/**
 * Reduces the upper Hessenberg H to real Schur form T = ZᵀHZ in place, accumulating the rotations into
 * `z` (z ← z·Z); with z = null, only the diagonal blocks are exact (enough for the eigenvalues). Returns the eigenvalues (wr, wi) in Schur order. Throws EigenConvergenceError when one
 * eigenvalue takes more than 30·max(10, n) steps.
 */
function schur(h: Rows, z: Rows | null, maxSteps?: number): { wr: Float64Array; wi: Float64Array } {
  const wantT = z !== null; // else only the eigenvalues: update just the active block (dlahqr's WANTT)
  const n = h.length;
  const wr = new Float64Array(n);
  const wi = new Float64Array(n);
  const smlnum = SAFMIN * (n / EPS);
  const itmax = maxSteps ?? 30 * Math.max(10, n);
  const rowRot = (r1: number, r2: number, from: number, cs: number, sn: number): void => {
    for (let j = from; j < n; j++) {
      const x = h[r1][j];
      const y = h[r2][j];
      h[r1][j] = cs * x + sn * y;
      h[r2][j] = cs * y - sn * x;
    }
  };
  const colRot = (m: Rows, c1: number, c2: number, to: number, cs: number, sn: number): void => {
    for (let i = 0; i < to; i++) {
      const x = m[i][c1];
      const y = m[i][c2];
      m[i][c1] = cs * x + sn * y;
      m[i][c2] = cs * y - sn * x;
    }
  };
  let kdefl = 0;
  let i = n - 1;
  while (i >= 0) {
    let l = 0;
    let split = false;
    for (let its = 0; its <= itmax; its++) {
      // find the lowest negligible subdiagonal h[k][k−1] in the active block l … i
      let k = i;
      for (; k > l; k--) {
        const hk = Math.abs(h[k][k - 1]);
        if (hk <= smlnum) break;
        let tst = Math.abs(h[k - 1][k - 1]) + Math.abs(h[k][k]);
        if (tst === 0) {
          if (k - 2 >= 0) tst += Math.abs(h[k - 1][k - 2]);
          if (k + 1 < n) tst += Math.abs(h[k + 1][k]);
        }
        if (hk <= EPS * tst) {
          // Ahues & Tisseur (LAWN 122): a more accurate test for a small subdiagonal
          const ab = Math.max(hk, Math.abs(h[k - 1][k]));
          const ba = Math.min(hk, Math.abs(h[k - 1][k]));
          const diff = Math.abs(h[k - 1][k - 1] - h[k][k]);
          const aa = Math.max(Math.abs(h[k][k]), diff);
          const bb = Math.min(Math.abs(h[k][k]), diff);
          const s = aa + ab;
          if (ba * (ab / s) <= Math.max(smlnum, EPS * (bb * (aa / s)))) break;
        }
      }
      l = k;
      if (l > 0) h[l][l - 1] = 0;
      if (l >= i - 1) {
        split = true;
        break;
      }
      kdefl++;
      // the two shifts: eigenvalues of the trailing 2×2 block, or an exceptional pair
      let h11: number, h12: number, h21: number, h22: number;
      if (kdefl % (2 * EXCEPTIONAL_EVERY) === 0) {
        const s = Math.abs(h[i][i - 1]) + Math.abs(h[i - 1][i - 2]);
        h11 = 0.75 * s + h[i][i];
        h12 = -0.4375 * s;
        h21 = s;
        h22 = h11;
      } else if (kdefl % EXCEPTIONAL_EVERY === 0) {
        const s = Math.abs(h[l + 1][l]) + Math.abs(h[l + 2][l + 1]);
        h11 = 0.75 * s + h[l][l];
        h12 = -0.4375 * s;
        h21 = s;
        h22 = h11;
      } else {
        h11 = h[i - 1][i - 1];
        h21 = h[i][i - 1];
        h12 = h[i - 1][i];
        h22 = h[i][i];
      }
      let rt1r = 0;
      let rt1i = 0;
      let rt2r = 0;
      let rt2i = 0;
      const s = Math.abs(h11) + Math.abs(h12) + Math.abs(h21) + Math.abs(h22);
      if (s !== 0) {
        h11 /= s;
        h21 /= s;
        h12 /= s;
        h22 /= s;
        const tr = (h11 + h22) / 2;
        const det = (h11 - tr) * (h22 - tr) - h12 * h21;
        const rtdisc = Math.sqrt(Math.abs(det));
        if (det >= 0) {
          rt1r = tr * s;
          rt2r = rt1r;
          rt1i = rtdisc * s;
          rt2i = -rt1i;
        } else {
          // two real shifts: use the one closer to h22 twice
          const r1 = tr + rtdisc;
          const r2 = tr - rtdisc;
          rt1r = (Math.abs(r1 - h22) <= Math.abs(r2 - h22) ? r1 : r2) * s;
          rt2r = rt1r;
        }
      }
      // start the bulge at the lowest m where two consecutive subdiagonals are small enough
      const v = [0, 0, 0];
      let m = i - 2;
      for (; m >= l; m--) {
        const sc = Math.abs(h[m][m] - rt2r) + Math.abs(rt2i) + Math.abs(h[m + 1][m]);
        const h21s = h[m + 1][m] / sc;
        v[0] = h21s * h[m][m + 1] + (h[m][m] - rt1r) * ((h[m][m] - rt2r) / sc) - rt1i * (rt2i / sc);
        v[1] = h21s * (h[m][m] + h[m + 1][m + 1] - rt1r - rt2r);
        v[2] = h21s * h[m + 2][m + 1];
        const sv = Math.abs(v[0]) + Math.abs(v[1]) + Math.abs(v[2]);
        v[0] /= sv;
        v[1] /= sv;
        v[2] /= sv;
        if (m === l) break;
        const h00 = Math.abs(h[m][m - 1]) * (Math.abs(v[1]) + Math.abs(v[2]));
        const h01 =
          Math.abs(v[0]) * (Math.abs(h[m - 1][m - 1]) + Math.abs(h[m][m]) + Math.abs(h[m + 1][m + 1]));
        if (h00 <= EPS * h01) break;
      }
      // chase the bulge down with 3×3 (last: 2×2) reflectors
      for (let k2 = m; k2 <= i - 1; k2++) {
        const nr = Math.min(3, i - k2 + 1);
        if (k2 > m) for (let r = 0; r < nr; r++) v[r] = h[k2 + r][k2 - 1];
        const x = nr === 3 ? [v[1], v[2]] : [v[1]];
        const [beta, t1] = reflector(v[0], x);
        if (k2 > m) {
          h[k2][k2 - 1] = beta;
          h[k2 + 1][k2 - 1] = 0;
          if (k2 < i - 1) h[k2 + 2][k2 - 1] = 0;
        } else if (m > l) {
          h[k2][k2 - 1] *= 1 - t1; // dlahqr: not −h, which breaks when v₂, v₃ underflow
        }
        if (t1 === 0) continue;
        const v2 = x[0];
        const t2 = t1 * v2;
        const v3 = nr === 3 ? x[1] : 0;
        const t3 = t1 * v3;
        const [r0, r1, r2] = [h[k2], h[k2 + 1], nr === 3 ? h[k2 + 2] : h[k2 + 1]];
        const jEnd = wantT ? n - 1 : i;
        for (let j = k2; j <= jEnd; j++) {
          const sum = r0[j] + v2 * r1[j] + v3 * r2[j]; // v3 = 0 when nr = 2
          r0[j] -= sum * t1;
          r1[j] -= sum * t2;
          if (nr === 3) r2[j] -= sum * t3;
        }
        const colsFrom = wantT ? 0 : l;
        const colsTo = Math.min(k2 + 3, i);
        for (let j = colsFrom; j <= colsTo; j++) reflectRow(h[j], k2, nr, v2, v3, t1, t2, t3);
        if (z) for (let j = 0; j < n; j++) reflectRow(z[j], k2, nr, v2, v3, t1, t2, t3);
      }
    }
    if (!split) {
      throw new EigenConvergenceError(
        `eigenvalues: the QR iteration did not converge on eigenvalue ${i + 1} of ${n} within ${itmax} steps ` +
          `(the ${n}×${n} matrix may have NaN-like or extreme entries)`,
      );
    }
    if (l === i) {
      wr[i] = h[i][i];
      wi[i] = 0;
    } else {
      const blk = standardize2x2(h[i - 1][i - 1], h[i - 1][i], h[i][i - 1], h[i][i]);
      h[i - 1][i - 1] = blk.a;
      h[i - 1][i] = blk.b;
      h[i][i - 1] = blk.c;
      h[i][i] = blk.d;
      if (z) {
        rowRot(i - 1, i, i + 1, blk.cs, blk.sn);
        colRot(h, i - 1, i, i - 1, blk.cs, blk.sn);
        colRot(z, i - 1, i, n, blk.cs, blk.sn);
      }
      wr[i - 1] = blk.a;
      wr[i] = blk.d;
      const im = blk.c === 0 ? 0 : Math.sqrt(Math.abs(blk.b)) * Math.sqrt(Math.abs(blk.c));
      wi[i - 1] = im;
      wi[i] = im === 0 ? 0 : -im;
    }
    kdefl = 0;
    i = l - 1;
  }
  return { wr, wi };
}

// ---------------------------------------------------------------- 4. eigenvectors of T by back-substitution

/** A complex number as [re, im]. */
type C = [number, number];

/** Complex a/b (Smith's algorithm). */
function cdiv(ar: number, ai: number, br: number, bi: number): C {
  if (Math.abs(br) >= Math.abs(bi)) {
    const r = bi / br;
    const d = br + r * bi;
    return [(ar + ai * r) / d, (ai - ar * r) / d];
  }
  const r = br / bi;
  const d = bi + r * br;
  return [(ar * r + ai) / d, (ai * r - ar) / d];
}

const csub = (a: C, b: C): C => [a[0] - b[0], a[1] - b[1]];
const cmul = (a: C, b: C): C => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const cabs = (a: C): number => Math.hypot(a[0], a[1]);
/** a/b with |b| raised to at least `smin` (a tiny pivot of a repeated or defective eigenvalue). */
const cdivSafe = (a: C, b: C, smin: number): C =>
  cabs(b) < smin ? cdiv(a[0], a[1], smin, 0) : cdiv(a[0], a[1], b[0], b[1]);

/** [[a, b], [c, d]]·[x, y] = [e, f] (complex) by elimination with a row pivot; pivots raised to ≥ smin. */
function solve2x2(row1: [C, C], row2: [C, C], [e1, e2]: [C, C], smin: number): [C, C] {
  const swap = cabs(row2[0]) > cabs(row1[0]);
  const [[a, b], f1] = swap ? [row2, e2] : [row1, e1];
  const [[c, d], f2] = swap ? [row1, e1] : [row2, e2];
  const m = cabs(a) < smin ? cdiv(c[0], c[1], smin, 0) : cdiv(c[0], c[1], a[0], a[1]);
  const y = cdivSafe(csub(f2, cmul(m, f1)), csub(d, cmul(m, b)), smin);
  const x = cdivSafe(csub(f1, cmul(b, y)), a, smin);
  return [x, y];
}

/** Rescales x when an entry passes this, so later sums cannot overflow. */
const BIG = 1e100;

/**
 * A solution x of (T − λI)x = 0 for the eigenvalue λ = (lr, li) whose diagonal block of T starts at `top`
 * and ends at `end` (x_j = 0 below `end`), by back-substitution (LAPACK dtrevc). A pivot smaller than
 * smin = ε·max|t_ij| is replaced by smin (a perturbation of T no larger than the Schur form's own backward
 * error), so a repeated or defective eigenvalue gives a (nearly parallel) finite vector instead of a division
 * by zero; x is rescaled whenever an entry passes 1e100, so with |pivot| ≥ smin nothing overflows.
 */
function schurVector(
  t: Rows,
  top: number,
  end: number,
  lr: number,
  li: number,
): [Float64Array, Float64Array] {
  const n = t.length;
  const xr = new Float64Array(n);
  const xi = new Float64Array(n);
  if (li === 0) {
    xr[end] = 1;
  } else {
    // null vector of the 2×2 block at top … top+1: the larger of [b, λ − a] and [λ − d, c]
    const [a, b, c, d] = [t[top][top], t[top][top + 1], t[top + 1][top], t[top + 1][top + 1]];
    if (Math.hypot(b, lr - a, li) >= Math.hypot(lr - d, li, c)) {
      xr[top] = b;
      xr[top + 1] = lr - a;
      xi[top + 1] = li;
    } else {
      xr[top] = lr - d;
      xi[top] = li;
      xr[top + 1] = c;
    }
  }
  let tmax = 0;
  for (const row of t) for (const x of row) tmax = Math.max(tmax, Math.abs(x));
  const smin = Math.max(EPS * tmax, SAFMIN * (n / EPS));
  const rescale = (): void => {
    let mx = 0;
    for (let j = 0; j < n; j++) mx = Math.max(mx, Math.abs(xr[j]), Math.abs(xi[j]));
    if (mx > BIG) {
      for (let j = 0; j < n; j++) {
        xr[j] /= mx;
        xi[j] /= mx;
      }
    }
  };
  const rhs = (row: number, from: number): C => {
    let sr = 0;
    let si = 0;
    for (let j = from; j <= end; j++) {
      sr -= t[row][j] * xr[j];
      si -= t[row][j] * xi[j];
    }
    return [sr, si];
  };
  for (let r = top - 1; r >= 0; ) {
    if (r > 0 && t[r][r - 1] !== 0) {
      // 2×2 block at rows r−1, r: (T_blk − λI)·[x_{r−1}; x_r] = [s₁; s₂]
      const lam: C = [lr, li];
      const [x1, x2] = solve2x2(
        [csub([t[r - 1][r - 1], 0], lam), [t[r - 1][r], 0]],
        [[t[r][r - 1], 0], csub([t[r][r], 0], lam)],
        [rhs(r - 1, r + 1), rhs(r, r + 1)],
        smin,
      );
      [xr[r - 1], xi[r - 1]] = x1;
      [xr[r], xi[r]] = x2;
      r -= 2;
    } else {
      [xr[r], xi[r]] = cdivSafe(rhs(r, r + 1), [t[r][r] - lr, -li], smin);
      r -= 1;
    }
    rescale();
  }
  return [xr, xi];
}

// ---------------------------------------------------------------- the decomposition

function identity(n: number): Rows {
  return Array.from({ length: n }, (_, i) => {
    const row = new Float64Array(n);
    row[i] = 1;
    return row;
  });
}

function checkInput(a: readonly (readonly number[])[]): void {
  const n = a.length;
  a.forEach((row, i) => {
    if (row.length !== n) throw new Error(`eigenvalues: matrix is not square (${n}×${row.length})`);
    row.forEach((x, j) => {
      if (!Number.isFinite(x)) {
        throw new NumericalError(
          `eigenvalues: entry (${i + 1}, ${j + 1}) of the ${n}×${n} matrix is ${x}; every entry must be finite`,
        );
      }
    });
  });
}

function decompose(
  a: readonly (readonly number[])[],
  opts: EigOptions,
  vectors: boolean,
): {
  t: Rows;
  z: Rows | null;
  scale: Float64Array;
  values: Complex[];
} {
  checkInput(a);
  const h: Rows = a.map((row) => Float64Array.from(row));
  const scale = balance(h);
  const z = hessenberg(h, vectors);
  const { wr, wi } = schur(h, z, opts.maxSteps);
  const values = Array.from(wr, (re, k) => ({ re, im: wi[k] }));
  return { t: h, z, scale, values };
}

/** The n eigenvalues of a real n×n matrix, in Schur order (a complex pair as λ, λ̄ with Im λ > 0 first). */
export function eigenvaluesOf(a: readonly (readonly number[])[], opts: EigOptions = {}): Complex[] {
  if (a.length === 0) return [];
  return decompose(a, opts, false).values;
}

/** Eigenvalues and unit eigenvectors: A·vectors[k] = values[k]·vectors[k]. */
export function eig(a: readonly (readonly number[])[], opts: EigOptions = {}): Eigen {
  if (a.length === 0) return { values: [], vectors: [] };
  const n = a.length;
  const { t, z, scale, values } = decompose(a, opts, true);
  if (!z) throw new Error("eig: internal: no Schur vectors");
  const vectors: Complex[][] = [];
  for (let k = 0; k < n; k++) {
    const { re: lr, im: li } = values[k];
    if (li < 0) {
      vectors.push(vectors[k - 1].map((c) => ({ re: c.re, im: -c.im })));
      continue;
    }
    const top = k;
    const end = li > 0 ? k + 1 : k;
    const [xr, xi] = schurVector(t, top, end, lr, li);
    // v = D · Z · x (Z holds Q·Z: Hessenberg and Schur rotations), then ‖v‖₂ = 1
    const v: Complex[] = [];
    let norm = 0;
    for (let r = 0; r < n; r++) {
      let sr = 0;
      let si = 0;
      for (let j = 0; j <= end; j++) {
        sr += z[r][j] * xr[j];
        si += z[r][j] * xi[j];
      }
      sr *= scale[r];
      si *= scale[r];
      v.push({ re: sr, im: si });
      norm = Math.hypot(norm, sr, si);
    }
    vectors.push(v.map((c) => ({ re: c.re / norm, im: c.im / norm })));
  }
  return { values, vectors };
}
