/**
 * Named experiment specs for image GANs (`saddle train --preset NAME`); flags and `--spec` files override
 * their fields. All use DCGAN networks (src/models/dcgan.ts) on 28×28 images with a 64-dimensional latent.
 *
 * - `mnist-dcgan`, `fashion-dcgan`: REFERENCE.md's benchmark pair (G z64 → fc 7·7·128 → convT 64 → convT 1,
 *   D conv 64 → conv 128 → fc), non-saturating loss, alternating GDA (D first), Adam(2·10⁻⁴, β = (0.5, 0.999))
 *   as in Radford et al.'s DCGAN, batch 64.
 * - `mnist-cgan`: the conditional GAN of the Purdue lecture (G(z | y), D(x | y), label concatenation), same
 *   training.
 * - `mnist-wgan-clip`: the WGAN algorithm with the lecture's defaults — RMSProp, α = 5·10⁻⁵, clipping
 *   c = 0.01, m = 64, n_critic = 5 critic steps per generator step.
 */
import { UsageError } from "../engine/errors.ts";
import type { ExperimentInput } from "./experiment.ts";

const dcganBase: ExperimentInput = {
  data: "mnist",
  model: "dcgan",
  latentDim: 64,
  dcgan: { g: [128, 64], d: [64, 128], batchNorm: false, spectralNorm: false },
  objective: "non-saturating",
  method: "alternating",
  first: "D",
  optimizer: "adam",
  lrG: 2e-4,
  lrD: 2e-4,
  betas: [0.5, 0.999],
  batch: 64,
  steps: 3000,
  evalEvery: 500,
  evalSamples: 2500,
  checkpointEvery: 500,
};

export const PRESETS: Record<string, ExperimentInput> = {
  "mnist-dcgan": { ...dcganBase },
  "fashion-dcgan": { ...dcganBase, data: "fashion" },
  "mnist-cgan": { ...dcganBase, conditional: true },
  "mnist-wgan-clip": {
    ...dcganBase,
    objective: "wasserstein",
    clip: 0.01,
    optimizer: "rmsprop",
    lrG: 5e-5,
    lrD: 5e-5,
    kD: 5,
    kG: 1,
    first: "D",
  },
};

export const PRESET_NAMES = Object.keys(PRESETS);

/** The spec input of a preset (a copy); unknown names are a UsageError listing the presets. */
export function presetSpec(name: string): ExperimentInput {
  const p = PRESETS[name];
  if (!p) throw new UsageError(`--preset: unknown preset '${name}'; allowed: ${PRESET_NAMES.join(", ")}`);
  return structuredClone(p);
}
