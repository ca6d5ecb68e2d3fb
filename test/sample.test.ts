/**
 * `saddle sample RUN` (src/cli/sample.ts, src/train/run-samples.ts) on tiny runs trained by the CLI: the
 * samples are the generator applied by hand (JS matrix products on the checkpoint's arrays) to the
 * evaluation latents — G with --no-ema, Ḡ by default — they are the points the trainer scored, the .npy file
 * parses with an independent reader, CSV and PNG hold what they should, a conditional DCGAN's labels go in
 * G's label slots, and bad input is one line, exit 2, nothing written.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { numpy as np, random, tree } from "@jax-js/jax";
import { PNG } from "pngjs";
import { isImageDataset } from "../src/data/images.ts";
import { useDevice } from "../src/engine/device.ts";
import { keyFor } from "../src/engine/rng.ts";
import type { MlpParams } from "../src/models/mlp.ts";
import { dcgan } from "../src/models/dcgan.ts";
import { loadTree, type LeafRecord } from "../src/runs/serialize.ts";
import { readSpecFile } from "../src/spec/experiment.ts";
import { dcganConfigOf, specDataset } from "../src/train/image-build.ts";
import { main } from "../src/cli/main.ts";
import { isOneLineError, saddle, type CliResult } from "./helpers/cli.ts";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "saddle-sample-"));
const ring = path.join(tmp, "ring");
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Checkpoint {
  step: number;
  params: LeafRecord[];
  ema?: LeafRecord[];
}
const checkpoint = (run: string, step: number): Checkpoint =>
  JSON.parse(
    fs.readFileSync(path.join(run, "checkpoints", `step-${String(step).padStart(9, "0")}.json`), "utf8"),
  );
const floats = (l: LeafRecord): Float32Array => {
  const b = Buffer.from(l.data, "base64");
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};

/** G(z) by hand: layers of (w [in, out], b [out]) leaves, ReLU between, linear output. */
function mlpForward(leaves: LeafRecord[], z: number[][]): number[][] {
  let h = z;
  for (let k = 0; k < leaves.length; k += 2) {
    const [w, b] = [leaves[k], leaves[k + 1]];
    const [nIn, nOut] = w.shape;
    assert.equal(
      b.shape.reduce((x, y) => x * y, 1),
      nOut,
    );
    const W = floats(w);
    const B = floats(b);
    const last = k + 2 === leaves.length;
    h = h.map((row) => {
      assert.equal(row.length, nIn);
      return Array.from({ length: nOut }, (_, j) => {
        let s = B[j];
        for (let i = 0; i < nIn; i++) s += row[i] * W[i * nOut + j];
        return last ? s : Math.max(0, s);
      });
    });
  }
  return h;
}

