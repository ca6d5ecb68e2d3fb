/**
 * Image metrics: the symmetric matrix square root (squared = input), the Fréchet distance (0 for identical
 * sets, closed forms for Gaussians with commuting covariances, non-commuting cases against the
 * non-symmetric-product formula via eigenvalues), the classifier Inception Score's two extremes, and a
 * few steps of the classifier training that must beat chance by far.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { useDevice } from "../src/engine/device.ts";
import { frechetDistance, meanCov, sqrtmSym } from "../src/metrics/frechet.ts";
import { inceptionParts, inceptionScore } from "../src/metrics/inception.ts";
import { classifierPath, loadClassifier, trainClassifier } from "../src/workflows/classifier-training.ts";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "saddle-metrics-"));
before(async () => {
  await useDevice("wasm");
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A random symmetric positive definite d×d matrix from a seeded LCG. */
function spd(d: number, seed: number): Matrix {
  let s = seed;
  const r = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  const a = Matrix.from1DArray(d, d, Array.from({ length: d * d }, r));
  return a.mmul(a.transpose()).add(Matrix.eye(d).mul(0.1));
}

describe("sqrtmSym and the Fréchet distance", () => {
  test("sqrtmSym(S)² = S and sqrtmSym is symmetric", () => {
    const S = spd(6, 7);
    const R = sqrtmSym(S);
    const err = R.mmul(R).sub(S).norm("frobenius") / S.norm("frobenius");
    assert.ok(err < 1e-12, `relative error ${err}`);
    assert.ok(R.sub(R.transpose()).norm("frobenius") < 1e-12);
  });
  test("identical Gaussians (and identical feature sets) are at distance 0", () => {
    const S = spd(5, 3).to2DArray();
    assert.ok(frechetDistance({ mean: [1, 2, 3, 4, 5], cov: S }, { mean: [1, 2, 3, 4, 5], cov: S }) < 1e-9);
    const rows = Array.from({ length: 200 * 4 }, (_, i) => Math.sin(i * 1.7) + (i % 4));
    const g = meanCov(rows, 200, 4);
    assert.ok(frechetDistance(g, g) < 1e-9);
  });
  test("closed forms: 1-D (μ₁−μ₂)² + (σ₁−σ₂)², diagonal Σ‖μ‖² + Σ(√a−√b)²", () => {
    const d1 = frechetDistance({ mean: [1], cov: [[4]] }, { mean: [-2], cov: [[9]] });
    assert.ok(Math.abs(d1 - (9 + 1)) < 1e-12, `${d1}`);
    const a = [1, 4, 9];
    const b = [16, 1, 0.25];
    const diag = (v: number[]) => v.map((x, i) => v.map((_, j) => (i === j ? x : 0)));
    const expected = 3 + a.reduce((s, x, i) => s + (Math.sqrt(x) - Math.sqrt(b[i])) ** 2, 0);
    const d = frechetDistance({ mean: [1, 1, 1], cov: diag(a) }, { mean: [0, 0, 0], cov: diag(b) });
    assert.ok(Math.abs(d - expected) < 1e-10, `${d} vs ${expected}`);
  });
  test("non-commuting covariances: Tr((Σ₁Σ₂)^{1/2}) = Σ √λ(Σ₁Σ₂)", () => {
    const S1 = spd(4, 11);
    const S2 = spd(4, 12);
    const lam = new EigenvalueDecomposition(S1.mmul(S2)).realEigenvalues;
    const expected = S1.trace() + S2.trace() - 2 * lam.reduce((s, l) => s + Math.sqrt(l), 0);
    const d = frechetDistance(
      { mean: [0, 0, 0, 0], cov: S1.to2DArray() },
      { mean: [0, 0, 0, 0], cov: S2.to2DArray() },
    );
    assert.ok(Math.abs(d - expected) < 1e-9 * Math.max(1, expected), `${d} vs ${expected}`);
  });
  test("meanCov: unbiased covariance of known rows", () => {
    const g = meanCov([1, 2, 3, 6, 5, 10], 3, 2);
    assert.deepEqual(g.mean, [3, 6]);
    assert.deepEqual(g.cov, [
      [4, 8],
      [8, 16],
    ]);
  });
});

describe("Inception Score", () => {
  test("confident and uniform over k classes gives k; identical predictions give 1", () => {
    const k = 10;
    const n = 50;
    const onehot = Array.from({ length: n * k }, (_, i) => (Math.floor(i / k) % k === i % k ? 1 : 0));
    assert.ok(Math.abs(inceptionScore(onehot, n, k) - k) < 1e-9);
    const same = Array.from({ length: n * k }, (_, i) => (i % k === 3 ? 0.7 : 0.3 / (k - 1)));
    assert.ok(Math.abs(inceptionScore(same, n, k) - 1) < 1e-9);
    // two classes, half each, confident: IS = 2
    assert.ok(Math.abs(inceptionScore([1, 0, 0, 1], 2, 2) - 2) < 1e-12);
  });
  test("parts: H(p(y)) − E H(p(y | x)) = log IS; counts are the argmax histogram", () => {
    // three samples, two classes: confident 0, confident 1, and (0.5, 0.5) (counted as class 0)
    const probs = [1, 0, 0, 1, 0.5, 0.5];
    const p = inceptionParts(probs, 3, 2);
    assert.ok(Math.abs(p.marginalEntropy - Math.log(2)) < 1e-12); // p(y) = (1/2, 1/2)
    assert.ok(Math.abs(p.meanEntropy - Math.log(2) / 3) < 1e-12);
    assert.deepEqual(p.counts, [2, 1]);
    assert.ok(Math.abs(Math.exp(p.marginalEntropy - p.meanEntropy) - inceptionScore(probs, 3, 2)) < 1e-12);
  });
});

describe("classifier", () => {
  test("40 Adam steps on MNIST beat chance by far; the weights are cached and reload to the same accuracy", () => {
    const old = process.env.SADDLE_CACHE;
    process.env.SADDLE_CACHE = tmp;
    try {
      const c = trainClassifier("mnist", { steps: 40 });
      assert.ok(c.testAccuracy > 0.6, `test accuracy ${c.testAccuracy}`);
      assert.ok(fs.existsSync(classifierPath("mnist", 28)));
      const again = loadClassifier("mnist");
      assert.ok(again);
      assert.equal(again.testAccuracy, c.testAccuracy);
      const img = new Float32Array(784 * 3).fill(-1);
      assert.deepEqual(Array.from(again.run(img, 3).probs), Array.from(c.run(img, 3).probs));
    } finally {
      if (old === undefined) delete process.env.SADDLE_CACHE;
      else process.env.SADDLE_CACHE = old;
    }
  });
});
