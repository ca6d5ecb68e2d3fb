/**
 * Mixed-strategy GANs with particles (src/games/mixed-gan.ts) and Hsieh–Liu–Cevher's Mirror-GAN /
 * Mirror-Prox-GAN (src/methods/mirror-gan.ts): K = 1 equals the plain GAN and plain GDA; the averaged critic,
 * the mixture generator and the per-particle gradient scale; the SGLD noise variance √(2γτ); the damping
 * recurrence; a 30-step smoke run on a ring; ms per outer step at the default sizes.
 */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { jit, numpy as np, random, type Array as JArray } from "@jax-js/jax";
import { useDevice } from "../src/engine/device.ts";
import { UsageError } from "../src/engine/errors.ts";
import * as J from "../src/engine/joint.ts";
import * as T from "../src/engine/tree.ts";
import { scalarLike, type Params } from "../src/engine/tree.ts";
import { bilinear } from "../src/games/bilinear.ts";
import { gan, type GanOptions } from "../src/games/gan.ts";
import type { Game, Joint } from "../src/games/game.ts";
import { interleaveParticles, mixedGan, particleMean } from "../src/games/mixed-gan.ts";
import { playerGradient } from "../src/games/vector-field.ts";
import { buildMixedGan } from "../src/train/build.ts";
import { splitKeys } from "../src/methods/keys.ts";
import {
  createMixedMethod,
  describeMixedMethod,
  mirrorGan,
  mirrorProxGan,
  type MixedMethodSpec,
} from "../src/methods/mirror-gan.ts";
import type { Method } from "../src/methods/method.ts";
import { createMethod } from "../src/methods/registry.ts";
import { mlpApply, mlpReplica, type MlpParams } from "../src/models/mlp.ts";
import { liveArrays, trackLiveArrays } from "./helpers/live-arrays.ts";
import { ring } from "./helpers/ring.ts";

before(async () => {
  await useDevice("wasm");
});

const smallOpts = (o: Partial<GanOptions> = {}): GanOptions => ({
  data: ring,
  generator: { hidden: [5], activation: "tanh" },
  discriminator: { hidden: [4, 3], activation: "leaky-relu" },
  batch: 8,
  dtype: "float64",
  seed: 3,
  ...o,
});

const flat = (t: Params): Float64Array => T.toFlat(T.ref(t));
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  assert.equal(a.length, b.length, "lengths");
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};
const closeTrees = (a: Params, b: Params, tol: number, what: string): void => {
  const d = maxDiff(flat(a), flat(b));
  assert.ok(d <= tol, `${what}: max |Δ| = ${d}`);
};

const OBJECTIVES = [
  { objective: "wasserstein" as const, objectiveOptions: { clip: 0.5 } }, // clipping active at c = 0.5
  { objective: "non-saturating" as const },
];

/** Run `steps` steps of a method from the game's init with keys 100, 101, …; returns the point. */
function run(game: Game, m: Method, steps: number, keySeed = 100): Joint {
  let w = game.init();
  let s = m.init(w, random.key(7));
  for (let t = 0; t < steps; t++) [w, s] = m.step(w, s, random.key(keySeed + t));
  T.dispose(s);
  return w;
}

