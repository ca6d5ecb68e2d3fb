/**
 * Evaluation of image GAN runs, called by the trainer at every evaluation step:
 *
 * - a sample grid PNG from a FIXED latent batch (the same z at every evaluation, so frames compare):
 *   8×8 samples, or for a conditional run one row per class (10 columns, the same noise in each column);
 *   written to runs/<name>/samples/step-<t>.png and copied to samples.png;
 * - for MNIST / Fashion-MNIST (data with a test split and a saddle classifier, src/metrics/classifier.ts):
 *   classifier Inception Score and FID of `evalSamples` generated images (fixed latents) against the test
 *   set, with the real-data references beside them — the IS of the test set and the FID of as many train
 *   images against the test set (same sample size, so the same small-sample bias); for conditional runs
 *   the fraction of generated images the classifier assigns to their requested label.
 */
import path from "node:path";
import { jit, numpy as np, random, tree, type Array as JArray } from "@jax-js/jax";
import type { ImageDataset, ImageDatasetName, ImageSet } from "../data/images.ts";
import { dtypeOf } from "../engine/device.ts";
import { keyFor } from "../engine/rng.ts";
import type { Joint } from "../games/game.ts";
import { FEATURES, type Classifier } from "../metrics/classifier.ts";
import { classifierFor } from "../workflows/classifier-training.ts";
import { frechetDistance, meanCov, type Gaussian } from "../metrics/frechet.ts";
import { inceptionParts, inceptionScore } from "../metrics/inception.ts";
import type { MlpParams } from "../models/mlp.ts";
import { imageGridPng } from "../report/image-grid.ts";
import { writeFileAtomic } from "../runs/atomic.ts";
import type { RunDir } from "../runs/run-dir.ts";
import type { ExperimentSpec } from "../spec/experiment.ts";
import type { GanGame } from "./build.ts";
import { imageGanOptions } from "./image-build.ts";
import { makeDirs } from "../runs/make-dir.ts";

export interface ImageMetrics {
  /** Classifier IS of the generated images, and of the test set (the reference). */
  inceptionScore?: number;
  inceptionScoreReal?: number;
  /** Classifier FID of the generated images vs the test set, and of train images vs the test set. */
  fid?: number;
  fidReal?: number;
  /**
   * log IS = classEntropy − predictionEntropy (nats): the entropy of the predicted class mix (diversity,
   * ln 10 ≈ 2.303 at most on MNIST) and the mean entropy of one sample's prediction (ambiguity);
   * classCounts: how many generated images the classifier puts in each class.
   */
  classEntropy?: number;
  predictionEntropy?: number;
  classCounts?: number[];
  /** Conditional runs: fraction of generated images classified as their requested label. */
  labelAccuracy?: number;
  /** The grid written at this evaluation (relative to the run directory). */
  grid?: string;
}

const CHUNK = 250;

interface RealReference {
  test: Gaussian;
  isTest: number;
  fidTrain: number;
}
const references = new Map<string, RealReference>();

/** Evenly spread n images of a set. */
function subset(set: ImageSet, n: number, D: number): Float32Array {
  const m = Math.min(n, set.count);
  const out = new Float32Array(m * D);
  for (let i = 0; i < m; i++) {
    const k = Math.floor((i * set.count) / m);
    out.set(set.images.subarray(k * D, (k + 1) * D), i * D);
  }
  return out;
}

/** G applied to explicit latents z (jitted), for image models with their own networks; null otherwise. */
export function imageGenerator(
  spec: ExperimentSpec,
  data: ImageDataset,
): ((G: MlpParams, z: JArray) => JArray) | null {
  const nets = imageGanOptions(spec, data).networks;
  return nets ? jit((G: MlpParams, z: JArray) => nets.generator.apply(G, z)) : null;
}

/** Latent rows [noise ‖ onehot(label)] for G's `slots` label (or InfoGAN code) slots; consumes noise. */
export function withLabelSlots(noise: JArray, labels: readonly number[], slots: number): JArray {
  const onehot = np.array(
    labels.map((c) => Array.from({ length: slots }, (_, i) => (i === c ? 1 : 0))),
    { dtype: noise.dtype },
  );
  return np.concatenate([noise, onehot], 1);
}

/** The images of n generated rows of `width` (a conditional G appends the label to each): [n · D]. */
export function imagePart(flat: ArrayLike<number>, n: number, width: number, D: number): Float32Array {
  const out = new Float32Array(n * D);
  for (let i = 0; i < n; i++) for (let j = 0; j < D; j++) out[i * D + j] = flat[i * width + j];
  return out;
}

/** The key behind the scored samples of a seed (`generateInChunks`); the grid uses its own. */
export const scoredSamplesKey = (seed: number): JArray => random.split(keyFor(seed, "data"), 4).slice(2);

/**
 * n generated rows [n, width], in chunks of CHUNK (batch-norm statistics are per chunk): chunk c is
 * `draw(k_c, CHUNK)` with k_c = random.split(key, chunks)[c], and the last chunk is cut to n. Consumes key.
 */
export function generateInChunks(
  key: JArray,
  n: number,
  draw: (k: JArray, m: number, first: number) => JArray,
): { flat: Float32Array; n: number; width: number } {
  const chunks = Math.ceil(n / CHUNK);
  const keys = random.split(key, chunks);
  let flat = new Float32Array(0);
  let width = 0;
  for (let c = 0; c < chunks; c++) {
    const x = draw(keys.ref.slice(c), CHUNK, c * CHUNK);
    if (c === 0) {
      width = x.shape[1];
      flat = new Float32Array(chunks * CHUNK * width);
    }
    flat.set(x.dataSync() as ArrayLike<number>, c * CHUNK * width); // realises and releases x
  }
  keys.dispose();
  return { flat: flat.subarray(0, n * width), n, width };
}

