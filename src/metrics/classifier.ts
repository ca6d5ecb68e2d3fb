/**
 * The classifier metric's network: a small CNN per image data set, for classifier-based Inception Score and
 * FID (src/metrics/inception.ts, src/metrics/frechet.ts) on MNIST and Fashion-MNIST:
 *
 *   x (H×W×C) → conv 4×4/2 32 → ReLU → conv 4×4/2 64 → ReLU → fc 128 → ReLU (= the features) → fc classes
 *
 * This module applies a classifier (class probabilities, penultimate features, accuracy). Training it and the
 * on-disk cache are src/workflows/classifier-training.ts.
 */
import { jit, nn, numpy as np, random, tree, type Array as JArray } from "@jax-js/jax";
import type { ImageDataset, ImageSet } from "../data/images.ts";
import { conv2d } from "../engine/conv.ts";
import type { Layer } from "../models/mlp.ts";

export type ClassifierParams = Layer[];

export interface Classifier {
  readonly data: string;
  readonly classes: number;
  readonly testAccuracy: number;
  /** Class probabilities [n·classes] and penultimate features [n·FEATURES] of flat images [n, H·W·C] in [−1, 1]. */
  run(images: Float32Array, n: number): { probs: Float32Array; features: Float32Array };
}

export const FEATURES = 128;
const WIDTHS = [32, 64];
const EVAL_BATCH = 500;

/** He-initialised parameters of the classifier for H×W×C images and `classes` classes. */
export function initClassifier(
  key: JArray,
  H: number,
  W: number,
  C: number,
  classes: number,
): ClassifierParams {
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

/** The network: [logits, features] of x [n, H·W·C]; consumes params and x. */
export function classifierForward(
  p: ClassifierParams,
  x: JArray,
  H: number,
  W: number,
  C: number,
): [JArray, JArray] {
  const n = x.shape[0];
  let h = x.reshape([n, H, W, C]);
  for (let i = 0; i < 2; i++) h = np.maximum(conv2d(h, p[i].w, { stride: 2, padding: 1 }).add(p[i].b), 0);
  const f = np.maximum(np.dot(h.reshape([n, -1]), p[2].w).add(p[2].b), 0);
  return [np.dot(f.ref, p[3].w).add(p[3].b), f];
}

/** The classifier with these parameters, applied in batches of 500 (one compiled function); borrows params. */
export function classifierOf(ds: ImageDataset, params: ClassifierParams, testAccuracy: number): Classifier {
  const { height: H, width: W, channels: C, classes } = ds;
  const D = H * W * C;
  const f = jit((p: ClassifierParams, x: JArray) => {
    const [logits, feats] = classifierForward(p, x, H, W, C);
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
