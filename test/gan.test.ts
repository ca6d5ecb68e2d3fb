import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { jit, numpy as np, random } from "@jax-js/jax";
import { flatVectorField } from "../src/analysis/jacobian.ts";
import { runDynamics } from "../src/dynamics/run-dynamics.ts";
import { dtypeOf, useDevice, type DTypeName } from "../src/engine/device.ts";
import { UsageError } from "../src/engine/errors.ts";
import * as J from "../src/engine/joint.ts";
import * as T from "../src/engine/tree.ts";
import { dirac } from "../src/games/dirac.ts";
import { gan, type GanOptions, type Sampler } from "../src/games/gan.ts";
import type { Joint } from "../src/games/game.ts";
import { vectorField } from "../src/games/vector-field.ts";
import { mlpApply, mlpInit, mlpSize, type MlpParams } from "../src/models/mlp.ts";
import { OBJECTIVE_NAMES } from "../src/objectives/registry.ts";
import { createMethod, updatesPerRound } from "../src/methods/registry.ts";
import { METHOD_NAMES } from "../src/methods/spec.ts";
import { ring } from "./helpers/ring.ts";

before(async () => {
  await useDevice("wasm");
});

const f64 = { dtype: np.float64 };

/** Data = a point mass at 0 in 1-d (the Dirac-GAN's data). */
const atZero: Sampler = {
  dim: 1,
  sample: (key, n, dtype: DTypeName = "float32") => {
    key.dispose();
    return np.zeros([n, 1], { dtype: dtypeOf(dtype) });
  },
};

const small = (o: Partial<GanOptions> = {}): ReturnType<typeof gan> =>
  gan({
    data: ring,
    generator: { hidden: [5], activation: "tanh" },
    discriminator: { hidden: [4, 3], activation: "leaky-relu" },
    batch: 8,
    dtype: "float64",
    seed: 3,
    ...o,
  });

describe("MLP", () => {
  test("mlpApply: x W₀ + b₀ → activation → x W₁ + b₁ (last layer linear), against hand computation", () => {
    const p: MlpParams = [
      {
        w: np.array(
          [
            [1, -1],
            [2, 0.5],
          ],
          f64,
        ),
        b: np.array([0.5, -1], f64),
      },
      { w: np.array([[2], [3]], f64), b: np.array([0.25], f64) },
    ];
    const x = np.array(
      [
        [1, 1],
        [-1, 0.5],
      ],
      f64,
    );
    // h = [[3.5, -1.5], [0.5, 0.25]] → relu [[3.5, 0], [0.5, 0.25]] → [[7.25], [2]]
    assert.deepEqual(mlpApply(T.ref(p), x.ref, "relu").js(), [[7.25], [2]]);
    // leaky (0.2): [[3.5, -0.3], [0.5, 0.25]] → [[6.35], [2]]
    const lk = mlpApply(T.ref(p), x.ref, "leaky-relu").js() as number[][];
    assert.ok(Math.abs(lk[0][0] - 6.35) < 1e-12 && Math.abs(lk[1][0] - 2) < 1e-12);
    const el = mlpApply(T.ref(p), x.ref, "elu").js() as number[][];
    assert.ok(Math.abs(el[0][0] - (7 + 3 * (Math.exp(-1.5) - 1) + 0.25)) < 1e-6);
    const th = mlpApply(p, x, "tanh").js() as number[][];
    assert.ok(Math.abs(th[1][0] - (2 * Math.tanh(0.5) + 3 * Math.tanh(0.25) + 0.25)) < 1e-6);
  });

  test("mlpInit: seeded; He uniform bound √(6/n_in), Glorot uniform √(6/(n_in+n_out)), normal std; zero biases", () => {
    const a = mlpInit(random.key(1), [64, 128, 1], "float64");
    const b = mlpInit(random.key(1), [64, 128, 1], "float64");
    assert.deepEqual(T.toFlat(T.ref(a)), T.toFlat(T.ref(b)));
    assert.equal(mlpSize(a), 64 * 128 + 128 + 128 + 1);
    const w0 = a[0].w.ref.js().flat() as number[];
    const bound = Math.sqrt(6 / 64);
    assert.ok(w0.every((v) => Math.abs(v) <= bound) && Math.max(...w0.map(Math.abs)) > 0.95 * bound);
    assert.ok((a[0].b.ref.js() as number[]).every((v) => v === 0));
    const g = mlpInit(random.key(2), [64, 128], "float64", "glorot")[0].w.js().flat() as number[];
    const gb = Math.sqrt(6 / 192);
    assert.ok(g.every((v) => Math.abs(v) <= gb) && Math.max(...g.map(Math.abs)) > 0.95 * gb);
    const n = mlpInit(random.key(3), [64, 128], "float64", "he-normal")[0].w.js().flat() as number[];
    const std = Math.sqrt(n.reduce((s, v) => s + v * v, 0) / n.length);
    assert.ok(Math.abs(std - Math.sqrt(2 / 64)) < 0.01, `he-normal std ${std}`);
    T.dispose([a, b]);
  });
});

