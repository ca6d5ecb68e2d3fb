/** A line segment (GAN Lab's toy sets): for t ∈ [−2, 2), the point (t, t/2) plus σε, σ = 0.03. No modes. */
import { z } from "zod";
import { defineDataset, type Dataset } from "../dataset.ts";
import { curveDataset } from "../mixtures.ts";

export const lineDataset = defineDataset({
  name: "line",
  params: z.object({ sigma: z.number().positive().default(0.03) }),
  formula: ({ sigma }) => `the segment (t, t/2), t ∈ [−2, 2), σ = ${sigma}`,
  create: ({ sigma }) =>
    curveDataset(
      "line",
      [-2, 2],
      sigma,
      (t, s) => {
        s.dispose();
        return [t.ref, t.mul(0.5)];
      },
      (t) => [t, t / 2],
    ),
});

/** The line at its defaults. */
export const line = (): Dataset => lineDataset.create(lineDataset.params.parse({}));
