/**
 * A single Gaussian N(0, σ²I), σ = 0.5 (GAN Lab's toy sets): one mode, covered when a sample lies within
 * 3σ = 1.5 of 0.
 */
import { z } from "zod";
import { defineDataset, type Dataset } from "../dataset.ts";
import { mixture } from "../mixtures.ts";

export const gaussianDataset = defineDataset({
  name: "gaussian",
  params: z.object({ sigma: z.number().positive().default(0.5) }),
  formula: ({ sigma }) => `one Gaussian N(0, σ²I), σ = ${sigma}`,
  create: ({ sigma }) => mixture([[0, 0]], sigma, "gaussian"),
});

/** The Gaussian at its defaults. */
export const gaussian = (): Dataset => gaussianDataset.create(gaussianDataset.params.parse({}));