describe("K = 1 is the plain GAN and plain GDA", () => {
  for (const o of OBJECTIVES) {
    test(`${o.objective}: same init, losses and evaluation as gan(opts)`, () => {
      const g = gan(smallOpts(o));
      const mg = mixedGan({ ...smallOpts(o), particles: 1 });
      const w = g.init();
      const v = mg.init();
      assert.deepEqual(
        v[0].map((l) => l.w.shape),
        [
          [1, 2, 5],
          [1, 5, 2],
        ],
      );
      closeTrees(w, v, 0, "init");
      for (const i of [0, 1] as const) {
        const a = g.loss(i, T.ref(w[0]), T.ref(w[1]), random.key(11)).js() as number;
        const b = mg.loss(i, T.ref(v[0]), T.ref(v[1]), random.key(11)).js() as number;
        assert.ok(Math.abs(a - b) <= 1e-12, `loss ${i}: ${a} vs ${b}`);
      }
      const ea = g.evaluate(w, random.key(5), 32);
      const eb = mg.evaluate(v, random.key(5), 32);
      for (const k of Object.keys(ea) as (keyof typeof ea)[]) {
        assert.ok(Math.abs(ea[k] - eb[k]) <= 1e-12, `${k}: ${ea[k]} vs ${eb[k]}`);
      }
      T.dispose([w, v]);
    });

    test(`${o.objective}: mirror-gan (K_in = 1, τ = 0, β = 1) = simultaneous GDA with SGD, 3 steps, to 1e-6`, () => {
      const g = gan(smallOpts(o));
      const mg = mixedGan({ ...smallOpts(o), particles: 1 });
      const lr: [number, number] = [0.05, 0.1];
      const w = run(g, createMethod(g, { name: "simultaneous", lr }), 3);
      const v = run(mg, mirrorGan({ game: mg }, { lr, temperature: 0 }), 3);
      closeTrees(w, v, 1e-6, "after 3 steps");
      // and the steps moved the point (the comparison is not vacuous)
      assert.ok(maxDiff(flat(g.init()), flat(w)) > 1e-3);
      T.dispose([w, v]);
    });

    test(`${o.objective}: mirror-prox-gan (K_in = 1, τ = 0, β = 1) = θ − γ∇_θL_G(θ, w̃), w − γ∇_wL_D(θ̃, w)`, () => {
      const g = gan(smallOpts(o));
      const mg = mixedGan({ ...smallOpts(o), particles: 1 });
      const lr: [number, number] = [0.05, 0.1];
      const c = o.objective === "wasserstein" ? 0.5 : Infinity;
      const proj = (p: Params): Params => T.map(p, (x) => np.clip(x, -c, c));
      const gradG = playerGradient(g, 0);
      const gradD = playerGradient(g, 1);
      const sgd = (x: Params, gx: Params, eta: number) => T.add(x, T.scale(gx, -eta));
      const ref = jit((w: Joint, key: JArray): Joint => {
        const [k1, k2] = splitKeys([key], 2) as JArray[];
        const tT = sgd(T.ref(w[0]), gradG(T.ref(w[0]), T.ref(w[1]), k1.ref), lr[0]);
        const wT = proj(sgd(T.ref(w[1]), gradD(T.ref(w[0]), T.ref(w[1]), k1), lr[1]));
        const t2 = sgd(T.ref(w[0]), gradG(w[0], wT, k2.ref), lr[0]);
        const w2 = proj(sgd(T.ref(w[1]), gradD(tT, w[1], k2), lr[1]));
        return [t2, w2];
      });
      let w: Joint = g.init();
      for (let t = 0; t < 3; t++) w = ref(w, random.key(100 + t));
      const v = run(mg, mirrorProxGan({ game: mg }, { lr, temperature: 0 }), 3);
      closeTrees(w, v, 1e-6, "after 3 steps");
      T.dispose([w, v]);
    });
  }

  test("mirror-prox-gan (K_in = 1, τ = 0, β = 1) = extragradient on a bilinear game", () => {
    const game = bilinear({ dim: 3, seed: 2, dtype: "float64" });
    const lr: [number, number] = [0.3, 0.2];
    const a = run(game, createMethod(game, { name: "extragradient", lr }), 5);
    const b = run(game, mirrorProxGan({ game }, { lr, temperature: 0 }), 5);
    closeTrees(a, b, 1e-12, "5 steps");
    T.dispose([a, b]);
  });
});

