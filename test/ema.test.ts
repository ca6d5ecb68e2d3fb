/**
 * The moving average of G (src/train/ema.ts): one update against its formula, then a training run whose
 * every checkpoint obeys Ḡ_t = β_t Ḡ_{t−1} + (1 − β_t) G_t, trains exactly as without the average, and
 * resumes to the uninterrupted run's Ḡ bit for bit.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { before, describe, test } from "node:test";
import { numpy as np } from "@jax-js/jax";
import { useDevice } from "../src/engine/device.ts";
import { emaDecay, emaStep } from "../src/train/ema.ts";
import { isOneLineError, saddle } from "./helpers/cli.ts";

before(async () => {
  await useDevice("wasm");
});

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "saddle-ema-"));

interface Leaf {
  dtype: string;
  shape: number[];
  data: string;
}
const values = (leaves: Leaf[]): number[] =>
  leaves.flatMap((l) => {
    const b = Buffer.from(l.data, "base64");
    return Array.from(new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4));
  });
/** Every checkpoint of a run: step → { G's values (the first half of the pair's leaves), Ḡ's }. */
function checkpoints(dir: string): Map<number, { g: number[]; avg: number[]; all: string }> {
  const out = new Map<number, { g: number[]; avg: number[]; all: string }>();
  for (const f of fs.readdirSync(path.join(dir, "checkpoints"))) {
    const ck = JSON.parse(fs.readFileSync(path.join(dir, "checkpoints", f), "utf8"));
    const nG = ck.ema.length as number;
    out.set(ck.step, {
      g: values(ck.params.slice(0, nG)),
      avg: values(ck.ema),
      all: JSON.stringify(ck.params),
    });
  }
  return out;
}

describe("moving average of G (--ema)", () => {
  test("β_t = min(β, (1 + t)/(10 + t)) and one update is β_t Ḡ + (1 − β_t) G, leafwise", () => {
    assert.equal(emaDecay(0.999, 1), 2 / 11);
    assert.equal(emaDecay(0.9, 100), 0.9);
    const avg = [{ w: np.array([1, 2, 3]), b: np.array([0.5]) }];
    const g = [{ w: np.array([3, 2, -1]), b: np.array([-0.5]) }];
    const out = emaStep(avg, g, 0.5, 1000); // β_t = 0.5
    assert.deepEqual(out[0].w.js(), [2, 2, 1]);
    assert.deepEqual(out[0].b.js(), [0]);
  });

  test("a run's checkpoints obey the recursion, training is unchanged, and resume is exact", async () => {
    const common = ["train", "--data", "ring", "--batch", "32", "--eval-every", "4", "--out", tmp];
    const each = ["--checkpoint-every", "1", "--keep-checkpoints", "100"];
    const withEma = await saddle([
      ...common,
      ...each,
      "--steps",
      "8",
      "--ema",
      "0.6",
      "--name",
      "ema",
      "--json",
    ]);
    assert.equal(withEma.code, 0, withEma.stderr);
    const plain = await saddle([...common, ...each, "--steps", "8", "--name", "plain", "--json"]);
    assert.equal(plain.code, 0, plain.stderr);
    const cks = checkpoints(path.join(tmp, "ema"));
    assert.equal(cks.size, 8);
    let prev = cks.get(1)!.avg;
    // Ḡ_1 = β_1 G_0 + (1 − β_1) G_1 with β_1 = 2/11; from step 2 on, the recursion between checkpoints
    for (let t = 2; t <= 8; t++) {
      const { g, avg } = cks.get(t)!;
      const b = emaDecay(0.6, t);
      avg.forEach((v, i) =>
        assert.ok(Math.abs(v - (b * prev[i] + (1 - b) * g[i])) < 1e-5, `step ${t} leaf ${i}`),
      );
      assert.ok(
        avg.some((v, i) => Math.abs(v - g[i]) > 1e-6),
        `Ḡ_${t} differs from G_${t}`,
      );
      prev = avg;
    }
    // the average does not touch training: G and D equal those of the run without it
    const plainLast = JSON.parse(
      fs.readFileSync(path.join(tmp, "plain", "checkpoints", "step-000000008.json"), "utf8"),
    );
    assert.equal(JSON.stringify(plainLast.params), cks.get(8)!.all);
    // resume: 4 steps, then extended to 8, gives the same Ḡ_8
    const half = await saddle([...common, "--steps", "4", "--ema", "0.6", "--name", "half", "--json"]);
    assert.equal(half.code, 0, half.stderr);
    const rest = await saddle(["train", "--resume", path.join(tmp, "half"), "--steps", "8", "--json"]);
    assert.equal(rest.code, 0, rest.stderr);
    const resumed = JSON.parse(
      fs.readFileSync(path.join(tmp, "half", "checkpoints", "step-000000008.json"), "utf8"),
    );
    assert.deepEqual(values(resumed.ema), cks.get(8)!.avg);
  });

  test("--ema outside [0, 1) is exit 2 naming the field", async () => {
    const r = await saddle(["train", "--data", "ring", "--steps", "2", "--ema", "1", "--out", tmp]);
    assert.ok(isOneLineError(r), r.stderr);
    assert.match(r.stderr, /ema/);
    assert.equal(fs.existsSync(path.join(tmp, "ring-non-saturating-alternating-s0")), false);
  });
});
