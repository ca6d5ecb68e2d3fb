/**
 * The non-symmetric eigensolver (src/analysis/eigensolver.ts) on 570 seeded random real matrices, n = 2 … 60.
 *
 * Oracles and tolerances (fixed before running):
 * - residual ‖AV − VΛ‖_F / ‖A‖_F ≤ 1e-10 for every family: a backward-stable QR gives ≈ c·n·ε ≈ 1e-14 at
 *   n = 60, so 1e-10 leaves 10⁴ for c, yet is far below what a wrong vector or eigenvalue gives (≥ 1e-3 here);
 * - known spectra ±1e-9 (absolute, |λ| ≤ 5) where every eigenvalue is well conditioned: bilinear Jacobians
 *   [[0, A], [−Aᵀ, 0]] ⇒ ±iσ_k(A) (σ from ml-matrix's SVD, an independent algorithm), rotations under an
 *   orthogonal similarity (normal), diagonal, triangular, S·diag·S⁻¹ with κ(S) ≤ 4, balanced-away scalings;
 * - defective Jordan blocks J_k(λ) under an orthogonal similarity: a perturbation δ ≈ n·ε·‖A‖ moves λ by
 *   |δ|^{1/k}, so those are checked to 10·(n·ε·‖A‖)^{1/k} (≈ 1e-6 for k = 2, ≈ 6e-4 for k = 4);
 * - companion matrices of polynomials with roots of modulus ≤ 3 and separation ≥ 0.5, degree ≤ 6: eigenvalue
 *   condition numbers there are ≤ 1e4 (|p′(r)| is bounded below), so ±1e-8.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { inverse, Matrix as MlMatrix, QrDecomposition, SingularValueDecomposition } from "ml-matrix";
import { EigenConvergenceError, eig, type Eigen } from "../src/analysis/eigensolver.ts";
import { jacobian } from "../src/analysis/jacobian.ts";
import { eigenvalues, type Complex } from "../src/analysis/spectrum.ts";
import { useDevice } from "../src/engine/device.ts";
import { NumericalError } from "../src/engine/errors.ts";
import { bilinear, drawMatrix } from "../src/games/bilinear.ts";
import { mulberry32 } from "../src/games/matrix-game.ts";

type M = number[][];
const EPS = Number.EPSILON;
const RESIDUAL_TOL = 1e-10;
const SPECTRUM_TOL = 1e-9;

// ---------------------------------------------------------------- seeded matrices

function gaussian(seed: number): () => number {
  const u = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}
const randn = (g: () => number, n: number, m = n, s = 1): M =>
  Array.from({ length: n }, () => Array.from({ length: m }, () => s * g()));
const zeros = (n: number): M => Array.from({ length: n }, () => new Array<number>(n).fill(0));
const diag = (d: number[]): M => d.map((x, i) => d.map((_, j) => (i === j ? x : 0)));
const mul = (a: M, b: M): M => new MlMatrix(a).mmul(new MlMatrix(b)).to2DArray();
const transpose = (a: M): M => a[0].map((_, j) => a.map((r) => r[j]));
const orthogonal = (g: () => number, n: number): M =>
  new QrDecomposition(new MlMatrix(randn(g, n))).orthogonalMatrix.to2DArray();
const similar = (s: M, a: M): M => mul(mul(s, a), inverse(new MlMatrix(s)).to2DArray());
const orthSimilar = (q: M, a: M): M => mul(mul(q, a), transpose(q));
/** [[0, A], [−Aᵀ, 0]]: v(ω) = Mω of the bilinear game θᵀAφ. */
const bilinearJacobian = (a: M): M => {
  const n = a.length;
  return Array.from({ length: 2 * n }, (_, i) =>
    Array.from({ length: 2 * n }, (_, j) =>
      i < n && j >= n ? a[i][j - n] : i >= n && j < n ? -a[j][i - n] : 0,
    ),
  );
};
/** Block diagonal of r_k·R(θ_k) (and a trailing real entry when n is odd): eigenvalues r_k e^{±iθ_k}. */
function rotations(g: () => number, n: number): { a: M; spectrum: Complex[] } {
  const a = zeros(n);
  const spectrum: Complex[] = [];
  for (let k = 0; k + 1 < n; k += 2) {
    const r = 0.5 + Math.abs(g());
    const th = Math.PI * (0.05 + 0.9 * Math.abs(Math.sin(g())));
    [a[k][k], a[k][k + 1], a[k + 1][k], a[k + 1][k + 1]] = [
      r * Math.cos(th),
      -r * Math.sin(th),
      r * Math.sin(th),
      r * Math.cos(th),
    ];
    spectrum.push(
      { re: r * Math.cos(th), im: r * Math.sin(th) },
      { re: r * Math.cos(th), im: -r * Math.sin(th) },
    );
  }
  if (n % 2 === 1) {
    a[n - 1][n - 1] = g();
    spectrum.push({ re: a[n - 1][n - 1], im: 0 });
  }
  return { a, spectrum };
}
/** Companion matrix of ∏(z − r_k) (r real or in conjugate pairs): first row −c_{d−1} … −c_0, ones below. */
function companion(roots: Complex[]): M {
  let c: Complex[] = [{ re: 1, im: 0 }]; // coefficients, highest degree first
  for (const r of roots) {
    const next = [...c.map((z) => ({ ...z })), { re: 0, im: 0 }];
    for (let i = 1; i < next.length; i++) {
      next[i].re -= r.re * c[i - 1].re - r.im * c[i - 1].im;
      next[i].im -= r.re * c[i - 1].im + r.im * c[i - 1].re;
    }
    c = next;
  }
  const d = roots.length;
  const a = zeros(d);
  for (let j = 0; j < d; j++) a[0][j] = -c[j + 1].re;
  for (let i = 1; i < d; i++) a[i][i - 1] = 1;
  return a;
}

