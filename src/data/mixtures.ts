/**
 * The builders of the built-in 2-D data sets (src/data/toy2d/, one module each):
 *
 * - `mixture`: an equal-weight Gaussian mixture, a sample is c_k + σ·ε with k uniform over the components
 *   and ε ~ N(0, I) (the VEEGAN / PacGAN benchmarks ring and grid, REFERENCE.md, "Benchmarks from the
 *   literature");
 * - `curveDataset`: points on a curve plus Gaussian noise, no modes (GAN Lab's toy sets).
 *
 * Both give a fixed set of preview points from a pure-JS generator (independent of the engine).
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

/** The centres of a side × side grid with this spacing, centred at 0 (row-major: x outer, y inner). */
export function gridCenters(side: number, spacing: number): number[][] {
  const xs = Array.from({ length: side }, (_, i) => (i - (side - 1) / 2) * spacing);
  return xs.flatMap((x) => xs.map((y) => [x, y]));
}

/**
 * Points on a curve c(t, s) with t ~ U[t0, t1), a branch s ∈ {0, 1} drawn with probability ½ each, plus
 * σ·ε, ε ~ N(0, I). `curve` maps jax arrays (traceable) and `curveJs` the same formula on numbers (preview).
 */
export function curveDataset(
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
