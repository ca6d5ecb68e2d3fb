/**
 * A small grid for teaching (GAN Lab's toy sets): 9 Gaussians at {−2, 0, 2}², σ = 0.05 (row-major: x outer,
 * y inner), all within about ±2.5 of 0.
 */
import { z } from "zod";
import { defineDataset, type Dataset } from "../dataset.ts";
import { gridCenters, mixture } from "../mixtures.ts";

export const grid3Dataset = defineDataset({
  name: "grid3",
  params: z.object({
    side: z.number().int().min(1).max(100).default(3),
    spacing: z.number().positive().default(2),
    sigma: z.number().positive().default(0.05),
  }),
  formula: ({ side, spacing, sigma }) =>
    `${side * side} Gaussians on a ${side}×${side} grid of spacing ${spacing} centred at 0, σ = ${sigma}`,
  create: ({ side, spacing, sigma }) => mixture(gridCenters(side, spacing), sigma, "grid3"),
});

/** grid3 at its defaults. */
export const grid3 = (): Dataset => grid3Dataset.create(grid3Dataset.params.parse({}));