describe("GAN game", () => {
  test("defaults: REFERENCE.md's pair G 2→128→128→2, D 2→128→128→1, batch 256, float32; seeded init", () => {
    const g = gan({ data: ring });
    assert.deepEqual(g.players, ["G", "D"]);
    assert.equal(g.stochastic, true);
    assert.equal(g.dtype, "float32");
    assert.equal(g.batch, 256);
    assert.equal(g.objective.name, "non-saturating");
    const [G, D] = g.init();
    assert.deepEqual(
      G.map((l) => l.w.shape),
      [
        [2, 128],
        [128, 128],
        [128, 2],
      ],
    );
    assert.deepEqual(D.map((l) => l.w.shape).at(-1), [128, 1]);
    assert.equal(mlpSize(G), 17154);
    assert.equal(mlpSize(D), 17025);
    assert.deepEqual(J.toFloat64(g.init()), J.toFloat64([G, D]));
    assert.notDeepEqual(
      J.toFloat64(gan({ data: ring, seed: 1 }).init()).slice(0, 10),
      J.toFloat64(g.init()).slice(0, 10),
    );
    assert.match(g.description, /2→128→128→2 relu/);
  });

  test("clip: [null, 0.01] for wasserstein, none otherwise; bad options are UsageErrors", () => {
    assert.deepEqual(gan({ data: ring, objective: "wasserstein" }).clip, [null, 0.01]);
    assert.deepEqual(gan({ data: ring, objective: "wasserstein", objectiveOptions: { clip: 0.1 } }).clip, [
      null,
      0.1,
    ]);
    assert.equal(gan({ data: ring, objective: "wgan-gp" }).clip, undefined);
    assert.equal(gan({ data: ring, objective: "wgan-gp", penalties: { gpLambda: 2 } }).penalties.gpLambda, 2);
    assert.equal(gan({ data: ring, objective: "hinge", penalties: { gpLambda: 2 } }).penalties.gpLambda, 2);
    assert.throws(() => gan({ data: ring, batch: 0 }), UsageError);
    assert.throws(() => gan({ data: ring, penalties: { r1: -1 } }), UsageError);
    assert.throws(() => gan({ data: ring, objective: "nope" as "hinge" }), UsageError);
  });

  const variants: [string, Partial<GanOptions>][] = [
    ...OBJECTIVE_NAMES.map((o): [string, Partial<GanOptions>] => [o, { objective: o }]),
    ["non-saturating + R1 + R2", { objective: "non-saturating", penalties: { r1: 0.5, r2: 0.25 } }],
    ["wasserstein + R1", { objective: "wasserstein", penalties: { r1: 1 } }],
    ["hinge + GP λ 2", { objective: "hinge", penalties: { gpLambda: 2 } }],
  ];
  for (const [name, o] of variants) {
    test(`${name}: jitted vector field = plain vector field (float64), and the same key gives the same field`, () => {
      const g = small(o);
      const w = g.init();
      const layout = J.layoutOf(w);
      const f = flatVectorField(g, layout);
      const fj = jit(f);
      const x0 = J.flatten(w);
      for (const seed of [1, 2]) {
        const plain = f(x0.ref, random.key(seed)).js() as number[];
        const again = f(x0.ref, random.key(seed)).js() as number[];
        const jitted = fj(x0.ref, random.key(seed)).js() as number[];
        assert.deepEqual(again, plain);
        assert.ok(plain.every(Number.isFinite) && plain.some((v) => v !== 0));
        const scale = Math.max(1, ...plain.map(Math.abs));
        plain.forEach((v, i) =>
          assert.ok(Math.abs(v - jitted[i]) <= 1e-12 * scale, `${name} v${i}: ${v} vs jit ${jitted[i]}`),
        );
      }
      const other = f(x0.ref, random.key(9)).js() as number[];
      const one = f(x0, random.key(1)).js() as number[];
      assert.notDeepEqual(other, one);
      fj.dispose();
    });
  }

  test("both players' losses at one key see the same batch: with WGAN, L_D + L_G = −E D(x) does not depend on G", () => {
    const g = small({ objective: "wasserstein" });
    const [G, D] = g.init();
    const G2 = T.map(T.ref(G), (a) => a.mul(np.full([], -1.7, f64)).add(np.full([], 0.3, f64)));
    const sum = (Gp: MlpParams, k: number) =>
      (g.loss(0, T.ref(Gp), T.ref(D), random.key(k)).js() as number) +
      (g.loss(1, T.ref(Gp), T.ref(D), random.key(k)).js() as number);
    const s1 = sum(G, 4);
    assert.ok(Math.abs(s1 - sum(G2, 4)) < 1e-12, `${s1} vs ${sum(G2, 4)}`);
    // and it is −E D(x) on the real batch drawn from the key's first split
    const real = ring.sample(random.split(random.key(4), 3).slice(0), g.batch, "float64");
    const meanD = (g.discriminate(D, real).js() as number[][]).flat().reduce((s, v) => s + v, 0) / g.batch;
    assert.ok(Math.abs(s1 + meanD) < 1e-12, `${s1} vs ${-meanD}`);
    // the losses at another key differ
    assert.ok(Math.abs(sum(G, 5) - s1) > 1e-6);
    T.dispose([G, D, G2]);
  });

  test("Dirac data at 0 with G(z) = θ (zero weight, bias θ) and linear D reproduces the Dirac-GAN field", () => {
    // Mescheder et al.'s D is the negative of a logit: dirac's ψ ↔ our D(x) = −ψx.
    const pairs: [string, Partial<GanOptions>, Parameters<typeof dirac>[0]][] = [
      ["minimax", { objective: "minimax" }, { objective: "minimax" }],
      ["non-saturating", { objective: "non-saturating" }, { objective: "non-saturating" }],
      ["wasserstein", { objective: "wasserstein" }, { objective: "wgan" }],
      [
        "non-saturating + R1 0.3",
        { objective: "non-saturating", penalties: { r1: 0.3 } },
        { objective: "non-saturating", gp: 0.3 },
      ],
    ];
    for (const [name, o, d] of pairs) {
      const g = gan({
        data: atZero,
        latentDim: 1,
        generator: { hidden: [], activation: "relu" },
        discriminator: { hidden: [], activation: "relu" },
        batch: 4,
        dtype: "float64",
        ...o,
      });
      const dg = dirac({ ...d, dtype: "float64" });
      for (const [th, psi] of [
        [0.7, -0.4],
        [-1.3, 0.9],
        [0, 0],
      ]) {
        const w: Joint = [
          [{ w: np.zeros([1, 1], f64), b: np.array([th], f64) }],
          [{ w: np.array([[-psi]], f64), b: np.zeros([1], f64) }],
        ];
        const [vG, vD] = vectorField(g)(w[0], w[1], random.key(2)) as [MlpParams, MlpParams];
        const ref = J.toFloat64(vectorField(dg)(np.array([th], f64), np.array([psi], f64)));
        const vTheta = vG[0].b.js() as number[];
        const vPsi = vD[0].w.js() as number[][];
        assert.ok(
          Math.abs(vTheta[0] - ref[0]) < 1e-7,
          `${name} (${th}, ${psi}) v_θ ${vTheta[0]} vs ${ref[0]}`,
        );
        assert.ok(
          Math.abs(-vPsi[0][0] - ref[1]) < 1e-7,
          `${name} (${th}, ${psi}) v_ψ ${-vPsi[0][0]} vs ${ref[1]}`,
        );
      }
    }
  });

  test("generate, discriminate and evaluate: shapes, borrowing, and evaluate's losses = loss() at the same key", () => {
    const g = small({ objective: "minimax" });
    const w = g.init();
    const x = g.generate(w[0] as MlpParams, random.key(1), 10);
    assert.deepEqual(x.shape, [10, 2]);
    assert.deepEqual(g.discriminate(w[1] as MlpParams, x).shape, [10, 1]);
    const e = g.evaluate(w, random.key(6), g.batch);
    const lD = g.loss(1, T.ref(w[0]), T.ref(w[1]), random.key(6)).js() as number;
    const lG = g.loss(0, T.ref(w[0]), T.ref(w[1]), random.key(6)).js() as number;
    assert.ok(Math.abs(e.lossD - lD) < 1e-12 && Math.abs(e.lossG - lG) < 1e-12, JSON.stringify(e));
    assert.ok(e.meanDReal > 0 && e.meanDReal < 1 && e.meanDFake > 0 && e.meanDFake < 1);
    const v = J.toFloat64(vectorField(g)(T.ref(w[0]), T.ref(w[1]), random.key(6)));
    const nG = Math.hypot(...v.slice(0, J.layoutOf(w).sizes[0]));
    const nD = Math.hypot(...v.slice(J.layoutOf(w).sizes[0]));
    assert.ok(Math.abs(e.gradNormG - nG) < 1e-9 && Math.abs(e.gradNormD - nD) < 1e-9, `${e.gradNormG} ${nG}`);
    // w was borrowed: still usable
    assert.equal(
      J.toFloat64(w).length,
      J.layoutOf(g.init()).sizes.reduce((a, b) => a + b),
    );
    const hw = g.evaluate(small({ objective: "hinge" }).init(), random.key(1), 32);
    assert.ok(Object.values(hw).every(Number.isFinite));
  });

  test("WGAN: an alternating step keeps every D weight in [−c, c]", () => {
    const g = small({ objective: "wasserstein" });
    const m = createMethod(g, { name: "alternating", lr: [0.01, 0.01], optimizer: ["rmsprop", "rmsprop"] });
    let w: Joint = g.init();
    let s = m.init(w, random.key(0));
    [w, s] = m.step(w, s, random.key(1));
    const d = T.toFlat(w[1]);
    assert.ok(d.every((v) => Math.abs(v) <= 0.01 + 1e-15) && d.some((v) => Math.abs(v) === 0.01));
    T.dispose([w[0], s]);
  });
});

