/**
 * Claim 8 of issue 19 ("negative β optimal on the bilinear game by a sweep over (η, β)"), measured on
 * trajectories: Gidel et al. (AISTATS 2019; the Mitliagkas lecture) show that alternating GDA with heavy-ball
 * momentum,
 *
 *   θ_{t+1} = θ_t − η ∇_θ L + β (θ_t − θ_{t−1}),   then φ likewise at the new θ,
 *
 * converges on bilinear games min_θ max_φ θᵀAφ for some β < 0 and not for β ≥ 0 (REFERENCE.md: best ≈ 0.4843 at
 * η = 1.78, β = −0.08 on θ·φ). `reproduce dynamics` checks this on the exact update operator; here each seed is a
 * random 4×4 game A ~ N(0, 1/4) started at (1, …, 1), and the rate is fitted on its trajectory at every grid point.
 *
 * Relation, per seed: the (η, β) with the smallest measured rate has β < 0 and rate < 1; the claim holds when it
 * does for every seed.
 */
import { runDynamics } from "../dynamics/run-dynamics.ts";
import { measuredRate } from "../analysis/rate.ts";
import { bilinear } from "../games/bilinear.ts";
import { createMethod } from "../methods/registry.ts";
import { measured, type Experiment, type Outcome } from "./experiment.ts";
import { alternatingMethod } from "../methods/alternating.ts";

const ETAS = [0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 1.4, 1.6, 1.8];
const BETAS = [-0.5, -0.4, -0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3, 0.4, 0.5];

export const SWEEP_BUDGET = {
  full: { seeds: 5, steps: 150, etas: ETAS, betas: BETAS },
  quick: { seeds: 2, steps: 30, etas: [0.5, 1.5], betas: [-0.2, 0, 0.2] },
} as const;

export const bilinearMomentumSweep: Experiment = {
  id: "bilinear-momentum-sweep",
  relation:
    "Alternating GDA + heavy-ball momentum on random bilinear games θᵀAφ (4×4): over an (η, β) grid the smallest measured trajectory rate is at β < 0 and is < 1, for every seed",
  source: "Gidel et al. AISTATS 2019 (Mitliagkas lecture, negative momentum); issue 19 claim 8",
  threshold: "per seed: β* < 0 and ρ̂* < 1",
  budget: {
    full: `${ETAS.length}×${BETAS.length} grid (η ∈ {0.2, …, 1.8}, β ∈ {−0.5, …, 0.5}), 150 steps per point, 5 seeds`,
    quick: "2×3 grid, 30 steps per point, 2 seeds",
  },
  async run(ctx): Promise<Outcome> {
    const b = SWEEP_BUDGET[ctx.mode];
    const total = b.seeds * b.etas.length * b.betas.length;
    const bestBeta: number[] = [];
    const bestEta: number[] = [];
    const bestRate: number[] = [];
    const bestNonNeg: number[] = [];
    let done = 0;
    for (let seed = 0; seed < b.seeds; seed++) {
      let best = { eta: NaN, beta: NaN, rate: Infinity };
      let nonNeg = Infinity;
      for (const eta of b.etas)
        for (const beta of b.betas) {
          const game = bilinear({ dim: 4, seed });
          const m = createMethod(game, { name: alternatingMethod.name, lr: [eta, eta], momentum: beta });
          const rec = runDynamics(game, m, { steps: b.steps });
          const r = rec.nonFinite ? Infinity : (measuredRate(rec.distances).rate ?? Infinity);
          if (r < best.rate) best = { eta, beta, rate: r };
          if (beta >= 0) nonNeg = Math.min(nonNeg, r);
          ctx.tick(++done, total);
        }
      bestBeta.push(best.beta);
      bestEta.push(best.eta);
      bestRate.push(best.rate);
      bestNonNeg.push(nonNeg);
    }
    const pass = bestBeta.every((x, i) => x < 0 && bestRate[i] < 1);
    const fin = (xs: number[]) => xs.map((x) => (Number.isFinite(x) ? x : null));
    return {
      seeds: Array.from({ length: b.seeds }, (_, i) => i),
      values: [
        measured("β* (best β)", bestBeta),
        measured("η* (best η)", bestEta),
        measured("ρ̂* (best measured rate)", fin(bestRate)),
        measured("best measured rate with β ≥ 0", fin(bestNonNeg)),
      ],
      measured: bestBeta
        .map(
          (x, i) =>
            `seed ${i}: β* = ${x}, η* = ${bestEta[i]}, ρ̂* = ${bestRate[i].toPrecision(4)} (best β ≥ 0: ${bestNonNeg[i].toPrecision(4)})`,
        )
        .join("; "),
      pass,
    };
  },
};
