/** Test data: 8 Gaussians on a circle of radius 2, σ = 0.02 (REFERENCE.md's ring), as a traceable Sampler. */
import { numpy as np, random } from "@jax-js/jax";
import { dtypeOf, type DTypeName } from "../../src/engine/device.ts";
import type { Sampler } from "../../src/games/gan.ts";

export const ring: Sampler = {
  dim: 2,
  sample: (key, n, dtype: DTypeName = "float32") => {
    const ks = random.split(key, 2);
    const angle = np.floor(random.uniform(ks.ref.slice(0), [n, 1]).mul(8)).mul((2 * Math.PI) / 8);
    const centres = np.concatenate([np.cos(angle.ref), np.sin(angle)], 1).mul(2);
    return centres.add(random.normal(ks.slice(1), [n, 2]).mul(0.02)).astype(dtypeOf(dtype));
  },
};
