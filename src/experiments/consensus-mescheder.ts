/**
 * Claim 2 of issue 19: consensus optimization covers the modes where simultaneous GDA does not (Mescheder,
 * Nowozin & Geiger, "The Numerics of GANs", NeurIPS 2017, Sec. 5, mixture of 8 Gaussians; the Mitliagkas
 * lecture, "Idea 2: use L as regularizer"): v_c = v + γ∇(½‖v‖²), both players on RMSProp with step size
 * 1e-4, γ = 10. Their networks (recalled from the paper, not in REFERENCE.md): G and D fully connected with
 * 4 layers of 16 units (here 3 hidden layers of 16, ReLU), a 16-dimensional latent code; batch 256 here.
 *
 * Relation: mean modes covered of consensus ≥ 7 of 8 and mean modes of simultaneous GDA < 7, over the seeds,
 * on the ring, at equal steps (a diverged seed counts as 0 modes).
 */
import type { ExperimentInput } from "../spec/experiment.ts";
import type { Experiment, Outcome } from "./experiment.ts";
import { trainArms } from "./two-methods.ts";
import { consensusMethod } from "../methods/consensus.ts";
import { simultaneousMethod } from "../methods/simultaneous.ts";

export const CONSENSUS_THRESHOLD = 7;
export const CONSENSUS_BUDGET = {
  full: { steps: 10_000, seeds: 5 },
  quick: { steps: 3, seeds: 2 },
} as const;

const NET = { hidden: [16, 16, 16], activation: "relu" as const };
const SETUP: ExperimentInput = {
  data: "ring",
  objective: "non-saturating",
  latentDim: 16,
  generator: NET,
  discriminator: NET,
  optimizer: "rmsprop",
  lrG: 1e-4,
  lrD: 1e-4,
  batch: 256,
  evalSamples: 2500,
};

export const consensusMescheder: Experiment = {
  id: "consensus-mescheder",
  relation:
    `On the ring at Mescheder et al.'s set-up (RMSProp 1e-4, γ = 10, 16-unit MLPs), consensus optimization ` +
    `covers the modes (mean modes ≥ ${CONSENSUS_THRESHOLD}) while simultaneous GDA does not (mean modes < ${CONSENSUS_THRESHOLD}), at equal steps`,
  source: "Mescheder, Nowozin & Geiger 2017, Sec. 5; Mitliagkas lecture (consensus optimization)",
  threshold: `consensus ≥ ${CONSENSUS_THRESHOLD} modes and simultaneous < ${CONSENSUS_THRESHOLD} modes (means)`,
  budget: {
    full: `${CONSENSUS_BUDGET.full.steps} steps × ${CONSENSUS_BUDGET.full.seeds} seeds per method, batch 256`,
    quick: `${CONSENSUS_BUDGET.quick.steps} steps × ${CONSENSUS_BUDGET.quick.seeds} seeds per method`,
  },
  async run(ctx): Promise<Outcome> {
    const { steps, seeds } = CONSENSUS_BUDGET[ctx.mode];
    const [sim, con] = await trainArms(
      [
        { label: "simultaneous GDA", input: { ...SETUP, method: simultaneousMethod.name } },
        { label: "consensus γ = 10", input: { ...SETUP, method: { name: consensusMethod.name, gamma: 10 } } },
      ],
      steps,
      seeds,
      ctx,
    );
    const pass = (con.modes.mean ?? 0) >= CONSENSUS_THRESHOLD && (sim.modes.mean ?? 0) < CONSENSUS_THRESHOLD;
    return {
      seeds: Array.from({ length: seeds }, (_, i) => i),
      values: [sim.modes, sim.hq, con.modes, con.hq],
      measured: `${sim.line}; ${con.line}`,
      pass,
      detail: "Mescheder et al. Fig. 4: simultaneous GDA cycles / misses modes, consensus converges to all 8",
    };
  },
};
