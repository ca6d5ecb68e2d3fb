/**
 * The fixes that patches/@jax-js+jax+0.1.25.patch applies to @jax-js/jax 0.1.25 at install time
 * (docs/jax-js-patch.md: repro, cause and fix of each). Every assertion here fails on the unpatched package:
 * run `git stash -- patches && rm -rf node_modules && npm ci` to see it.
 *
 * 1. `Jaxpr.simplify` folded `x · 1 → x` and `x + 0 → x` even when the op promoted x's dtype: a weakly typed
 *    float32 literal then stood for a float64 result, and jitted float64 gradients read float32 buffers as
 *    float64 (garbage, or `undefined` entries).
 * 2. Inside `jit`, a JS number was inlined through a float32 read-back (0.3 → 0.30000001) even when it multiplied
 *    float64 arrays; eager evaluation kept 0.3.
 * 3. `grad(f)` w.r.t. argument 0 wrapped the other positional arguments in `stopGradient`, which also cut the
 *    tangents an outer `jvp` carries through them (mixed second derivatives came out 0).
 * 4. `jacfwd` returned the transpose ([in, out] instead of JAX's [out, in]).
 * 5. `np.array` tested `data instanceof Float16Array`, a ReferenceError on Node 20 (no Float16Array).
 * 13. `vmap` of a jitted function re-evaluated the jaxpr with its literals as strongly typed arrays, so a JS
 *    number met integer arrays as a float32: integers past 2^24 were rounded (`random.randint` under `vmap`
 *    returned mostly zeros, and every replica of a mixture GAN drew one mode).
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  grad,
  hessian,
  jacfwd,
  jacrev,
  jit,
  jvp,
  numpy as np,
  random,
  valueAndGrad,
  vmap,
  type Array as JArray,
} from "@jax-js/jax";
import { useDevice } from "../src/engine/device.ts";

const f64 = { dtype: np.float64 };
const P = (): JArray =>
  np.array(
    [
      [2, 0.5, 0],
      [0.5, 3, 0.2],
      [0, 0.2, 1],
    ],
    f64,
  );
const x0 = (): JArray => np.array([1, -2, 0.5], f64);
/** ∇ ½ xᵀPx = Px at x0 (P symmetric). */
const PX = [2 * 1 + 0.5 * -2, 0.5 * 1 + 3 * -2 + 0.2 * 0.5, 0.2 * -2 + 0.5];

const close = (got: number[], want: number[], tol: number, what: string): void => {
  assert.equal(got.length, want.length, `${what}: length`);
  got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) <= tol, `${what}[${i}] = ${g}, expected ${want[i]}`));
};

before(async () => {
  await useDevice("wasm");
});

describe("jax-js patch 1: identity folds keep the promoted dtype (float64 jit(grad))", () => {
  const forms: [string, (x: JArray) => JArray][] = [
    ["sum(x ⊙ Px) / 2", (x) => np.sum(x.ref.mul(np.dot(P(), x))).div(2)],
    ["sum(x ⊙ Px) · 0.5", (x) => np.sum(x.ref.mul(np.dot(P(), x))).mul(0.5)],
    ["0.5 · sum(x ⊙ Px)", (x) => np.sum(np.dot(P(), x.ref).mul(x)).mul(np.array(0.5, f64))],
  ];
  for (const [name, f] of forms) {
    it(`${name}: jit(grad) = grad = Px`, () => {
      const plain = (grad(f)(x0()) as JArray).js() as number[];
      const jitted = (jit(grad(f))(x0()) as JArray).js() as number[];
      close(plain, PX, 1e-14, "grad");
      close(jitted, PX, 1e-14, "jit(grad)");
    });
  }
  it("a constant gradient (sum(x) · 0.5) comes back as float64 of the right length", () => {
    const g = jit(grad((x: JArray) => np.sum(x).mul(0.5)))(x0()) as JArray;
    assert.equal(g.dtype, np.float64);
    assert.deepEqual(g.js(), [0.5, 0.5, 0.5]);
  });
  it("a batch mean through an affine layer: jitted gradients equal plain ones", () => {
    const W = (): JArray =>
      np.array(
        [
          [0.3, -0.2],
          [0.1, 0.5],
          [0.7, 0.2],
        ],
        f64,
      );
    const xs = (): JArray =>
      np.array(
        [
          [1, 2, 3],
          [4, 5, 6],
          [7, 8, 9.5],
        ],
        f64,
      );
    const loss = (p: { w: JArray; b: JArray }, xb: JArray): JArray =>
      np.sum(np.dot(xb, p.w).add(p.b)).mul(1 / 3);
    const params = () => ({ w: W(), b: np.array([0.1, -0.1], f64) });
    const plain = grad(loss)(params(), xs()) as { w: JArray; b: JArray };
    const jitted = jit(grad(loss))(params(), xs()) as { w: JArray; b: JArray };
    // ∂/∂b = 3 rows · 1/3 = 1 per output; ∂/∂W[i][j] = column mean of x_i.
    const plainW = (plain.w.js() as number[][]).flat();
    close(jitted.b.js() as number[], [1, 1], 1e-15, "b");
    close((jitted.w.js() as number[][]).flat(), plainW, 1e-15, "w");
    close(plainW, [4, 4, 5, 5, 37 / 6, 37 / 6], 1e-14, "w (closed form)");
    plain.b.dispose();
  });
});

