/**
 * The matrix-free landscape (src/analysis/krylov-schur.ts, point-operators.ts, landscape.ts, path-angle.ts):
 * Krylov–Schur and Lanczos against the dense spectra of an MLP GAN of 313 parameters in float64, the operators
 * against closed forms and finite differences, the path-angle against its closed form on a linear field, and
 * the CLI's bad-input errors.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { before, describe, test } from "node:test";
import { numpy as np, random } from "@jax-js/jax";
import {
  arnoldiEigs,
  lanczosExtremes,
  pseudoRandom,
  topK,
  trueResidual,
  type Which,
} from "../src/analysis/krylov-schur.ts";
import { denseJacobian, denseLandscape, landscape } from "../src/analysis/landscape.ts";
import { linspace, pathAngle } from "../src/analysis/path-angle.ts";
import { fieldEvaluator, pointOperators, type PointOperators } from "../src/analysis/point-operators.ts";
import { eigenResidual, eigenvectorOf, infNorm } from "../src/analysis/ritz.ts";
import { eigenvalues, symmetricEigenvalues, type Complex } from "../src/analysis/spectrum.ts";
import { ring } from "../src/data/toy2d/ring.ts";
import { useDevice } from "../src/engine/device.ts";
import * as J from "../src/engine/joint.ts";
import * as T from "../src/engine/tree.ts";
import { bilinear } from "../src/games/bilinear.ts";
import { gan } from "../src/games/gan.ts";
import type { Joint } from "../src/games/game.ts";
import { isOneLineError, saddle } from "./helpers/cli.ts";

const dist = (a: Complex, b: Complex): number => Math.hypot(a.re - b.re, a.im - b.im);

/** A 313-parameter MLP GAN (G 2→10→10→2, D 2→10→10→1, tanh) in float64 at its initial point. */
function smallGan(dtype: "float32" | "float64" = "float64") {
  const game = gan({
    data: ring(),
    generator: { hidden: [10, 10], activation: "tanh" },
    discriminator: { hidden: [10, 10], activation: "tanh" },
    latentDim: 2,
    batch: 32,
    dtype,
    seed: 3,
  });
  return { game, w: game.init() };
}

describe("Ritz vectors of a small matrix by inverse iteration", () => {
  test("‖Hy − λy‖ ≤ 1e-12‖H‖ for every eigenvalue, real and complex", () => {
    const m = 30;
    const r = pseudoRandom(m * m, 11);
    const H = Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => r[i * m + j]));
    const vals = eigenvalues(H);
    assert.ok(vals.some((z) => z.im !== 0) && vals.some((z) => z.im === 0));
    for (const z of vals) {
      const y = eigenvectorOf(H, z);
      assert.ok(eigenResidual(H, z, y) <= 1e-12 * infNorm(H), `λ = ${z.re} + ${z.im}i`);
      if (z.im === 0) assert.ok(y.im.every((x) => x === 0));
    }
  });
});

describe("point operators", () => {
  before(async () => {
    await useDevice("wasm");
  });

  test("bilinear game: ∇v·u = Mu with M = [[P, A], [−Aᵀ, Q]], Hessians P and Q", async () => {
    const A = [
      [1, 2],
      [-0.5, 0.3],
    ];
    const game = bilinear({ matrix: A, p: 0.3, q: 0.7 });
    const w = game.init();
    const ops = pointOperators(game, w);
    T.dispose(w);
    const M = [
      [0.3, 0, 1, 2],
      [0, 0.3, -0.5, 0.3],
      [-1, 0.5, 0.7, 0],
      [-2, -0.3, 0, 0.7],
    ];
    const u = Float64Array.from([0.4, -1.2, 2.5, 0.9]);
    const got = await ops.jacobian.apply(u);
    M.forEach((row, i) => assert.ok(Math.abs(got[i] - row.reduce((s, x, j) => s + x * u[j], 0)) < 1e-14));
    const hg = await ops.hessian[0].apply(Float64Array.from([1, -2]));
    const hd = await ops.hessian[1].apply(Float64Array.from([3, 1]));
    assert.deepEqual(
      Array.from(hg, (x) => Math.round(x * 1e12) / 1e12),
      [0.3, -0.6],
    );
    assert.deepEqual(
      Array.from(hd, (x) => Math.round(x * 1e12) / 1e12),
      [2.1, 0.7],
    );
    ops.dispose();
  });

  test("GAN: ∇v·u equals central finite differences of v on the same fixed batch", async () => {
    const { game, w } = smallGan();
    const layout = J.layoutOf(w);
    const x = J.toFloat64(T.ref(w));
    const ops = pointOperators(game, w, random.key(5));
    const field = fieldEvaluator(game, layout, random.key(5));
    const u = pseudoRandom(x.length, 4);
    const eps = 1e-3; // jax-js's tanh and exp are float32-accurate even on float64 arrays
    const vp = (await field.at(x.map((xi, i) => xi + eps * u[i]))).v;
    const vm = (await field.at(x.map((xi, i) => xi - eps * u[i]))).v;
    const jv = await ops.jacobian.apply(u);
    const fd = vp.map((a, i) => (a - vm[i]) / (2 * eps));
    const err = Math.max(...jv.map((a, i) => Math.abs(a - fd[i])));
    const scale = Math.max(...jv.map(Math.abs));
    assert.ok(err < 1e-4 * scale, `max |Jv − FD| = ${err} (scale ${scale})`);
    field.dispose();
    ops.dispose();
    T.dispose(w);
  });
});