describe("the particle game", () => {
  const K = 3;
  const mg = mixedGan({ ...smallOpts(), particles: K });

  test("init: particle k is gan({ seed: seed + k }).init(); shapes [K, in, out], [K, 1, out]", () => {
    const v = mg.init();
    assert.deepEqual(
      v[1].map((l) => [l.w.shape, l.b.shape]),
      [
        [
          [3, 2, 4],
          [3, 1, 4],
        ],
        [
          [3, 4, 3],
          [3, 1, 3],
        ],
        [
          [3, 3, 1],
          [3, 1, 1],
        ],
      ],
    );
    for (let k = 0; k < K; k++) {
      const single = gan(smallOpts({ seed: 3 + k })).init();
      const pk = mg.particleParams(v, k);
      closeTrees(single, pk, 0, `particle ${k}`);
      T.dispose([single, pk]);
    }
    T.dispose(v);
  });

  test("discriminate is the particle-averaged critic D_μ(x) = (1/K)Σ_j D_j(x), [n, 1]", () => {
    const v = mg.init();
    const x = random.normal(random.key(4), [6, 2]).astype(np.float64);
    const each = mg.discriminateParticles(v[1] as MlpParams, x.ref);
    assert.deepEqual(each.shape, [K, 6, 1]);
    const avg = mg.discriminate(v[1] as MlpParams, x.ref);
    assert.deepEqual(avg.shape, [6, 1]);
    const manual = new Float64Array(6);
    for (let k = 0; k < K; k++) {
      const d = mlpApply(mlpReplica(v[1] as MlpParams, k), x.ref, "leaky-relu").dataSync();
      for (let s = 0; s < 6; s++) manual[s] += d[s] / K;
    }
    assert.ok(maxDiff(avg.dataSync() as Float64Array, manual) < 1e-14);
    assert.ok(maxDiff(particleMean(each).dataSync() as Float64Array, manual) < 1e-14);
    // the particles really differ (a mean of equal critics would test nothing)
    const d0 = mlpApply(mlpReplica(v[1] as MlpParams, 0), x.ref, "leaky-relu").dataSync();
    const d1 = mlpApply(mlpReplica(v[1] as MlpParams, 1), x, "leaky-relu").dataSync();
    assert.ok(maxDiff(d0 as Float64Array, d1 as Float64Array) > 1e-3);
    T.dispose(v);
  });

  test("generate: n mixture samples [n, dim], sample s from particle s mod K (equal shares)", () => {
    const v = mg.init();
    const n = 10;
    const m = Math.ceil(n / K);
    const out = mg.generate(v[0] as MlpParams, random.key(9), n);
    assert.deepEqual(out.shape, [n, 2]);
    const got = out.js() as number[][];
    const z = random.normal(random.key(9), [K * m, 2]).astype(np.float64);
    for (let s = 0; s < n; s++) {
      const k = s % K;
      const j = Math.floor(s / K);
      const zk = z.ref.slice([k * m + j, k * m + j + 1]);
      const want = mlpApply(mlpReplica(v[0] as MlpParams, k), zk, "tanh").js() as number[][];
      assert.ok(maxDiff(got[s], want[0]) < 1e-14, `sample ${s}`);
    }
    z.dispose();
    const per = mg.generateParticles(v[0] as MlpParams, random.key(9), 4);
    assert.deepEqual(per.shape, [K, 4, 2]);
    assert.deepEqual(interleaveParticles(per).shape, [K * 4, 2]);
    T.dispose(v);
  });

  for (const o of OBJECTIVES) {
    test(`${o.objective}: each particle's gradient is its full gradient (K copies of one GAN)`, () => {
      // K = 2 identical particles per player: the mixture is the single GAN, so each D particle's
      // gradient must equal the GAN's D gradient, and the G particles' gradients must average to G's.
      const g = gan(smallOpts(o));
      const m2 = mixedGan({ ...smallOpts(o), particles: 2 });
      const w = g.init();
      const dup = (p: Params): MlpParams =>
        (p as MlpParams).map((l) => ({
          w: np.stack([l.w.ref, l.w.ref]),
          b: np.stack([l.b.ref, l.b.ref]).reshape([2, 1, l.b.shape[0]]),
        }));
      const v: Joint = [dup(w[0]), dup(w[1])];
      const gD = playerGradient(g, 1)(T.ref(w[0]), T.ref(w[1]), random.key(21)) as MlpParams;
      const vD = playerGradient(m2, 1)(T.ref(v[0]), T.ref(v[1]), random.key(21)) as MlpParams;
      for (const k of [0, 1]) closeTrees(gD, mlpReplica(vD, k), 1e-12, `D particle ${k}`);
      const gG = playerGradient(g, 0)(T.ref(w[0]), T.ref(w[1]), random.key(22)) as MlpParams;
      const vG = playerGradient(m2, 0)(T.ref(v[0]), T.ref(v[1]), random.key(22)) as MlpParams;
      const meanG = vG.map((l) => ({
        w: particleMean(l.w.ref),
        b: particleMean(l.b.ref).reshape([l.b.shape[2]]),
      }));
      closeTrees(gG, meanG, 1e-12, "mean of G particles");
      // and the two G particles' gradients differ (each sees only its own latent block)
      assert.ok(maxDiff(flat(mlpReplica(vG, 0)), flat(mlpReplica(vG, 1))) > 1e-6);
      T.dispose([w, v, gD, vD, gG, vG, meanG]);
    });
  }

  test("float64 jit(grad) of the K-scaled WGAN loss = eager grad (batch-mean quirk)", () => {
    const m3 = mixedGan({ ...smallOpts({ objective: "wasserstein" }), particles: 3 });
    const v = m3.init();
    for (const i of [0, 1] as const) {
      const f = (w: Joint, key: JArray) => playerGradient(m3, i)(w[0], w[1], key);
      const eager = f(T.ref(v), random.key(31));
      const jitted = jit(f)(T.ref(v), random.key(31));
      closeTrees(eager, jitted, 1e-12, `player ${i}`);
      T.dispose([eager, jitted]);
    }
    T.dispose(v);
  });

  test("payoff is loss / K; evaluate reports the unscaled mixed losses", () => {
    const v = mg.init();
    for (const i of [0, 1] as const) {
      const l = mg.loss(i, T.ref(v[0]), T.ref(v[1]), random.key(3)).js() as number;
      const p = mg.payoff(i, T.ref(v[0]), T.ref(v[1]), random.key(3)).js() as number;
      assert.ok(Math.abs(l - K * p) <= 1e-12 * Math.max(1, Math.abs(l)), `${l} vs ${K}·${p}`);
    }
    const e = mg.evaluate(v, random.key(5), 8);
    const pD = mg.payoff(1, T.ref(v[0]), T.ref(v[1]), random.key(5)).js() as number;
    assert.ok(Math.abs(e.lossD - pD) < 1e-12, `${e.lossD} vs ${pD}`);
    assert.deepEqual(mg.evaluateReplicas(v, random.key(5), 8), [e]);
    T.dispose(v);
  });

  test("options are checked", () => {
    assert.throws(() => mixedGan({ ...smallOpts(), particles: 0 }), UsageError);
    assert.throws(() => mixedGan({ ...smallOpts(), particles: 2, replicas: 2 }), UsageError);
    const bad: Partial<MixedMethodSpec>[] = [
      { averaging: 0 },
      { averaging: 1.5 },
      { innerSteps: 0 },
      { temperature: -1 },
      { lr: [0, 1] },
    ];
    for (const b of bad) {
      assert.throws(() => createMixedMethod(mg, { name: "mirror-gan", lr: [0.1, 0.1], ...b }), UsageError);
    }
    const m = createMixedMethod(mg, { name: "mirror-gan", lr: [0.1, 0.1], temperature: 1e-3 });
    assert.throws(() => m.step(mg.init(), [], undefined), /needs a step key/);
    assert.match(
      describeMixedMethod({ name: "mirror-prox-gan", lr: [0.1, 0.2], innerSteps: 3, averaging: 0.5 }),
      /mirror-prox-gan: .*K_in = 3, damping β = 0.5/,
    );
  });
});

