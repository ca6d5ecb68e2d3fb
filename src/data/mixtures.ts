/**
 * Equal-weight Gaussian mixtures, the 2-D benchmarks of the VEEGAN / PacGAN protocol (REFERENCE.md,
 * "Benchmarks from the literature"):
 *
 * - `ring()`: "8 Gaussians on a circle of radius 2, σ = 0.02" (centres at angles 2πk/8, k = 0..7);
 * - `grid()`: "25 Gaussians at {−4,−2,0,2,4}², σ = 0.05".
 *
 * A sample is c_k + σ·ε with k uniform over the components and ε ~ N(0, I).
 *
 * Besides them, small 2-D sets for teaching (GAN Lab's toy sets), all centred near 0 within about ±2.5:
 * `grid3()` (9 Gaussians at {−2, 0, 2}², σ = 0.05), `gaussian()` (one N(0, 0.5²I)), and three curves with
 * Gaussian noise and no modes: `twoMoons()`, `spiral()` and `line()` (see each for its formula).
 */
import { numpy as np, random, type Array as JArray } from "@jax-js/jax";
import { dtypeOf, type DTypeName } from "../engine/device.ts";
import { checkSampleCount, PREVIEW_MAX, type Dataset } from "./dataset.ts";

/** Seed of the fixed preview points (pure JS generator, independent of the engine). */
const PREVIEW_SEED = 20240601;

/**
 * The mixture of N(c_k, σ²I) over `centers` with equal weights. Sampling draws a component index per
 * sample (`random.randint`), gathers its centre (`np.take`) and adds σ·N(0, I): traceable inside `jit`.
 */
export function mixture(centers: number[][], sigma: number, name: string): Dataset {
  if (centers.length === 0) throw new Error("mixture: no centres");
  const dim = centers[0].length;
  if (dim === 0 || centers.some((c) => c.length !== dim))
    throw new Error("mixture: centres of unequal length");
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new Error(`mixture: σ must be positive, got ${sigma}`);
  const frozen = centers.map((c) => [...c]);
  const flat64 = Float64Array.from(frozen.flat());
  const flat32 = Float32Array.from(flat64);
  return {
    name,
    dim,
    modes: { centers: frozen.map((c) => [...c]), sigma },
    sample(key: JArray, n: number, dtype: DTypeName = "float32"): JArray {
      checkSampleCount(n);
      const dt = dtypeOf(dtype);
      const keys = random.split(key, 2);
      const idx = random.randint(keys.ref.slice(0), { minval: 0, maxval: frozen.length, shape: [n] });
      const noise = random.normal(keys.slice(1), [n, dim]).astype(dt);
      const c = np.array(dtype === "float64" ? flat64 : flat32, { dtype: dt }).reshape([frozen.length, dim]);
      return np.take(c, idx, 0).add(noise.mul(np.full([], sigma, { dtype: dt })));
    },
    preview(n = PREVIEW_MAX): number[][] {
      const m = Math.max(0, Math.min(Math.floor(n), PREVIEW_MAX));
      const rand = mulberry32(PREVIEW_SEED);
      const out: number[][] = [];
      for (let i = 0; i < m; i++) {
        const c = frozen[Math.min(frozen.length - 1, Math.floor(rand() * frozen.length))];
        out.push(c.map((ci) => ci + sigma * gaussian01(rand)));
      }
      return out;
    },
  };
}

/** 8 Gaussians on the circle of radius 2 (angles 2πk/8), σ = 0.02. */
export function ring(): Dataset {
  const centers = Array.from({ length: 8 }, (_, k) => {
    const a = (2 * Math.PI * k) / 8;
    return [2 * Math.cos(a), 2 * Math.sin(a)];
  });
  return mixture(centers, 0.02, "ring");
}

/** 25 Gaussians at {−4, −2, 0, 2, 4}², σ = 0.05 (row-major: x outer, y inner). */
export function grid(): Dataset {
  const xs = [-4, -2, 0, 2, 4];
  return mixture(
    xs.flatMap((x) => xs.map((y) => [x, y])),
    0.05,
    "grid",
  );
}