describe("jax-js patch 2: a JS number keeps its float64 value inside jit", () => {
  it("jit(x ↦ 0.3 x) on float64 equals the eager product (not 0.30000001 x)", () => {
    const eager = (x0().mul(0.3).js() as number[]).slice();
    const jitted = (jit((x: JArray) => x.mul(0.3))(x0()) as JArray).js() as number[];
    assert.deepEqual(jitted, eager);
    assert.deepEqual(jitted, [0.3, -0.6, 0.15]);
  });
  it("np.mean's 1/n under jit(grad) is exact in float64", () => {
    const f = (x: JArray): JArray => np.mean(x.ref.mul(x));
    const g = (jit(grad(f))(x0()) as JArray).js() as number[];
    close(g, [2 / 3, -4 / 3, 1 / 3], 1e-16, "jit(grad(mean(x²)))");
  });
  it("float32 arrays still round the constant to float32 (unchanged)", () => {
    const x = np.array([1, -2, 0.5]);
    const jitted = (jit((a: JArray) => a.mul(0.3))(x.ref) as JArray).js() as number[];
    assert.deepEqual(jitted, x.mul(0.3).js());
    assert.equal(jitted[0], Math.fround(0.3));
  });
});

describe("jax-js patch 3: grad keeps the outer tangents of non-differentiated arguments", () => {
  it("d/dy [∂/∂x Σ x·y] = 1 for the positional form grad((x, y) => Σ x·y)(x, y)", () => {
    const g = (x: JArray, y: JArray): JArray =>
      grad((a: JArray, b: JArray) => np.sum(a.mul(b)))(x, y) as JArray;
    const [out, tan] = jvp(
      g,
      [np.array([2], f64), np.array([3], f64)],
      [np.array([0], f64), np.array([1], f64)],
    ) as [JArray, JArray];
    assert.deepEqual(out.js(), [3]);
    assert.deepEqual(tan.js(), [1]);
  });
  it("argnums [1, 0] returns gradients in the order asked", () => {
    const f = (a: JArray, b: JArray): JArray => np.sum(a.mul(b.ref).mul(b));
    const [ga, gb] = grad(f, { argnums: [1, 0] })(np.array([2], f64), np.array([3], f64)) as [JArray, JArray];
    // f = a b²: ∂_b = 2ab = 12, ∂_a = b² = 9.
    assert.deepEqual(ga.js(), [12]);
    assert.deepEqual(gb.js(), [9]);
  });
  it("valueAndGrad w.r.t. argument 1 leaves argument 0 undifferentiated", () => {
    const [v, g] = valueAndGrad((a: JArray, b: JArray) => np.sum(a.mul(b.ref).mul(b)), { argnums: 1 })(
      np.array([2], f64),
      np.array([3], f64),
    ) as [JArray, JArray];
    assert.equal(v.js(), 18);
    assert.deepEqual(g.js(), [12]);
  });
});

