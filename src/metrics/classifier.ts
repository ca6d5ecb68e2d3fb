/**
 * A small CNN classifier per image data set, trained by saddle itself, for classifier-based Inception
 * Score and FID (src/metrics/inception.ts, src/metrics/frechet.ts) on MNIST and Fashion-MNIST:
 *
 *   x (H×W×C) → conv 4×4/2 32 → ReLU → conv 4×4/2 64 → ReLU → fc 128 → ReLU (= the features) → fc classes
 *
 * trained with cross-entropy, Adam (η = 10⁻³, then 10⁻⁴ for the last third of the steps) on minibatches of
 * 128 drawn with replacement. The weights
 * are cached as JSON (saddle's exact checkpoint format, src/runs/serialize.ts) in
 * `$SADDLE_CACHE` or `~/.cache/saddle/`, file `classifier-<data>-<size>.json`, and re-created (trained
 * again) when missing: `saddle classifier train --data mnist|fashion` does it explicitly.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { jit, nn, numpy as np, random, tree, valueAndGrad, type Array as JArray } from "@jax-js/jax";
import { loadImageDataset, type ImageDataset, type ImageDatasetName, type ImageSet } from "../data/images.ts";
import { conv2d } from "../engine/conv.ts";
import { keyFor } from "../engine/rng.ts";
import * as T from "../engine/tree.ts";
import { scalarLike } from "../engine/tree.ts";
import type { Layer } from "../models/mlp.ts";
import { adam } from "../optim/transform.ts";
import { writeJsonAtomic } from "../runs/atomic.ts";
import { loadTree, saveTree, type LeafRecord } from "../runs/serialize.ts";
import { makeDirs } from "../runs/make-dir.ts";

export type ClassifierParams = Layer[];

export interface ClassifierFile {
  data: string;
  size: number;
  steps: number;
  testAccuracy: number;
  trainSeconds: number;
  params: LeafRecord[];
}

export interface Classifier {
  readonly data: string;
  readonly classes: number;
  readonly testAccuracy: number;
  /** Class probabilities [n·classes] and penultimate features [n·FEATURES] of flat images [n, H·W·C] in [−1, 1]. */
  run(images: Float32Array, n: number): { probs: Float32Array; features: Float32Array };
}

export const FEATURES = 128;
const WIDTHS = [32, 64];
const BATCH = 128;
const EVAL_BATCH = 500;
/** Default training steps (≈ 6 epochs of MNIST or Fashion-MNIST at batch 128). */
export const DEFAULT_STEPS: Record<ImageDatasetName, number> = { mnist: 3000, fashion: 3000 };

/** The cache folder: $SADDLE_CACHE, else ~/.cache/saddle. */
export function cacheDir(): string {
  return process.env.SADDLE_CACHE ?? path.join(os.homedir(), ".cache", "saddle");
}
export const classifierPath = (data: string, size: number): string =>
  path.join(cacheDir(), `classifier-${data}-${size}.json`);

function init(key: JArray, H: number, W: number, C: number, classes: number): ClassifierParams {
  const ks = random.split(key, 4);
  const he = (k: JArray, shape: number[], fanIn: number) =>
    random.normal(k, shape).mul(np.full([], Math.sqrt(2 / fanIn), { dtype: np.float32 }));
  const flat = (H / 4) * (W / 4) * WIDTHS[1];
  const params: ClassifierParams = [
    { w: he(ks.ref.slice(0), [4, 4, C, WIDTHS[0]], 16 * C), b: np.zeros([WIDTHS[0]]) },
    { w: he(ks.ref.slice(1), [4, 4, WIDTHS[0], WIDTHS[1]], 16 * WIDTHS[0]), b: np.zeros([WIDTHS[1]]) },
    { w: he(ks.ref.slice(2), [flat, FEATURES], flat), b: np.zeros([FEATURES]) },
    { w: he(ks.slice(3), [FEATURES, classes], FEATURES), b: np.zeros([classes]) },
  ];
  return params;
}

/** [logits, features] of x [n, H·W·C]; consumes params and x. */
function forward(p: ClassifierParams, x: JArray, H: number, W: number, C: number): [JArray, JArray] {
  const n = x.shape[0];
  let h = x.reshape([n, H, W, C]);
  for (let i = 0; i < 2; i++) h = np.maximum(conv2d(h, p[i].w, { stride: 2, padding: 1 }).add(p[i].b), 0);
  const f = np.maximum(np.dot(h.reshape([n, -1]), p[2].w).add(p[2].b), 0);
  return [np.dot(f.ref, p[3].w).add(p[3].b), f];
}

function makeRunner(ds: ImageDataset, params: ClassifierParams, testAccuracy: number): Classifier {
  const { height: H, width: W, channels: C, classes } = ds;
  const D = H * W * C;
  const f = jit((p: ClassifierParams, x: JArray) => {
    const [logits, feats] = forward(p, x, H, W, C);
    return [nn.softmax(logits, -1), feats];
  });
  return {
    data: ds.name,
    classes,
    testAccuracy,
    run(images, n) {
      const probs = new Float32Array(n * classes);
      const features = new Float32Array(n * FEATURES);
      for (let s = 0; s < n; s += EVAL_BATCH) {
        const m = Math.min(EVAL_BATCH, n - s);
        // pad the last batch to EVAL_BATCH so that one compiled function serves every batch
        const buf = new Float32Array(EVAL_BATCH * D);
        buf.set(images.subarray(s * D, (s + m) * D));
        const [pr, fe] = f(tree.ref(params), np.array(buf).reshape([EVAL_BATCH, D])) as JArray[];
        probs.set((pr.dataSync() as Float32Array).subarray(0, m * classes), s * classes);
        features.set((fe.dataSync() as Float32Array).subarray(0, m * FEATURES), s * FEATURES);
      }
      return { probs, features };
    },
  };
}

