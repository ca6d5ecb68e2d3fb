/**
 * InfoGAN (src/games/gan.ts, src/models/dcgan.ts; Chen et al. 2016): both players' losses are the objective's
 * on D's score column plus −λ E log Q(c | G(z, c)), recomputed here by hand from the same batch; D has 1 + K
 * outputs and never sees the code; the CLI draws one grid row per code and refuses bad combinations.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { numpy as np, random, type Array as JArray } from "@jax-js/jax";
import { PNG } from "pngjs";
import { imageDataset } from "../src/data/images.ts";
import { useDevice } from "../src/engine/device.ts";
import * as T from "../src/engine/tree.ts";
import { gan } from "../src/games/gan.ts";
import { dcgan, type DcganConfig } from "../src/models/dcgan.ts";
import type { MlpParams } from "../src/models/mlp.ts";
import { objectiveFor } from "../src/objectives/registry.ts";
import { isOneLineError, saddle } from "./helpers/cli.ts";
import { TINY_DCGAN } from "./helpers/tiny-dcgan.ts";

before(async () => {
  await useDevice("wasm");
});
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "saddle-infogan-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const K = 3;
const NOISE = 2;
const cfg: DcganConfig = { ...TINY_DCGAN, latentDim: NOISE, codes: K };

/** 20 random 8×8 "images" in [−1, 1]. */
function toyData() {
  const count = 20;
  const images = Float32Array.from({ length: count * 64 }, (_, i) => Math.sin(1.7 * i) * 0.9);
  return imageDataset("toy", { height: 8, width: 8, channels: 1 }, { count, images, labels: null }, null, []);
}

const nums = (a: JArray): number[] => Array.from(a.dataSync() as Float32Array);

describe("InfoGAN", () => {
  test("L_G and L_D = the objective on D's score + λ·CE(Q(c | G(z, c)), c), by hand on the same batch", () => {
    const data = toyData();
    const n = 5;
    const lambda = 0.7;
    const nets = dcgan(cfg);
    const game = gan({
      data,
      networks: nets,
      latentDim: NOISE + K,
      batch: n,
      objective: "non-saturating",
      info: { codes: K, lambda },
    });
    const [Gp, Dp] = game.init() as [MlpParams, MlpParams];
    const key = random.key(42);
    const lossG = nums(game.loss(0, T.ref(Gp), T.ref(Dp), key.ref))[0];
    const lossD = nums(game.loss(1, T.ref(Gp), T.ref(Dp), key.ref))[0];
    // the batch gan() draws from `key`: split(key, 3) → [x key, z key, ε key]
    const ks = random.split(key, 3);
    const z = random.normal(ks.ref.slice(1), [n, NOISE + K]);
    const x = data.sample(ks.slice(0), n, "float32");
    const zs = z.ref.js() as number[][];
    const codes = zs.map((r) => {
      const tail = r.slice(NOISE);
      return tail.indexOf(Math.max(...tail));
    });
    const fakeOut = nets.discriminator
      .apply(T.ref(Dp), nets.generator.apply(T.ref(Gp), z))
      .js() as number[][];
    const realOut = nets.discriminator.apply(T.ref(Dp), x).js() as number[][];
    assert.equal(fakeOut[0].length, 1 + K); // score + K logits of Q
    const ce =
      -fakeOut.reduce((s, r, i) => {
        const logits = r.slice(1);
        const m = Math.max(...logits);
        const lse = m + Math.log(logits.reduce((t, l) => t + Math.exp(l - m), 0));
        return s + logits[codes[i]] - lse;
      }, 0) / n;
    const obj = objectiveFor("non-saturating", {});
    const col = (rows: number[][]) => np.array(rows.map((r) => [r[0]]));
    const gWant = nums(obj.gLoss(col(fakeOut)))[0] + lambda * ce;
    const dWant = nums(obj.dLoss(col(realOut), col(fakeOut)))[0] + lambda * ce;
    assert.ok(Math.abs(lossG - gWant) < 1e-5, `L_G ${lossG} vs ${gWant}`);
    assert.ok(Math.abs(lossD - dWant) < 1e-5, `L_D ${lossD} vs ${dWant}`);
    assert.ok(ce > 0.5, `CE ${ce}: the term is not negligible here`);
    // G's images do not carry the code: the output is H·W·C wide
    const img = nets.generator.apply(T.ref(Gp), random.normal(random.key(1), [2, NOISE + K]));
    assert.deepEqual(img.shape, [2, 64]);
    img.dispose();
    assert.equal(game.zeroSum, false);
    T.dispose([Gp, Dp]);
  });

  test("CLI: --info-codes 10 draws one grid row per code; bad combinations are one-line errors", async () => {
    const out = path.join(tmp, "runs");
    const tiny = ["--g-widths", "8,4", "--d-widths", "4,8", "--latent-dim", "4", "--batch", "8"];
    const r = await saddle([
      "train",
      "--preset",
      "mnist-dcgan",
      "--info-codes",
      "10",
      "--info-lambda",
      "2",
      ...tiny,
      "--steps",
      "2",
      "--eval-every",
      "2",
      "--eval-samples",
      "16",
      "--no-image-metrics",
      "--out",
      out,
      "--json",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.deepEqual([s.spec.infoCodes, s.spec.infoLambda], [10, 2]);
    const png = PNG.sync.read(fs.readFileSync(path.join(s.runDir, "samples", "step-2.png")));
    assert.deepEqual([png.width, png.height], [10 * (56 + 2) + 2, 10 * (56 + 2) + 2]);
    const before = fs.readdirSync(out).length;
    for (const [args, msg] of [
      [["--preset", "mnist-cgan", "--info-codes", "10"], /--info-codes: not with --conditional/],
      [["--data", "ring", "--info-codes", "4"], /--info-codes: needs --model dcgan on image data/],
      [["--preset", "mnist-dcgan", "--info-codes", "-1"], /infoCodes|info-codes/],
    ] as [string[], RegExp][]) {
      const e = await saddle(["train", ...args, ...tiny, "--steps", "1", "--out", out]);
      assert.ok(isOneLineError(e), `${args.join(" ")}: ${e.code} ${e.stderr}`);
      assert.match(e.stderr, msg);
    }
    assert.equal(fs.readdirSync(out).length, before);
  });
});
