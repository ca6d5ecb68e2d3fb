import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { grad, jit, numpy as np, random, type Array as JArray } from "@jax-js/jax";
import { useDevice } from "../src/engine/device.ts";
import { UsageError } from "../src/engine/errors.ts";
import * as T from "../src/engine/tree.ts";
import { mlpApply, mlpInit, type Activation, type MlpParams } from "../src/models/mlp.ts";
import { batchMean, softplus } from "../src/objectives/objective.ts";
import { inputGradient, r1Penalty, r2Penalty, type Critic } from "../src/objectives/penalties.ts";
import {
  isProbabilityObjective,
  OBJECTIVE_NAMES,
  objectiveFor,
  objectiveModules,
  objectiveParamDefault,
  objectiveParamNames,
  objectiveParams,
} from "../src/objectives/registry.ts";
import { gradientPenalty, interpolate } from "../src/objectives/wgan-gp.ts";

before(async () => {
  await useDevice("wasm");
});

const f64 = { dtype: np.float64 };
const arr = (v: number[]): JArray => np.array(v, f64).reshape([v.length, 1]);
const num = (a: JArray): number => a.js() as number;
const sp = (t: number): number => Math.log1p(Math.exp(t));
const mean = (v: number[]): number => v.reduce((s, x) => s + x, 0) / v.length;
const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

const REAL = [1.5, -2, 0.25];
const FAKE = [-0.75, 0.3, 2.5, -3];