/** A small seeded uniform generator on [0, 1) (mulberry32), for the preview points. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One N(0, 1) draw by Box–Muller. */
function gaussian01(rand: () => number): number {
  const u = 1 - rand(); // (0, 1]
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** 9 Gaussians at {−2, 0, 2}², σ = 0.05 (row-major: x outer, y inner). */
export function grid3(): Dataset {
  const xs = [-2, 0, 2];
  return mixture(
    xs.flatMap((x) => xs.map((y) => [x, y])),
    0.05,
    "grid3",
  );
}

/** A single Gaussian N(0, 0.5²I): one mode (covered when a sample lies within 3σ = 1.5 of 0). */
export function gaussian(): Dataset {
  return mixture([[0, 0]], 0.5, "gaussian");
}

/**
 * Points on a curve c(t, s) with t ~ U[t0, t1), a branch s ∈ {0, 1} drawn with probability ½ each, plus
 * σ·ε, ε ~ N(0, I). `curve` maps jax arrays (traceable) and `curveJs` the same formula on numbers (preview).
 */
function curveDataset(
  name: string,
  t: [number, number],
  sigma: number,
  curve: (t: JArray, s: JArray) => [JArray, JArray],
  curveJs: (t: number, s: number) => [number, number],
): Dataset {
  return {
    name,
    dim: 2,
    sample(key: JArray, n: number, dtype: DTypeName = "float32"): JArray {
      checkSampleCount(n);
      const dt = dtypeOf(dtype);
      const ks = random.split(key, 3);
      const tt = random.uniform(ks.ref.slice(0), [n], { minval: t[0], maxval: t[1] }).astype(dt);
      const s = random.randint(ks.ref.slice(1), { minval: 0, maxval: 2, shape: [n] }).astype(dt);
      const noise = random.normal(ks.slice(2), [n, 2]).astype(dt);
      const [x, y] = curve(tt, s);
      return np.stack([x, y], 1).add(noise.mul(np.full([], sigma, { dtype: dt })));
    },
    preview(n = PREVIEW_MAX): number[][] {
      const m = Math.max(0, Math.min(Math.floor(n), PREVIEW_MAX));
      const rand = mulberry32(PREVIEW_SEED);
      const out: number[][] = [];
      for (let i = 0; i < m; i++) {
        const tt = t[0] + (t[1] - t[0]) * rand();
        const s = rand() < 0.5 ? 0 : 1;
        const [x, y] = curveJs(tt, s);
        out.push([x + sigma * gaussian01(rand), y + sigma * gaussian01(rand)]);
      }
      return out;
    },
  };
}

/**
 * Two interleaved half circles (scikit-learn's two moons, scaled by 1.5 and centred): for t ∈ [0, π),
 * branch 0 is (cos t, sin t), branch 1 is (1 − cos t, ½ − sin t); the point is 1.5·(p − (½, ¼)); σ = 0.075.
 */
export function twoMoons(): Dataset {
  return curveDataset(
    "two-moons",
    [0, Math.PI],
    0.075,
    (t, s) => {
      const c = np.cos(t.ref);
      const sn = np.sin(t);
      // x = cos t + s(1 − 2 cos t), y = sin t + s(½ − 2 sin t)
      const x = c.ref.add(s.ref.mul(c.mul(-2).add(1)));
      const y = sn.ref.add(s.mul(sn.mul(-2).add(0.5)));
      return [x.add(-0.5).mul(1.5), y.add(-0.25).mul(1.5)];
    },
    (t, s) => {
      const x = s === 0 ? Math.cos(t) : 1 - Math.cos(t);
      const y = s === 0 ? Math.sin(t) : 0.5 - Math.sin(t);
      return [1.5 * (x - 0.5), 1.5 * (y - 0.25)];
    },
  );
}

/**
 * A spiral of 1.5 turns: for t ∈ [0, 1), r = 0.2 + 2.1t at angle 3πt, the point (r cos 3πt, r sin 3πt)
 * (both branches alike); σ = 0.04.
 */
export function spiral(): Dataset {
  return curveDataset(
    "spiral",
    [0, 1],
    0.04,
    (t, s) => {
      s.dispose();
      const r = t.ref.mul(2.1).add(0.2);
      const a = t.mul(3 * Math.PI);
      return [r.ref.mul(np.cos(a.ref)), r.mul(np.sin(a))];
    },
    (t) => {
      const r = 0.2 + 2.1 * t;
      return [r * Math.cos(3 * Math.PI * t), r * Math.sin(3 * Math.PI * t)];
    },
  );
}

/** A line segment: for t ∈ [−2, 2), the point (t, t/2); σ = 0.03. */
export function line(): Dataset {
  return curveDataset(
    "line",
    [-2, 2],
    0.03,
    (t, s) => {
      s.dispose();
      return [t.ref, t.mul(0.5)];
    },
    (t) => [t, t / 2],
  );
}

/** The built-in 2-D data sets by name (what `--data` and the lab's data menu accept). */
export const TOY_2D = {
  ring,
  grid,
  grid3,
  gaussian,
  "two-moons": twoMoons,
  spiral,
  line,
} as const satisfies Record<string, () => Dataset>;
export type Toy2dName = keyof typeof TOY_2D;
export const TOY_2D_NAMES = Object.keys(TOY_2D) as Toy2dName[];

/** Whether `name` is a built-in 2-D data set. */
export const isToy2d = (name: string): name is Toy2dName => Object.hasOwn(TOY_2D, name);
