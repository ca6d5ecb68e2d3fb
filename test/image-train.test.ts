/**
 * Image GAN runs through the ordinary `saddle train` path (tiny DCGANs, a few steps): presets, the run
 * directory (metrics.jsonl, sample grids per evaluation, checkpoints), exact resume, and the one-line errors
 * for bad image input (nothing written).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { PNG } from "pngjs";
import { presetSpec } from "../src/spec/presets.ts";
import { isOneLineError, latestCheckpoint, saddle } from "./helpers/cli.ts";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "saddle-image-train-"));
const out = path.join(tmp, "runs");
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const tiny = [
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
];

describe("saddle train on images", () => {
  test("--preset mnist-cgan: grids per evaluation (one row per class), metrics rows, checkpoints, summary", async () => {
    const r = await saddle([
      "train",
      "--preset",
      "mnist-cgan",
      "--steps",
      "4",
      "--eval-every",
      "2",
      ...tiny,
      "--json",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.equal(s.status, "completed");
    assert.equal(s.spec.model, "dcgan");
    assert.equal(s.spec.conditional, true);
    assert.equal(s.spec.lrG, 2e-4);
    const dir = s.runDir as string;
    assert.equal(path.basename(dir), "mnist-cgan-s0");
    const rows = fs
      .readFileSync(path.join(dir, "metrics.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      rows.map((x) => [x.step, x.grid]),
      [
        [2, "samples/step-2.png"],
        [4, "samples/step-4.png"],
      ],
    );
    assert.ok(rows.every((x) => Number.isFinite(x.lossD) && Number.isFinite(x.lossG)));
    const png = PNG.sync.read(fs.readFileSync(path.join(dir, "samples", "step-4.png")));
    // 10 rows (classes) × 10 columns of 28×28 images at zoom 2 with 2-pixel gaps
    assert.equal(png.width, 10 * (56 + 2) + 2);
    assert.equal(png.height, 10 * (56 + 2) + 2);
    assert.ok(fs.existsSync(path.join(dir, "samples.png")));
    assert.equal(s.samples, path.join(dir, "samples.png"));
  });

  test("mnist-wgan-clip: RMSProp 5e-5, clip 0.01, n_critic 5; an interrupted-then-resumed run equals the full run bit for bit", async () => {
    const base = [
      "train",
      "--preset",
      "mnist-wgan-clip",
      "--eval-every",
      "2",
      "--checkpoint-every",
      "2",
      ...tiny,
    ];
    const full = await saddle([...base, "--steps", "4", "--name", "full", "--json"]);
    assert.equal(full.code, 0, full.stderr);
    const spec = JSON.parse(full.stdout).spec;
    assert.deepEqual(
      [spec.optimizer, spec.lrD, spec.clip, spec.method.steps[1], spec.batch === 8],
      ["rmsprop", 5e-5, 0.01, 5, true],
    );
    const cut = await saddle([...base, "--steps", "2", "--name", "cut", "--json"]);
    assert.equal(cut.code, 0, cut.stderr);
    // continue the 2-step run to 4 steps: its spec is the full run's but for `steps`
    const specFile = path.join(out, "cut", "spec.json");
    fs.writeFileSync(
      specFile,
      JSON.stringify({ ...JSON.parse(fs.readFileSync(specFile, "utf8")), steps: 4 }),
    );
    const resumed = await saddle(["train", "--resume", path.join(out, "cut"), "--json"]);
    assert.equal(resumed.code, 0, resumed.stderr);
    const last = (name: string) => latestCheckpoint(path.join(out, name));
    assert.equal(last("cut").step, 4);
    assert.deepEqual(last("cut").params, last("full").params);
    assert.deepEqual(last("cut").state, last("full").state);
    // weight clipping held: every D parameter within ±0.01
    const d = Buffer.from((last("full").params.at(-1) as { data: string }).data, "base64");
    const w = new Float32Array(d.buffer, d.byteOffset, d.byteLength / 4);
    assert.ok(w.every((v) => Math.abs(v) <= 0.01 + 1e-9));
  });

  test("bad image input: one line, exit 2, nothing written", async () => {
    const folder = path.join(tmp, "pngs");
    fs.mkdirSync(folder);
    const png = new PNG({ width: 4, height: 4 });
    fs.writeFileSync(path.join(folder, "a.png"), PNG.sync.write(png));
    fs.writeFileSync(path.join(folder, "readme.md"), "# not an image");
    const before = fs.existsSync(out) ? fs.readdirSync(out).length : 0;
    const cases: [string[], RegExp][] = [
      [
        ["--preset", "mnist-gan"],
        /--preset: unknown preset 'mnist-gan'; allowed: mnist-dcgan, mnist-dcgan-reference, fashion-dcgan, mnist-cgan, mnist-wgan-clip/,
      ],
      [["--data", folder, "--model", "dcgan"], /readme\.md' is not a PNG image/],
      [
        ["--preset", "mnist-dcgan", "--image-size", "30"],
        /--image-size: the DCGAN halves the image 2 times, so its height must be a multiple of 4; got 30/,
      ],
      [["--data", "ring", "--model", "dcgan"], /--model: 'dcgan' needs image data/],
      [["--data", "ring", "--conditional"], /--conditional: applies to image data only/],
      [["--preset", "mnist-dcgan", "--g-widths", "8,x"], /--g-widths: 'x' is not a number/],
      [["--preset", "mnist-dcgan", "--betas", "0.5"], /--betas: expected two numbers a,b, got '0.5'/],
      [["--preset", "mnist-dcgan", "--betas", "-1,0.9"], /field 'betas.0' = -1: Too small/],
    ];
    for (const [args, re] of cases) {
      const r = await saddle(["train", ...args, "--steps", "1", "--out", out]);
      assert.ok(isOneLineError(r), `${args.join(" ")}: ${r.code} ${r.stderr}`);
      assert.match(r.stderr, re);
    }
    const env = { SADDLE_FASHION_DIR: path.join(tmp, "none") };
    const old = process.env.SADDLE_FASHION_DIR;
    Object.assign(process.env, env);
    try {
      const r = await saddle(["train", "--preset", "fashion-dcgan", "--steps", "1", "--out", out]);
      assert.ok(isOneLineError(r), r.stderr);
      assert.match(r.stderr, /dataset-fashion-mnist/);
    } finally {
      if (old === undefined) delete process.env.SADDLE_FASHION_DIR;
      else process.env.SADDLE_FASHION_DIR = old;
    }
    assert.equal(fs.existsSync(out) ? fs.readdirSync(out).length : 0, before);
  });
});

describe("presets", () => {
  test("mnist-dcgan: REFERENCE.md's G, BN in G and D, minibatch std in D, Adam 6e-4 with β₁ = 0, G reusing D's fake batch, moving average β = 0.999; mnist-cgan keeps the base it was measured with", () => {
    const d = presetSpec("mnist-dcgan");
    assert.deepEqual(d.dcgan, {
      g: [128, 64],
      d: [32, 64],
      batchNorm: true,
      dBatchNorm: true,
      dMinibatchStd: true,
      spectralNorm: false,
    });
    assert.deepEqual([d.lrG, d.lrD, d.ema, d.evalEvery], [6e-4, 6e-4, 0.999, 1000]);
    assert.deepEqual(d.betas, [0, 0.999]);
    assert.equal((d.method as { reuseFake?: boolean }).reuseFake, true);
    assert.equal((presetSpec("fashion-dcgan").method as { reuseFake?: boolean }).reuseFake, undefined);
    assert.equal(presetSpec("fashion-dcgan").ema, 0.999);
    assert.deepEqual(presetSpec("fashion-dcgan").betas, [0.5, 0.999]);
    const c = presetSpec("mnist-cgan");
    assert.equal(c.dcgan?.dBatchNorm, false);
    assert.equal(c.dcgan?.dMinibatchStd, undefined);
    assert.deepEqual(c.dcgan?.g, [64, 32]);
    assert.deepEqual([c.lrG, c.lrD, c.ema ?? 0], [2e-4, 2e-4, 0]);
  });
});

describe("saddle compare on image specs", () => {
  test("alternating GDA with momentum 0 vs −0.5 on a tiny DCGAN: IS/FID columns, a report with grids", async () => {
    const rep = path.join(tmp, "report");
    const r = await saddle([
      "compare",
      "--preset",
      "mnist-dcgan",
      "--methods",
      "alternating,alternating:momentum=-0.5",
      "--seeds",
      "1",
      "--steps",
      "2",
      "--eval-every",
      "2",
      ...tiny.slice(0, -2),
      "--out",
      rep,
      "--json",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.equal(s.rows.length, 2);
    assert.ok(s.rows.every((x: { image: boolean; diverged: number }) => x.image && x.diverged === 0));
    const md = fs.readFileSync(path.join(rep, "report.md"), "utf8");
    assert.match(md, /\| method \| IS \| FID \| diverged \| wall s \|/);
    assert.match(md, /!\[alternating:momentum=-0\.5 seed 0\]/);
  });
});
