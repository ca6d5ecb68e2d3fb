/**
 * Replicas: R independent GANs (seeds s, s + 1, …) trained by one jitted step (src/games/gan.ts,
 * src/models/mlp.ts). Replica r at key k computes what an R = 1 game with seed s + r computes at replica r's
 * key k_r = random.split(k, R)[r].
 */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { jit, numpy as np, random, type Array as JArray } from "@jax-js/jax";
import { flatVectorField } from "../src/analysis/jacobian.ts";
import { runDynamics } from "../src/dynamics/run-dynamics.ts";
import { useDevice } from "../src/engine/device.ts";
import * as J from "../src/engine/joint.ts";
import * as T from "../src/engine/tree.ts";
import { gan, type GanGame, type GanOptions } from "../src/games/gan.ts";
import type { Game, Joint } from "../src/games/game.ts";
import { vectorField } from "../src/games/vector-field.ts";
import { createMethod } from "../src/methods/registry.ts";
import { METHOD_NAMES } from "../src/methods/spec.ts";
import { mlpApply, mlpInit, mlpInitReplicas, mlpReplica, type MlpParams } from "../src/models/mlp.ts";
import { OBJECTIVE_NAMES } from "../src/objectives/registry.ts";
import { ring } from "./helpers/ring.ts";
import { ring as ringDataset } from "../src/data/toy2d/ring.ts";
import { ganDraws } from "../src/games/gan-batch.ts";

before(async () => {
  await useDevice("wasm");
});

const f64 = { dtype: np.float64 };

const small = (o: Partial<GanOptions> = {}): GanGame =>
  gan({
    data: ring,
    generator: { hidden: [5], activation: "tanh" },
    discriminator: { hidden: [4, 3], activation: "leaky-relu" },
    batch: 8,
    dtype: "float64",
    seed: 3,
    ...o,
  });

/** Replica keys of a key: random.split(key, R)[r]; consumes key. */
const replicaKey = (key: JArray, R: number, r: number): JArray => random.split(key, R).slice(r);

/** An R = 1 game whose loss at key k is `base`'s loss at replica r's key of k (R replicas). */
const atReplicaKey = (base: Game, R: number, r: number): Game => ({
  ...base,
  loss: (i, x, y, key) => base.loss(i, x, y, key ? replicaKey(key, R, r) : undefined),
});

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string) => {
  assert.equal(a.length, b.length, `${what}: lengths`);
  const scale = Math.max(1, ...Array.from(b, Math.abs));
  for (let i = 0; i < a.length; i++) {
    assert.ok(Math.abs(a[i] - b[i]) <= tol * scale, `${what}[${i}]: ${a[i]} vs ${b[i]}`);
  }
};

describe("replicated MLP", () => {
  test("mlpInitReplicas: replica r = mlpInit(key r) (keys, stacked keys or seeds); shapes [R, in, out], [R, 1, out]", () => {
    const sizes = [3, 4, 2];
    const rep = mlpInitReplicas([random.key(5), random.key(6), random.key(7)], sizes, "float64");
    assert.deepEqual(
      rep.map((l) => [l.w.shape, l.b.shape]),
      [
        [
          [3, 3, 4],
          [3, 1, 4],
        ],
        [
          [3, 4, 2],
          [3, 1, 2],
        ],
      ],
    );
    const fromSeeds = mlpInitReplicas([5, 6, 7], sizes, "float64");
    const stacked = mlpInitReplicas(
      np.stack([random.key(5), random.key(6), random.key(7)]),
      sizes,
      "float64",
    );
    assert.deepEqual(T.toFlat(T.ref(fromSeeds)), T.toFlat(T.ref(rep)));
    assert.deepEqual(T.toFlat(stacked), T.toFlat(fromSeeds));
    for (let r = 0; r < 3; r++) {
      assert.deepEqual(T.toFlat(mlpReplica(rep, r)), T.toFlat(mlpInit(random.key(5 + r), sizes, "float64")));
    }
    T.dispose(rep);
  });

  test("mlpApply on [R, n, in] with replicated params = each replica's np.dot MLP on its slice; [n, in] is broadcast", () => {
    const sizes = [3, 6, 2];
    const rep = mlpInitReplicas([1, 2], sizes, "float64");
    // non-zero biases, so that the [R, 1, out] broadcast is exercised
    rep.forEach((l, k) => (l.b = random.normal(random.key(40 + k), l.b.shape).astype(np.float64)));
    const x = random.normal(random.key(9), [2, 5, 3]).astype(np.float64);
    const out = mlpApply(T.ref(rep), x.ref, "tanh");
    assert.deepEqual(out.shape, [2, 5, 2]);
    const got = out.js() as number[][][];
    const shared = mlpApply(T.ref(rep), x.ref.slice(1), "tanh").js() as number[][][];
    for (let r = 0; r < 2; r++) {
      const one = mlpApply(mlpReplica(rep, r), x.ref.slice(r), "tanh").js() as number[][];
      close(got[r].flat(), one.flat(), 1e-12, `replica ${r}`);
      const oneShared = mlpApply(mlpReplica(rep, r), x.ref.slice(1), "tanh").js() as number[][];
      close(shared[r].flat(), oneShared.flat(), 1e-12, `broadcast replica ${r}`);
    }
    x.dispose();
    T.dispose(rep);
  });
});