// ---------------------------------------------------------------- checks

const frob = (a: M): number => Math.sqrt(a.flat().reduce((s, x) => s + x * x, 0));

/** ‖AV − VΛ‖_F / ‖A‖_F (0 for A = 0 when the residual is 0). */
function residual(a: M, { values, vectors }: Eigen): number {
  const n = a.length;
  let r = 0;
  values.forEach((l, k) => {
    const v = vectors[k];
    for (let i = 0; i < n; i++) {
      let re = -(l.re * v[i].re - l.im * v[i].im);
      let im = -(l.re * v[i].im + l.im * v[i].re);
      for (let j = 0; j < n; j++) {
        re += a[i][j] * v[j].re;
        im += a[i][j] * v[j].im;
      }
      r += re * re + im * im;
    }
  });
  const na = frob(a);
  return na === 0 ? Math.sqrt(r) : Math.sqrt(r) / na;
}

/** max_k |λ_k − μ_{π(k)}| over a greedy nearest matching (each expected value used once). */
function spectrumError(actual: readonly Complex[], expected: readonly Complex[]): number {
  assert.equal(actual.length, expected.length);
  const left = [...expected];
  let worst = 0;
  for (const z of actual) {
    let best = 0;
    for (let j = 1; j < left.length; j++) {
      if (
        Math.hypot(z.re - left[j].re, z.im - left[j].im) <
        Math.hypot(z.re - left[best].re, z.im - left[best].im)
      )
        best = j;
    }
    worst = Math.max(worst, Math.hypot(z.re - left[best].re, z.im - left[best].im));
    left.splice(best, 1);
  }
  return worst;
}

/** Every vector is unit length and conjugate pairs come as (λ, λ̄), Im λ > 0 first. */
function checkShape(e: Eigen, n: number, what: string): void {
  assert.equal(e.values.length, n, what);
  for (let k = 0; k < n; k++) {
    const norm = Math.hypot(...e.vectors[k].flatMap((c) => [c.re, c.im]));
    assert.ok(Math.abs(norm - 1) < 1e-12, `${what}: ‖v_${k}‖ = ${norm}`);
    if (e.values[k].im > 0) {
      assert.equal(e.values[k + 1].re, e.values[k].re, `${what}: pair ${k}`);
      assert.equal(e.values[k + 1].im, -e.values[k].im, `${what}: pair ${k}`);
    }
  }
}

interface Case {
  a: M;
  /** Known spectrum and its tolerance, when there is one. */
  spectrum?: Complex[];
  tol?: number;
}