/** A .npy v1.0 reader, independent of src/report/npy.ts. */
function readNpy(file: string): { shape: number[]; values: Float32Array } {
  const buf = fs.readFileSync(file);
  assert.deepEqual([...buf.subarray(0, 6)], [0x93, ...Buffer.from("NUMPY")]);
  assert.deepEqual([buf[6], buf[7]], [1, 0], "version 1.0");
  const hlen = buf.readUInt16LE(8);
  assert.equal((10 + hlen) % 64, 0, "header padded to a multiple of 64 bytes");
  const header = buf.subarray(10, 10 + hlen).toString("latin1");
  assert.ok(header.endsWith("\n"));
  assert.match(header, /^\{'descr': '<f4', 'fortran_order': False, 'shape': \(([\d, ]+)\), \} *\n$/);
  const shape = /'shape': \(([\d, ]+)\)/
    .exec(header)![1]
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map(Number);
  const body = buf.subarray(10 + hlen);
  const count = shape.reduce((a, b) => a * b, 1);
  assert.equal(body.length, 4 * count, "exactly the float32 data after the header");
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = body.readFloatLE(4 * i);
  return { shape, values };
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

/** The CLI's `main` in this process (for the errors, which stop before any sampling): code and stderr. */
async function inProcess(args: string[]): Promise<CliResult> {
  const lines: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((s: string | Uint8Array) => {
    lines.push(String(s));
    return true;
  }) as typeof process.stderr.write;
  try {
    return { code: await main(args), stdout: "", stderr: lines.join("") };
  } finally {
    process.stderr.write = write;
  }
}

before(async () => {
  await useDevice("wasm");
  const r = await saddle([
    "train",
    "--data",
    "ring",
    "--batch",
    "32",
    "--steps",
    "6",
    "--eval-every",
    "3",
    "--checkpoint-every",
    "3",
    "--keep-checkpoints",
    "10",
    "--eval-samples",
    "500",
    "--ema",
    "0.6",
    "--out",
    tmp,
    "--name",
    "ring",
    "--json",
  ]);
  assert.equal(r.code, 0, r.stderr);
});

describe("saddle sample on a 2-D run", () => {
  test("the samples are G (--no-ema) or Ḡ (default) applied by hand to the evaluation latents; .npy, .csv", async () => {
    const n = 64;
    const base = ["sample", ring, "--step", "3", "--n", String(n), "--json"];
    const [raw, ema, emaNpy] = await Promise.all([
      saddle([...base, "--no-ema", "--out", path.join(tmp, "raw.npy")]),
      saddle([...base, "--out", path.join(tmp, "ema.csv")]),
      saddle([...base, "--out", path.join(tmp, "ema.npy")]),
    ]);
    for (const r of [raw, ema, emaNpy]) assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(raw.stdout).ema, false);
    const summary = JSON.parse(ema.stdout);
    assert.deepEqual(
      [summary.ema, summary.step, summary.steps, summary.n, summary.shape, summary.seed],
      [true, 3, [3, 6], n, [n, 2], 0],
    );
    // by hand: z from the run's evaluation key (seed 0), G's leaves are the first half of the pair's
    const z = random.normal(keyFor(0, "data"), [n, 2]).js() as number[][];
    const ck = checkpoint(ring, 3);
    const nG = ck.ema!.length;
    const byHandRaw = mlpForward(ck.params.slice(0, nG), z).flat();
    const byHandEma = mlpForward(ck.ema!, z).flat();
    assert.ok(maxDiff(byHandRaw, byHandEma) > 1e-2, "Ḡ and G give different points");

    const npy = readNpy(path.join(tmp, "raw.npy"));
    assert.deepEqual(npy.shape, [n, 2]);
    assert.ok(maxDiff(npy.values, byHandRaw) < 1e-5, `raw G: ${maxDiff(npy.values, byHandRaw)}`);

    const lines = fs.readFileSync(path.join(tmp, "ema.csv"), "utf8").trimEnd().split("\n");
    assert.equal(lines[0], "x1,x2");
    assert.equal(lines.length, n + 1);
    const csv = lines.slice(1).flatMap((l) => l.split(",").map(Number));
    assert.ok(maxDiff(csv, byHandEma) < 1e-5, `Ḡ: ${maxDiff(csv, byHandEma)}`);
    // two processes, the same samples: the CSV's 9 digits read back to the exact float32 values of the .npy
    const emaValues = readNpy(path.join(tmp, "ema.npy")).values;
    assert.deepEqual(Float32Array.from(csv, Math.fround), emaValues);
  });

  test("with the run's seed and n = evalSamples, the mode metrics are those of the trainer's metrics row; another seed, other points", async () => {
    const [atSix, seeded] = await Promise.all([
      saddle(["sample", ring, "--n", "500", "--json"]),
      saddle(["sample", ring, "--n", "500", "--seed", "5", "--out", path.join(tmp, "s5.npy")]),
    ]);
    assert.equal(atSix.code, 0, atSix.stderr);
    assert.equal(seeded.code, 0, seeded.stderr);
    const s = JSON.parse(atSix.stdout);
    assert.equal(s.step, 6);
    const row = fs
      .readFileSync(path.join(ring, "metrics.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l))
      .find((x) => x.step === 6);
    assert.deepEqual(
      [s.modes.modesCovered, s.modes.modes, s.modes.highQuality, s.modes.reverseKL],
      [row.modesCovered, row.modes, row.highQuality, row.reverseKL ?? "Infinity"],
    );
    assert.equal(
      s.modes.counts.reduce((a: number, b: number) => a + b, 0),
      Math.round(row.highQuality * 500),
    );
    // seed 5: G at step 6 on z from keyFor(5, "data")
    const ck = checkpoint(ring, 6);
    const z = random.normal(keyFor(5, "data"), [500, 2]).js() as number[][];
    const got = readNpy(path.join(tmp, "s5.npy")).values;
    assert.ok(maxDiff(got, mlpForward(ck.ema!, z).flat()) < 1e-5);
  });

  test(".png: the samples over the data and D's heat map", async () => {
    const file = path.join(tmp, "ring.png");
    const r = await saddle(["sample", ring, "--out", file]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /modes +\d\/8 covered/);
    const png = PNG.sync.read(fs.readFileSync(file));
    // the 480 × 480 chart at 2×, with its title and legends; generated points drawn in #f58518
    assert.ok(png.width > 960 && png.height > 960, `${png.width}×${png.height}`);
    let orange = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      const [r, g, b] = [png.data[i], png.data[i + 1], png.data[i + 2]];
      if (Math.abs(r - 0xf5) < 12 && Math.abs(g - 0x85) < 12 && Math.abs(b - 0x18) < 12) orange++;
    }
    assert.ok(orange > 1000, `${orange} orange pixels`);
  });

  test("bad step, bad run, bad extension, bad label: one line, exit 2, nothing written", async () => {
    const empty = path.join(tmp, "empty");
    fs.mkdirSync(path.join(empty, "checkpoints"), { recursive: true });
    fs.copyFileSync(path.join(ring, "spec.json"), path.join(empty, "spec.json"));
    const outDir = path.join(tmp, "bad-out");
    fs.mkdirSync(outDir);
    const out = (f: string) => ["--out", path.join(outDir, f)];
    const cases: [string[], RegExp][] = [
      [
        [ring, "--step", "4", ...out("a.npy")],
        /--step: .* has no checkpoint at step 4; available steps: 3, 6$/,
      ],
      [[path.join(tmp, "nope"), ...out("b.npy")], /RUN: '.*nope' is not a run directory/],
      [[empty, ...out("c.csv")], /RUN: '.*empty' has no checkpoints/],
      [[ring, ...out("d.txt")], /--out: '.*d\.txt' must end in \.csv or \.npy or \.png/],
      [[ring, "--label", "2", ...out("e.png")], /--label: '2' needs a conditional or InfoGAN run/],
      [[ring, "--n", "0", ...out("f.npy")], /--n: '0' is out of range/],
      [[ring, "--label", "x"], /--label: 'x' is not allowed; expected cycle, random or a label/],
    ];
    const results: CliResult[] = [];
    for (const [args] of cases) results.push(await inProcess(["sample", ...args]));
    results.forEach((r, i) => {
      assert.ok(isOneLineError(r), `${cases[i][0].join(" ")}: ${r.code} ${r.stderr}`);
      assert.match(r.stderr.trim(), cases[i][1]);
    });
    assert.deepEqual(fs.readdirSync(outDir), []);
  });
});

describe("saddle sample on a conditional DCGAN run", () => {
  test("labels go in G's label slots (cycling by default, or --label c): a grid with one column per label; .npy (n, 1, H, W) equals G applied by hand", async () => {
    const out = path.join(tmp, "images");
    const t = await saddle([
      "train",
      "--preset",
      "mnist-cgan",
      "--steps",
      "1",
      "--g-widths",
      "8,4",
      "--d-widths",
      "4,8",
      "--latent-dim",
      "4",
      "--batch",
      "8",
      "--eval-samples",
      "16",
      "--no-image-metrics",
      "--out",
      out,
      "--json",
    ]);
    assert.equal(t.code, 0, t.stderr);
    const run = path.join(out, "mnist-cgan-s0");
    const n = 12;
    const [grid, three] = await Promise.all([
      saddle(["sample", run, "--n", String(n), "--out", path.join(tmp, "grid.png"), "--json"]),
      saddle([
        "sample",
        run,
        "--n",
        String(n),
        "--label",
        "3",
        "--out",
        path.join(tmp, "three.npy"),
        "--json",
      ]),
    ]);
    assert.equal(grid.code, 0, grid.stderr);
    assert.equal(three.code, 0, three.stderr);
    assert.deepEqual(JSON.parse(grid.stdout).latent, { distribution: "normal", noise: 4, slots: 10 });
    // 10 columns (labels 0…9) × 2 rows of 28×28 images at zoom 2 with 2-pixel gaps
    const png = PNG.sync.read(fs.readFileSync(path.join(tmp, "grid.png")));
    assert.deepEqual([png.width, png.height], [10 * 58 + 2, 2 * 58 + 2]);

    // by hand: the model's own G on z = [N(0, I₄) of the first chunk's key ‖ onehot(3)], a chunk of 250
    const spec = readSpecFile(path.join(run, "spec.json"));
    const data = specDataset(spec);
    assert.ok(isImageDataset(data));
    const nets = dcgan(dcganConfigOf(spec, data));
    const ck = checkpoint(run, 1);
    const template = nets.generator.init(random.key(0), "float32");
    const nG = tree.leaves(tree.ref(template)).length;
    const G = loadTree(template, ck.params.slice(0, nG)) as MlpParams;
    const chunkKey = random.split(random.split(keyFor(0, "data"), 4).slice(2), 1).slice(0);
    const noise = random.normal(chunkKey, [250, 4]);
    const onehot = np.array(
      Array.from({ length: 250 }, () => Array.from({ length: 10 }, (_, i) => (i === 3 ? 1 : 0))),
    );
    const x = nets.generator.apply(G, np.concatenate([noise, onehot], 1)).js() as number[][];
    assert.deepEqual(x[0].slice(784), [0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    const want = x.slice(0, n).flatMap((row) => row.slice(0, 784));
    const npy = readNpy(path.join(tmp, "three.npy"));
    assert.deepEqual(npy.shape, [n, 1, 28, 28]);
    assert.ok(maxDiff(npy.values, want) < 1e-5, `${maxDiff(npy.values, want)}`);
    assert.equal(JSON.parse(three.stdout).labels, 3);
  });
});
