/**
 * The ring (VEEGAN / PacGAN protocol, REFERENCE.md, "Benchmarks from the literature"): "8 Gaussians on a
 * circle of radius 2, σ = 0.02", centres c_k = 2(cos 2πk/8, sin 2πk/8), k = 0..7; a sample is c_k + σε with
 * k uniform and ε ~ N(0, I).
 */
import { z } from "zod";
import { defineDataset, type Dataset } from "../dataset.ts";
import { mixture } from "../mixtures.ts";

export const ringDataset = defineDataset({
  name: "ring",
  citation: "Srivastava et al. 2017 (VEEGAN); Lin et al. 2018 (PacGAN)",
  params: z.object({
    modes: z.number().int().min(1).max(1000).default(8),
    radius: z.number().positive().default(2),
    sigma: z.number().positive().default(0.02),
  }),
  formula: ({ modes, radius, sigma }) =>
    `${modes} Gaussians on the circle of radius ${radius} (angles 2πk/${modes}), σ = ${sigma}`,
  create: ({ modes, radius, sigma }) => {
    const centers = Array.from({ length: modes }, (_, k) => {
      const a = (2 * Math.PI * k) / modes;
      return [radius * Math.cos(a), radius * Math.sin(a)];
    });
    return mixture(centers, sigma, "ring");
  },
});

/** The ring at its defaults. */
export const ring = (): Dataset => ringDataset.create(ringDataset.params.parse({}));