describe("Krylov–Schur and Lanczos against the dense spectrum of a 313-parameter MLP GAN (float64)", () => {
  let ops: PointOperators;
  let Jd: number[][];
  let dense: Complex[];
  before(async () => {
    await useDevice("wasm");
    const { game, w } = smallGan();
    ops = pointOperators(game, w, random.key(5));
    T.dispose(w);
    Jd = await denseJacobian(ops.jacobian);
    dense = eigenvalues(Jd);
  });

  for (const which of ["magnitude", "real", "imag"] as Which[]) {
    test(`top-8 by ${which}: equal to the dense top-8 within 1e-8; residuals ‖Jx − λx‖ small and true`, async () => {
      const k = 8;
      const { eigenpairs, run } = await arnoldiEigs(ops.jacobian, k, which, { tol: 1e-12, vectors: true });
      assert.ok(run.converged);
      if (which === "magnitude") assert.ok(run.products < ops.jacobian.n, `${run.products} products`);
      const ref = topK(dense, k, which);
      eigenpairs.forEach((p, i) =>
        assert.ok(dist(p.value, ref[i]) < 1e-8, `${which} #${i}: ${dist(p.value, ref[i])}`),
      );
      if (which === "imag") assert.ok(ref[0].im > 0.1, "the test needs complex eigenvalues");
      for (const p of eigenpairs) {
        assert.ok(p.residual <= 1e-12 * run.scale);
        const r = await trueResidual(ops.jacobian, p.value, p.vector as NonNullable<typeof p.vector>);
        assert.ok(Math.abs(r - p.residual) < 1e-10 * run.scale, `true ${r} vs Krylov ${p.residual}`);
      }
    });
  }

  test("each player's Hessian: Lanczos top-5 and bottom-5 equal the dense symmetric spectrum within 1e-8", async () => {
    for (const i of [0, 1] as const) {
      const o = i === 0 ? 0 : ops.sizes[0];
      const s = ops.sizes[i];
      const block = Jd.slice(o, o + s).map((row) => row.slice(o, o + s));
      const ref = symmetricEigenvalues(block);
      const h = await lanczosExtremes(ops.hessian[i], 5, 5, { tol: 1e-12 });
      assert.ok(h.run.converged);
      h.top.forEach((p, t) => assert.ok(Math.abs(p.value - ref[s - 1 - t]) < 1e-8, `top ${t}`));
      h.bottom.forEach((p, t) => assert.ok(Math.abs(p.value - ref[t]) < 1e-8, `bottom ${t}`));
      assert.ok(ref[0] < 0, "the test point should have negative curvature");
    }
  });

  test("landscape and --dense agree on every number and have the same shape", async () => {
    const opts = { k: 6, which: "magnitude" as const, hessianK: 3, tol: 1e-12 };
    const a = await landscape(ops, ["G", "D"], "float64", opts);
    const b = await denseLandscape(ops, ["G", "D"], "float64", opts);
    assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort());
    assert.deepEqual(Object.keys(a.game).sort(), Object.keys(b.game).sort());
    a.game.eigenvalues.forEach((z, i) => assert.ok(dist(z, b.game.eigenvalues[i]) < 1e-8));
    assert.ok(Math.abs((a.leftmost?.re ?? NaN) - (b.leftmost?.re ?? NaN)) < 1e-8);
    a.hessians.forEach((h, i) => {
      h.bottom.forEach((e, t) => assert.ok(Math.abs(e.value - b.hessians[i].bottom[t].value) < 1e-8));
    });
    assert.equal(a.type.kind, b.type.kind);
  });
});

describe("float32", () => {
  test("the same GAN in float32: top-4 by magnitude within 1e-4 relative of float64 and converged", async () => {
    await useDevice("wasm");
    const run = async (dtype: "float32" | "float64") => {
      const { game, w } = smallGan(dtype);
      const ops = pointOperators(game, w, random.key(5));
      T.dispose(w);
      const r = await arnoldiEigs(ops.jacobian, 4, "magnitude", { tol: dtype === "float32" ? 1e-4 : 1e-11 });
      ops.dispose();
      return r;
    };
    const a = await run("float32");
    const b = await run("float64");
    assert.ok(a.run.converged);
    a.eigenpairs.forEach((p, i) => assert.ok(dist(p.value, b.eigenpairs[i].value) < 1e-4 * b.run.scale));
  });
});

