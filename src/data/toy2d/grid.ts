/**
 * The grid (VEEGAN / PacGAN protocol, REFERENCE.md, "Benchmarks from the literature"): "25 Gaussians at
 * {−4, −2, 0, 2, 4}², σ = 0.05" (row-major: x outer, y inner); a sample is c_k + σε with k uniform and
 * ε ~ N(0, I).
 */
import { z } from "zod";
import { defineDataset, type Dataset } from "../dataset.ts";
import { gridCenters, mixture } from "../mixtures.ts";

export const gridDataset = defineDataset({
  name: "grid",
  citation: "Srivastava et al. 2017 (VEEGAN); Lin et al. 2018 (PacGAN)",
  params: z.object({
    side: z.number().int().min(1).max(100).default(5),
    spacing: z.number().positive().default(2),
    sigma: z.number().positive().default(0.05),
  }),
  formula: ({ side, spacing, sigma }) =>
    `${side * side} Gaussians on a ${side}×${side} grid of spacing ${spacing} centred at 0, σ = ${sigma}`,
  create: ({ side, spacing, sigma }) => mixture(gridCenters(side, spacing), sigma, "grid"),
});

/** The grid at its defaults. */
export const grid = (): Dataset => gridDataset.create(gridDataset.params.parse({}));
