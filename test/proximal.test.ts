import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { before, describe, test } from "node:test";
import { grad, numpy as np, random, type Array as JArray } from "@jax-js/jax";
import { nashGapOfRun } from "../src/workflows/nash-gap.ts";
import { proximalClaims } from "../src/claims/equilibria-proximal.ts";
import { datasetFor } from "../src/data/registry.ts";
import { useDevice } from "../src/engine/device.ts";
import { UsageError } from "../src/engine/errors.ts";
import { proximalGame } from "../src/equilibria/proximal.ts";
import { bilinear } from "../src/games/bilinear.ts";
import { bestResponseD, bestValueD, proximalGap } from "../src/analysis/linear-gaussian.ts";
import { projectSpectral, sigmaMax } from "../src/analysis/sym2.ts";
import { noLocalNashGrid } from "../src/experiments/linear-gaussian-no-nash.ts";
import { linearGaussian, valueJs } from "../src/games/linear-gaussian.ts";
import { createMethod } from "../src/methods/registry.ts";
import { RunDir } from "../src/runs/run-dir.ts";
import { parseSpec } from "../src/spec/experiment.ts";
import { train } from "../src/train/trainer.ts";

const f64 = { dtype: np.float64 };
before(async () => {
  await useDevice("wasm");
});

// L = θφ + ½θ² − ½φ² (P = Q = 1): V(θ, D̃) − λ(φ − D̃)² is maximised at D̃* = (θ + 2λφ)/(1 + 2λ).
const small = () => bilinear({ p: 1, q: 1 });
const vProx = (th: number, ph: number, lam: number) => {
  const dt = (th + 2 * lam * ph) / (1 + 2 * lam);
  return th * dt + 0.5 * th * th - 0.5 * dt * dt - lam * (ph - dt) ** 2;
};

describe("proximal game", () => {
  test("Danskin gradient = finite differences of V_λ^prox; the value is V_λ^prox", () => {
    const lam = 0.7;
    const pg = proximalGame(small(), { lambda: lam, innerSteps: 20, innerLr: 0.4 });
    const th = 0.4;
    const ph = -0.3;
    const v = pg.loss(0, np.array([th], f64), np.array([ph], f64)).js() as number;
    assert.ok(Math.abs(v - vProx(th, ph, lam)) < 1e-10, `${v}`);
    const g = (
      grad((x: JArray) => pg.loss(0, x, np.array([ph], f64)))(np.array([th], f64)).js() as number[]
    )[0];
    const h = 1e-6;
    const fd = (vProx(th + h, ph, lam) - vProx(th - h, ph, lam)) / (2 * h);
    assert.ok(Math.abs(g - fd) < 1e-7, `${g} vs ${fd}`);
    const s = pg.proxSolve([np.array([th], f64), np.array([ph], f64)]);
    assert.ok(s.converged && s.residual < 1e-6, `${s.residual}`);
    (s.dTilde as JArray).dispose();
  });

  test("converged is relative to the starting inner gradient: near ω* no ascent step is not convergence", () => {
    // At (θ, φ) = 1e-9·(0.4, −0.3) every gradient is ~1e-9, below an absolute 1e-6 even before any ascent.
    const [th, ph] = [0.4e-9, -0.3e-9];
    const at = (): [JArray, JArray] => [np.array([th], f64), np.array([ph], f64)];
    const none = proximalGame(small(), { lambda: 0.7, innerSteps: 0, innerLr: 0.4 }).proxSolve(at());
    // D̃ = D: the residual is the starting gradient θ − φ = 7e-10 itself
    assert.ok(Math.abs(none.residual - 7e-10) < 1e-20 && none.initialResidual === none.residual);
    assert.equal(none.converged, false);
    (none.dTilde as JArray).dispose();
    // 20 steps contract the inner gradient by (1 − 0.4·(1 + 2λ))²⁰ = 0.04²⁰: converged, at D̃* in closed form
    const full = proximalGame(small(), { lambda: 0.7, innerSteps: 20, innerLr: 0.4 }).proxSolve(at());
    assert.ok(full.converged && full.residual <= 1e-6 * full.initialResidual, JSON.stringify(full));
    const dStar = (th + 1.4 * ph) / 2.4;
    const got = (full.dTilde as JArray).js() as number[];
    assert.ok(Math.abs(got[0] - dStar) < 1e-22, `${got[0]} vs ${dStar}`);
  });

  test("V(G, D) ≤ V_λ^prox ≤ max_D V, and λ → ∞ recovers V", () => {
    const th = 0.4;
    const ph = -0.3;
    const V = th * ph + 0.5 * th * th - 0.5 * ph * ph;
    const maxV = th * th; // max_φ θφ + ½θ² − ½φ² at φ = θ
    for (const lam of [0.1, 1, 10]) {
      const p = vProx(th, ph, lam);
      assert.ok(V <= p + 1e-12 && p <= maxV + 1e-12, `${lam}`);
    }
    const pg = proximalGame(small(), { lambda: 1e4, innerSteps: 5, innerLr: 1e-5 });
    const v = pg.loss(0, np.array([th], f64), np.array([ph], f64)).js() as number;
    assert.ok(Math.abs(v - V) < 1e-4, `${v} vs ${V}`);
  });

  test("proximal training: an unchanged Method trains the wrapper (extragradient)", () => {
    const pg = proximalGame(small(), { lambda: 0.5, innerSteps: 3, innerLr: 0.5 });
    const m = createMethod(pg, { name: "extragradient", lr: [0.2, 0.2] });
    let w = pg.init();
    let s = m.init(w);
    for (let t = 0; t < 200; t++) [w, s] = m.step(w, s);
    const x = [(w[0] as JArray).js() as number[], (w[1] as JArray).js() as number[]].flat();
    assert.ok(Math.hypot(...x) < 1e-6, `${x}`);
  });

  test("λ ≤ 0 and Sobolev without data are UsageErrors", () => {
    assert.throws(
      () => proximalGame(small(), { lambda: 0 }),
      (e: Error) => e instanceof UsageError && /--prox-lambda/.test(e.message),
    );
    assert.throws(() => proximalGame(small(), { lambda: -1 }), UsageError);
    assert.throws(() => proximalGame(small(), { lambda: 1, norm: "sobolev" }), UsageError);
  });
});