/** Runs every case; returns [max residual, max spectrum error / tol] for the diagnostics. */
function runAll(name: string, cases: Case[]): [number, number] {
  let worstRes = 0;
  let worstErr = 0;
  cases.forEach(({ a, spectrum, tol }, i) => {
    const what = `${name} #${i} (n = ${a.length})`;
    const e = eig(a);
    checkShape(e, a.length, what);
    const res = residual(a, e);
    assert.ok(res <= RESIDUAL_TOL, `${what}: residual ${res}`);
    worstRes = Math.max(worstRes, res);
    if (spectrum) {
      const err = spectrumError(e.values, spectrum);
      const t = tol ?? SPECTRUM_TOL;
      assert.ok(err <= t, `${what}: eigenvalue error ${err} > ${t}`);
      worstErr = Math.max(worstErr, err / t);
    }
  });
  return [worstRes, worstErr];
}

const dims = (count: number, lo: number, hi: number): number[] =>
  Array.from({ length: count }, (_, i) => lo + (i % (hi - lo + 1)));

// ---------------------------------------------------------------- the families

describe("eigensolver: random families, n = 2 … 60", () => {
  it("dense Gaussian matrices (150): residual", (t) => {
    const cases = dims(150, 2, 60).map((n, s) => ({ a: randn(gaussian(1000 + s), n) }));
    t.diagnostic(`max residual ${runAll("gaussian", cases)[0].toExponential(2)}`);
  });

  it("bilinear-game Jacobians [[0, A], [−Aᵀ, 0]] (120, A as saddle draws it): ±iσ_k(A)", async (t) => {
    await useDevice("wasm");
    const cases: Case[] = [];
    for (const [n, seed] of [[2, 5], [8, 1], ...dims(118, 1, 30).map((n, i) => [n, i % 20])]) {
      const a = drawMatrix(n, seed);
      const sigma = new SingularValueDecomposition(new MlMatrix(a)).diagonal;
      cases.push({
        a: bilinearJacobian(a),
        spectrum: sigma.flatMap((s) => [
          { re: 0, im: s },
          { re: 0, im: -s },
        ]),
      });
    }
    const [res, err] = runAll("bilinear", cases);
    t.diagnostic(
      `max residual ${res.toExponential(2)}, max eigenvalue error ${(err * SPECTRUM_TOL).toExponential(2)}`,
    );
  });

  it("the analyze Jacobians of bilinear --dim 2 --seed 5 and --dim 8 --seed 1 (ml-matrix looped on both)", async () => {
    await useDevice("wasm");
    for (const [dim, seed] of [
      [2, 5],
      [8, 1],
    ]) {
      const g = bilinear({ dim, seed });
      const J = jacobian(g, g.equilibrium!());
      const sigma = new SingularValueDecomposition(new MlMatrix(g.matrix)).diagonal;
      const err = spectrumError(
        eigenvalues(J),
        sigma.flatMap((s) => [
          { re: 0, im: s },
          { re: 0, im: -s },
        ]),
      );
      assert.ok(err <= SPECTRUM_TOL, `dim ${dim} seed ${seed}: ${err}`);
    }
  });

  it("defective: Jordan blocks J_k(λ), k = 2 … 4, under orthogonal similarity (40): λ to 10·(nε‖A‖)^{1/k}", (t) => {
    const cases = dims(40, 0, 39).map((i) => {
      const g = gaussian(2000 + i);
      const k = 2 + (i % 3);
      const blocks = 1 + (i % 4); // one to four Jordan blocks, plus simple eigenvalues
      const n = Math.min(60, blocks * k + 2 + (i % 7));
      const j = zeros(n);
      const spectrum: Complex[] = [];
      let at = 0;
      for (let b = 0; b < blocks; b++) {
        const lam = b - 1.5;
        for (let r = 0; r < k; r++) {
          j[at + r][at + r] = lam;
          if (r + 1 < k) j[at + r][at + r + 1] = 1;
          spectrum.push({ re: lam, im: 0 });
        }
        at += k;
      }
      for (; at < n; at++) {
        j[at][at] = 3 + at; // simple, well separated from the blocks
        spectrum.push({ re: j[at][at], im: 0 });
      }
      const a = orthSimilar(orthogonal(g, n), j);
      return { a, spectrum, tol: 10 * (n * EPS * frob(a)) ** (1 / k) };
    });
    const [res, err] = runAll("jordan", cases);
    t.diagnostic(`max residual ${res.toExponential(2)}, max error/tol ${err.toExponential(2)}`);
  });

  it("repeated eigenvalues, non-defective: Q·diag·Qᵀ and S·diag·S⁻¹, κ(S) ≤ 4 (40): known spectrum", (t) => {
    const cases = dims(40, 0, 39).map((i) => {
      const g = gaussian(3000 + i);
      const n = 2 + ((i * 7) % 59);
      const d = Array.from({ length: n }, (_, r) => [-1, 0, 0.5, 2][r % (1 + (i % 4))]);
      const e = randn(g, n, n, 0.3 / Math.sqrt(n)); // ‖E‖₂ ≲ 0.6, so κ(I + E) ≤ 1.6 / 0.4 = 4
      const s = e.map((row, r) => row.map((x, c) => x + (r === c ? 1 : 0)));
      const a = i % 2 === 0 ? orthSimilar(orthogonal(g, n), diag(d)) : similar(s, diag(d));
      return { a, spectrum: d.map((re) => ({ re, im: 0 })) };
    });
    const [res, err] = runAll("repeated", cases);
    t.diagnostic(`max residual ${res.toExponential(2)}, max error ${(err * SPECTRUM_TOL).toExponential(2)}`);
  });

  it("nearly-zero and zero blocks (30): residual; the zero matrix and zero rows/columns", (t) => {
    const cases: Case[] = [{ a: zeros(5), spectrum: new Array(5).fill({ re: 0, im: 0 }) }];
    for (let i = 0; i < 29; i++) {
      const g = gaussian(4000 + i);
      const n = 2 + ((i * 11) % 59);
      const a = randn(g, n);
      const h = Math.floor(n / 2);
      const tiny = [0, 1e-12, 1e-30, 1e-200][i % 4];
      for (let r = h; r < n; r++) for (let c = 0; c < h; c++) a[r][c] *= tiny; // lower-left block ≈ 0
      if (i % 3 === 0) for (let c = 0; c < n; c++) a[i % n][c] = 0; // a zero row
      if (i % 5 === 0) for (let r = 0; r < n; r++) a[r][(i + 1) % n] = 0; // a zero column
      cases.push({ a });
    }
    t.diagnostic(`max residual ${runAll("near-zero", cases)[0].toExponential(2)}`);
  });

  it("triangular (upper and lower, 40) and diagonal (20): the diagonal", (t) => {
    const cases: Case[] = [];
    for (let i = 0; i < 60; i++) {
      const g = gaussian(5000 + i);
      const n = 2 + ((i * 13) % 59);
      const d = Array.from({ length: n }, (_, r) => r - n / 2 + 0.25); // spacing 1
      const a = i < 20 ? diag(d) : randn(g, n, n, 0.1 / n); // off-diagonal ≪ spacing: well conditioned
      for (let r = 0; r < n; r++) {
        a[r][r] = d[r];
        for (let c = 0; c < n; c++) if ((i % 2 === 0 ? r > c : r < c) && i >= 20) a[r][c] = 0;
      }
      cases.push({ a, spectrum: d.map((re) => ({ re, im: 0 })) });
    }
    const [res, err] = runAll("triangular", cases);
    t.diagnostic(`max residual ${res.toExponential(2)}, max error ${(err * SPECTRUM_TOL).toExponential(2)}`);
  });

  it("exactly repeated diagonal: λI + strictly upper triangular N, n = 5 … 50 (10): λ, finite unit vectors", (t) => {
    const cases = dims(10, 0, 9).map((i) => {
      const g = gaussian(5500 + i);
      const n = 5 + 5 * i;
      const lam = i % 2 === 0 ? 0 : 1;
      const a = randn(g, n).map((row, r) => row.map((x, c) => (c > r ? x : c === r ? lam : 0)));
      return { a, spectrum: new Array<Complex>(n).fill({ re: lam, im: 0 }) };
    });
    t.diagnostic(`max residual ${runAll("nilpotent", cases)[0].toExponential(2)}`);
  });

  it("companion matrices of polynomials with known roots, degree 2 … 6 (40): the roots to 1e-8", (t) => {
    const grid = [-3, -2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2, 3];
    const cases = dims(40, 0, 39).map((i) => {
      const u = mulberry32(6000 + i);
      const d = 2 + (i % 5);
      const roots: Complex[] = [];
      const used = new Set<number>();
      while (roots.length < d) {
        if (d - roots.length >= 2 && u() < 0.5) {
          // a complex pair a ± bi, b ∈ {0.5, 1, 1.5}, away from the real roots
          const re = grid[Math.floor(u() * grid.length)];
          const im = 0.5 * (1 + Math.floor(u() * 3));
          if (roots.some((r) => Math.hypot(r.re - re, r.im - im) < 0.5)) continue;
          roots.push({ re, im }, { re, im: -im });
        } else {
          const k = Math.floor(u() * grid.length);
          if (used.has(k)) continue;
          used.add(k);
          roots.push({ re: grid[k], im: 0 });
        }
      }
      return { a: companion(roots), spectrum: roots, tol: 1e-8 };
    });
    const [res, err] = runAll("companion", cases);
    t.diagnostic(`max residual ${res.toExponential(2)}, max error ${(err * 1e-8).toExponential(2)}`);
  });

  it("rotations: block-diagonal r_k·R(θ_k), plain and under orthogonal similarity (40): r_k e^{±iθ_k}", (t) => {
    const cases = dims(40, 0, 39).map((i) => {
      const g = gaussian(7000 + i);
      const n = 2 + ((i * 17) % 59);
      const { a, spectrum } = rotations(g, n);
      return { a: i % 2 === 0 ? a : orthSimilar(orthogonal(g, n), a), spectrum };
    });
    const [res, err] = runAll("rotations", cases);
    t.diagnostic(`max residual ${res.toExponential(2)}, max error ${(err * SPECTRUM_TOL).toExponential(2)}`);
  });

  it("badly scaled D·B·D⁻¹, D up to 10^{±6} or 2^{±20} (40): balancing recovers B's spectrum to 1e-9", (t) => {
    const cases = dims(40, 0, 39).map((i) => {
      const g = gaussian(8000 + i);
      const u = mulberry32(8500 + i);
      const n = 2 + ((i * 19) % 59);
      const { a: r, spectrum } = rotations(g, n);
      const b = orthSimilar(orthogonal(g, n), r); // normal: every eigenvalue perfectly conditioned
      const dd = Array.from({ length: n }, () =>
        i % 2 === 0 ? 10 ** (12 * u() - 6) : 2 ** Math.round(40 * u() - 20),
      );
      const a = b.map((row, p) => row.map((x, q) => (dd[p] * x) / dd[q]));
      return { a, spectrum };
    });
    const [res, err] = runAll("scaled", cases);
    t.diagnostic(`max residual ${res.toExponential(2)}, max error ${(err * SPECTRUM_TOL).toExponential(2)}`);
  });
});