/** Fraction of a labeled set that the classifier gets right. */
export function accuracy(c: Classifier, set: ImageSet): number {
  const { probs } = c.run(set.images, set.count);
  let right = 0;
  for (let i = 0; i < set.count; i++) {
    let best = 0;
    for (let j = 1; j < c.classes; j++) if (probs[i * c.classes + j] > probs[i * c.classes + best]) best = j;
    if (best === (set.labels as Int32Array)[i]) right++;
  }
  return right / set.count;
}

export interface TrainClassifierOptions {
  steps?: number;
  seed?: number;
  size?: number;
  /** Called every 100 steps with the step and the minibatch loss. */
  onProgress?: (step: number, loss: number) => void;
}

/** Train a classifier on a data set's train split and write it to the cache; returns it with its test accuracy. */
export function trainClassifier(
  name: ImageDatasetName,
  opts: TrainClassifierOptions = {},
): Classifier & { file: string } {
  const ds = loadImageDataset(name, { size: opts.size, labeled: true });
  const { height: H, width: W, channels: C, classes } = ds;
  const D = H * W * C;
  const steps = opts.steps ?? DEFAULT_STEPS[name];
  const seed = opts.seed ?? 0;
  const t0 = performance.now();
  let params = init(keyFor(seed, "init"), H, W, C, classes);
  const opt = adam(1e-3);
  // the last third at η/10: the same Adam state (moments, count) carries over
  const optLow = adam(1e-4);
  const decayAt = Math.floor((2 * steps) / 3);
  let state = opt.init(params);
  const loss = (p: ClassifierParams, xy: JArray): JArray => {
    const x = xy.ref.slice([], [0, D]);
    const y = xy.slice([], [D, D + classes]);
    const [logits] = forward(p, x, H, W, C);
    const ce = np.sum(y.mul(nn.logSoftmax(logits, -1))).neg();
    return ce.div(scalarLike(ce, BATCH));
  };
  const stepWith = (o: typeof opt) =>
    jit((p: ClassifierParams, s: T.Params, key: JArray) => {
      const xy = ds.sample(key, BATCH);
      const [l, g] = valueAndGrad(loss)(tree.ref(p), xy);
      const [u, s2] = o.update(g as T.Params, s, p);
      return [T.add(p, u as ClassifierParams), s2, l];
    });
  const stepHigh = stepWith(opt);
  const stepLow = stepWith(optLow);
  let noise = keyFor(seed, "noise");
  for (let t = 1; t <= steps; t++) {
    const ks = random.split(noise, 2);
    noise = ks.ref.slice(0);
    const out = (t <= decayAt ? stepHigh : stepLow)(params, state, ks.slice(1)) as [
      ClassifierParams,
      T.Params,
      JArray,
    ];
    [params, state] = [out[0], out[1]];
    // read every step: jax-js arrays are lazy, and a chain of unread steps keeps every step's buffers alive
    const l = out[2].dataSync()[0];
    if (t % 100 === 0 || t === steps) opts.onProgress?.(t, l);
  }
  noise.dispose();
  T.dispose(state);
  const runner = makeRunner(ds, params, 0);
  const testAccuracy = accuracy(runner, ds.test as ImageSet);
  const file = classifierPath(name, H);
  makeDirs(path.dirname(file));
  const record: ClassifierFile = {
    data: name,
    size: H,
    steps,
    testAccuracy,
    trainSeconds: (performance.now() - t0) / 1000,
    params: saveTree(params),
  };
  writeJsonAtomic(file, record);
  return { ...makeRunner(ds, params, testAccuracy), file };
}

/** The cached classifier of a data set, or null when none is cached (or the file does not fit). */
export function loadClassifier(name: ImageDatasetName, size?: number): Classifier | null {
  const ds = loadImageDataset(name, { size, labeled: false });
  const file = classifierPath(name, ds.height);
  if (!fs.existsSync(file)) return null;
  try {
    const rec = JSON.parse(fs.readFileSync(file, "utf8")) as ClassifierFile;
    const template = init(random.key(0), ds.height, ds.width, ds.channels, 10);
    return makeRunner(ds, loadTree(template, rec.params), rec.testAccuracy);
  } catch {
    return null;
  }
}

/** The cached classifier, trained (and cached) first when missing; `log` hears about the training. */
export function classifierFor(
  name: ImageDatasetName,
  size?: number,
  log?: (line: string) => void,
): Classifier {
  const c = loadClassifier(name, size);
  if (c) return c;
  log?.(
    `saddle: no cached ${name} classifier in ${cacheDir()}; training one (saddle classifier train --data ${name})`,
  );
  return trainClassifier(name, { size });
}