describe("linear-Gaussian W2GAN", () => {
  test("closed-form V = Monte Carlo; f(G) = sup_D V", () => {
    const game = linearGaussian();
    const g = [0.6, 0.2, -0.1, 0.7, 0.3, -0.2];
    const d = [0.3, 0.1, -0.2, 0.2, -0.1];
    const n = 200_000;
    const x = random.normal(random.key(1), [n, 2]).js() as number[][];
    const z = random.normal(random.key(2), [n, 2]).js() as number[][];
    const [l11, l12, l22, c1, c2] = d;
    const D = (u: number, v: number) => l11 * u * u + 2 * l12 * u * v + l22 * v * v + c1 * u + c2 * v;
    // D^c(y) = inf_x ‖x − y‖² − D(x): x* = (I − Λ)⁻¹(y + γ/2)
    const det = (1 - l11) * (1 - l22) - l12 * l12;
    let mc = 0;
    for (let i = 0; i < n; i++) {
      mc += D(2 * x[i][0], x[i][1]);
      const y1 = g[0] * z[i][0] + g[1] * z[i][1] + g[4];
      const y2 = g[2] * z[i][0] + g[3] * z[i][1] + g[5];
      const r1 = y1 + c1 / 2;
      const r2 = y2 + c2 / 2;
      const s1 = ((1 - l22) * r1 + l12 * r2) / det;
      const s2 = (l12 * r1 + (1 - l11) * r2) / det;
      mc += (s1 - y1) ** 2 + (s2 - y2) ** 2 - D(s1, s2);
    }
    mc /= n;
    const v = valueJs(game.sigma, game.beta, g, d);
    assert.ok(Math.abs(mc - v) < 0.03, `MC ${mc} vs ${v}`);
    const vj = game.loss(0, np.array(g, f64), np.array(d, f64)).js() as number;
    assert.ok(Math.abs(vj - v) < 1e-12);
    assert.ok(bestValueD(game.sigma, game.beta, g) >= v);
  });

  test("spectral projection keeps σ_max ≤ 1", () => {
    for (let k = 0; k < 200; k++) {
      const a = [0, 0, 0, 0].map(() => (Math.random() - 0.5) * 6);
      const p = projectSpectral(a);
      assert.ok(sigmaMax(p) <= 1 + 1e-12);
      if (sigmaMax(a) <= 1) assert.deepEqual(p, a);
    }
  });

  test("D's closed-form best response attains f(G) = sup_D V and beats perturbed D", () => {
    const sigma: [[number, number], [number, number]] = [
      [4, 0.5],
      [0.5, 1],
    ];
    for (const g of [
      [0.6, 0.1, -0.2, 0.5, 0.3, -0.4],
      [1, 0, 0, 1, 0, 0],
      [0.3, 0.2, 0.1, 0.9, 0, 1],
    ]) {
      const { d, feasible } = bestResponseD(sigma, 1.5, g);
      assert.ok(feasible);
      const v = valueJs(sigma, 1.5, g, d);
      assert.ok(Math.abs(v - bestValueD(sigma, 1.5, g)) < 1e-12, `${v}`);
      for (let k = 0; k < 5; k++) {
        const e = d.map((x, j) => x + 0.01 * Math.sin(7 * k + 3 * j));
        assert.ok(valueJs(sigma, 1.5, g, e) < v);
      }
    }
  });

  test("no local Nash over the grid: Σ = diag(4, 1) certifies every point; a realizable Σ leaves its Nash point uncertified", () => {
    const grid = noLocalNashGrid();
    assert.equal(grid.length, 512);
    assert.equal(grid.filter((p) => p.certificate === "none").length, 0);
    // Stationary only where A is orthogonal and b = 0 (the Stackelberg points), with ∇²_b V = −2β there.
    for (const p of grid.filter((q) => q.certificate === "second-order")) {
      assert.ok(Math.abs(sigmaMax(p.g.slice(0, 4)) - 1) < 1e-12 && p.g[4] === 0 && p.g[5] === 0);
      assert.ok(Math.abs(p.curvatureB + 2) < 1e-4);
    }
    // Σ = diag(0.5625, 0.25): G = (diag(0.75, 0.5), 0) reproduces the data, D_G = 0 and V(·, 0) ≡ 0 — a Nash
    // equilibrium, which the check must not certify away.
    const real = noLocalNashGrid(
      linearGaussian({
        sigma: [
          [0.5625, 0],
          [0, 0.25],
        ],
      }),
    );
    const none = real.filter((p) => p.certificate === "none");
    assert.ok(
      none.some((p) => p.g.join() === [0.75, -0, 0, 0.5, 0, 0].join()),
      JSON.stringify(none.map((p) => p.g)),
    );
  });

  test("the proximal gap is non-decreasing in λ (nested equilibria) at a non-equilibrium point", () => {
    const game = linearGaussian();
    const g = [0.8, 0, 0, 0.9, 0.2, 0.1];
    const d = bestResponseD(game.sigma, game.beta, g).d;
    const gaps = [0.05, 0.5, 5].map((l) => proximalGap(game.sigma, game.beta, l, g, d).gap);
    assert.ok(gaps[0] <= gaps[1] + 1e-9 && gaps[1] <= gaps[2] + 1e-9, gaps.join(", "));
    assert.ok(gaps[2] > gaps[0], gaps.join(", "));
  });

  test("the claims pass (no Nash equilibrium; a λ-proximal equilibrium is found)", async () => {
    const claims = await proximalClaims();
    for (const c of claims) assert.ok(c.pass, `${c.id}: ${c.measured} ${c.detail ?? ""}`);
  });
});

