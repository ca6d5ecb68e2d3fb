/**
 * Training and caching the classifier of src/metrics/classifier.ts: cross-entropy, Adam (η = 10⁻³, then 10⁻⁴
 * for the last third of the steps) on minibatches of 128 drawn with replacement from the data set's train
 * split. The weights are cached as JSON (saddle's exact checkpoint format, src/runs/serialize.ts) in
 * `$SADDLE_CACHE` or `~/.cache/saddle/`, file `classifier-<data>-<size>.json`, and re-created (trained
 * again) when missing: `saddle classifier train --data mnist|fashion` does it explicitly.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { jit, nn, numpy as np, random, tree, valueAndGrad, type Array as JArray } from "@jax-js/jax";
import { loadImageDataset, type ImageDatasetName, type ImageSet } from "../data/images.ts";
import { keyFor } from "../engine/rng.ts";
import * as T from "../engine/tree.ts";
import { scalarLike } from "../engine/tree.ts";
import {
  accuracy,
  classifierForward,
  classifierOf,
  initClassifier,
  type Classifier,
  type ClassifierParams,
} from "../metrics/classifier.ts";
import { adam } from "../optim/transform.ts";
import { writeJsonAtomic } from "../runs/atomic.ts";
import { loadTree, saveTree, type LeafRecord } from "../runs/serialize.ts";
import { makeDirs } from "../runs/make-dir.ts";

export interface ClassifierFile {
  data: string;
  size: number;
  steps: number;
  testAccuracy: number;
  trainSeconds: number;
  params: LeafRecord[];
}

const BATCH = 128;
/** Default training steps (≈ 6 epochs of MNIST or Fashion-MNIST at batch 128). */
export const DEFAULT_STEPS: Record<ImageDatasetName, number> = { mnist: 3000, fashion: 3000 };

/** The cache folder: $SADDLE_CACHE, else ~/.cache/saddle. */
export function cacheDir(): string {
  return process.env.SADDLE_CACHE ?? path.join(os.homedir(), ".cache", "saddle");
}
export const classifierPath = (data: string, size: number): string =>
  path.join(cacheDir(), `classifier-${data}-${size}.json`);

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
  let params = initClassifier(keyFor(seed, "init"), H, W, C, classes);
  const opt = adam(1e-3);
  // the last third at η/10: the same Adam state (moments, count) carries over
  const optLow = adam(1e-4);
  const decayAt = Math.floor((2 * steps) / 3);
  let state = opt.init(params);
  const loss = (p: ClassifierParams, xy: JArray): JArray => {
    const x = xy.ref.slice([], [0, D]);
    const y = xy.slice([], [D, D + classes]);
    const [logits] = classifierForward(p, x, H, W, C);
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
  const runner = classifierOf(ds, params, 0);
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
  return { ...classifierOf(ds, params, testAccuracy), file };
}

/** The cached classifier of a data set, or null when none is cached (or the file does not fit). */
export function loadClassifier(name: ImageDatasetName, size?: number): Classifier | null {
  const ds = loadImageDataset(name, { size, labeled: false });
  const file = classifierPath(name, ds.height);
  if (!fs.existsSync(file)) return null;
  try {
    const rec = JSON.parse(fs.readFileSync(file, "utf8")) as ClassifierFile;
    const template = initClassifier(random.key(0), ds.height, ds.width, ds.channels, 10);
    return classifierOf(ds, loadTree(template, rec.params), rec.testAccuracy);
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