describe("eigensolver: failures are typed errors, never hangs", () => {
  it("a step cap that is too small throws EigenConvergenceError (a NumericalError) naming the eigenvalue", () => {
    const a = randn(gaussian(9000), 12);
    assert.throws(
      () => eig(a, { maxSteps: 1 }),
      (err: unknown) =>
        err instanceof EigenConvergenceError &&
        err instanceof NumericalError &&
        /did not converge on eigenvalue \d+ of 12 within 1 steps/.test(err.message),
    );
    assert.doesNotThrow(() => eig(a)); // the default cap, 30·max(10, n), is ample
  });

  it("a non-finite entry is a NumericalError naming the entry; a non-square matrix is rejected", () => {
    assert.throws(
      () =>
        eigenvalues([
          [1, 2],
          [NaN, 3],
        ]),
      (err: unknown) =>
        err instanceof NumericalError && /entry \(2, 1\) of the 2×2 matrix is NaN/.test(err.message),
    );
    assert.throws(
      () =>
        eigenvalues([
          [1, Infinity],
          [0, 1],
        ]),
      NumericalError,
    );
    assert.throws(() => eigenvalues([[1, 2]]), /not square/);
    assert.deepEqual(eig([]), { values: [], vectors: [] });
  });

  it("1×1 and exact 2×2 cases", () => {
    assert.deepEqual(eigenvalues([[-2.5]]), [{ re: -2.5, im: 0 }]);
    const e = eig([
      [0, -2],
      [2, 0],
    ]);
    assert.ok(
      spectrumError(e.values, [
        { re: 0, im: 2 },
        { re: 0, im: -2 },
      ]) < 1e-15,
    );
    assert.ok(e.values[0].im > 0);
  });
});
