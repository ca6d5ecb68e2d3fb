/**
 * Mean-matching linear WGAN (Gidel, lecture 13, "Let us start simple"): WGAN with a linear discriminator
 * F_φ(x) = φᵀx and a generator that shifts the noise, G_θ(z) = θ + z, so that
 *
 *   min_θ max_φ E_{x∼p_d}[F_φ(x)] − E_z[F_φ(G_θ(z))] = φᵀ(μ − θ)       ("Task: match the means!")
 *
 * Its unique equilibrium is θ = μ, φ = 0; after the shift θ ↦ θ − μ it is the bilinear game −θᵀφ.
 */
import { numpy as np, type Array as JArray } from "@jax-js/jax";
import { z } from "zod";
import { dtypeOf, type DTypeName } from "../engine/device.ts";
import type { Params } from "../engine/tree.ts";
import { defineGame, type Game, type Joint, type Player } from "./game.ts";

export interface MeanMatchingOptions {
  /** The data mean μ (default [1] or all ones in `dim` dimensions). */
  mean?: number[];
  dim?: number;
  dtype?: DTypeName;
  /** Starting point [θ0, φ0] (default zeros and ones). */
  init?: [number[], number[]];
}

export function meanMatching(opts: MeanMatchingOptions = {}): Game {
  const n = opts.mean?.length ?? opts.dim ?? 1;
  const mu = opts.mean ?? new Array<number>(n).fill(1);
  const dtype = opts.dtype ?? "float64";
  const dt = dtypeOf(dtype);
  const muA = np.array(mu, { dtype: dt });
  const L = (th: JArray, ph: JArray): JArray => np.sum(ph.mul(muA.ref.sub(th)));
  const init = opts.init ?? [new Array<number>(n).fill(0), new Array<number>(n).fill(1)];
  return {
    name: "mean-matching",
    description: `linear WGAN matching the data mean μ = [${mu.join(", ")}]: min_θ max_φ φᵀ(μ − θ)`,
    players: ["theta", "phi"],
    dtype,
    zeroSum: true,
    loss: (i: Player, x: Params, y: Params) => {
      const l = L(x as JArray, y as JArray);
      return i === 0 ? l : l.neg();
    },
    init: (): Joint => [np.array(init[0], { dtype: dt }), np.array(init[1], { dtype: dt })],
    equilibrium: (): Joint => [np.array(mu, { dtype: dt }), np.zeros([n], { dtype: dt })],
  };
}

export const meanMatchingGame = defineGame({
  name: "mean-matching",
  citation: 'Gidel, lecture 13, "Let us start simple" ("Task: match the means!")',
  formula: "min_θ max_φ φᵀ(μ − θ): a linear WGAN, F_φ(x) = φᵀx, G_θ(z) = θ + z",
  linear: true,
  params: z.object({
    mean: z.array(z.number()).min(1).optional().describe("data mean μ, comma-separated (default: all ones)"),
  }),
  create: ({ params, dim, dtype, init }) => meanMatching({ mean: params.mean, dim, dtype, init }),
});