/** A game with zero gradients and big parameter vectors: one step of SGLD is pure noise. */
function zeroGradientGame(n: number): Game {
  const zero = (t: JArray) => np.sum(t.mul(scalarLike(t, 0)));
  return {
    name: "zero",
    description: "L = 0",
    players: ["x", "y"],
    dtype: "float64",
    zeroSum: false,
    loss: (i, x, y) => {
      const [own, other] = i === 0 ? [x, y] : [y, x];
      T.dispose(other);
      return zero(own as JArray);
    },
    init: () => [np.zeros([n], { dtype: np.float64 }), np.zeros([n], { dtype: np.float64 })],
  };
}

describe("SGLD", () => {
  const n = 20_000;
  for (const innerSteps of [1, 4]) {
    for (const name of ["mirror-gan", "mirror-prox-gan"] as const) {
      test(`${name}, K_in = ${innerSteps}: the noise of one step has std √(K_in·2γτ) and mean 0`, () => {
        const game = zeroGradientGame(n);
        const lr: [number, number] = [0.01, 0.04];
        const temperature: [number, number] = [0.5, 2];
        const m = createMixedMethod(game, { name, lr, temperature, innerSteps });
        const [w] = m.step(game.init(), m.init(game.init(), undefined), random.key(42));
        for (const p of [0, 1]) {
          const x = (w[p] as JArray).ref.dataSync() as Float64Array;
          const mean = x.reduce((a, b) => a + b, 0) / n;
          const sd = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
          const want = Math.sqrt(innerSteps * 2 * lr[p] * temperature[p]);
          // sample std of n normals: relative sd 1/√(2n) = 0.5%; 3% is 6 sd
          assert.ok(Math.abs(sd / want - 1) < 0.03, `player ${p}: std ${sd} vs ${want}`);
          assert.ok(Math.abs(mean) < (4 * want) / Math.sqrt(n), `player ${p}: mean ${mean}`);
        }
        // the two players' noises are independent draws
        const a = (w[0] as JArray).ref.dataSync();
        const b = (w[1] as JArray).ref.dataSync();
        let dot = 0;
        for (let i = 0; i < n; i++) dot += a[i] * b[i];
        const corr =
          dot /
          (n * Math.sqrt(innerSteps * 2 * lr[0] * temperature[0] * innerSteps * 2 * lr[1] * temperature[1]));
        assert.ok(Math.abs(corr) < 0.04, `correlation ${corr}`);
        T.dispose(w);
      });
    }
  }

  test("damping: x̄ ← (1−β)x̄ + βx⁽ᵏ⁺¹⁾, x_{t+1} = (1−β)x_t + βx̄ (τ = 0, quadratic game, vs a JS loop)", () => {
    // L_0 = ½a‖x‖², L_1 = ½b‖y‖²: the chains are x⁽ᵏ⁺¹⁾ = (1 − γa)x⁽ᵏ⁾.
    const [a, b] = [1.5, 0.7];
    const game: Game = {
      name: "quadratic",
      description: "½a‖x‖², ½b‖y‖²",
      players: ["x", "y"],
      dtype: "float64",
      zeroSum: false,
      loss: (i, x, y) => {
        const [own, other, c] = i === 0 ? [x, y, a / 2] : [y, x, b / 2];
        T.dispose(other);
        const t = own as JArray;
        return np.sum(t.ref.mul(t)).mul(scalarLike(t, c));
      },
      init: () => [np.array([1, -2], { dtype: np.float64 }), np.array([0.5], { dtype: np.float64 })],
    };
    const lr: [number, number] = [0.2, 0.3];
    const [beta, K] = [0.3, 3];
    const expected = (x0: number, rate: number, steps: number): number => {
      let x = x0;
      for (let t = 0; t < steps; t++) {
        let cur = x;
        let bar = x;
        for (let k = 0; k < K; k++) {
          cur = (1 - rate) * cur;
          bar = (1 - beta) * bar + beta * cur;
        }
        x = (1 - beta) * x + beta * bar;
      }
      return x;
    };
    for (const name of ["mirror-gan", "mirror-prox-gan"] as const) {
      const m = createMixedMethod(game, { name, lr, temperature: 0, innerSteps: K, averaging: beta });
      let w = game.init();
      let s = m.init(w);
      for (let t = 0; t < 4; t++) [w, s] = m.step(w, s);
      const got = Array.from(J.toFloat64(T.ref(w)));
      // separable game: mirror-prox's extrapolation does not change either player's own chain
      const want = [expected(1, lr[0] * a, 4), expected(-2, lr[0] * a, 4), expected(0.5, lr[1] * b, 4)];
      assert.ok(maxDiff(got, want) < 1e-14, `${name}: ${got} vs ${want}`);
      T.dispose(w);
    }
  });

  test("no buffer growth over 60 noisy steps", () => {
    trackLiveArrays();
    const mg = mixedGan({ ...smallOpts(), particles: 2 });
    for (const name of ["mirror-gan", "mirror-prox-gan"] as const) {
      const m = createMixedMethod(mg, {
        name,
        lr: [0.01, 0.01],
        temperature: 1e-4,
        innerSteps: 2,
        averaging: 0.5,
      });
      let w: Joint = mg.init();
      let s = m.init(w, random.key(0));
      const go = (k: number) => {
        for (let t = 0; t < k; t++) {
          [w, s] = m.step(w, s, random.key(t));
          if (t % 10 === 9) J.toFloat64(T.ref(w));
        }
      };
      go(20);
      const before = liveArrays();
      go(60);
      const after = liveArrays();
      T.dispose(w);
      assert.ok(after <= before, `${name}: live buffers ${before} → ${after}`);
    }
  });
});

