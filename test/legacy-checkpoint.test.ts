/**
 * Checkpoints written before Adam's state was {mu, nu, count} (test/fixtures/runs/adam-tuple-state-*: Adam
 * kept [m, s, β₁ᵗ, β₂ᵗ] with parameter-shaped powers) still resume, and the resumed run reaches the old
 * code's own step-20 parameters to rounding: βᵗ is now a product of β^(2^k) over t's binary digits instead
 * of β·β·…·β (src/optim/transform.ts, `powCount`).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { countFromPowers } from "../src/runs/legacy-state.ts";
import { ROOT, saddle } from "./helpers/cli.ts";

interface Rec {
  dtype: string;
  data: string;
}
const values = (recs: Rec[]): number[] =>
  recs.flatMap((r) => {
    const b = Buffer.from(r.data, "base64");
    const n = r.dtype === "float64" ? 8 : 4;
    return Array.from({ length: b.byteLength / n }, (_, i) =>
      r.dtype === "float64" ? b.readDoubleLE(i * n) : b.readFloatLE(i * n),
    );
  });

describe("old-layout checkpoints", () => {
  for (const [dtype, tol] of [
    ["float64", 1e-13],
    ["float32", 1e-5],
  ] as const) {
    test(`an Adam run in ${dtype} resumes from its old step-10 checkpoint to the old step-20 parameters`, async () => {
      const fixture = path.join(ROOT, "test/fixtures/runs", `adam-tuple-state-${dtype}`);
      const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "saddle-legacy-")), "run");
      fs.cpSync(fixture, dir, { recursive: true });
      const old = JSON.parse(fs.readFileSync(path.join(dir, "checkpoints/step-000000010.json"), "utf8"));
      assert.equal(old.state.length, 32, "the fixture has the old layout: 4 trees of 4 leaves per player");
      const r = await saddle(["train", "--resume", dir, "--json"]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).step, 20);
      const ck = JSON.parse(fs.readFileSync(path.join(dir, "checkpoints/step-000000020.json"), "utf8"));
      assert.equal(ck.state.length, 2 * (8 + 1), "new layout: mu, nu (4 leaves each) and a count per player");
      const expected = values(
        JSON.parse(fs.readFileSync(path.join(dir, "expected-step-000000020.json"), "utf8")).params,
      );
      const got = values(ck.params);
      assert.equal(got.length, expected.length);
      const scale = Math.max(...expected.map(Math.abs));
      const worst = Math.max(...got.map((x, i) => Math.abs(x - expected[i]))) / scale;
      assert.ok(worst <= tol, `max |Δω|/max|ω| = ${worst} > ${tol}`);
      assert.ok(
        got.some((x, i) => x !== values(old.params)[i]),
        "the resumed run moved",
      );
    });
  }

  test("the count from old powers: exact t, either β, and a count past underflow", () => {
    const b: [number, number] = [0.5, 0.999];
    assert.equal(countFromPowers(1, 1, b, "float64"), 0);
    assert.equal(countFromPowers(0.5 ** 37, 0.999 ** 37, b, "float64"), 37);
    assert.equal(countFromPowers(Math.fround(0.5 ** 20), Math.fround(0.999 ** 20), b, "float32"), 20);
    // β₁ᵗ underflowed in float32 (t > 149): t from β₂ᵗ
    assert.equal(countFromPowers(0, Math.fround(0.999 ** 3000), b, "float32"), 3000);
    assert.equal(countFromPowers(-(0.5 ** 7), 0.999 ** 7, [-0.5, 0.999], "float64"), 7);
    const t = countFromPowers(0, 0, b, "float32");
    assert.equal(Math.fround(0.999 ** t), 0);
  });
});
