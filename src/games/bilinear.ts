/**
 * Bilinear game with optional quadratic terms (Gidel, lecture 13, "Let us start simple"):
 *
 *   min_θ max_φ  L(θ, φ) = θᵀAφ + ½ θᵀPθ − ½ φᵀQφ,      L^(θ) = L,  L^(φ) = −L.
 *
 * With A = [1], P = Q = 0 this is the lecture's θ·φ, whose unique Nash equilibrium is (0, 0); simultaneous
 * GDA diverges on it at rate √(1+η²). The vector field is linear, v(ω) = Mω with M = [[P, A], [−Aᵀ, Q]].
 */
import { numpy as np, random, type Array as JArray } from "@jax-js/jax";
import { z } from "zod";
import { dtypeOf, type DTypeName } from "../engine/device.ts";
import { keyFor } from "../engine/rng.ts";
import type { Params } from "../engine/tree.ts";
import { defineGame, type Game, type Joint, type Player } from "./game.ts";

export interface BilinearOptions {
  /** Dimension n of θ and φ (default 1). */
  dim?: number;
  /** The coupling matrix A (n×n). Default: [[1]] when n = 1, else drawn N(0, 1/n) from `seed`. */
  matrix?: number[][];
  /** P: a number (P = p·I) or an n×n matrix (default 0). */
  p?: number | number[][];
  /** Q: a number (Q = q·I) or an n×n matrix (default 0). */
  q?: number | number[][];
  seed?: number;
  dtype?: DTypeName;
  /** Starting point [θ0, φ0] (default all ones). */
  init?: [number[], number[]];
}

function asMatrix(v: number | number[][] | undefined, n: number): number[][] | null {
  if (v === undefined || v === 0) return null;
  if (typeof v === "number")
    return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? v : 0)));
  return v;
}

/** Draws A ~ N(0, 1/n) entrywise from the seed's `game` stream. */
export function drawMatrix(n: number, seed: number): number[][] {
  const a = random.normal(keyFor(seed, "game"), [n, n]).mul(1 / Math.sqrt(n));
  return a.js() as number[][];
}

export function bilinear(opts: BilinearOptions = {}): Game & { matrix: number[][] } {
  const n = opts.dim ?? opts.matrix?.length ?? 1;
  const dtype = opts.dtype ?? "float64";
  const dt = dtypeOf(dtype);
  const A = opts.matrix ?? (n === 1 ? [[1]] : drawMatrix(n, opts.seed ?? 0));
  const P = asMatrix(opts.p, n);
  const Q = asMatrix(opts.q, n);
  const arr = (m: number[][]): JArray => np.array(m, { dtype: dt });
  const Aa = arr(A);
  const Pa = P ? arr(P) : null;
  const Qa = Q ? arr(Q) : null;
  const L = (x: Params, y: Params): JArray => {
    const th = x as JArray;
    const ph = y as JArray;
    let l = np.sum(th.ref.mul(np.dot(Aa.ref, ph.ref)));
    if (Pa) l = l.add(np.sum(th.ref.mul(np.dot(Pa.ref, th.ref))).mul(0.5));
    if (Qa) l = l.sub(np.sum(ph.ref.mul(np.dot(Qa.ref, ph.ref))).mul(0.5));
    th.dispose();
    ph.dispose();
    return l;
  };
  const init = opts.init ?? [new Array<number>(n).fill(1), new Array<number>(n).fill(1)];
  const quad = P || Q ? " + ½θᵀPθ − ½φᵀQφ" : "";
  return {
    name: "bilinear",
    description: `min_θ max_φ θᵀAφ${quad}, θ, φ ∈ R^${n}`,
    players: ["theta", "phi"],
    dtype,
    zeroSum: true,
    matrix: A,
    loss: (i: Player, x: Params, y: Params) => (i === 0 ? L(x, y) : L(x, y).neg()),
    init: (): Joint => [np.array(init[0], { dtype: dt }), np.array(init[1], { dtype: dt })],
    equilibrium: (): Joint => [np.zeros([n], { dtype: dt }), np.zeros([n], { dtype: dt })],
  };
}

export const bilinearGame = defineGame({
  name: "bilinear",
  citation: 'Gidel, lecture 13, "Let us start simple"',
  formula: "min_θ max_φ θᵀAφ + ½θᵀ(pI)θ − ½φᵀ(qI)φ, A = [1] in 1-d, else drawn N(0, 1/n) from the seed",
  linear: true,
  params: z.object({
    p: z.number().default(0).describe("quadratic term ½θᵀ(pI)θ for θ"),
    q: z.number().default(0).describe("quadratic term −½φᵀ(qI)φ for φ"),
  }),
  create: ({ params, dim, seed, dtype, init }) => bilinear({ ...params, dim, seed, dtype, init }),
  lab: [
    { param: "p", label: "p (½pθ²)", slider: { min: -2, max: 2, step: 0.05 } },
    { param: "q", label: "q (−½qφ²)", slider: { min: -2, max: 2, step: 0.05 } },
  ],
});
