/**
 * Stackelberg / best-response methods: "best-response" (GLGD of the Purdue lecture, with k_D inner D steps or
 * the game's exact best response) and "unrolled" (Metz et al. 2017). On a bilinear game with Q ≻ 0 the
 * follower's best response is φ*(θ) = Q⁻¹Aᵀθ in closed form; unrolled's nested-AD generator gradient is
 * checked against finite differences of L^(θ)(θ, φ_k(θ)).
 */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { numpy as np, type Array as JArray } from "@jax-js/jax";
import { jacobian } from "../src/analysis/jacobian.ts";
import { matmul, predictedRate, unsupportedReason, updateOperator } from "../src/analysis/operators.ts";
import { runDynamics } from "../src/dynamics/run-dynamics.ts";
import { useDevice } from "../src/engine/device.ts";
import * as J from "../src/engine/joint.ts";
import * as T from "../src/engine/tree.ts";
import { bilinear } from "../src/games/bilinear.ts";
import { dirac } from "../src/games/dirac.ts";
import type { Game, Joint } from "../src/games/game.ts";
import { gan } from "../src/games/gan.ts";
import { bestResponse } from "../src/methods/best-response.ts";
import { createMethod, describeMethod, baseUpdates } from "../src/methods/registry.ts";
import type { MethodSpec } from "../src/methods/spec.ts";
import { unrolledGradient, unrolledLoss } from "../src/methods/unrolled.ts";
import { methodSpecOf, parseSpec } from "../src/spec/experiment.ts";
import { saddle } from "./helpers/cli.ts";
import { ring } from "./helpers/ring.ts";

before(async () => {
  await useDevice("wasm");
});

const f64 = { dtype: np.float64 };
const vec = (a: number[]): JArray => np.array(a, f64);
const read = (w: Joint): number[] => Array.from(J.toFloat64(T.ref(w)));
const close = (actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what = ""): void => {
  assert.equal(actual.length, expected.length);
  Array.from(actual).forEach((a, i) =>
    assert.ok(Math.abs(a - expected[i]) <= tol, `${what}[${i}] ${a} vs ${expected[i]} (±${tol})`),
  );
};
const mv = (m: number[][], x: number[]): number[] => m.map((r) => r.reduce((s, v, j) => s + v * x[j], 0));
const tr = (m: number[][]): number[][] => m[0].map((_, j) => m.map((r) => r[j]));

/** Runs n steps of `spec` from the game's start (deterministic game); returns ω_1..ω_n. */
function trajectory(game: Game, spec: MethodSpec, n: number, make = createMethod): number[][] {
  const m = make(game, spec);
  let w = game.init();
  let s = m.init(w);
  const out: number[][] = [];
  for (let t = 0; t < n; t++) {
    [w, s] = m.step(w, s);
    out.push(read(w));
  }
  T.dispose([w, s]);
  return out;
}

// θᵀAφ + ½θᵀPθ − ½φᵀQφ in R² × R², P = pI, Q = qI: φ*(θ) = Q⁻¹Aᵀθ = Aᵀθ/q.
const p = 0.25;
const q = 1;
const quad = (): Game & { matrix: number[][] } =>
  bilinear({
    dim: 2,
    seed: 4,
    p,
    q,
    init: [
      [1, -0.5],
      [0.5, 1],
    ],
  });
const A = quad().matrix;

/** The same game with an exact best-response hook (traceable: one matrix product). */
function withHook(): Game {
  const g = quad();
  const Br = tr(A).map((r) => r.map((x) => x / q));
  return {
    ...g,
    bestResponse: (i, x, y, key) => {
      key?.dispose();
      if (i !== 1) throw new Error("only D's response is known");
      T.dispose(y);
      return np.dot(vec(Br.flat()).reshape([2, 2]), x as JArray);
    },
  };
}

/** GLGD's closed form on the quadratic game: φ′ = φ*(θ), θ′ = θ − η_θ(Aφ′ + Pθ). */
function glgd([t0, t1]: number[], eta: number): number[] {
  const ph = mv(tr(A), [t0, t1]).map((x) => x / q);
  const g = mv(A, ph).map((x, i) => x + p * [t0, t1][i]);
  return [t0 - eta * g[0], t1 - eta * g[1], ...ph];
}