describe("replicated GAN", () => {
  test("R = 3: shapes, init of replica r = init of gan({seed: seed + r}), description; R = 1 unchanged", () => {
    const g = small({ replicas: 3 });
    assert.equal(g.replicas, 3);
    assert.equal(small().replicas, 1);
    assert.match(g.description, /3 replicas \(seeds 3…5\)/);
    const w = g.init();
    assert.deepEqual(
      (w[0] as MlpParams).map((l) => [l.w.shape, l.b.shape]),
      [
        [
          [3, 2, 5],
          [3, 1, 5],
        ],
        [
          [3, 5, 2],
          [3, 1, 2],
        ],
      ],
    );
    for (let r = 0; r < 3; r++) {
      assert.deepEqual(J.toFloat64(g.replicaParams(w, r)), J.toFloat64(small({ seed: 3 + r }).init()));
    }
    assert.deepEqual(J.toFloat64(small().replicaParams(small().init(), 0)), J.toFloat64(small().init()));
    assert.throws(() => g.replicaParams(w, 3));
    assert.throws(() => small({ replicas: 0 }));
    T.dispose(w);
  });

  const variants: [string, Partial<GanOptions>][] = [
    ...OBJECTIVE_NAMES.map((o): [string, Partial<GanOptions>] => [o, { objective: o }]),
    ["non-saturating + R1 + R2", { objective: "non-saturating", penalties: { r1: 0.5, r2: 0.25 } }],
    ["hinge + GP λ 2", { objective: "hinge", penalties: { gpLambda: 2 } }],
  ];
  for (const [name, o] of variants) {
    test(`${name}: replica r's field = the R = 1 game's field at replica r's parameters and key; jitted = plain`, () => {
      const R = 3;
      const g = small({ ...o, replicas: R });
      const single = small(o);
      const w = g.init();
      const layout = J.layoutOf(w);
      const f = flatVectorField(g, layout);
      const fj = jit(f);
      const x0 = J.flatten(T.ref(w));
      const v = vectorField(g)(T.ref(w[0]), T.ref(w[1]), random.key(11)) as [MlpParams, MlpParams];
      const plain = f(x0.ref, random.key(11)).js() as number[];
      const jitted = fj(x0, random.key(11)).js() as number[];
      close(jitted, plain, 1e-12, `${name} jit`);
      assert.ok(plain.every(Number.isFinite));
      for (let r = 0; r < R; r++) {
        const wr = g.replicaParams(w, r);
        const ref = J.toFloat64(vectorField(single)(wr[0], wr[1], replicaKey(random.key(11), R, r)));
        const mine = J.toFloat64([mlpReplica(v[0], r), mlpReplica(v[1], r)]);
        assert.ok(ref.some((x) => x !== 0));
        close(mine, ref, 1e-12, `${name} replica ${r}`);
      }
      T.dispose([v, w]);
      fj.dispose();
    });
  }

  test("independence: changing replica 1's parameters leaves replica 0's and 2's gradients unchanged", () => {
    const g = small({ replicas: 3, penalties: { r1: 1 } });
    const w = g.init();
    const field = (p: Joint) => {
      const v = vectorField(g)(T.ref(p[0]), T.ref(p[1]), random.key(2)) as [MlpParams, MlpParams];
      const out = [0, 1, 2].map((r) => J.toFloat64([mlpReplica(v[0], r), mlpReplica(v[1], r)]));
      T.dispose(v);
      return out;
    };
    const mask = (p: MlpParams) =>
      T.map(T.ref(p), (a) => {
        const m = np
          .array(
            [0, 1, 0].map((x) => x * 0.7),
            f64,
          )
          .reshape([3, 1, 1]);
        return a.add(m.mul(random.normal(random.key(a.size), a.shape).astype(np.float64)));
      });
    const w2: Joint = [mask(w[0] as MlpParams), mask(w[1] as MlpParams)];
    const [a, b] = [field(w), field(w2)];
    assert.deepEqual(b[0], a[0]);
    assert.deepEqual(b[2], a[2]);
    assert.notDeepEqual(b[1], a[1]);
    T.dispose([w, w2]);
  });

  test("generate [R, n, dim], discriminate [R, n, 1], evaluateReplicas = evaluate of each replica at its key", () => {
    const R = 2;
    const g = small({ replicas: R, objective: "minimax" });
    const single = small({ objective: "minimax" });
    const w = g.init();
    const x = g.generate(w[0] as MlpParams, random.key(1), 10);
    assert.deepEqual(x.shape, [R, 10, 2]);
    const xs = x.ref.js() as number[][][];
    const dOut = g.discriminate(w[1] as MlpParams, x.slice(0));
    assert.deepEqual(dOut.shape, [R, 10, 1]);
    const d = dOut.js() as number[][][];
    const es = g.evaluateReplicas(w, random.key(6), g.batch);
    assert.equal(es.length, R);
    assert.throws(() => g.evaluate(w, random.key(6), g.batch), /evaluateReplicas/);
    for (let r = 0; r < R; r++) {
      const wr = g.replicaParams(w, r);
      const xr = single.generate(wr[0] as MlpParams, replicaKey(random.key(1), R, r), 10).js() as number[][];
      close(xs[r].flat(), xr.flat(), 1e-12, `generate ${r}`);
      const dr = single.discriminate(wr[1] as MlpParams, np.array(xs[0], f64)).js() as number[][];
      close(d[r].flat(), dr.flat(), 1e-12, `discriminate ${r}`);
      const er = single.evaluate(wr, replicaKey(random.key(6), R, r), g.batch);
      close(Object.values(es[r]), Object.values(er), 1e-12, `evaluate ${r}`);
      T.dispose(wr);
    }
    assert.notDeepEqual(es[0], es[1]);
    // R = 1: evaluateReplicas = [evaluate]
    const w1 = single.init();
    assert.deepEqual(single.evaluateReplicas(w1, random.key(3), 8), [single.evaluate(w1, random.key(3), 8)]);
    T.dispose([w, w1]);
  });

  test("replica r of an R = 3 SGD run = the R = 1 run with seed + r fed replica r's keys (10 alternating steps)", () => {
    const R = 3;
    const g = small({ replicas: R });
    const spec = { name: "alternating" as const, lr: [0.05, 0.05] as [number, number] };
    const m = createMethod(g, spec);
    let w: Joint = g.init();
    let s = m.init(w);
    const keys = Array.from({ length: 10 }, (_, t) => 100 + t);
    for (const k of keys) [w, s] = m.step(w, s, random.key(k));
    const reps = [0, 1, 2].map((r) => J.toFloat64(g.replicaParams(w, r)));
    for (let r = 0; r < R; r++) {
      const one = atReplicaKey(small({ seed: 3 + r }), R, r);
      const m1 = createMethod(one, spec);
      let w1: Joint = one.init();
      let s1 = m1.init(w1);
      for (const k of keys) [w1, s1] = m1.step(w1, s1, random.key(k));
      close(reps[r], J.toFloat64(w1), 1e-10, `replica ${r}`);
      T.dispose(s1);
    }
    assert.notDeepEqual(reps[0], reps[1]);
    T.dispose([w, s]);
  });

  for (const name of METHOD_NAMES) {
    if (name === "proximal-point") continue;
    test(`${name}: 10 steps with R = 3 (Adam, default sizes, batch 64) stay finite, replicas differ`, () => {
      const g = gan({ data: ring, batch: 64, seed: 2, replicas: 3 });
      const m = createMethod(g, { name, lr: [1e-3, 1e-3], optimizer: ["adam", "adam"] });
      const run = runDynamics(g, m, { steps: 10, seed: 3 });
      assert.equal(run.nonFinite, null, JSON.stringify(run.nonFinite));
      assert.ok(run.final.every(Number.isFinite));
      const w = J.unflatten(J.layoutOf(g.init()), np.array(run.final, { dtype: np.float32 })) as Joint;
      const [a, b] = [J.toFloat64(g.replicaParams(w, 0)), J.toFloat64(g.replicaParams(w, 1))];
      assert.notDeepEqual(a, b);
      T.dispose(w);
    });
  }
});

