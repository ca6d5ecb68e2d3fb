/**
 * `saddle reproduce experiments --quick`: every claim at its tiny budget into a temporary results file; the
 * file's structure, resume (a rerun skips stored claims, --force reruns), --only, and the error contract for a
 * bad --only id. Quick budgets say nothing about the relations, so pass/fail is not asserted here.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { EXPERIMENTS } from "../src/experiments/suite.ts";
import { isOneLineError, saddle } from "./helpers/cli.ts";

interface Stored {
  id: string;
  relation: string;
  source: string;
  threshold: string;
  mode: string;
  budget: string;
  seeds: number[];
  values: { label: string; perSeed: (number | null)[]; mean: number | null; std: number | null }[];
  measured: string;
  pass: boolean;
  wallSeconds: number;
  commit: string;
  hardware: string;
  finishedAt: string;
  skipped?: boolean;
}

describe("saddle reproduce experiments", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "saddle-experiments-"));
  const file = path.join(dir, "sub", "experiments.json");
  const ids = EXPERIMENTS.map((e) => e.id);
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("--quick runs every claim and stores each with its numbers", async () => {
    const r = await saddle(["reproduce", "experiments", "--quick", "--results", file, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const printed = JSON.parse(r.stdout) as Stored[];
    assert.deepEqual(
      printed.map((c) => c.id),
      ids,
    );
    const stored = JSON.parse(fs.readFileSync(file, "utf8")) as {
      suite: string;
      claims: Record<string, Stored>;
    };
    assert.equal(stored.suite, "experiments");
    assert.deepEqual(Object.keys(stored.claims).sort(), [...ids].sort());
    for (const c of Object.values(stored.claims)) {
      assert.equal(c.mode, "quick");
      assert.ok(
        c.relation.length > 0 && c.source.length > 0 && c.threshold.length > 0 && c.budget.length > 0,
      );
      assert.equal(typeof c.pass, "boolean");
      assert.ok(c.wallSeconds >= 0 && c.commit.length > 0 && c.hardware.length > 0);
      assert.ok(c.seeds.length >= 2, c.id);
      assert.ok(c.values.length > 0);
      for (const v of c.values) {
        assert.equal(v.perSeed.length, c.seeds.length, `${c.id}: ${v.label}`);
        const xs = v.perSeed.filter((x): x is number => x !== null);
        if (xs.length > 0) {
          const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
          assert.ok(v.mean !== null && Math.abs(v.mean - mean) <= 1e-9 * Math.max(1, Math.abs(mean)));
          assert.ok(v.std !== null && v.std >= 0);
        }
      }
    }
    assert.ok(!fs.readdirSync(path.dirname(file)).some((f) => f.includes(".tmp-")), "no temp file left");
  });

  test("a rerun skips the stored claims; --only with --force reruns just those", async () => {
    const before = JSON.parse(fs.readFileSync(file, "utf8")) as { claims: Record<string, Stored> };
    const again = await saddle(["reproduce", "experiments", "--quick", "--results", file, "--json"]);
    assert.equal(again.code, 0, again.stderr);
    const rows = JSON.parse(again.stdout) as Stored[];
    assert.ok(rows.every((c) => c.skipped === true));
    assert.deepEqual(JSON.parse(fs.readFileSync(file, "utf8")), before);

    const one = ids[ids.length - 1];
    const forced = await saddle([
      "reproduce",
      "experiments",
      "--quick",
      "--results",
      file,
      "--only",
      one,
      "--force",
      "--json",
    ]);
    assert.equal(forced.code, 0, forced.stderr);
    const only = JSON.parse(forced.stdout) as Stored[];
    assert.deepEqual(
      only.map((c) => [c.id, c.skipped]),
      [[one, false]],
    );
    const after = JSON.parse(fs.readFileSync(file, "utf8")) as { claims: Record<string, Stored> };
    assert.notEqual(after.claims[one].finishedAt, before.claims[one].finishedAt);
    for (const id of ids.filter((x) => x !== one)) assert.deepEqual(after.claims[id], before.claims[id]);
  });

  test("a bad --only id is a one-line error, exit 2, and writes nothing", async () => {
    const other = path.join(dir, "none.json");
    const r = await saddle(["reproduce", "experiments", "--only", "no-such-claim", "--results", other]);
    assert.ok(isOneLineError(r), r.stderr);
    assert.match(r.stderr, /--only: unknown claim id 'no-such-claim'; allowed: /);
    assert.ok(!fs.existsSync(other));
  });

  test("the experiments flags are refused for the other suites", async () => {
    const r = await saddle(["reproduce", "dynamics", "--only", "x"]);
    assert.ok(isOneLineError(r), r.stderr);
  });
});
