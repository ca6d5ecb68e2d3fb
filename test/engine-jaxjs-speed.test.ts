/**
 * The dispatch-cost fixes of patches/@jax-js+jax+0.1.25.patch (docs/jax-js-patch.md, sections 6–11), checked by
 * deterministic counts — hashes, wasm instances, sets, kernels and their expressions — never by time. Every
 * count here differs on the unpatched package, and every result is compared with what it must equal.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { grad, jit, nn, numpy as np, profiler, random, type Array as JArray } from "@jax-js/jax";
import { useDevice } from "../src/engine/device.ts";

interface Dispatch {
  label: string;
  size: number;
  exp: string;
  reduction: string;
}

/** The kernels and routines that `f` dispatches (jax-js's profiler: one performance.measure each). */
function dispatches(f: () => void): Dispatch[] {
  performance.clearMeasures();
  profiler.startTrace();
  try {
    f();
  } finally {
    profiler.stopTrace();
  }
  const out = performance.getEntriesByType("measure").map((e) => {
    const detail = (e as unknown as { detail?: { devtools?: { properties?: [string, string][] } } }).detail;
    const p = Object.fromEntries(detail?.devtools?.properties ?? []);
    return { label: e.name, size: Number(p.size ?? 0), exp: p.exp ?? "", reduction: p.reduction ?? "" };
  });
  performance.clearMeasures();
  return out;
}

/** jax-js's backend chunk (FpHash and Kernel are named exports there, hidden by the package's exports map). */
async function backendChunk(): Promise<Record<string, unknown>> {
  const entry = new URL(import.meta.resolve("@jax-js/jax"));
  const chunk = /from\s+"(\.\/backend-[\w-]+\.js)"/.exec(readFileSync(entry, "utf8"))?.[1];
  assert.ok(chunk, "jax-js's backend chunk not found");
  return (await import(new URL(chunk, entry).href)) as Record<string, unknown>;
}
/** The WebAssembly constructors the backend calls (typed here: the project's lib has no DOM types). */
interface Ctor {
  new (...args: never[]): object;
}
const wasmApi = (globalThis as unknown as { WebAssembly: { Instance: Ctor; Module: Ctor } }).WebAssembly;

const named = (ns: Record<string, unknown>, name: string): unknown =>
  Object.values(ns).find((v) => typeof v === "function" && v.name === name);

const mlpGrad = jit(
  grad((W1: JArray, W2: JArray, x: JArray) => np.sum(nn.softplus(np.dot(np.maximum(np.dot(x, W1), 0), W2)))),
);
const args = (): [JArray, JArray, JArray] => {
  const ks = random.split(random.key(7), 3);
  return [
    random.normal(ks.ref.slice(0), [16, 32]),
    random.normal(ks.ref.slice(1), [32, 8]),
    random.normal(ks.slice(2), [64, 16]),
  ];
};

before(async () => {
  await useDevice("wasm");
});

describe("jax-js patch 6–7: a jitted call is looked up once, not hashed again", () => {
  it("a warm call hashes no Kernel and no Jaxpr, and gives the same numbers", async () => {
    const ns = await backendChunk();
    const FpHash = named(ns, "FpHash") as { hash: (...v: unknown[]) => bigint };
    const Kernel = named(ns, "Kernel") as abstract new (...a: never[]) => object;
    const { Jaxpr } = await import("@jax-js/jax");
    const first = Array.from(mlpGrad(...args()).dataSync());
    const original = FpHash.hash;
    const seen = { kernel: 0, jaxpr: 0 };
    FpHash.hash = (...values: unknown[]): bigint => {
      if (values[0] instanceof Kernel) seen.kernel++;
      if (values[0] instanceof Jaxpr) seen.jaxpr++;
      return original.apply(FpHash, values);
    };
    let again: number[];
    try {
      const a = args(); // eager draws hash their own kernels: made before counting
      for (const x of a) x.ref.dataSync();
      seen.kernel = 0;
      seen.jaxpr = 0;
      again = Array.from(mlpGrad(...a).dataSync());
    } finally {
      FpHash.hash = original;
    }
    assert.deepEqual(seen, { kernel: 0, jaxpr: 0 });
    assert.deepEqual(again, first);
  });
});

describe("jax-js patch 8: the wasm backend instantiates each compiled kernel once", () => {
  it("a warm jitted call creates no WebAssembly.Instance on the main thread", () => {
    const a = args();
    for (const x of a) x.ref.dataSync();
    mlpGrad(...args()).dataSync();
    const Original = wasmApi.Instance;
    let made = 0;
    wasmApi.Instance = class extends Original {
      constructor(...a: never[]) {
        super(...a);
        made++;
      }
    };
    let n: number;
    try {
      n = dispatches(() => mlpGrad(...a).dataSync()).length;
    } finally {
      wasmApi.Instance = Original;
    }
    assert.ok(n >= 4, `${n} dispatches`);
    assert.equal(made, 0);
  });
});