describe("nash gap of a trained run", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "saddle-nashgap-"));
  test("reports both players' improvements and before/after mode metrics", async () => {
    const spec = parseSpec({
      data: "ring",
      steps: 20,
      evalEvery: 20,
      checkpointEvery: 20,
      batch: 32,
      evalSamples: 200,
      generator: { hidden: [16] },
      discriminator: { hidden: [16] },
      objective: "wasserstein",
    });
    const run = RunDir.create(tmp, "tiny", spec);
    const r = await train(run, spec, datasetFor(spec.data), false);
    assert.equal(r.status, "completed");
    const rep = await nashGapOfRun(run.dir, { steps: 3, prox: 1 });
    for (const x of [rep.G.before, rep.G.after, rep.D.before, rep.D.after, rep.prox!.before, rep.prox!.after])
      assert.ok(Number.isFinite(x));
    assert.equal(rep.modesBefore.modes, 8);
    assert.equal(typeof rep.modesAfterG.modesCovered, "number");
    await assert.rejects(nashGapOfRun(run.dir, { steps: 5, prox: 0 }), UsageError);
    const empty = RunDir.create(tmp, "empty", spec);
    await assert.rejects(
      nashGapOfRun(empty.dir, { steps: 5 }),
      (e: Error) => e instanceof UsageError && /no checkpoints/.test(e.message),
    );
  });
});
