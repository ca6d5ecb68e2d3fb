/**
 * The game and method of an experiment spec: the one place that maps spec fields to `gan(...)` /
 * `mixedGan(...)` options and to the Method that trains them.
 *
 * - a registry method (src/methods) trains the pure GAN V;
 * - with `proxLambda` set (method "proximal" = alternating), the same method trains V_λ^prox(G, D) =
 *   max_D̃ V(G, D̃) − λ‖D − D̃‖² (Farnia & Ozdaglar's proximal training: a wrapper around the game, not a
 *   copy of the method); evaluation and pictures still use V's game;
 * - a mixed method (mirror-gan, mirror-prox-gan; Hsieh, Liu & Cevher 2019) trains the particle game of
 *   src/games/mixed-gan.ts with K = `particles` particles per player.
 */
import type { Dataset } from "../data/dataset.ts";
import type { DTypeName } from "../engine/device.ts";
import { ganSobolev, proximalGame, type ProximalGame, type SobolevDistance } from "../equilibria/proximal.ts";
import { gan, type GanGame } from "../games/gan.ts";
import { imageGanOptions } from "./image-build.ts";
import type { Game } from "../games/game.ts";
import { mixedGan, type MixedGanGame } from "../games/mixed-gan.ts";
import { mlpApply, type MlpConfig, type MlpParams } from "../models/mlp.ts";
import { createMixedMethod, describeMixedMethod, type MixedMethodName } from "../methods/mirror-gan.ts";
import type { Method } from "../methods/method.ts";
import { createMethod, describeMethod } from "../methods/registry.ts";
import type { ObjectiveName } from "../objectives/registry.ts";
import { isMixed, methodSpecOf, mixedParamsOf, type ExperimentSpec } from "../spec/experiment.ts";

export type { GanGame } from "../games/gan.ts";

/** The options every GAN of a spec shares (data, networks, objective, penalties, batch, seed, dtype). */
function sharedGanOptions(spec: Omit<MixedGanSpec, "particles">, data: Dataset) {
  return {
    data,
    generator: spec.generator,
    discriminator: spec.discriminator,
    latentDim: spec.latentDim,
    objective: spec.objective,
    objectiveOptions: { clip: spec.clip, gpLambda: spec.gpLambda },
    penalties: { r1: spec.r1, r2: spec.r2 },
    batch: spec.batch,
    seed: spec.seed,
    dtype: spec.dtype,
  };
}

export function buildGan(spec: ExperimentSpec, data: Dataset): GanGame {
  return gan({
    ...sharedGanOptions(spec, data),
    replicas: spec.replicas,
    ...imageGanOptions(spec, data),
  });
}

/** The experiment-spec fields a mixed GAN is built from (src/spec/experiment.ts's names) plus `particles`. */
export interface MixedGanSpec {
  generator: MlpConfig;
  discriminator: MlpConfig;
  latentDim: number;
  objective: ObjectiveName;
  clip: number;
  gpLambda: number;
  r1: number;
  r2: number;
  batch: number;
  seed: number;
  dtype: DTypeName;
  particles: number;
}

/** The mixed GAN of an experiment spec (the counterpart of `buildGan`). */
export function buildMixedGan(spec: MixedGanSpec, data: Dataset): MixedGanGame {
  return mixedGan({
    ...sharedGanOptions(spec, data),
    particles: spec.particles,
  });
}

/** The game whose parameters a run of `spec` holds: the particle game for mixed methods, else the GAN. */
export function buildGame(spec: ExperimentSpec, data: Dataset): GanGame {
  return isMixed(spec)
    ? buildMixedGan({ ...spec, particles: mixedParamsOf(spec).particles }, data)
    : buildGan(spec, data);
}

/** V_λ^prox of a GAN with the spec's inner solver and norm (Sobolev: E_x‖∇ₓD(x) − ∇ₓD̃(x)‖², x ∼ data). */
export function buildProximal(
  spec: ExperimentSpec,
  data: Dataset,
  game: GanGame,
  lambda: number,
): ProximalGame {
  let sobolev: SobolevDistance | undefined;
  if (spec.proxNorm === "sobolev") {
    const act = spec.discriminator.activation;
    sobolev = ganSobolev(
      (D, x) => mlpApply(D as MlpParams, x, act),
      (key) => data.sample(key, spec.batch, spec.dtype),
    );
  }
  return proximalGame(game, {
    lambda,
    innerSteps: spec.proxInnerSteps,
    innerLr: spec.proxInnerLr,
    norm: spec.proxNorm,
    sobolev,
  });
}

export interface Training {
  /** The game evaluated and drawn (the GAN, or the particle game). */
  game: GanGame;
  /** The game the method steps on: `game`, or V_λ^prox of it. */
  trained: Game;
  /** Set for proximal training. */
  prox: ProximalGame | null;
  method: Method;
  /** One line: the update and its hyper-parameters. */
  description: string;
}

export function buildTraining(spec: ExperimentSpec, data: Dataset): Training {
  if (isMixed(spec)) {
    const p = mixedParamsOf(spec);
    const game = buildMixedGan({ ...spec, particles: p.particles }, data);
    const mspec = {
      name: spec.method.name as MixedMethodName,
      lr: [spec.lrG, spec.lrD] as [number, number],
      temperature: p.temperature,
      innerSteps: p.sgldSteps,
      averaging: p.averaging,
    };
    return {
      game,
      trained: game,
      prox: null,
      method: createMixedMethod(game, mspec),
      description: `${describeMixedMethod(mspec)}; K = ${p.particles} particles per player`,
    };
  }
  const game = buildGan(spec, data);
  const mspec = methodSpecOf(spec);
  const prox = spec.proxLambda !== undefined ? buildProximal(spec, data, game, spec.proxLambda) : null;
  const trained = prox ?? game;
  return {
    game,
    trained,
    prox,
    method: createMethod(trained, mspec),
    description: `${describeMethod(mspec)}${prox ? ` on ${prox.description}` : ""}`,
  };
}