describe("path-angle", () => {
  test("linear field v = Mω: cos(α) = ⟨M ω_α, ω_A − ω_B⟩ / (‖M ω_α‖ ‖ω_A − ω_B‖), losses in closed form", async () => {
    await useDevice("wasm");
    const A = [
      [1, 2],
      [-0.5, 0.3],
    ];
    const game = bilinear({ matrix: A, p: 0.3, q: 0.7 });
    const M = [
      [0.3, 0, 1, 2],
      [0, 0.3, -0.5, 0.3],
      [-1, 0.5, 0.7, 0],
      [-2, -0.3, 0, 0.7],
    ];
    const a = [1, -2, 0.5, 3];
    const b = [0.2, 0.1, -0.4, 0.6];
    const joint = (x: number[]): Joint => [
      np.array(x.slice(0, 2), { dtype: np.float64 }),
      np.array(x.slice(2), { dtype: np.float64 }),
    ];
    const wa = joint(a);
    const wb = joint(b);
    const pts = await pathAngle(game, wa, wb, { points: 13 });
    T.dispose(wa);
    T.dispose(wb);
    const alphas = linspace(-0.1, 1.1, 13);
    const d = a.map((x, i) => x - b[i]);
    const dn = Math.hypot(...d);
    pts.forEach((p, t) => {
      const al = alphas[t];
      assert.ok(Math.abs(p.alpha - al) < 1e-15);
      const w = a.map((x, i) => (1 - al) * x + al * b[i]);
      const v = M.map((row) => row.reduce((s, x, j) => s + x * w[j], 0));
      const vn = Math.hypot(...v);
      const cos = v.reduce((s, x, i) => s + x * d[i], 0) / (vn * dn);
      assert.ok(Math.abs(p.cos - cos) < 1e-12, `α = ${al}: ${p.cos} vs ${cos}`);
      assert.ok(Math.abs(p.fieldNorm - vn) < 1e-12);
      const [t0, t1, f0, f1] = w;
      const L =
        t0 * (A[0][0] * f0 + A[0][1] * f1) +
        t1 * (A[1][0] * f0 + A[1][1] * f1) +
        0.15 * (t0 * t0 + t1 * t1) -
        0.35 * (f0 * f0 + f1 * f1);
      assert.ok(Math.abs(p.losses[0] - L) < 1e-12 && Math.abs(p.losses[1] + L) < 1e-12);
    });
  });
});

describe("saddle analyze --run: bad input is one line, exit 2", () => {
  let tmp: string;
  let runDir: string;
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "saddle-landscape-"));
    const spec = path.join(tmp, "tiny.json");
    fs.writeFileSync(
      spec,
      JSON.stringify({
        data: "ring",
        generator: { hidden: [4], activation: "tanh" },
        discriminator: { hidden: [4], activation: "tanh" },
        dtype: "float64",
        batch: 16,
        steps: 4,
        evalEvery: 4,
        evalSamples: 64,
        checkpointEvery: 2,
      }),
    );
    const r = await saddle(["train", "--spec", spec, "--out", tmp, "--name", "tiny", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    runDir = path.join(tmp, "tiny");
    fs.mkdirSync(path.join(tmp, "empty", "checkpoints"), { recursive: true });
    fs.copyFileSync(path.join(runDir, "spec.json"), path.join(tmp, "empty", "spec.json"));
  });

  test("k larger than the dimension", async () => {
    const r = await saddle(["analyze", "--run", runDir, "--top", "500"]);
    assert.ok(isOneLineError(r), r.stderr);
    assert.match(r.stderr, /--top: 500 eigenvalues asked; must be an integer from 1 to the dimension 39/);
    assert.equal(r.stdout, "");
  });
  test("a run without checkpoints", async () => {
    const r = await saddle(["analyze", "--run", path.join(tmp, "empty")]);
    assert.ok(isOneLineError(r), r.stderr);
    assert.match(r.stderr, /--run: '.*empty' has no checkpoints/);
  });
  test("a step that does not exist", async () => {
    const r = await saddle(["analyze", "--run", runDir, "--step", "3"]);
    assert.ok(isOneLineError(r), r.stderr);
    assert.match(r.stderr, /--step: run '.*tiny' has no checkpoint at step 3; it has steps 2, 4/);
    const p = await saddle(["analyze", "--path-angle", `${runDir}@2`, `${runDir}@7`]);
    assert.ok(isOneLineError(p), p.stderr);
    assert.match(p.stderr, /--path-angle: run '.*tiny' has no checkpoint at step 7/);
  });
  test("--which outside magnitude, real, imag", async () => {
    const r = await saddle(["analyze", "--run", runDir, "--which", "left"]);
    assert.ok(isOneLineError(r), r.stderr);
    assert.match(r.stderr, /--which: unknown value 'left'; allowed: magnitude, real, imag/);
  });
  test("a good run: --json holds the top-k, both Hessians and the type", async () => {
    const r = await saddle(["analyze", "--run", runDir, "--top", "4", "--hessian-k", "2", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.n, 39);
    assert.equal(j.game.eigenvalues.length, 4);
    assert.equal(j.hessians[0].top.length, 2);
    assert.ok(["local-nash", "locally-stable-not-nash", "unstable", "undetermined"].includes(j.type.kind));
  });
});