describe("best-response (GLGD) on a bilinear game with Q ≻ 0", () => {
  const eta = 0.25;
  test("k_D = 200 inner SGD steps: one round = the closed-form GLGD update (φ′ = Q⁻¹Aᵀθ) to 1e-6", () => {
    const spec: MethodSpec = { name: "best-response", lr: [eta, 0.5], steps: [1, 200] };
    const pts = trajectory(quad(), spec, 3);
    let w = [1, -0.5, 0.5, 1];
    for (const pt of pts) {
      w = glgd(w.slice(0, 2), eta);
      close(pt, w, 1e-6, "round");
    }
  });
  test("the game's exact bestResponse hook replaces the inner steps: the closed form to 1e-12", () => {
    const spec: MethodSpec = { name: "best-response", lr: [eta, 0.5], steps: [1, 3] };
    const pts = trajectory(withHook(), spec, 3);
    let w = [1, -0.5, 0.5, 1];
    for (const pt of pts) {
      w = glgd(w.slice(0, 2), eta);
      close(pt, w, 1e-12, "exact round");
    }
    // exact: false forces the 3 inner steps, which are not yet at φ*(θ)
    const inner = trajectory(withHook(), spec, 1, (g, s) =>
      bestResponse(
        { game: g, base: baseUpdates(g, s) },
        { steps: s.steps as [number, number], exact: false },
      ),
    );
    assert.ok(Math.abs(inner[0][2] - pts[0][2]) > 1e-3, `${inner[0][2]} vs ${pts[0][2]}`);
  });
  test("converges to the Stackelberg point = the Nash point (0, 0) of this convex-concave game", () => {
    for (const game of [quad(), withHook()]) {
      const spec: MethodSpec = { name: "best-response", lr: [0.5, 0.5], steps: [1, 30] };
      const run = runDynamics(game, createMethod(game, spec), { steps: 150 });
      assert.ok(run.distances.at(-1)! < 1e-8, `distance ${run.distances.at(-1)}`);
    }
  });
  test("its exact operator (alternating round with D first, k_D : k_G) reproduces the implemented steps", () => {
    const game = quad();
    const Jm = jacobian(game, game.init());
    for (const spec of [
      { name: "best-response", lr: [0.3, 0.2], steps: [2, 3] },
      { name: "best-response", lr: [0.3, 0.2], steps: [1, 4], momentum: -0.3 },
      { name: "best-response", lr: [0.3, 0.2], steps: [2, 0] },
    ] as MethodSpec[]) {
      assert.equal(unsupportedReason(spec), null);
      const op = updateOperator(spec, Jm, [2, 2])!;
      const pts = trajectory(game, spec, 4);
      const w0 = [1, -0.5, 0.5, 1];
      let x = op.length === 4 ? w0 : [...w0, ...w0]; // momentum: (ω, ω_prev) with a zero buffer
      for (const pt of pts) {
        x = mv(op, x);
        close(pt, x.slice(0, 4), 1e-12, JSON.stringify(spec));
      }
    }
    // k_D = 0 is plain gradient descent of θ: the operator's φ block is the identity
    const op0 = updateOperator({ name: "best-response", lr: [0.3, 0.2], steps: [1, 0] }, Jm, [2, 2])!;
    close(op0[2], [0, 0, 1, 0], 0);
    assert.ok(matmul(op0, op0).length === 4);
  });
  test("predicted ρ = the rate measured on a trajectory", () => {
    const game = quad();
    const spec: MethodSpec = { name: "best-response", lr: [0.4, 0.3], steps: [1, 5] };
    const rho = predictedRate(spec, jacobian(game, game.init()), [2, 2]).radius!;
    const pts = trajectory(game, spec, 60);
    const n = (a: number[]) => Math.hypot(...a);
    const measured = (n(pts[59]) / n(pts[29])) ** (1 / 30);
    assert.ok(rho < 1 && Math.abs(measured - rho) < 1e-3 * rho, `ρ ${rho}, measured ${measured}`);
  });
  test("bad steps are refused", () => {
    assert.throws(
      () => createMethod(quad(), { name: "best-response", lr: [0.1, 0.1], steps: [0, 2] }),
      /k_G/,
    );
    assert.match(
      unsupportedReason({ name: "best-response", lr: [0.1, 0.1], steps: [1, 1.5] }) ?? "",
      /integers/,
    );
  });
});

