/**
 * Samples from any checkpoint of a run directory (`saddle sample`), drawn the way the run's own evaluations
 * draw them (src/train/trainer.ts, src/train/image-eval.ts), from the generator the evaluations score: Ḡ, the
 * moving average of G's parameters, when the run has `ema` β > 0 (src/train/ema.ts), else G.
 *
 * - 2-D (any non-image) data: x = G(z), z ∼ N(0, I_k) drawn by `game.generate` from keyFor(seed, "data"),
 *   the evaluation key of `evaluateAt`; with the run's seed and n = evalSamples these are exactly the points
 *   its metrics rows scored. Replicated runs: replica r's points from its replica key.
 * - Images: in chunks of 250 latents (batch norm uses the statistics of its batch, as in training) from the
 *   key of the scored samples; with the run's seed and n = evalSamples, an unconditional run's images (or a
 *   conditional run's with labels `random`) are the images its IS / FID scored. Conditional and InfoGAN runs put onehot(label) in G's label (or code) slots
 *   after k noise coordinates: labels cycle over the classes (sample i has label i mod K), or one label for
 *   all, or `random` (drawn with the noise, as in training).
 */
import { random, tree, type Array as JArray } from "@jax-js/jax";
import type { Dataset } from "../data/dataset.ts";
import { isImageDataset, type ImageDataset } from "../data/images.ts";
import { dtypeOf, useDevice, type DeviceName } from "../engine/device.ts";
import { UsageError } from "../engine/errors.ts";
import { keyFor } from "../engine/rng.ts";
import type { Joint } from "../games/game.ts";
import type { MlpParams } from "../models/mlp.ts";
import { RunDir } from "../runs/run-dir.ts";
import type { ExperimentSpec } from "../spec/experiment.ts";
import { buildGame, type GanGame } from "./build.ts";
import { specDataset } from "./image-build.ts";
import {
  generateInChunks,
  imageGenerator,
  imagePart,
  scoredSamplesKey,
  withLabelSlots,
} from "./image-eval.ts";
import { restorePlayers } from "./trainer.ts";

/** A run's generator at one checkpoint. */
export interface RunGenerator {
  dir: string;
  spec: ExperimentSpec;
  data: Dataset;
  game: GanGame;
  step: number;
  /** Every checkpointed step of the run, ascending. */
  steps: number[];
  /** The pair at the checkpoint (D draws the heat map of 2-D pictures). */
  w: Joint;
  /** The parameters samples come from: Ḡ when `ema`, else w[0]. */
  G: MlpParams;
  ema: boolean;
  /** G's label (conditional) or code (InfoGAN) slots after the latentDim noise coordinates; 0 = none. */
  slots: number;
}

/**
 * Open the run in `dir` at checkpoint `step` (default: the latest) on `device` (default: the run's). `ema`
 * false samples G's trained parameters even when the run averages them. Every problem is a UsageError.
 */
export async function openRunGenerator(
  dir: string,
  opts: { step?: number; ema?: boolean; device?: DeviceName } = {},
): Promise<RunGenerator> {
  const { run, spec: runSpec } = RunDir.open(dir, "RUN");
  const steps = run.checkpointSteps();
  const step = opts.step ?? steps[steps.length - 1];
  if (!steps.includes(step)) {
    throw new UsageError(
      `--step: '${dir}' has no checkpoint at step ${step}; available steps: ${steps.join(", ")}`,
    );
  }
  const spec = opts.device ? { ...runSpec, device: opts.device } : runSpec;
  const data = specDataset(spec);
  await useDevice(spec.device);
  const game = buildGame(spec, data);
  const ck = run.readCheckpoint(step, "RUN");
  let restored: ReturnType<typeof restorePlayers>;
  try {
    restored = restorePlayers(game, spec, ck);
  } catch (e) {
    throw new UsageError(
      `RUN: checkpoint '${run.checkpointPath(step)}' does not fit ${run.specPath}: ${(e as Error).message}`,
    );
  }
  const { w, gAvg } = restored;
  const useEma = gAvg !== null && opts.ema !== false;
  if (gAvg && !useEma) tree.dispose(gAvg);
  const image = isImageDataset(data) && spec.model === "dcgan";
  return {
    dir,
    spec,
    data,
    game,
    step,
    steps,
    w,
    G: useEma ? (gAvg as MlpParams) : (w[0] as MlpParams),
    ema: useEma,
    slots: image ? (spec.conditional ? (data as ImageDataset).classes : spec.infoCodes) : 0,
  };
}

/** Which labels go in G's slots: `cycle` (i mod K), `random` (drawn with the noise) or one label c. */
export type LabelChoice = "cycle" | "random" | number;

export interface SampleOptions {
  n: number;
  seed: number;
  /** Conditional / InfoGAN runs (default `cycle`). */
  label?: LabelChoice;
  /** Replicated runs: the replica to draw from (default 0). */
  replica?: number;
}

export interface Samples {
  /** n rows of `dim` float32 values: points, or images flat in HWC order (the data sets' layout). */
  values: Float32Array;
  n: number;
  dim: number;
  /** Set for image data. */
  image: { height: number; width: number; channels: number } | null;
  /** Each sample's label or code, when the run has label slots and they were set (not `random`). */
  labels: number[] | null;
}

/** n samples of the run's generator; see the module comment for the latents. */
export function drawSamples(g: RunGenerator, o: SampleOptions): Samples {
  const { game, spec, data } = g;
  if (!isImageDataset(data)) {
    const r = o.replica ?? 0;
    const all = game.generate(g.G, keyFor(o.seed, "data"), o.n).dataSync() as Float32Array;
    const d = game.dataDim;
    return {
      values: Float32Array.from(all.subarray(r * o.n * d, (r + 1) * o.n * d)),
      n: o.n,
      dim: d,
      image: null,
      labels: null,
    };
  }
  const label = o.label ?? "cycle";
  const apply = imageGenerator(spec, data);
  const labelOf = (i: number): number => (label === "cycle" ? i % g.slots : (label as number));
  const set = g.slots > 0 && label !== "random" && apply !== null;
  const dt = dtypeOf(spec.dtype);
  const draw = set
    ? (k: JArray, m: number, first: number): JArray =>
        apply(
          tree.ref(g.G),
          withLabelSlots(
            random.normal(k, [m, spec.latentDim]).astype(dt),
            Array.from({ length: m }, (_, j) => labelOf(first + j)),
            g.slots,
          ),
        )
    : (k: JArray, m: number): JArray => game.generate(g.G, k, m);
  const { flat, width } = generateInChunks(scoredSamplesKey(o.seed), o.n, draw);
  const D = data.height * data.width * data.channels;
  return {
    values: width === D ? Float32Array.from(flat) : imagePart(flat, o.n, width, D),
    n: o.n,
    dim: D,
    image: { height: data.height, width: data.width, channels: data.channels },
    labels: set ? Array.from({ length: o.n }, (_, i) => labelOf(i)) : null,
  };
}

/** Images flat HWC [n, H·W·C] → CHW [n, C, H, W] (NumPy / PyTorch layout); points unchanged. */
export function channelsFirst(s: Samples): Float32Array {
  if (!s.image || s.image.channels === 1) return s.values;
  const { height: H, width: W, channels: C } = s.image;
  const out = new Float32Array(s.values.length);
  for (let i = 0; i < s.n; i++)
    for (let c = 0; c < C; c++)
      for (let y = 0; y < H; y++)
        for (let x = 0; x < W; x++)
          out[i * s.dim + (c * H + y) * W + x] = s.values[i * s.dim + (y * W + x) * C + c];
  return out;
}
