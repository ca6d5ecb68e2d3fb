/**
 * Issue 4's training entry points end to end through the CLI: proximal training (`--method proximal
 * --prox-lambda λ`, Farnia & Ozdaglar) and mixed-NE GANs (`--method mirror-gan | mirror-prox-gan`, Hsieh et
 * al. 2019) write normal run directories, `compare` accepts them, and each reduces exactly to a plain method
 * in its degenerate limit (0 inner steps: alternating GDA on V; K = 1 particle, τ = 0, β = 1: simultaneous SGD).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { mixedGanClaims } from "../src/claims/equilibria-mixed-gan.ts";
import { beatsUntrained } from "../src/claims/untrained-baseline.ts";
import type { CompareRow } from "../src/workflows/compare.ts";
import { isOneLineError, saddle } from "./helpers/cli.ts";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "saddle-eqtrain-"));
const small = [
  "--data",
  "ring",
  "--steps",
  "30",
  "--eval-every",
  "15",
  "--batch",
  "64",
  "--eval-samples",
  "400",
];

interface Row {
  step: number;
  lossD: number;
  lossG: number;
  meanDReal: number;
  gradNormG: number;
  gradNormD: number;
  modesCovered: number;
  proxValue?: number;
  proxBase?: number;
  proxSqDist?: number;
  proxResidual?: number;
}

async function trainJson(args: string[]): Promise<{ runDir: string; status: string; metrics: Row }> {
  const r = await saddle(["train", ...small, "--out", path.join(tmp, "runs"), "--json", ...args]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

function rows(dir: string): Row[] {
  return fs
    .readFileSync(path.join(dir, "metrics.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Row);
}

describe("proximal training and mixed-NE GANs from the CLI", () => {
  test("--method proximal --prox-lambda: a normal run plus V_λ^prox, ‖D − D̃*‖² and the inner residual", async () => {
    const s = await trainJson(["--method", "proximal", "--prox-lambda", "0.5", "--name", "prox"]);
    assert.equal(s.status, "completed");
    for (const f of ["spec.json", "metrics.jsonl", "samples.png", "summary.json", "checkpoints"])
      assert.ok(fs.existsSync(path.join(s.runDir, f)), f);
    const last = rows(s.runDir).at(-1)!;
    assert.equal(last.step, 30);
    for (const k of ["proxValue", "proxBase", "proxSqDist", "proxResidual"] as const) {
      assert.ok(Number.isFinite(last[k]), k);
    }
    // D̃* moved away from D (10 ascent steps on a non-optimal D), and the value of V_λ^prox is at least
    // V(G, D) on the same batch (D̃ = D is a feasible point of the inner max, and ascent starts there).
    assert.ok(last.proxSqDist! > 0);
    assert.ok(last.proxValue! > last.proxBase!, `${last.proxValue} vs ${last.proxBase}`);
    // V(G, D) = −L_D(G, D): close to the evaluation's −lossD (another batch of the same data).
    assert.ok(Math.abs(last.proxBase! + last.lossD) < 0.1, `${last.proxBase} vs ${-last.lossD}`);
  });

  test("0 inner steps: proximal training is alternating GDA on V, metric for metric", async () => {
    const a = await trainJson(["--method", "alternating", "--name", "alt0"]);
    const p = await trainJson([
      "--method",
      "proximal",
      "--prox-lambda",
      "3",
      "--prox-inner-steps",
      "0",
      "--name",
      "prox0",
    ]);
    const ra = rows(a.runDir);
    const rp = rows(p.runDir);
    assert.equal(rp.length, 2);
    for (let i = 0; i < ra.length; i++) {
      for (const k of ["lossD", "lossG", "meanDReal", "gradNormG", "gradNormD"] as const) {
        assert.ok(
          Math.abs(ra[i][k] - rp[i][k]) <= 1e-5 * (1 + Math.abs(ra[i][k])),
          `${k}: ${ra[i][k]} vs ${rp[i][k]}`,
        );
      }
      assert.equal(rp[i].proxSqDist, 0);
    }
  });

  test("mirror-gan with K = 1, τ = 0, β = 1 is simultaneous SGD; K = 4 particles train normally", async () => {
    const sim = await trainJson([
      "--method",
      "simultaneous",
      "--optimizer",
      "sgd",
      "--lr-g",
      "0.02",
      "--lr-d",
      "0.02",
      "--name",
      "sim",
    ]);
    const mg = await trainJson([
      "--method",
      "mirror-gan",
      "--particles",
      "1",
      "--temperature",
      "0",
      "--lr-g",
      "0.02",
      "--lr-d",
      "0.02",
      "--name",
      "mg1",
    ]);
    const rs = rows(sim.runDir);
    const rm = rows(mg.runDir);
    for (let i = 0; i < rs.length; i++) {
      for (const k of ["lossD", "lossG", "meanDReal", "gradNormG", "gradNormD"] as const) {
        assert.ok(
          Math.abs(rs[i][k] - rm[i][k]) <= 1e-4 * (1 + Math.abs(rs[i][k])),
          `${k}: ${rs[i][k]} vs ${rm[i][k]}`,
        );
      }
    }
    const k4 = await trainJson([
      "--method",
      "mirror-prox-gan",
      "--particles",
      "4",
      "--lr-g",
      "0.02",
      "--lr-d",
      "0.02",
      "--name",
      "mp4",
    ]);
    assert.equal(k4.status, "completed");
    assert.ok(fs.existsSync(path.join(k4.runDir, "samples.png")));
    const spec = JSON.parse(fs.readFileSync(path.join(k4.runDir, "spec.json"), "utf8"));
    assert.equal(spec.method.particles, 4);
    assert.equal(spec.method.name, "mirror-prox-gan");
  });

  test("compare accepts mirror-gan and proximal entries", async () => {
    const rep = path.join(tmp, "report");
    const r = await saddle([
      "compare",
      ...small.filter((x, i) => !(small[i - 1] === "--steps" || x === "--steps")),
      "--steps",
      "15",
      "--methods",
      "mirror-gan:particles=2:lrG=0.02:lrD=0.02,proximal:proxLambda=1",
      "--seeds",
      "1",
      "--out",
      rep,
      "--json",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(
      j.rows.map((x: { spec: { method: string } }) => x.spec.method),
      ["mirror-gan", "proximal"],
    );
    for (const row of j.rows) assert.equal(typeof row.modesCovered.mean, "number");
  });

  test("bad input: λ ≤ 0, proximal without λ, particles with replicas, unknown norm → one line, exit 2, nothing written", async () => {
    const cases: [string[], RegExp][] = [
      [["--method", "proximal", "--prox-lambda", "0"], /field 'proxLambda' = 0/],
      [["--method", "proximal", "--prox-lambda", "-1"], /field 'proxLambda' = -1/],
      [["--method", "proximal"], /method 'proximal' needs proxLambda/],
      [["--method", "mirror-gan", "--replicas", "2"], /field 'replicas' = 2/],
      [["--method", "mirror-gan", "--prox-lambda", "1"], /not to mixed method 'mirror-gan'/],
      [["--method", "alternating", "--prox-lambda", "1", "--prox-norm", "l7"], /field 'proxNorm' = "l7"/],
      [["--method", "mirror-gan", "--averaging", "0"], /field 'method.averaging' = 0/],
    ];
    for (const [args, re] of cases) {
      const out = path.join(tmp, "bad");
      const r = await saddle(["train", ...small, "--out", out, ...args]);
      assert.ok(isOneLineError(r), `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, re);
      assert.equal(fs.existsSync(out), false);
    }
  });
});

describe("training claims: the untrained baseline", () => {
  const row = (modes: number | null, hq: number | null) =>
    ({
      modesCovered: modes === null ? null : { mean: modes, std: 0, n: 1 },
      highQualityPercent: hq === null ? null : { mean: hq, std: 0, n: 1 },
    }) as unknown as CompareRow;
  test("a row beats the untrained one only with more modes and more % HQ", () => {
    const u = row(0, 0.5);
    assert.equal(beatsUntrained(row(3, 10), u), true);
    assert.equal(beatsUntrained(row(3, 0.5), u), false);
    assert.equal(beatsUntrained(row(0, 10), u), false);
    assert.equal(beatsUntrained(row(null, null), u), false);
  });
});

describe("reproduce equilibria: the mixed-NE GAN claim", () => {
  test("Mirror-GAN and alt-GDA train at the same budget and the claim reports both rows", async () => {
    const out = path.join(tmp, "claim");
    const [c, learns] = await mixedGanClaims({ steps: 12, seeds: 1, out });
    assert.equal(c.id, "equilibria/mixed-gan/ring");
    assert.equal(c.kind, "finding");
    // The finding's verdict is the paper's relation evaluated on the numbers it reports.
    const nums = [...String(c.measured).matchAll(/(\d+\.\d+) ± [\d.]+ modes, (\d+\.\d) ± [\d.]+ % HQ/g)].map(
      (x) => [Number(x[1]), Number(x[2])],
    );
    assert.equal(nums.length, 2, String(c.measured));
    assert.equal(c.pass, nums[0][0] >= nums[1][0] && nums[0][1] >= nums[1][1]);
    assert.equal(learns.id, "equilibria/mixed-gan/ring-learns");
    assert.equal(learns.kind, undefined);
    assert.match(String(learns.expected), /^> untrained: \d+\.\d\d modes, \d+\.\d % HQ$/);
    // The untrained baseline: one step, same data and seed.
    const u = JSON.parse(
      fs.readFileSync(path.join(out, "untrained", "runs", "alt-gda-s0", "spec.json"), "utf8"),
    );
    assert.deepEqual([u.data, u.steps, u.seed], ["ring", 1, 0]);
    assert.match(
      String(c.measured),
      /^mirror-gan: \d+\.\d\d ± 0\.00 modes, .*; alt-gda: \d+\.\d\d ± 0\.00 modes/,
    );
    const specs = ["alt-gda-s0", "mirror-gan_particles_4_lrG_0.02_lrD_0.02_temperature_0.0001-s0"].map((d) =>
      JSON.parse(fs.readFileSync(path.join(out, "runs", d, "spec.json"), "utf8")),
    );
    // Same budget: data, steps and batch agree; only the method differs.
    assert.deepEqual(
      specs.map((s) => [s.data, s.steps, s.batch, s.method.name]),
      [
        ["ring", 12, 256, "alternating"],
        ["ring", 12, 256, "mirror-gan"],
      ],
    );
  });
});