describe("unrolled (Metz et al. 2017)", () => {
  const fdGradient = (game: Game, k: number, lr: number, th: number[], ph: number[]): number[] => {
    const L = (t: number[]) => unrolledLoss(game, k, lr)(vec(t), vec(ph), []).js() as number;
    const h = 1e-6;
    return th.map((_, i) => {
      const a = [...th];
      const b = [...th];
      a[i] += h;
      b[i] -= h;
      return (L(a) - L(b)) / (2 * h);
    });
  };
  for (const [label, game, th, ph] of [
    ["bilinear with P, Q", quad(), [0.7, -0.4], [0.3, 1.1]],
    ["dirac non-saturating", dirac({ objective: "non-saturating" }), [0.8], [-0.6]],
    ["dirac minimax + gp", dirac({ objective: "minimax", gp: 0.3 }), [0.5], [0.9]],
  ] as [string, Game, number[], number[]][]) {
    test(`${label}: d/dθ L^(θ)(θ, φ_k(θ)) by nested AD = finite differences (k = 1, 3, 6)`, () => {
      for (const k of [1, 3, 6]) {
        const g = T.toFlat(unrolledGradient(game, k, 0.3)(vec(th), vec(ph), []));
        close(g, fdGradient(game, k, 0.3, th, ph), 1e-7, `k = ${k}`);
        // the unroll matters: not the plain ∇_θ L^(θ)(θ, φ)
        const g0 = T.toFlat(unrolledGradient(game, 0, 0.3)(vec(th), vec(ph), []));
        assert.ok(Math.abs(g[0] - g0[0]) > 1e-3, `k = ${k}: ${g[0]} vs ${g0[0]}`);
      }
    });
  }
  test("bilinear: the gradient equals the closed form Aφ_k + Pθ + c_k A(Aᵀθ − Qφ_k)", () => {
    // φ_{j+1} = (1 − η q)φ_j + η Aᵀθ, so ∂φ_k/∂θ = c_k Aᵀ with c_k = η Σ_{j<k} (1 − ηq)^j, and
    // dL/dθ = Aφ_k + pθ + c_k A(Aᵀθ − qφ_k).
    const [th, ph, eta, k] = [[0.7, -0.4], [0.3, 1.1], 0.3, 4];
    let phk = ph;
    for (let j = 0; j < k; j++) phk = phk.map((x, i) => (1 - eta * q) * x + eta * mv(tr(A), th)[i]);
    const ck = (eta * (1 - (1 - eta * q) ** k)) / (eta * q);
    const r = mv(tr(A), th).map((x, i) => x - q * phk[i]);
    const expected = mv(A, phk).map((x, i) => x + p * th[i] + ck * mv(A, r)[i]);
    close(T.toFlat(unrolledGradient(quad(), k, eta)(vec(th), vec(ph), [])), expected, 1e-12);
  });
  test("one jitted step with SGD: θ′ = θ − η·(unrolled gradient), φ′ = φ − η∇_φL^(φ)(θ′, φ)", () => {
    // (the bilinear game: jitted = eager exactly; Dirac-GAN's sigmoid differs by ~5e-9 between the two
    // even for a plain gradient, a jax-js float32-constant effect)
    const [eta, k] = [0.25, 3];
    const [th, ph] = [
      [1, -0.5],
      [0.5, 1],
    ];
    const g = T.toFlat(unrolledGradient(quad(), k, eta)(vec(th), vec(ph), []));
    const th1 = th.map((x, i) => x - eta * g[i]);
    const ph1 = ph.map((x, i) => x - eta * (q * x - mv(tr(A), th1)[i]));
    const pt = trajectory(quad(), { name: "unrolled", lr: [eta, eta], unroll: k }, 1)[0];
    close(pt, [...th1, ...ph1], 1e-12);
  });
  test("k = 0 reduces to alternating GDA (θ first), also with Adam on a stochastic game", () => {
    const specs: MethodSpec[] = [
      { name: "unrolled", lr: [0.3, 0.2], unroll: 0 },
      { name: "unrolled", lr: [0.3, 0.2], unroll: 0, optimizer: ["adam", "adam"], momentum: 0 },
    ];
    for (const spec of specs) {
      const u = trajectory(quad(), spec, 6);
      const a = trajectory(quad(), { ...spec, name: "alternating" }, 6);
      u.forEach((pt, t) => close(pt, a[t], 0, `step ${t}`));
      assert.notDeepEqual(trajectory(quad(), { ...spec, unroll: 2 }, 6)[5], a[5]);
    }
    const g = small();
    const spec: MethodSpec = { name: "unrolled", lr: [0.01, 0.01], unroll: 0, optimizer: ["adam", "adam"] };
    const ru = runDynamics(g, createMethod(g, spec), { steps: 3, seed: 5 }).final;
    const ra = runDynamics(g, createMethod(g, { ...spec, name: "alternating" }), { steps: 3, seed: 5 }).final;
    assert.deepEqual(ru, ra);
  });
  test("has no exact operator: a clear reason, a null radius", () => {
    const spec: MethodSpec = { name: "unrolled", lr: [0.1, 0.1] };
    assert.match(unsupportedReason(spec) ?? "", /unrolled.*not a function of J/);
    const Jm = jacobian(quad(), quad().init());
    assert.equal(updateOperator(spec, Jm, [2, 2]), null);
    assert.equal(predictedRate(spec, Jm, [2, 2]).radius, null);
  });
  test("bad unroll lengths are refused", () => {
    assert.throws(() => createMethod(quad(), { name: "unrolled", lr: [0.1, 0.1], unroll: -1 }), /--unroll/);
    assert.throws(() => createMethod(quad(), { name: "unrolled", lr: [0.1, 0.1], unroll: 2.5 }), /--unroll/);
  });
});