export class ImageEvaluator {
  private classifier: Classifier | null = null;
  private readonly gridFn: ((G: MlpParams, z: JArray) => JArray) | null;
  private readonly D: number;

  constructor(
    private readonly spec: ExperimentSpec,
    private readonly data: ImageDataset,
    private readonly game: GanGame,
    private readonly log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
  ) {
    this.D = data.height * data.width * data.channels;
    this.gridFn = imageGenerator(spec, data);
  }

  private get classes(): number {
    return this.spec.conditional ? this.data.classes : 0;
  }

  /** Grid rows: one per class (conditional) or per InfoGAN code value; 0 = a plain 8 × 8 grid. */
  private get rowsOf(): number {
    return this.classes > 0 ? this.classes : this.spec.infoCodes;
  }

  /**
   * The fixed latent batch of the grid: 64 × latent, or (classes or codes) × 10 with z_tail = onehot(row's
   * class or code).
   */
  private gridLatents(): { z: JArray; n: number; columns: number } {
    const dt = dtypeOf(this.spec.dtype);
    const k = this.spec.latentDim;
    const key = random.split(keyFor(this.spec.seed, "data"), 4).slice(3);
    const R = this.rowsOf;
    if (R === 0) return { z: random.normal(key, [64, k]).astype(dt), n: 64, columns: 8 };
    const cols = 10;
    const noise = random.normal(key, [cols, k]).astype(dt);
    const labels = Array.from({ length: R * cols }, (_, i) => Math.floor(i / cols));
    const z = withLabelSlots(np.tile(noise, [R, 1]), labels, R);
    return { z, n: labels.length, columns: cols };
  }

  private writeGrid(run: RunDir, G: MlpParams, step: number): string | undefined {
    if (!this.gridFn) return undefined;
    const { z, n, columns } = this.gridLatents();
    const out = this.gridFn(tree.ref(G), z);
    const width = out.shape[1];
    const flat = out.dataSync() as Float32Array;
    const images = width === this.D ? flat : imagePart(flat, n, width, this.D);
    const png = imageGridPng(images, n, {
      height: this.data.height,
      width: this.data.width,
      channels: this.data.channels,
      columns,
    });
    const rel = path.join("samples", `step-${step}.png`);
    makeDirs(path.join(run.dir, "samples"));
    writeFileAtomic(path.join(run.dir, rel), png);
    writeFileAtomic(run.samplesPath, png);
    return rel;
  }

  /** `evalSamples` generated rows [n, dim] from fixed keys, in chunks. */
  private generated(G: MlpParams): { flat: Float32Array; n: number; width: number } {
    return generateInChunks(scoredSamplesKey(this.spec.seed), this.spec.evalSamples, (k, m) =>
      this.game.generate(G, k, m),
    );
  }

  private reference(c: Classifier, n: number): RealReference {
    const key = `${this.data.name}-${this.data.height}-${n}`;
    let r = references.get(key);
    if (r) return r;
    const test = this.data.test as ImageSet;
    const t = c.run(test.images, test.count);
    const tr = subset(this.data.train, n, this.D);
    const m = tr.length / this.D;
    const f = c.run(tr, m);
    const testG = meanCov(t.features, test.count, FEATURES);
    r = {
      test: testG,
      isTest: inceptionScore(t.probs, test.count, c.classes),
      fidTrain: frechetDistance(meanCov(f.features, m, FEATURES), testG),
    };
    references.set(key, r);
    return r;
  }

  /** Grid and metrics at step t; borrows w. */
  evaluate(run: RunDir, w: Joint, step: number): ImageMetrics {
    const G = w[0] as MlpParams;
    const out: ImageMetrics = {};
    out.grid = this.writeGrid(run, G, step);
    if (
      !this.spec.imageMetrics ||
      !this.data.test ||
      !(["mnist", "fashion"] as string[]).includes(this.data.name)
    ) {
      return out;
    }
    this.classifier ??= classifierFor(this.data.name as ImageDatasetName, this.data.height, this.log);
    const c = this.classifier;
    const { flat, n, width } = this.generated(G);
    const images = imagePart(flat, n, width, this.D);
    const { probs, features } = c.run(images, n);
    const ref = this.reference(c, n);
    out.inceptionScore = inceptionScore(probs, n, c.classes);
    out.inceptionScoreReal = ref.isTest;
    const parts = inceptionParts(probs, n, c.classes);
    out.classEntropy = parts.marginalEntropy;
    out.predictionEntropy = parts.meanEntropy;
    out.classCounts = parts.counts;
    out.fid = frechetDistance(meanCov(features, n, FEATURES), ref.test);
    out.fidReal = ref.fidTrain;
    if (this.classes > 0) {
      let right = 0;
      for (let i = 0; i < n; i++) {
        let want = 0;
        let best = 0;
        for (let j = 1; j < this.classes; j++) {
          if (flat[i * width + this.D + j] > flat[i * width + this.D + want]) want = j;
          if (probs[i * c.classes + j] > probs[i * c.classes + best]) best = j;
        }
        if (want === best) right++;
      }
      out.labelAccuracy = right / n;
    }
    return out;
  }
}
