import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { isOneLineError, ROOT, saddle } from "./helpers/cli.ts";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "saddle-train-"));
const out = path.join(tmp, "runs");
const small = [
  "--steps",
  "60",
  "--eval-every",
  "30",
  "--checkpoint-every",
  "30",
  "--batch",
  "64",
  "--eval-samples",
  "500",
];

describe("saddle train", () => {
  test("a run directory with every file, and a JSON summary with the metrics", async () => {
    const r = await saddle([
      "train",
      "--data",
      "ring",
      "--objective",
      "non-saturating",
      "--method",
      "extragradient",
      ...small,
      "--seed",
      "0",
      "--out",
      out,
      "--json",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.equal(s.status, "completed");
    assert.equal(s.step, 60);
    const dir = s.runDir as string;
    for (const f of ["spec.json", "metrics.jsonl", "samples.png", "summary.json"])
      assert.ok(fs.existsSync(path.join(dir, f)), f);
    assert.deepEqual(fs.readdirSync(path.join(dir, "checkpoints")).sort(), [
      "step-000000030.json",
      "step-000000060.json",
    ]);
    const rows = fs
      .readFileSync(path.join(dir, "metrics.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      rows.map((x) => x.step),
      [30, 60],
    );
    for (const k of [
      "lossD",
      "lossG",
      "meanDReal",
      "meanDFake",
      "gradNormG",
      "gradNormD",
      "modesCovered",
      "highQuality",
      "reverseKL",
      "lossDMinus2Log2",
      "lossGMinusLog2",
    ]) {
      assert.equal(typeof rows[1][k], "number", k);
    }
    assert.ok(rows[1].modesCovered >= 0 && rows[1].modesCovered <= 8);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, "spec.json"), "utf8")).method, {
      name: "extragradient",
    });
    // No temp files left behind by the atomic writes.
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f.endsWith(".tmp")),
      [],
    );
  });

  test("SIGINT writes a checkpoint and exits 130; --resume then gives the uninterrupted run's parameters bit for bit", async () => {
    const args = [
      "train",
      "--data",
      "grid",
      "--method",
      "alternating",
      "--steps",
      "300",
      "--eval-every",
      "100",
      "--checkpoint-every",
      "100000",
      "--batch",
      "64",
      "--eval-samples",
      "500",
      "--out",
      out,
    ];
    const full = await saddle([...args, "--name", "full", "--json"]);
    assert.equal(full.code, 0, full.stderr);
    // Interrupted run: SIGINT once training has started.
    const child = spawn(process.execPath, [path.join(ROOT, "bin/saddle.js"), ...args, "--name", "cut"], {
      cwd: ROOT,
    });
    let err = "";
    child.stderr.on("data", (d) => (err += String(d)));
    // SIGINT at the first progress line (training has started; 300 steps take about a second on a fast machine)
    const started = Date.now();
    while (!/train cut: \d+\/300/.test(err) && Date.now() - started < 60000)
      await new Promise((r) => setTimeout(r, 5));
    child.kill("SIGINT");
    const code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
    assert.equal(code, 130, err);
    const summary = JSON.parse(fs.readFileSync(path.join(out, "cut", "summary.json"), "utf8"));
    assert.equal(summary.status, "interrupted");
    assert.ok(summary.step > 0 && summary.step < 300, `interrupted at ${summary.step}`);
    const resumed = await saddle(["train", "--resume", path.join(out, "cut"), "--json"]);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(JSON.parse(resumed.stdout).step, 300);
    const last = (name: string) => {
      const dir = path.join(out, name, "checkpoints");
      const f = fs.readdirSync(dir).sort().pop() as string;
      return JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
    };
    const a = last("full");
    const b = last("cut");
    assert.equal(a.step, 300);
    assert.equal(b.step, 300);
    assert.deepEqual(b.params, a.params);
    assert.deepEqual(b.state, a.state);
    // The metrics rows match too (apart from wall-clock times).
    const rows = (name: string) =>
      fs
        .readFileSync(path.join(out, name, "metrics.jsonl"), "utf8")
        .trim()
        .split("\n")
        .map((l) => {
          const { wallSeconds: _w, ...rest } = JSON.parse(l);
          return rest;
        });
    assert.deepEqual(rows("cut"), rows("full"));
  });

  test("--resume DIR --steps N extends a finished run to N steps; fewer steps than it has is exit 2", async () => {
    // the finished 300-step run "full" of the test above, extended by 100 steps
    const fewer = await saddle(["train", "--resume", path.join(out, "full"), "--steps", "200"]);
    assert.ok(isOneLineError(fewer), fewer.stderr);
    assert.match(
      fewer.stderr,
      /^saddle: --steps: 200 is fewer than the 300 steps in .*spec\.json; with --resume, --steps N extends a run to N ≥ 300/,
    );
    const other = await saddle(["train", "--resume", path.join(out, "full"), "--lr-g", "0.1"]);
    assert.equal(other.code, 2);
    assert.match(other.stderr, /only --steps may extend it\); remove --lr-g/);
    const more = await saddle(["train", "--resume", path.join(out, "full"), "--steps", "400", "--json"]);
    assert.equal(more.code, 0, more.stderr);
    assert.equal(JSON.parse(more.stdout).step, 400);
    assert.equal(JSON.parse(fs.readFileSync(path.join(out, "full", "spec.json"), "utf8")).steps, 400);
    const steps = fs
      .readFileSync(path.join(out, "full", "metrics.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).step);
    assert.deepEqual(steps, [100, 200, 300, 400]);
  });

  test("divergence is a result: exit 3, status diverged with the step and player, run kept", async () => {
    const r = await saddle([
      "train",
      "--data",
      "ring",
      "--objective",
      "least-squares",
      "--method",
      "simultaneous",
      "--optimizer",
      "sgd",
      "--lr-g",
      "10",
      "--lr-d",
      "10",
      "--steps",
      "400",
      "--eval-every",
      "400",
      "--batch",
      "64",
      "--out",
      out,
      "--name",
      "boom",
      "--json",
    ]);
    assert.equal(r.code, 3, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.equal(s.status, "diverged");
    assert.ok(Number.isInteger(s.divergence.step) && s.divergence.step >= 1 && s.divergence.step <= 400);
    assert.ok(["G", "D"].includes(s.divergence.player));
    assert.equal(
      JSON.parse(fs.readFileSync(path.join(out, "boom", "summary.json"), "utf8")).status,
      "diverged",
    );
  });

  const bad: [string, string[], RegExp][] = [
    ["unknown method", ["--method", "newton"], /field 'method.name' = "newton"/],
    ["steps 0", ["--steps", "0"], /field 'steps' = 0/],
    ["learning rate not a number", ["--lr-g", "fast"], /--lr-g: 'fast' is not a number/],
    ["unknown data", ["--data", "swiss-roll"], /--data: unknown data 'swiss-roll'/],
    ["missing CSV", ["--data", "/nonexistent/points.csv"], /--data: cannot read '\/nonexistent\/points.csv'/],
    ["unknown objective", ["--objective", "kl"], /field 'objective' = "kl"/],
    ["momentum out of range", ["--momentum", "1"], /field 'momentum' = 1/],
    [
      "resume without checkpoints",
      ["--resume", "/nonexistent-run"],
      /--resume: '\/nonexistent-run' is not a run directory/,
    ],
  ];
  for (const [name, args, msg] of bad) {
    test(`bad input: ${name} → one line, exit 2, nothing written`, async () => {
      const where = path.join(tmp, `bad-${name.replace(/\W+/g, "-")}`);
      const r = await saddle(["train", ...args, "--out", where]);
      assert.ok(isOneLineError(r), `code ${r.code}: ${r.stderr}`);
      assert.match(r.stderr, msg);
      assert.equal(fs.existsSync(where), false);
    });
  }

  test("spec files: unknown field, invalid JSON, unreadable; flags override the file", async () => {
    const spec = path.join(tmp, "spec.json");
    fs.writeFileSync(spec, JSON.stringify({ data: "ring", steps: 10, colour: "blue" }));
    let r = await saddle(["train", "--spec", spec]);
    assert.ok(isOneLineError(r));
    assert.match(r.stderr, /unknown field 'colour'/);
    fs.writeFileSync(spec, "{ not json");
    r = await saddle(["train", "--spec", spec]);
    assert.ok(isOneLineError(r));
    assert.match(r.stderr, /is not valid JSON/);
    r = await saddle(["train", "--spec", path.join(tmp, "none.json")]);
    assert.match(r.stderr, /--spec: cannot read .*no such file/);
    fs.writeFileSync(
      spec,
      JSON.stringify({ data: "ring", steps: 10000, batch: 32, evalEvery: 10, evalSamples: 100 }),
    );
    r = await saddle([
      "train",
      "--spec",
      spec,
      "--steps",
      "10",
      "--out",
      out,
      "--name",
      "override",
      "--json",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).step, 10);
  });

  test("a CSV of points trains like the built-in data", async () => {
    const csv = path.join(tmp, "pts.csv");
    const lines = ["x,y"];
    for (let i = 0; i < 200; i++) lines.push(`${Math.cos(i)},${Math.sin(i)}`);
    fs.writeFileSync(csv, lines.join("\n"));
    const r = await saddle([
      "train",
      "--data",
      csv,
      "--steps",
      "20",
      "--eval-every",
      "20",
      "--batch",
      "32",
      "--eval-samples",
      "100",
      "--out",
      out,
      "--json",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.equal(s.status, "completed");
    assert.equal(s.metrics.modesCovered, undefined);
  });
});

describe("saddle compare", () => {
  test("methods × seeds → table, compare.json and report.md", async () => {
    const rep = path.join(tmp, "report");
    const r = await saddle([
      "compare",
      "--data",
      "ring",
      "--steps",
      "20",
      "--eval-every",
      "20",
      "--batch",
      "32",
      "--eval-samples",
      "200",
      "--methods",
      "alt-gda,negative-momentum,extragradient:lrD=0.002",
      "--seeds",
      "2",
      "--out",
      rep,
      "--json",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(
      j.rows.map((x: { method: string }) => x.method),
      ["alt-gda", "negative-momentum", "extragradient:lrD=0.002"],
    );
    for (const row of j.rows) {
      assert.equal(row.seeds, 2);
      assert.equal(row.runs.length, 2);
      assert.equal(typeof row.modesCovered.mean, "number");
    }
    assert.equal(j.rows[1].spec.momentum, -0.5);
    const md = fs.readFileSync(path.join(rep, "report.md"), "utf8");
    assert.match(md, /\| method \| modes \| % high quality \| reverse KL \| diverged \| wall s \|/);
    assert.match(md, /!\[alt-gda seed 0\]\(runs\/alt-gda-s0\/samples.png\)/);
  });

  test("a bad method entry is rejected before any training", async () => {
    const rep = path.join(tmp, "report-bad");
    const r = await saddle(["compare", "--methods", "alt-gda,teleport", "--out", rep]);
    assert.ok(isOneLineError(r), r.stderr);
    assert.match(r.stderr, /--methods 'teleport': field 'method.name' = "teleport"/);
    assert.equal(fs.existsSync(rep), false);
  });
});

describe("saddle train --replicas", () => {
  test("R seeds in one run: per-replica metrics and their mean", async () => {
    const r = await saddle([
      "train",
      "--replicas",
      "3",
      "--steps",
      "20",
      "--eval-every",
      "20",
      "--batch",
      "32",
      "--eval-samples",
      "300",
      "--out",
      out,
      "--name",
      "rep",
      "--json",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const m = JSON.parse(r.stdout).metrics;
    assert.equal(m.replicas.length, 3);
    assert.deepEqual(
      m.replicas.map((x: { replica: number }) => x.replica),
      [0, 1, 2],
    );
    const mean = m.replicas.reduce((a: number, x: { lossD: number }) => a + x.lossD, 0) / 3;
    assert.ok(Math.abs(mean - m.lossD) < 1e-9);
    assert.notEqual(m.replicas[0].lossD, m.replicas[1].lossD);
    assert.ok(fs.existsSync(path.join(out, "rep", "samples.png")));
  });
});

describe("saddle analyze --nash-gap", () => {
  test("fix one player and train the other: improvements and mode metrics before/after; bad inputs exit 2", async () => {
    const name = "for-gap";
    const t = await saddle([
      "train",
      "--data",
      "ring",
      "--steps",
      "30",
      "--eval-every",
      "30",
      "--batch",
      "32",
      "--eval-samples",
      "300",
      "--out",
      out,
      "--name",
      name,
    ]);
    assert.equal(t.code, 0, t.stderr);
    const dir = path.join(out, name);
    const r = await saddle(["analyze", "--nash-gap", dir, "--steps", "20", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.step, 30);
    for (const p of [j.G, j.D]) {
      assert.ok(Number.isFinite(p.before) && Number.isFinite(p.after));
      assert.ok(Math.abs(p.improvement - (p.before - p.after)) < 1e-12);
    }
    assert.equal(typeof j.modesBefore.modesCovered, "number");
    assert.equal(typeof j.modesAfterG.modesCovered, "number");
    let bad = await saddle(["analyze", "--nash-gap", dir, "--prox", "0"]);
    assert.ok(isOneLineError(bad), bad.stderr);
    assert.match(bad.stderr, /--prox: '0' is out of range/);
    const empty = path.join(tmp, "no-checkpoints");
    fs.mkdirSync(empty, { recursive: true });
    fs.copyFileSync(path.join(dir, "spec.json"), path.join(empty, "spec.json"));
    bad = await saddle(["analyze", "--nash-gap", empty]);
    assert.ok(isOneLineError(bad), bad.stderr);
    assert.match(bad.stderr, /has no checkpoints/);
  });
});