describe("jax-js patch 9: the outputs of one jit call share one pending set", () => {
  it("a 48-output call builds a few Sets, not one per output; each output is right", () => {
    const f = jit((x: JArray) => Array.from({ length: 48 }, (_, i) => x.ref.mul(i + 1)));
    f(np.arange(4)).forEach((y) => y.dispose());
    const Original = globalThis.Set;
    let made = 0;
    globalThis.Set = class<T> extends Original<T> {
      constructor(values?: Iterable<T> | null) {
        super(values);
        made++;
      }
    } as SetConstructor;
    let ys: JArray[];
    try {
      ys = f(np.arange(4)) as JArray[];
    } finally {
      globalThis.Set = Original;
    }
    assert.ok(made < 12, `${made} Sets for 48 outputs`);
    // realise the outputs in an order that trims the shared set from several arrays
    assert.deepEqual(ys[47].js(), [0, 48, 96, 144]);
    ys.slice(1, 47).forEach((y) => y.dispose());
    assert.deepEqual(ys[0].js(), [0, 1, 2, 3]);
  });
});

describe("jax-js patch 10: a dot input reached through a broadcast is materialised", () => {
  it("no reduction recomputes ReLU's mask or softplus' derivative per output element", () => {
    const a = args();
    const ref: number[] = Array.from(
      grad((W1: JArray, W2: JArray, x: JArray) =>
        np.sum(nn.softplus(np.dot(np.maximum(np.dot(x, W1), 0), W2))),
      )(a[0].ref, a[1].ref, a[2].ref).dataSync(),
    );
    let got: number[] = [];
    const ds = dispatches(() => {
      got = Array.from(mlpGrad(...a).dataSync());
    });
    const reductions = ds.filter((d) => d.reduction !== "");
    assert.ok(reductions.length >= 3, `${reductions.length} reductions`);
    for (const d of reductions) {
      assert.doesNotMatch(
        d.exp,
        /Where|Exp|Max/,
        `a reduction recomputes an elementwise input: ${d.exp.slice(0, 200)}`,
      );
    }
    got.forEach((v, i) =>
      assert.ok(Math.abs(v - ref[i]) <= 1e-5 * Math.max(1, Math.abs(ref[i])), `entry ${i}`),
    );
  });
});

describe("jax-js patch 11: a small view used by several kernels is read in place", () => {
  it("splitting keys inside jit dispatches no copy of a key slice, and draws the eager numbers", () => {
    const draw = (k: JArray): JArray[] => {
      const ks = random.split(k, 3);
      const a = random.normal(ks.ref.slice(0), [8]);
      const b = random.uniform(ks.ref.slice(1), [8]);
      const c = random.split(ks.slice(2), 2);
      return [a, b, random.normal(c.ref.slice(0), [4]).add(random.normal(c.slice(1), [4]))];
    };
    const eager = draw(random.key(11)).map((x) => Array.from(x.dataSync()));
    const f = jit(draw);
    f(random.key(11)).forEach((x) => x.dispose());
    const key = random.key(11);
    key.ref.dataSync();
    let got: number[][] = [];
    const ds = dispatches(() => {
      got = (f(key) as JArray[]).map((x) => Array.from(x.dataSync()));
    });
    const copies = ds.filter((d) => /^GV_0<uint32>[^(]*$/.test(d.exp));
    assert.deepEqual(
      copies.map((d) => d.exp),
      [],
    );
    assert.deepEqual(got, eager);
  });
});

describe("jax-js patch 12: batched matmuls share pointers across the rows of a block", () => {
  it("the batched kernel is as compact as the 2-D one, and each batch is the 2-D product bit for bit", () => {
    const Original = wasmApi.Module;
    const sizes: number[] = [];
    wasmApi.Module = class extends Original {
      constructor(...a: never[]) {
        super(...a);
        sizes.push((a[0] as { byteLength: number }).byteLength);
      }
    };
    const R = 4;
    const ks = random.split(random.key(3), 2);
    const x = random.normal(ks.ref.slice(0), [R, 64, 32]);
    const w = random.normal(ks.slice(1), [R, 32, 32]);
    let batched: Float32Array;
    let single: number[][];
    let bytes: number[];
    try {
      sizes.length = 0;
      batched = jit((a: JArray, b: JArray) => np.matmul(a, b))(x.ref, w.ref).dataSync() as Float32Array;
      const big = Math.max(...sizes);
      sizes.length = 0;
      const dot = jit((a: JArray, b: JArray) => np.dot(a, b));
      single = Array.from({ length: R }, (_, r) =>
        Array.from(dot(x.ref.slice(r), w.ref.slice(r)).dataSync() as Float32Array),
      );
      bytes = [big, Math.max(...sizes)];
    } finally {
      wasmApi.Module = Original;
      x.dispose();
      w.dispose();
    }
    assert.ok(bytes[0] <= bytes[1] * 1.25, `batched kernel ${bytes[0]} bytes, 2-D kernel ${bytes[1]} bytes`);
    assert.deepEqual(Array.from(batched), single.flat());
  });
});
