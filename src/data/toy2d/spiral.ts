/**
 * A spiral of 1.5 turns (GAN Lab's toy sets): for t ∈ [0, 1), r = 0.2 + 2.1t at angle 3πt, the point
 * (r cos 3πt, r sin 3πt) plus σε, σ = 0.04. No modes.
 */
import { numpy as np } from "@jax-js/jax";
import { z } from "zod";
import { defineDataset, type Dataset } from "../dataset.ts";
import { curveDataset } from "../mixtures.ts";

export const spiralDataset = defineDataset({
  name: "spiral",
  params: z.object({ sigma: z.number().positive().default(0.04) }),
  formula: ({ sigma }) => `(r cos 3πt, r sin 3πt) with r = 0.2 + 2.1t, t ∈ [0, 1), σ = ${sigma}`,
  create: ({ sigma }) =>
    curveDataset(
      "spiral",
      [0, 1],
      sigma,
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
    ),
});

/** The spiral at its defaults. */
export const spiral = (): Dataset => spiralDataset.create(spiralDataset.params.parse({}));
