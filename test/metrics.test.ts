import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { grid } from "../src/data/toy2d/grid.ts";
import { ring } from "../src/data/toy2d/ring.ts";
import { equilibriumDiagnostics } from "../src/metrics/equilibrium-diagnostics.ts";
import { modeMetrics } from "../src/metrics/modes.ts";

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

describe("modeMetrics", () => {
  const R = ring().modes!;
  const G = grid().modes!;

  test("all samples at the centres: every mode, 100% HQ, reverse KL 0", () => {
    for (const m of [R, G]) {
      const samples = Array.from({ length: 100 * m.centers.length }, (_, i) => [
        ...m.centers[i % m.centers.length],
      ]);
      const r = modeMetrics(samples, m);
      assert.equal(r.modes, m.centers.length);
      assert.equal(r.modesCovered, m.centers.length);
      assert.equal(r.highQualityFraction, 1);
      close(r.reverseKL, 0);
      assert.deepEqual(r.counts, new Array(m.centers.length).fill(100));
    }
  });

  test("all samples on one mode: 1 mode covered, reverse KL = log 8 (log 25 on the grid)", () => {
    const r = modeMetrics(
      Array.from({ length: 2500 }, () => [R.centers[3][0] + 0.01, R.centers[3][1] - 0.01]),
      R,
    );
    assert.equal(r.modesCovered, 1);
    assert.equal(r.highQualityFraction, 1);
    close(r.reverseKL, Math.log(8));
    assert.deepEqual(r.counts, [0, 0, 0, 2500, 0, 0, 0, 0]);
    const g = modeMetrics([[0.1, -0.1]], G);
    assert.equal(g.modesCovered, 1);
    close(g.reverseKL, Math.log(25));
  });

  test("samples at 4σ from their nearest centre: 0% HQ, 0 modes, reverse KL +∞; 3σ is still HQ", () => {
    const s = R.sigma;
    const far = R.centers.map((c) => [c[0] + 4 * s, c[1]]);
    const r = modeMetrics(far, R);
    assert.equal(r.highQualityFraction, 0);
    assert.equal(r.modesCovered, 0);
    assert.equal(r.reverseKL, Infinity);
    assert.deepEqual(r.counts, new Array(8).fill(0));
    // exactly at 3σ along an axis (3·0.05 = 0.15 exactly representable enough: 0.15² ≤ (3·0.05)²)
    const g = modeMetrics([[2 + 3 * G.sigma * 0.999, 0]], G);
    assert.equal(g.highQualityFraction, 1);
  });

  test("hand-computed 2-mode histogram: 3 on mode 0, 1 on mode 1, 4 far samples", () => {
    const s = R.sigma;
    const c0 = R.centers[0];
    const c1 = R.centers[1];
    const samples = [
      [c0[0], c0[1]],
      [c0[0] + s, c0[1]],
      [c0[0], c0[1] - 2 * s],
      [c1[0] + s, c1[1] + s],
      [0, 0], // nearest mode at distance 2: not HQ
      [5, 5],
      [c1[0] + 5 * s, c1[1]],
      [NaN, 1], // diverged generator
    ];
    const r = modeMetrics(samples, R);
    assert.deepEqual(r.counts, [3, 1, 0, 0, 0, 0, 0, 0]);
    assert.equal(r.modesCovered, 2);
    close(r.highQualityFraction, 0.5);
    // p_gen = (3/4, 1/4), p_true = 1/8: KL = ¾ log(8·¾) + ¼ log(8·¼) = ¾ log 6 + ¼ log 2
    close(r.reverseKL, 0.75 * Math.log(6) + 0.25 * Math.log(2));
    close(r.reverseKL, 1.5171064, 1e-7);
  });

  test("no samples: 0 modes, HQ 0, reverse KL +∞; wrong dimension throws", () => {
    const r = modeMetrics([], R);
    assert.deepEqual([r.modesCovered, r.highQualityFraction, r.reverseKL], [0, 0, Infinity]);
    assert.throws(() => modeMetrics([[1, 2, 3]], R), /3 coordinates, expected 2/);
  });

  test("2,500 uniform samples × 25 modes: the high-quality fraction is the modes' share of the area", () => {
    let seed = 1;
    const u = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 10 - 5;
    const samples = Array.from({ length: 2500 }, () => [u(), u()]);
    const r = modeMetrics(samples, G);
    // uniform on [−5, 5]²: P(HQ) = 25·π(0.15)²/100 ≈ 0.0177
    assert.ok(r.highQualityFraction > 0.005 && r.highQualityFraction < 0.035, `${r.highQualityFraction}`);
  });
});

describe("equilibriumDiagnostics", () => {
  test("away from the equilibrium: D(real) = 0.8, D(fake) = 0.2 gives L_D − 2 log 2 = −2 log 1.6", () => {
    const lossD = -Math.log(0.8) - Math.log(1 - 0.2);
    const lossG = -Math.log(0.2);
    const r = equilibriumDiagnostics({ lossD, lossG, meanDReal: 0.8, meanDFake: 0.2 });
    close(r.lossDMinus2Log2, -2 * Math.log(1.6)); // −0.94001
    close(r.lossGMinusLog2, Math.log(2.5)); // −log 0.2 − log 2 = log 2.5
    close(r.dRealMinusHalf, 0.3);
    close(r.dFakeMinusHalf, -0.3);
  });

  test("zero at the equilibrium D ≡ ½ (losses computed from D = ½)", () => {
    const d = 0.5;
    const lossD = -Math.log(d) - Math.log(1 - d);
    const lossG = -Math.log(d);
    const r = equilibriumDiagnostics({ lossD, lossG, meanDReal: d, meanDFake: d });
    close(r.lossDMinus2Log2, 0);
    close(r.lossGMinusLog2, 0);
    assert.equal(r.dRealMinusHalf, 0);
    assert.equal(r.dFakeMinusHalf, 0);
  });

  test("signed differences", () => {
    const r = equilibriumDiagnostics({ lossD: 1, lossG: 2, meanDReal: 0.9, meanDFake: 0.2 });
    close(r.lossDMinus2Log2, 1 - 1.3862943611198906);
    close(r.lossGMinusLog2, 2 - 0.6931471805599453);
    close(r.dRealMinusHalf, 0.4);
    close(r.dFakeMinusHalf, -0.3);
  });
});
