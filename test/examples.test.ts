import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { test } from "node:test";
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { ROOT, saddle } from "./helpers/cli.ts";

test("examples/custom-game.ts (the README's user-defined game) runs and its rates agree", async () => {
  const out = await new Promise<string>((resolve, reject) =>
    execFile(
      process.execPath,
      ["--import", "tsx", path.join(ROOT, "examples/custom-game.ts")],
      { cwd: ROOT },
      (e, so) => (e ? reject(e) : resolve(so)),
    ),
  );
  const r = JSON.parse(out.trim().split("\n").pop() as string) as { predicted: number; measured: number };
  assert.ok(Math.abs(r.predicted - Math.sqrt(1 - 0.25 + 0.0625)) < 1e-9);
  assert.ok(Math.abs(r.measured / r.predicted - 1) < 0.02);
});

test("examples/general-sum-game.ts through the CLI: Jacobian, eigenvalues and predicted radii = closed form", async () => {
  const { A, B, C, D } = await import("../examples/general-sum-game.ts");
  // J = [[A, B], [½C, D]]
  const J = [...A.map((r, i) => [...r, ...B[i]]), ...C.map((r, i) => [...r.map((x) => x / 2), ...D[i]])];
  const evd = new EigenvalueDecomposition(new Matrix(J), { assumeSymmetric: false });
  const lams = evd.realEigenvalues.map((re, i) => ({ re, im: evd.imaginaryEigenvalues[i] }));
  const eta = 0.2;
  type Z = { re: number; im: number };
  const mul = (a: Z, b: Z): Z => ({ re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re });
  const abs = (a: Z): number => Math.hypot(a.re, a.im);
  const sqrt = (z: Z): Z => {
    const r = abs(z);
    return {
      re: Math.sqrt((r + z.re) / 2),
      im: Math.sign(z.im || 1) * Math.sqrt(Math.max(0, (r - z.re) / 2)),
    };
  };
  const el = (l: Z): Z => ({ re: eta * l.re, im: eta * l.im }); // ηλ
  const closed: Record<string, number> = {
    simultaneous: Math.max(...lams.map((l) => abs({ re: 1 - el(l).re, im: -el(l).im }))),
    extragradient: Math.max(
      ...lams.map((l) => {
        const q = mul(el(l), el(l));
        return abs({ re: 1 - el(l).re + q.re, im: -el(l).im + q.im });
      }),
    ),
    "proximal-point": Math.max(...lams.map((l) => 1 / abs({ re: 1 + el(l).re, im: el(l).im }))),
    // μ² − (1 − 2ηλ)μ − ηλ = 0
    optimistic: Math.max(
      ...lams.flatMap((l) => {
        const b = { re: 1 - 2 * el(l).re, im: -2 * el(l).im };
        const b2 = mul(b, b);
        const s = sqrt({ re: b2.re + 4 * el(l).re, im: b2.im + 4 * el(l).im });
        return [
          abs({ re: (b.re + s.re) / 2, im: (b.im + s.im) / 2 }),
          abs({ re: (b.re - s.re) / 2, im: (b.im - s.im) / 2 }),
        ];
      }),
    ),
  };
  const game = "./examples/general-sum-game.ts";
  const an = await saddle(["analyze", "--game", game, "--lr", String(eta), "--json"]);
  assert.equal(an.code, 0, an.stderr);
  const a = JSON.parse(an.stdout) as {
    point: number[];
    jacobian: number[][];
    eigenvalues: Z[];
    methods: { method: string; radius: number }[];
    classification: { kind: string };
  };
  assert.deepEqual(a.point, [1, -1, 0.5, 2]);
  J.forEach((row, i) =>
    row.forEach((x, j) => assert.ok(Math.abs(a.jacobian[i][j] - x) < 1e-12, `J[${i}][${j}]`)),
  );
  for (const l of lams)
    assert.ok(Math.min(...a.eigenvalues.map((z) => abs({ re: z.re - l.re, im: z.im - l.im }))) < 1e-9);
  for (const [m, rho] of Object.entries(closed)) {
    const row = a.methods.find((r) => r.method === m);
    assert.ok(row && Math.abs(row.radius - rho) < 1e-9, `${m}: ${row?.radius} vs closed form ${rho}`);
  }
  assert.equal(a.classification.kind, "strict-local-nash");
  const dy = await saddle([
    "dynamics",
    "--game",
    game,
    "--method",
    "extragradient",
    "--lr",
    String(eta),
    "--steps",
    "150",
    "--json",
  ]);
  assert.equal(dy.code, 0, dy.stderr);
  const d = JSON.parse(dy.stdout) as {
    predicted: { radius: number };
    measured: { rate: number };
    verdict: string;
  };
  assert.ok(Math.abs(d.predicted.radius - closed.extragradient) < 1e-9);
  assert.ok(Math.abs(d.measured.rate / d.predicted.radius - 1) < 0.01, `measured ${d.measured.rate}`);
  assert.equal(d.verdict, "converges");
});

test("a game file outside saddle's folder (os.tmpdir(), plain JS, no package.json) finds @jax-js/jax and runs", async () => {
  const os = await import("node:os");
  const fs = await import("node:fs");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "saddle-user-game-"));
  const file = path.join(dir, "rotation.js");
  // L^(θ) = θφ + θ²/2, L^(φ) = −θφ: v = (φ + θ, −θ), J = [[1, 1], [−1, 0]], eigenvalues (1 ± i√3)/2.
  fs.writeFileSync(
    file,
    `import { numpy as np } from "@jax-js/jax";
export default {
  name: "rotation-plus-damping", description: "θφ + θ²/2 vs −θφ", players: ["theta", "phi"],
  dtype: "float64", zeroSum: false,
  loss: (i, x, y) => i === 0 ? np.sum(x.ref.mul(y)).add(np.sum(x.ref.mul(x)).div(2)) : np.sum(x.mul(y)).neg(),
  init: () => [np.array([1], { dtype: np.float64 }), np.array([1], { dtype: np.float64 })],
  equilibrium: () => [np.array([0], { dtype: np.float64 }), np.array([0], { dtype: np.float64 })],
};
`,
  );
  try {
    const r = await saddle(["analyze", "--game", file, "--json"], dir);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { jacobian: number[][]; eigenvalues: { re: number; im: number }[] };
    assert.deepEqual(out.jacobian, [
      [1, 1],
      [-1, 0],
    ]);
    const ims = out.eigenvalues.map((z) => z.im).sort((a, b) => a - b);
    for (const z of out.eigenvalues) assert.ok(Math.abs(z.re - 0.5) < 1e-12);
    assert.ok(Math.abs(ims[1] - Math.sqrt(3) / 2) < 1e-12 && Math.abs(ims[0] + Math.sqrt(3) / 2) < 1e-12);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
