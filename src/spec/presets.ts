/**
 * Named experiment specs for image GANs (`saddle train --preset NAME`); flags and `--spec` files override
 * their fields. All use DCGAN networks (src/models/dcgan.ts) on 28×28 images with a 64-dimensional latent.
 *
 * The base (`dcganBase`): G z64 → fc 7·7·64 → convT 32 → convT 1 with batch norm, D conv 32 → conv 64 →
 * fc (REFERENCE.md's pair at half width, see PRESET_WIDTHS), non-saturating loss, alternating GDA (D first),
 * Adam(2·10⁻⁴, β = (0.5, 0.999)) as in Radford et al.'s DCGAN, batch 64.
 *
 * - `mnist-dcgan`, `fashion-dcgan`: the base with batch norm in D too (as in Radford et al.), a minibatch-std
 *   feature in D, Adam 6·10⁻⁴ for both players (β₁ = 0, no momentum, and G stepping on D's fake batch,
 *   `reuseFake`, for MNIST), samples from a moving average of G (β = 0.999,
 *   src/train/ema.ts) and REFERENCE.md's full-width G (fc 7·7·128 → convT 64 → convT 1; D stays half width).
 *   Measured on MNIST at equal steps (docs/images.md): D's batch norm, then the larger step, then the average
 *   each raised IS and lowered FID against the base (IS 4.98 → 7.15 at step 2000); the wide G costs 1.36× per
 *   step and raised IS at equal wall time (7.63 against 7.55 after about 30 minutes on both cores).
 * - `mnist-dcgan-reference`: the base with REFERENCE.md's benchmark pair (G z64 → fc 7·7·128 → convT 64 →
 *   convT 1, D conv 64 → conv 128 → fc) and no batch norm.
 * - `mnist-cgan`: the conditional GAN of the Purdue lecture (G(z | y), D(x | y), label concatenation) on
 *   the base, as measured (90 % label accuracy at step 7000).
 * - `mnist-wgan-clip`: the WGAN algorithm with the lecture's defaults — RMSProp, α = 5·10⁻⁵, clipping
 *   c = 0.01, m = 64, n_critic = 5 critic steps per generator step.
 */
import { UsageError } from "../engine/errors.ts";
import type { ExperimentInput } from "./experiment.ts";
import { DEFAULT_GAN_METHOD } from "../methods/index.ts";

/** REFERENCE.md's benchmark pair (bench/dcgan.bench.ts times one iteration of it). */
export const REFERENCE_WIDTHS = { g: [128, 64], d: [64, 128] };
/**
 * Half-width DCGAN for the training presets: REFERENCE.md's pair costs ~3.5 CPU-seconds per iteration on
 * this project's shared 2-core machine (PyTorch took ~3.2 s for it at the same time, against the 144 ms
 * REFERENCE.md records on an idle machine), too slow for a one-hour MNIST run; halving every width cuts the
 * convolutions' work about 4×.
 */
export const PRESET_WIDTHS = { g: [64, 32], d: [32, 64] };

const dcganBase: ExperimentInput = {
  data: "mnist",
  model: "dcgan",
  latentDim: 64,
  dcgan: { ...PRESET_WIDTHS, batchNorm: true, dBatchNorm: false, spectralNorm: false },
  objective: "non-saturating",
  method: { name: DEFAULT_GAN_METHOD, first: 1 }, // D moves first
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

const tunedDcgan: ExperimentInput = {
  ...dcganBase,
  dcgan: {
    g: [...REFERENCE_WIDTHS.g],
    d: [...PRESET_WIDTHS.d],
    batchNorm: true,
    dBatchNorm: true,
    dMinibatchStd: true,
    spectralNorm: false,
  },
  lrG: 6e-4,
  lrD: 6e-4,
  // No momentum (β₁ = 0): the negative-momentum talk's "positive momentum can be bad for adversarial games".
  // Measured on MNIST (docs/images.md): IS 7.68 / FID 50.9 at step 3000 against 7.49 / 60.0 with β₁ = 0.5,
  // and 7.93 / 33.3 against 7.90 / 38.4 at step 9000.
  betas: [0, 0.999],
  ema: 0.999,
  evalEvery: 1000, // fewer evaluations in the hour leave more of it to training
};

export const PRESETS: Record<string, ExperimentInput> = {
  // G's step reuses D's fake batch (PyTorch's DCGAN loop): 1.29× the steps per second, and better per step
  // on MNIST (docs/images.md): IS 8.01 at step 6000 against 7.85 drawing a fresh batch for G.
  "mnist-dcgan": { ...tunedDcgan, method: { name: DEFAULT_GAN_METHOD, first: 1, reuseFake: true } },
  "mnist-dcgan-reference": {
    ...dcganBase,
    dcgan: { ...REFERENCE_WIDTHS, batchNorm: false, dBatchNorm: false, spectralNorm: false },
  },
  // β₁ = 0 and reuseFake were measured on MNIST only; Fashion-MNIST keeps β₁ = 0.5 and a fresh batch for G.
  "fashion-dcgan": { ...tunedDcgan, data: "fashion", betas: [0.5, 0.999] },
  "mnist-cgan": { ...dcganBase, conditional: true },
  "mnist-wgan-clip": {
    ...dcganBase,
    objective: "wasserstein",
    clip: 0.01,
    optimizer: "rmsprop",
    lrG: 5e-5,
    lrD: 5e-5,
    method: { name: DEFAULT_GAN_METHOD, steps: [1, 5], first: 1 }, // k_G : k_D = 1 : 5, D first
  },
};

export const PRESET_NAMES = Object.keys(PRESETS);

/** The spec input of a preset (a copy); unknown names are a UsageError listing the presets. */
export function presetSpec(name: string): ExperimentInput {
  const p = PRESETS[name];
  if (!p) throw new UsageError(`--preset: unknown preset '${name}'; allowed: ${PRESET_NAMES.join(", ")}`);
  return structuredClone(p);
}
