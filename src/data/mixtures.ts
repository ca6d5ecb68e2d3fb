/**
 * Equal-weight Gaussian mixtures, the 2-D benchmarks of the VEEGAN / PacGAN protocol (REFERENCE.md,
 * "Benchmarks from the literature"):
 *
 * - `ring()`: "8 Gaussians on a circle of radius 2, σ = 0.02" (centres at angles 2πk/8, k = 0..7);
 * - `grid()`: "25 Gaussians at {−4,−2,0,2,4}², σ = 0.05".
 *
 * A sample is c_k + σ·ε with k uniform over the components and ε ~ N(0, I).
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
        out.push(c.map((ci) => ci + sigma * gaussian(rand)));
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
function gaussian(rand: () => number): number {
  const u = 1 - rand(); // (0, 1]
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}