describe("objectives: losses on given logits equal hand-computed values", () => {
  const expected: Record<string, { d: number; g: number }> = {
    minimax: {
      d: mean(REAL.map((t) => sp(-t))) + mean(FAKE.map(sp)),
      g: -mean(FAKE.map(sp)),
    },
    "non-saturating": {
      d: mean(REAL.map((t) => sp(-t))) + mean(FAKE.map(sp)),
      g: mean(FAKE.map((t) => sp(-t))),
    },
    wasserstein: { d: -mean(REAL) + mean(FAKE), g: -mean(FAKE) },
    "wgan-gp": { d: -mean(REAL) + mean(FAKE), g: -mean(FAKE) },
    hinge: {
      d: mean(REAL.map((t) => Math.max(0, 1 - t))) + mean(FAKE.map((t) => Math.max(0, 1 + t))),
      g: -mean(FAKE),
    },
    "least-squares": {
      d: 0.5 * mean(REAL.map((t) => (t - 1) ** 2)) + 0.5 * mean(FAKE.map((t) => t * t)),
      g: 0.5 * mean(FAKE.map((t) => (t - 1) ** 2)),
    },
  };
  for (const name of OBJECTIVE_NAMES) {
    test(`${name}: L_D = ${expected[name].d.toFixed(6)}, L_G = ${expected[name].g.toFixed(6)}`, () => {
      const o = objectiveFor(name);
      assert.equal(o.name, name);
      assert.ok(o.formula.includes("L_D") && o.formula.includes("L_G"));
      close(num(o.dLoss(arr(REAL), arr(FAKE))), expected[name].d, 1e-6, `${name} L_D`);
      close(num(o.gLoss(arr(FAKE))), expected[name].g, 1e-6, `${name} L_G`);
      // jitted = plain
      const jd = jit((a: JArray, b: JArray) => o.dLoss(a, b));
      close(num(jd(arr(REAL), arr(FAKE))), expected[name].d, 1e-6, `${name} jit L_D`);
      jd.dispose();
    });
  }

  test("the minimax generator loss is E log(1 − σ(D(G(z)))), non-saturating's −E log σ(D(G(z)))", () => {
    const sig = (t: number) => 1 / (1 + Math.exp(-t));
    close(
      num(objectiveFor("minimax").gLoss(arr(FAKE))),
      mean(FAKE.map((t) => Math.log(1 - sig(t)))),
      1e-6,
      "mm",
    );
    close(
      num(objectiveFor("non-saturating").gLoss(arr(FAKE))),
      -mean(FAKE.map((t) => Math.log(sig(t)))),
      1e-6,
      "ns",
    );
  });

  test("options: WGAN clip 0.01 by default (the lecture's c), WGAN-GP λ 10; flags; zero-sum and output", () => {
    assert.equal(objectiveFor("wasserstein").clip, 0.01);
    assert.equal(objectiveFor("wasserstein", { clip: 0.05 }).clip, 0.05);
    assert.equal(objectiveFor("wgan-gp").gpLambda, 10);
    assert.equal(objectiveFor("wgan-gp", { gpLambda: 2 }).gpLambda, 2);
    assert.equal(objectiveFor("wgan-gp").clip, undefined);
    assert.equal(objectiveFor("minimax").output, "probability");
    assert.equal(objectiveFor("hinge").output, "score");
    assert.deepEqual(
      OBJECTIVE_NAMES.filter((n) => objectiveFor(n).zeroSum),
      ["minimax", "wasserstein"],
    );
  });

  test("unknown objective or bad option → UsageError listing the names", () => {
    assert.throws(
      () => objectiveFor("kl"),
      (e: unknown) =>
        e instanceof UsageError &&
        e.message.includes("'kl'") &&
        OBJECTIVE_NAMES.every((n) => e.message.includes(n)),
    );
    assert.throws(
      () => objectiveFor("wasserstein", { clip: -1 }),
      (e: unknown) => e instanceof UsageError && /objective 'wasserstein': field 'clip' = -1/.test(e.message),
    );
    assert.throws(() => objectiveFor("wgan-gp", { gpLambda: 0 }), UsageError);
  });

  test("the module list: unique names and aliases, each with a citation, its formula showing its parameters", () => {
    const keys = objectiveModules().flatMap((m) => [m.name, ...(m.aliases ?? [])]);
    assert.equal(new Set(keys).size, keys.length);
    assert.deepEqual(
      objectiveModules().map((m) => m.name),
      [...OBJECTIVE_NAMES],
    );
    for (const m of objectiveModules()) {
      assert.ok(m.citation.length > 0, m.name);
      const o = objectiveFor(m.name);
      assert.equal(o.name, m.name);
      assert.equal(o.output, m.output);
      assert.equal(o.formula, m.formula(objectiveParams(m)));
      // a changed hyper-parameter shows in the formula and in what the game applies
      for (const p of objectiveParamNames(m)) {
        const d = objectiveParamDefault(p) as number;
        const changed = objectiveFor(m.name, { [p]: 2 * d });
        assert.ok(changed.formula.includes(String(2 * d)), `${m.name}.${p}`);
        assert.equal((changed as unknown as Record<string, unknown>)[p], 2 * d);
      }
    }
    // an alias names the same objective: the Dirac-GAN's "wgan" is wasserstein
    assert.equal(objectiveFor("wgan").name, "wasserstein");
    assert.equal(objectiveParamDefault("clip"), 0.01);
    assert.equal(objectiveParamDefault("gpLambda"), 10);
    assert.deepEqual(
      OBJECTIVE_NAMES.filter((n) => isProbabilityObjective(n)),
      ["minimax", "non-saturating"],
    );
  });
});

