/** The GAN game of an experiment spec: the one place that maps spec fields to `gan(...)` options. */
import type { Dataset } from "../data/dataset.ts";
import { gan, type GanGame } from "../games/gan.ts";
import type { ExperimentSpec } from "../spec/experiment.ts";

export type { GanGame } from "../games/gan.ts";

export function buildGan(spec: ExperimentSpec, data: Dataset): GanGame {
  return gan({
    data,
    generator: spec.generator,
    discriminator: spec.discriminator,
    latentDim: spec.latentDim,
    objective: spec.objective,
    objectiveOptions: { clip: spec.clip, gpLambda: spec.gpLambda },
    penalties: { r1: spec.r1, r2: spec.r2, gpLambda: spec.objective === "wgan-gp" ? spec.gpLambda : 0 },
    batch: spec.batch,
    seed: spec.seed,
    dtype: spec.dtype,
    replicas: spec.replicas,
  });
}