describe("training", () => {
  for (const name of ["mirror-gan", "mirror-prox-gan"] as const) {
    test(`${name}: 30 outer steps on a ring (K = 4, small MLPs, batch 64) stay finite; samples from every particle`, () => {
      const K = 4;
      const mg = buildMixedGan(
        {
          generator: { hidden: [32, 32], activation: "relu" },
          discriminator: { hidden: [32, 32], activation: "relu" },
          latentDim: 2,
          objective: "wasserstein",
          clip: 0.1,
          gpLambda: 10,
          r1: 0,
          r2: 0,
          batch: 64,
          seed: 0,
          dtype: "float32",
          particles: K,
        },
        { ...ring, name: "ring", preview: () => [] },
      );
      const m = createMixedMethod(mg, {
        name,
        lr: [0.01, 0.01],
        temperature: 1e-4,
        innerSteps: 2,
        averaging: 0.9,
      });
      const w0 = mg.init();
      let w: Joint = mg.init();
      let s = m.init(w, random.key(1));
      for (let t = 0; t < 30; t++) [w, s] = m.step(w, s, random.key(1000 + t));
      const all = J.toFloat64(T.ref(w));
      assert.ok(all.every(Number.isFinite), "parameters finite");
      assert.ok(maxDiff(all, J.toFloat64(T.ref(w0))) > 1e-3, "parameters moved");
      const e = mg.evaluate(w, random.key(2), 256);
      for (const [k, x] of Object.entries(e)) assert.ok(Number.isFinite(x), `${k} = ${x}`);
      // the mixture's samples: every particle contributes (interleaved), and the particles differ
      const fake = mg.generate(w[0] as MlpParams, random.key(3), 400).js() as number[][];
      assert.equal(fake.length, 400);
      assert.ok(fake.flat().every(Number.isFinite));
      const means = Array.from({ length: K }, (_, k) => {
        const mine = fake.filter((_, s2) => s2 % K === k);
        return [0, 1].map((d) => mine.reduce((acc, p) => acc + p[d], 0) / mine.length);
      });
      let minDist = Infinity;
      for (let i = 0; i < K; i++)
        for (let j = i + 1; j < K; j++)
          minDist = Math.min(minDist, Math.hypot(means[i][0] - means[j][0], means[i][1] - means[j][1]));
      assert.ok(minDist > 1e-3, `particles' sample means too close: ${JSON.stringify(means)}`);
      T.dispose([w, w0, s]);
    });
  }
});