describe("numerics", () => {
  test("softplus is overflow-free and its derivative is σ(t), including at t = 0", () => {
    const t = np.array([-1000, -3, 0, 3, 1000], f64);
    const v = softplus(t.ref).js() as number[];
    [0, sp(-3), Math.log(2), sp(3), 1000].forEach((x, i) => close(v[i], x, 1e-7, `softplus ${i}`));
    const g = grad((x: JArray) => np.sum(softplus(x)))(t).js() as number[];
    [0, 1 / (1 + Math.exp(3)), 0.5, 1 / (1 + Math.exp(-3)), 1].forEach((x, i) =>
      close(g[i], x, 1e-7, `σ ${i}`),
    );
  });

  test("batchMean: jit(grad) of a loss linear in an MLP's output equals the plain gradient in float64", () => {
    // np.sum(D).div(n) with a JS number n gave garbage here in jax-js 0.1.25 (float64, jit, bias gradient).
    const D = mlpInit(random.key(2), [2, 3, 1], "float64");
    const x = random.normal(random.key(1), [5, 2]).astype(np.float64);
    const f = (d: MlpParams) => batchMean(mlpApply(d, x.ref, "relu"));
    const plain = T.toFlat(grad(f)(T.ref(D)) as T.Params);
    const jf = jit(grad(f));
    for (let rep = 0; rep < 3; rep++) {
      const j = T.toFlat(jf(T.ref(D)) as T.Params);
      j.forEach((v, i) => close(v, plain[i], 1e-12, `∂/∂p${i}`));
    }
    // bias of the output layer: ∂ mean(D)/∂b = 1
    close(plain[plain.length - 1], 1, 1e-12, "∂/∂b_out");
    jf.dispose();
    T.dispose(D);
    x.dispose();
  });
});

/** A float64 critic 2 → 4 → 3 → 1 of `activation` from a seed. */
function criticParams(seed: number): MlpParams {
  return mlpInit(random.key(seed), [2, 4, 3, 1], "float64", "glorot");
}
const criticOf =
  (D: MlpParams, act: Activation): Critic =>
  (x) =>
    mlpApply(T.ref(D), x, act);

/** D at each row of x (numbers), plain. */
function dAt(D: MlpParams, act: Activation, x: number[][]): number[] {
  return mlpApply(T.ref(D), np.array(x, f64), act).js().flat() as number[];
}
/** Central-difference ∇ₓD at each row. */
function fdInputGrad(D: MlpParams, act: Activation, x: number[][], h = 1e-6): number[][] {
  return x.map((row) =>
    row.map((_, j) => {
      const p = row.map((v, k) => (k === j ? v + h : v));
      const m = row.map((v, k) => (k === j ? v - h : v));
      return (dAt(D, act, [p])[0] - dAt(D, act, [m])[0]) / (2 * h);
    }),
  );
}
/** Central-difference gradient of a scalar function of D's flattened parameters. */
function fdParamGrad(D: MlpParams, f: (d: MlpParams) => number, h: number): number[] {
  const flat = T.toFlat(T.ref(D));
  return Array.from(flat, (_, i) => {
    const at = (d: number) => {
      const v = Float64Array.from(flat);
      v[i] += d;
      const p = T.fromFlat(D, v);
      const r = f(p);
      T.dispose(p);
      return r;
    };
    return (at(h) - at(-h)) / (2 * h);
  });
}

const XS = [
  [0.3, -0.7],
  [1.1, 0.4],
  [-0.5, -1.2],
  [0.05, 0.9],
];
const sqn = (v: number[]) => v.reduce((s, x) => s + x * x, 0);