describe("replicated data draws", () => {
  test("replica r's real batch is the mixture draw of its own key, and covers the modes", () => {
    // A vmapped draw once put every replica's real samples on one mode (jax-js patch 13: random.randint under
    // vmap); each replica must see the same batch as a plain run with its key.
    const data = ringDataset();
    const R = 3;
    const n = 256;
    const draws = ganDraws(data, 2, "float32", R);
    const key = random.key(7);
    const batched = draws.drawReplicas(key.ref, n, true, false);
    const xs = batched.x!.js() as number[][][];
    batched.z.dispose();
    const keys = random.split(key, R);
    const centers = data.modes!.centers;
    for (let r = 0; r < R; r++) {
      const one = draws.draw(keys.ref.slice(r), n, true, false);
      const alone = one.x!.js() as number[][];
      one.z.dispose();
      const diff = alone.flat().reduce((a, v, i) => Math.max(a, Math.abs(v - xs[r].flat()[i])), 0);
      assert.ok(diff < 1e-6, `replica ${r}: |batched − alone| = ${diff}`);
      const nearest = xs[r].map((p) => {
        let best = 0;
        for (let k = 1; k < centers.length; k++)
          if (
            Math.hypot(p[0] - centers[k][0], p[1] - centers[k][1]) <
            Math.hypot(p[0] - centers[best][0], p[1] - centers[best][1])
          )
            best = k;
        return best;
      });
      // 256 uniform draws over 8 modes: every mode appears (P(a mode is missed) < 8·(7/8)^256 ≈ 1e-14)
      assert.equal(new Set(nearest).size, 8, `replica ${r} covers modes ${[...new Set(nearest)].sort()}`);
    }
    keys.dispose();
  });
});