/** Mean distance of n generated samples to the origin; borrows G. */
function meanRadius(g: ReturnType<typeof gan>, G: MlpParams, n = 2500): number {
  const x = g.generate(G, random.key(12345), n).js() as number[][];
  return x.reduce((s, [a, b]) => s + Math.hypot(a, b), 0) / n;
}

describe("GAN training (default sizes, float32, wasm)", () => {
  test("alternating Adam, 300 steps on the 8-Gaussian ring: samples move toward radius 2, everything finite", () => {
    const g = gan({ data: ring, seed: 0 });
    const m = createMethod(g, { name: "alternating", lr: [1e-3, 1e-3], optimizer: ["adam", "adam"] });
    const w0 = g.init();
    const r0 = meanRadius(g, w0[0] as MlpParams);
    const t0 = performance.now();
    let last = 0;
    const run = runDynamics(g, m, {
      steps: 300,
      seed: 1,
      onStep: (t) => {
        if (t === 20) last = performance.now();
      },
    });
    const msPerStep = (performance.now() - last) / 280;
    assert.equal(run.nonFinite, null);
    assert.equal(run.stepsRun, 300);
    const layout = J.layoutOf(w0);
    const [G] = J.unflatten(layout, np.array(run.final, { dtype: np.float32 }));
    const r1 = meanRadius(g, G as MlpParams);
    console.log(
      `# alternating Adam, G 2→128→128→2 / D 2→128→128→1, batch 256, wasm: ${msPerStep.toFixed(2)} ms/step ` +
        `(incl. read-back; ${(performance.now() - t0).toFixed(0)} ms total); mean radius ${r0.toFixed(3)} → ${r1.toFixed(3)}`,
    );
    assert.ok(Math.abs(r1 - 2) < Math.abs(r0 - 2), `radius ${r0} → ${r1}`);
    assert.ok(Math.abs(r1 - 2) < 0.5, `radius ${r1}`);
  });

  for (const name of METHOD_NAMES) {
    if (name === "proximal-point") continue;
    test(`${name}: 21 steps on the GAN move the players by Adam-sized steps, all finite`, () => {
      const g = gan({ data: ring, batch: 64, seed: 2 });
      const spec = {
        name,
        lr: [1e-3, 1e-3] as [number, number],
        optimizer: ["adam", "adam"] as ["adam", "adam"],
      };
      const m = createMethod(g, spec);
      const w0 = J.toFloat64(g.init());
      const run = runDynamics(g, m, { steps: 21, seed: 3 });
      assert.equal(run.nonFinite, null, JSON.stringify(run.nonFinite));
      // Adam's update is at most lr·(1 − β₁)/√(1 − β₂) ≈ 3.2·lr per call (|m̂| ≤ √ŝ·(1 − β₁)/√(1 − β₂)),
      // and at least one coordinate takes ≈ lr on its first call (m̂/√ŝ = sign g)
      const calls = 21 * Math.max(updatesPerRound(spec, 0), updatesPerRound(spec, 1));
      const moved = run.final.reduce((a, x, i) => Math.max(a, Math.abs(x - w0[i])), 0);
      assert.ok(moved > 0.5e-3, `${name}: max |Δω| = ${moved}`);
      assert.ok(moved <= calls * 3.2e-3, `${name}: max |Δω| = ${moved} > ${calls} × 3.2·lr`);
      console.log(
        `# ${name}: ${(run.wallMs / 21).toFixed(1)} ms/step (batch 64, incl. the first, compiling, step)`,
      );
    });
  }

  test("proximal-point: one step on the GAN takes the fixed-point path and reports a finite residual", () => {
    const g = gan({ data: ring, batch: 64, seed: 2 });
    const m = createMethod(g, { name: "proximal-point", lr: [1e-3, 1e-3], maxInner: 10 });
    const w = g.init();
    const s = m.init(w);
    const t0 = performance.now();
    const [w2, s2, info] = m.step(w, s, random.key(4));
    const ms = performance.now() - t0;
    assert.ok(Number.isFinite(info.residual), `residual ${info.residual}`);
    assert.ok(J.toFloat64(w2).every(Number.isFinite));
    T.dispose(s2);
    console.log(
      `# proximal-point: 1 step ${ms.toFixed(0)} ms, ${info.inner} fixed-point iterations, residual ${info.residual?.toExponential(3)}`,
    );
  });
});