const small = () =>
  gan({
    data: ring,
    generator: { hidden: [8], activation: "tanh" },
    discriminator: { hidden: [8, 8], activation: "leaky-relu" },
    batch: 16,
    dtype: "float64",
    seed: 3,
  });

describe("both methods train a small GAN", () => {
  for (const spec of [
    { name: "best-response", lr: [1e-2, 1e-2], steps: [1, 3], optimizer: ["adam", "adam"] },
    { name: "unrolled", lr: [1e-2, 1e-2], unroll: 3, optimizer: ["adam", "adam"] },
    { name: "unrolled", lr: [1e-2, 1e-2], unroll: 2, momentum: -0.3 },
  ] as MethodSpec[]) {
    test(`${describeMethod(spec).split(":")[0]} ${JSON.stringify(spec.steps ?? spec.unroll)}: 20 steps, finite, moving; same seed → same run`, () => {
      const g = small();
      const run = runDynamics(g, createMethod(g, spec), { steps: 20, seed: 7 });
      assert.equal(run.nonFinite, null, JSON.stringify(run.nonFinite));
      assert.equal(run.stepsRun, 20);
      const w0 = read(g.init());
      assert.ok(run.final.some((x, i) => Math.abs(x - w0[i]) > 1e-4));
      const again = runDynamics(small(), createMethod(small(), spec), { steps: 20, seed: 7 });
      assert.deepEqual(again.final, run.final);
    });
  }
});

describe("spec and CLI", () => {
  test("the experiment spec carries unroll (default 5) into the MethodSpec", () => {
    assert.equal(methodSpecOf(parseSpec({ method: "unrolled" })).unroll, 5);
    assert.equal(methodSpecOf(parseSpec({ method: "unrolled", unroll: 2 })).unroll, 2);
    assert.throws(() => parseSpec({ unroll: 0 }), /unroll/);
    assert.deepEqual(methodSpecOf(parseSpec({ method: "best-response", kD: 4 })).steps, [1, 4]);
  });
  test("saddle dynamics --method best-response: predicted ρ = measured, converges", async () => {
    const r = await saddle([
      "dynamics",
      ...["--method", "best-response", "--q", "1", "--p", "0.2", "--k-phi", "10"],
      ...["--lr", "0.3", "--steps", "80", "--json"],
    ]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      predicted: { radius: number };
      measured: { rate: number };
      verdict: string;
    };
    assert.equal(out.verdict, "converges");
    assert.ok(Math.abs(out.predicted.radius - out.measured.rate) < 1e-4, r.stdout);
  });
  test("saddle dynamics --method unrolled: runs, says why there is no predicted ρ", async () => {
    const r = await saddle(["dynamics", "--method", "unrolled", "--lr", "0.2", "--steps", "60"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /unrolled: θ′ = θ − η d\/dθ/);
    assert.match(r.stdout, /predicted ρ\s+— \(unrolled: /);
    assert.match(r.stdout, /verdict\s+converges/);
  });
  test("saddle train --method unrolled --steps 10 writes a finished run", async () => {
    const fs = await import("node:fs");
    const os = await import("node:os");
    const path = await import("node:path");
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "saddle-unrolled-"));
    const r = await saddle([
      "train",
      ...["--method", "unrolled", "--steps", "10", "--batch", "16", "--eval-every", "10"],
      ...["--eval-samples", "100", "--out", out, "--json"],
    ]);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.ok(JSON.stringify(summary).includes("unrolled"), r.stdout.slice(0, 500));
    fs.rmSync(out, { recursive: true, force: true });
  });
});
