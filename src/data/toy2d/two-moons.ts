/**
 * Two interleaved half circles (scikit-learn's two moons, scaled by 1.5 and centred; GAN Lab's toy sets):
 * for t ∈ [0, π), branch 0 is (cos t, sin t), branch 1 is (1 − cos t, ½ − sin t); the point is
 * 1.5·(p − (½, ¼)) plus σε, σ = 0.075. No modes.
 */
import { numpy as np } from "@jax-js/jax";
import { z } from "zod";
import { defineDataset, type Dataset } from "../dataset.ts";
import { curveDataset } from "../mixtures.ts";

export const twoMoonsDataset = defineDataset({
  name: "two-moons",
  citation: "scikit-learn's make_moons",
  params: z.object({ sigma: z.number().positive().default(0.075) }),
  formula: ({ sigma }) =>
    `two half circles (cos t, sin t) and (1 − cos t, ½ − sin t), t ∈ [0, π), scaled by 1.5 and centred, σ = ${sigma}`,
  create: ({ sigma }) =>
    curveDataset(
      "two-moons",
      [0, Math.PI],
      sigma,
      (t, s) => {
        const c = np.cos(t.ref);
        const sn = np.sin(t);
        // x = cos t + s(1 − 2 cos t), y = sin t + s(½ − 2 sin t)
        const x = c.ref.add(s.ref.mul(c.mul(-2).add(1)));
        const y = sn.ref.add(s.mul(sn.mul(-2).add(0.5)));
        return [x.add(-0.5).mul(1.5), y.add(-0.25).mul(1.5)];
      },
      (t, s) => {
        const x = s === 0 ? Math.cos(t) : 1 - Math.cos(t);
        const y = s === 0 ? Math.sin(t) : 0.5 - Math.sin(t);
        return [1.5 * (x - 0.5), 1.5 * (y - 0.25)];
      },
    ),
});

/** The two moons at their defaults. */
export const twoMoons = (): Dataset => twoMoonsDataset.create(twoMoonsDataset.params.parse({}));