describe("input-gradient penalties vs finite differences (float64 critic)", () => {
  // leaky-relu: piecewise linear, exact in float64; tanh, elu: exp/tanh are ~f32-accurate on wasm.
  const cases: [Activation, number, number][] = [
    ["leaky-relu", 1e-7, 1e-6],
    ["tanh", 2e-4, 2e-3],
    ["elu", 2e-4, 2e-3],
  ];
  for (const [act, tolX, tolP] of cases) {
    test(`${act}: ∇ₓD, R1, R2 and WGAN-GP values; their parameter gradients (plain and jitted)`, () => {
      const D = criticParams(7);
      const gx = inputGradient(criticOf(D, act), np.array(XS, f64)).js() as number[][];
      const fd = fdInputGrad(D, act, XS, act === "leaky-relu" ? 1e-6 : 1e-3);
      gx.forEach((r, k) => r.forEach((v, j) => close(v, fd[k][j], tolX, `∂D/∂x[${k},${j}]`)));

      const gamma = 0.7;
      const lambda = 3;
      const r1Fd = (gamma / 2) * mean(fd.map(sqn));
      const gpFd = lambda * mean(fd.map((g) => (Math.sqrt(sqn(g)) - 1) ** 2));
      close(num(r1Penalty(criticOf(D, act), np.array(XS, f64), gamma)), r1Fd, tolX * 10, "R1");
      close(num(r2Penalty(criticOf(D, act), np.array(XS, f64), gamma)), r1Fd, tolX * 10, "R2");
      close(num(gradientPenalty(criticOf(D, act), np.array(XS, f64), lambda)), gpFd, tolX * 10, "GP");

      const pens: [string, (d: MlpParams) => JArray][] = [
        ["R1", (d) => r1Penalty(criticOf(d, act), np.array(XS, f64), gamma)],
        ["GP", (d) => gradientPenalty(criticOf(d, act), np.array(XS, f64), lambda)],
      ];
      for (const [name, pen] of pens) {
        const f = (d: MlpParams) => {
          const v = pen(d);
          T.dispose(d);
          return v;
        };
        const g = T.toFlat(grad(f)(T.ref(D)) as T.Params);
        const jf = jit(grad(f));
        const gj = T.toFlat(jf(T.ref(D)) as T.Params);
        jf.dispose();
        const fdp = fdParamGrad(D, (d) => num(pen(d)), act === "leaky-relu" ? 1e-6 : 1e-3);
        const scale = Math.max(1, ...fdp.map(Math.abs));
        g.forEach((v, i) => {
          assert.ok(Math.abs(v - fdp[i]) <= tolP * scale, `${act} ${name} ∂/∂p${i}: ${v} vs fd ${fdp[i]}`);
          assert.ok(Math.abs(v - gj[i]) <= 1e-12 * scale, `${act} ${name} jit ∂/∂p${i}: ${gj[i]} vs ${v}`);
        });
        assert.ok(
          g.some((v) => Math.abs(v) > 1e-3),
          `${name}: a nonzero parameter gradient`,
        );
      }
      T.dispose(D);
    });
  }

  test("R1 on a linear critic D(x) = ψᵀx + c is (γ/2)‖ψ‖² (the Dirac-GAN penalty)", () => {
    const D: MlpParams = [{ w: np.array([[0.6], [-0.8]], f64), b: np.array([0.3], f64) }];
    close(num(r1Penalty(criticOf(D, "relu"), np.array(XS, f64), 0.3)), 0.15 * 1, 1e-12, "R1");
    // ‖ψ‖ = 1: the WGAN-GP penalty vanishes
    close(num(gradientPenalty(criticOf(D, "relu"), np.array(XS, f64), 10)), 0, 1e-12, "GP");
    T.dispose(D);
  });

  test("WGAN-GP: x̂ = εx + (1 − ε)x̃ row by row; the penalty's gradient is finite where ∇ₓD = 0", () => {
    const xh = interpolate(
      np.array(
        [
          [1, 2],
          [3, 4],
        ],
        f64,
      ),
      np.array(
        [
          [-1, 0],
          [5, 8],
        ],
        f64,
      ),
      np.array([[0.25], [1]], f64),
    ).js() as number[][];
    assert.deepEqual(xh, [
      [-0.5, 0.5],
      [3, 4],
    ]);
    const zero: MlpParams = [{ w: np.zeros([2, 1], f64), b: np.zeros([1], f64) }];
    const f = (d: MlpParams) => gradientPenalty(criticOf(d, "relu"), np.array(XS, f64), 10);
    close(num(f(T.ref(zero))), 10, 1e-12, "GP at ∇ = 0");
    const g = T.toFlat(
      grad((d: MlpParams) => {
        const v = f(d);
        T.dispose(d);
        return v;
      })(T.ref(zero)) as T.Params,
    );
    assert.ok(g.every(Number.isFinite), `finite: ${g}`);
    T.dispose(zero);
  });
});