describe("jax-js patch 4: jacfwd has JAX's [out, in] layout", () => {
  // f(x, y) = (2x, 3x + y): Jacobian [[2, 0], [3, 1]].
  const f = (w: JArray): JArray => {
    const x = w.ref.slice([0, 1]);
    const y = w.slice([1, 2]);
    return np.concatenate([x.ref.mul(2), x.mul(3).add(y)]);
  };
  it("jacfwd = jacrev = [[2, 0], [3, 1]]", () => {
    assert.deepEqual((jacfwd(f)(np.array([0.7, -1.3], f64)) as JArray).js(), [
      [2, 0],
      [3, 1],
    ]);
    assert.deepEqual((jacrev(f)(np.array([0.7, -1.3], f64)) as JArray).js(), [
      [2, 0],
      [3, 1],
    ]);
  });
  it("hessian of x₀² + 2x₁² + x₀x₁ is [[2, 1], [1, 4]]", () => {
    const g = (w: JArray): JArray =>
      np
        .sum(w.ref.mul(w.ref).mul(np.array([1, 2], f64)))
        .add(np.sum(w.ref.slice([0, 1]).mul(w.slice([1, 2]))));
    assert.deepEqual((hessian(g)(np.array([0.7, -1.3], f64)) as JArray).js(), [
      [2, 1],
      [1, 4],
    ]);
  });
});

describe("jax-js patch 5: np.array works on Node 20 without Float16Array", () => {
  it("the check for Float16Array data is guarded", async () => {
    // src/engine/device.ts used to install a stand-in class; without it and without the patch this threw
    // "ReferenceError: Float16Array is not defined". Run in a child process that imports jax-js alone.
    const { execFileSync } = await import("node:child_process");
    const out = execFileSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `import { numpy as np, init, defaultDevice } from "@jax-js/jax";
         await init("cpu"); defaultDevice("cpu");
         console.log(JSON.stringify([typeof globalThis.Float16Array, np.array([1.5, 2.5], { dtype: np.float64 }).js()]));`,
      ],
      { encoding: "utf8", cwd: process.cwd() },
    );
    const [kind, values] = JSON.parse(out.trim()) as [string, number[]];
    assert.deepEqual(values, [1.5, 2.5]);
    if (Number(process.versions.node.split(".")[0]) < 22) assert.equal(kind, "undefined");
  });
});

describe("jax-js patch 13: vmap of a jitted function keeps its literals weakly typed", () => {
  it("integer arithmetic past 2^24 is exact under vmap(jit(f)), as under jit(f)", () => {
    const u = () =>
      np.array(
        [
          [3000000001, 4000000003],
          [16777217, 9],
        ],
        { dtype: np.uint32 },
      );
    const i = () =>
      np.array(
        [
          [16777217, 33554435],
          [5, 9],
        ],
        { dtype: np.int32 },
      );
    // 3000000001 mod 8 = 1, 4000000003 mod 8 = 3: through a float32 they become 3e9 and 4e9 (mod 8 = 0)
    assert.deepEqual(vmap(jit((x: JArray) => x.mod(8)))(u()).js(), [
      [1, 3],
      [1, 1],
    ]);
    assert.deepEqual(vmap(jit((x: JArray) => x.add(1)))(i()).js(), [
      [16777218, 33554436],
      [6, 10],
    ]);
    assert.equal(vmap(jit((x: JArray) => x.mod(8)))(u()).dtype, np.uint32);
  });

  it("random.randint under vmap draws what each key draws alone", () => {
    const draw = (k: JArray) => random.randint(k, { minval: 0, maxval: 8, shape: [64] });
    const keys = random.split(random.key(0), 3);
    const batched = vmap(draw)(keys.ref).js() as number[][];
    for (let r = 0; r < 3; r++) assert.deepEqual(batched[r], draw(keys.ref.slice(r)).js());
    keys.dispose();
    // and the draws are spread: a uniform draw of 64 from 8 values hits more than 4 of them
    assert.ok(new Set(batched[0]).size > 4, JSON.stringify(batched[0]));
  });
});
