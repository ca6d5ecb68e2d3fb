import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { jit, random, type Array as JArray } from "@jax-js/jax";
import { readCsv, tableDataset } from "../src/data/csv.ts";
import type { Dataset } from "../src/data/dataset.ts";
import { mixture } from "../src/data/mixtures.ts";
import { grid } from "../src/data/toy2d/grid.ts";
import { ring } from "../src/data/toy2d/ring.ts";
import { datasetFor } from "../src/data/registry.ts";
import { useDevice } from "../src/engine/device.ts";
import { UsageError } from "../src/engine/errors.ts";
import { liveArrays, trackLiveArrays } from "./helpers/live-arrays.ts";

before(async () => {
  await useDevice("wasm");
});

/** Reads an [n, dim] array into rows; consumes it. */
function rowsOf(x: JArray): number[][] {
  return x.js() as number[][];
}

/** Per-mode fractions, within-mode std (pooled over coordinates) and overall mean of samples. */
function perMode(samples: number[][], centers: number[][]) {
  const counts = new Array<number>(centers.length).fill(0);
  let sq = 0;
  const mean = [0, 0];
  for (const x of samples) {
    let best = 0;
    let bestD = Infinity;
    centers.forEach((c, k) => {
      const d = (x[0] - c[0]) ** 2 + (x[1] - c[1]) ** 2;
      if (d < bestD) [best, bestD] = [k, d];
    });
    counts[best]++;
    sq += bestD;
    mean[0] += x[0] / samples.length;
    mean[1] += x[1] / samples.length;
  }
  return {
    fractions: counts.map((c) => c / samples.length),
    std: Math.sqrt(sq / (2 * samples.length)),
    mean,
  };
}

describe("mixtures", () => {
  test("ring: 8 centres on the circle of radius 2, σ = 0.02", () => {
    const d = ring();
    assert.equal(d.name, "ring");
    assert.equal(d.dim, 2);
    assert.equal(d.modes!.sigma, 0.02);
    assert.equal(d.modes!.centers.length, 8);
    for (const [k, c] of d.modes!.centers.entries()) {
      assert.ok(Math.abs(Math.hypot(c[0], c[1]) - 2) < 1e-12);
      assert.ok(
        Math.abs(
          Math.atan2(c[1], c[0]) - Math.atan2(Math.sin((k * Math.PI) / 4), Math.cos((k * Math.PI) / 4)),
        ) < 1e-12,
      );
    }
  });

  test("grid: 25 centres at {−4,−2,0,2,4}², σ = 0.05", () => {
    const d = grid();
    assert.equal(d.name, "grid");
    assert.equal(d.modes!.sigma, 0.05);
    const keys = d.modes!.centers.map((c) => c.join(",")).sort();
    const want = [-4, -2, 0, 2, 4].flatMap((x) => [-4, -2, 0, 2, 4].map((y) => `${x},${y}`)).sort();
    assert.deepEqual(keys, want);
  });

  for (const [name, make, tolFrac] of [
    ["ring", ring, 0.02],
    ["grid", grid, 0.012],
  ] as [string, () => Dataset, number][]) {
    test(`${name}: 10k samples, every mode ≈ 1/K of them, within-mode std ≈ σ, mean ≈ 0`, () => {
      const d = make();
      const { centers, sigma } = d.modes!;
      const x = d.sample(random.key(7), 10000, "float64");
      assert.deepEqual(x.shape, [10000, 2]);
      assert.equal(x.dtype, "float64");
      const s = perMode(rowsOf(x), centers);
      const K = centers.length;
      // binomial std of a fraction: sqrt(p(1-p)/n) ≈ 0.0033 (ring), 0.0020 (grid); tolerance ≈ 6 std
      for (const f of s.fractions) assert.ok(Math.abs(f - 1 / K) < tolFrac, `fraction ${f} vs ${1 / K}`);
      assert.ok(Math.abs(s.std / sigma - 1) < 0.03, `std ${s.std} vs σ ${sigma}`);
      assert.ok(Math.abs(s.mean[0]) < 0.1 && Math.abs(s.mean[1]) < 0.1, `mean ${s.mean}`);
      // all samples are close to a centre: max distance well inside 6σ
      const maxD = Math.max(
        ...rowsOf(d.sample(random.key(7), 10000, "float64")).map((p) =>
          Math.min(...centers.map((c) => Math.hypot(p[0] - c[0], p[1] - c[1]))),
        ),
      );
      assert.ok(maxD < 6 * sigma, `max distance ${maxD}`);
    });
  }

  test("float32 by default; deterministic per key; different keys differ", () => {
    const d = ring();
    const a = d.sample(random.key(3), 64);
    assert.equal(a.dtype, "float32");
    const ra = rowsOf(a);
    assert.deepEqual(rowsOf(d.sample(random.key(3), 64)), ra);
    assert.notDeepEqual(rowsOf(d.sample(random.key(4), 64)), ra);
  });

  for (const dtype of ["float32", "float64"] as const) {
    test(`jit(sample) == sample for the same key (${dtype})`, () => {
      for (const d of [ring(), grid()]) {
        const plain = rowsOf(d.sample(random.key(11), 300, dtype));
        const f = jit((k: JArray) => d.sample(k, 300, dtype));
        const jitted = rowsOf(f(random.key(11)) as JArray);
        const again = rowsOf(f(random.key(11)) as JArray);
        f.dispose();
        assert.deepEqual(jitted, plain);
        assert.deepEqual(again, plain);
      }
    });
  }

  test("mixture(): custom centres in 3-d, σ respected; preview is fixed and near the centres", () => {
    const d = mixture(
      [
        [0, 0, 0],
        [10, 10, 10],
      ],
      0.1,
      "two",
    );
    assert.equal(d.dim, 3);
    const rows = rowsOf(d.sample(random.key(1), 2000, "float64"));
    assert.deepEqual([rows.length, rows[0].length], [2000, 3]);
    const near0 = rows.filter((r) => Math.hypot(...r) < 1).length;
    assert.ok(Math.abs(near0 / 2000 - 0.5) < 0.05);
    const p = d.preview(500);
    assert.equal(p.length, 500);
    assert.deepEqual(d.preview(500), p);
    assert.equal(ring().preview().length, 2500);
    assert.equal(ring().preview(10000).length, 2500);
    const g = grid();
    for (const q of g.preview(200)) {
      const m = Math.min(...g.modes!.centers.map((c) => Math.hypot(q[0] - c[0], q[1] - c[1])));
      assert.ok(m < 6 * 0.05);
    }
  });

  test("sampling leaks no arrays (plain, jitted, CSV)", () => {
    trackLiveArrays();
    const d = grid();
    const t = tableDataset("t", [[1], [2], [3]], 1);
    const f = jit((k: JArray) => d.sample(k, 50, "float64"));
    f(random.key(1)).dispose(); // compile once
    const before = liveArrays();
    for (let i = 0; i < 5; i++) {
      d.sample(random.key(i), 50).dispose();
      d.sample(random.key(i), 50, "float64").js();
      (f(random.key(i)) as JArray).dispose();
      t.sample(random.key(i), 20).js();
    }
    assert.equal(liveArrays(), before);
    f.dispose();
  });

  test("sample rejects a non-positive or fractional n", () => {
    assert.throws(() => ring().sample(random.key(0), 0), /positive integer/);
    assert.throws(() => ring().sample(random.key(0), 2.5), /positive integer/);
  });
});

describe("csv", () => {
  let dir = "";
  const write = (name: string, text: string): string => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  /** The UsageError message of f, asserting it is exactly one line. */
  const usage = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      assert.ok(e instanceof UsageError, `not a UsageError: ${String(e)}`);
      assert.ok(!e.message.includes("\n"));
      return e.message;
    }
    assert.fail("no error");
  };
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "saddle-data-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("header, blank lines, CRLF: 2 columns", () => {
    const p = write("pts.csv", "x,y\r\n1,2\r\n\r\n-3.5,4e-1\r\n  \r\n5, 6\r\n");
    const d = readCsv(p);
    assert.equal(d.name, "pts.csv");
    assert.equal(d.dim, 2);
    assert.equal(d.modes, undefined);
    assert.deepEqual(d.preview(), [
      [1, 2],
      [-3.5, 0.4],
      [5, 6],
    ]);
  });

  test("no header, 3 columns; semicolons and whitespace", () => {
    const a = readCsv(write("three.csv", "1,2,3\n4,5,6\n"));
    assert.equal(a.dim, 3);
    assert.deepEqual(a.preview(), [
      [1, 2, 3],
      [4, 5, 6],
    ]);
    assert.deepEqual(readCsv(write("semi.csv", "a;b\n1;2\n")).preview(), [[1, 2]]);
    assert.deepEqual(readCsv(write("ws.csv", "1 2\n3\t 4\n")).preview(), [
      [1, 2],
      [3, 4],
    ]);
    assert.deepEqual(readCsv(write("one.csv", '"v"\n7\n8\n')).preview(), [[7], [8]]);
  });

  test("sampling returns only rows of the file, uniformly, with replacement, inside jit too", () => {
    const rows = [
      [1, 10, 100],
      [2, 20, 200],
      [3, 30, 300],
      [4, 40, 400],
    ];
    const d = readCsv(write("rows.csv", "a,b,c\n" + rows.map((r) => r.join(",")).join("\n")));
    const x = d.sample(random.key(5), 4000, "float64");
    assert.deepEqual(x.shape, [4000, 3]);
    const got = rowsOf(x);
    const seen = new Map<string, number>();
    for (const r of got) {
      assert.ok(
        rows.some((q) => q.join() === r.join()),
        `not a row: ${r}`,
      );
      seen.set(r.join(), (seen.get(r.join()) ?? 0) + 1);
    }
    assert.equal(seen.size, 4);
    for (const c of seen.values()) assert.ok(Math.abs(c / 4000 - 0.25) < 0.04);
    const f = jit((k: JArray) => d.sample(k, 4000, "float64"));
    assert.deepEqual(rowsOf(f(random.key(5)) as JArray), got);
    f.dispose();
    assert.equal(d.sample(random.key(5), 8).dtype, "float32");
  });

  test("preview spreads over a long file and caps at 2,500 rows", () => {
    const text = Array.from({ length: 6000 }, (_, i) => `${i},${-i}`).join("\n");
    const d = readCsv(write("long.csv", text));
    const p = d.preview();
    assert.equal(p.length, 2500);
    assert.deepEqual(p[0], [0, 0]);
    assert.ok(p[2499][0] > 5900);
    assert.equal(d.preview(3).length, 3);
  });

  test("error: missing file, directory", () => {
    const missing = path.join(dir, "nope.csv");
    assert.equal(
      usage(() => readCsv(missing)),
      `--data: cannot read '${missing}': no such file`,
    );
    const sub = path.join(dir, "folder.csv");
    mkdirSync(sub);
    assert.equal(
      usage(() => readCsv(sub)),
      `--data: cannot read '${sub}': it is a directory`,
    );
  });

  test("error: empty file, blank-only file, header only", () => {
    const e = write("empty.csv", "");
    assert.equal(
      usage(() => readCsv(e)),
      `--data: '${e}' is empty`,
    );
    const b = write("blank.csv", "\n  \n\n");
    assert.equal(
      usage(() => readCsv(b)),
      `--data: '${b}' is empty`,
    );
    const h = write("header.csv", "\nx,y\n\n");
    assert.equal(
      usage(() => readCsv(h)),
      `--data: '${h}' has a header (line 2) but no data rows`,
    );
  });

  test("error: ragged rows name the line (blank lines counted) and the counts", () => {
    const p = write("ragged.csv", "x,y\n1,2\n3,4\n\n5,6\n7,8\n\n9,10,11\n");
    assert.equal(
      usage(() => readCsv(p)),
      `--data: '${p}' line 8 has 3 values, expected 2`,
    );
    const q = write("short.csv", "1,2,3\n4,5\n");
    assert.equal(
      usage(() => readCsv(q)),
      `--data: '${q}' line 2 has 2 values, expected 3`,
    );
  });

  test("error: non-numbers name the line and column", () => {
    const p = write("bad.csv", "x,y\n1,2\n3,4\n5,abc\n");
    assert.equal(
      usage(() => readCsv(p)),
      `--data: '${p}' line 4 column 2: 'abc' is not a number`,
    );
    const q = write("first.csv", "1,abc\n2,3\n");
    assert.equal(
      usage(() => readCsv(q)),
      `--data: '${q}' line 1 column 2: 'abc' is not a number`,
    );
    const r = write("holes.csv", "1,2\n,3\n");
    assert.equal(
      usage(() => readCsv(r)),
      `--data: '${r}' line 2 column 1: '' is not a number`,
    );
    const s = write("nan.csv", "1,2\n3,NaN\n");
    assert.equal(
      usage(() => readCsv(s)),
      `--data: '${s}' line 2 column 2: 'NaN' is not a number`,
    );
    const t = write("inf.csv", "1,2\n3,1e999\n");
    assert.equal(
      usage(() => readCsv(t)),
      `--data: '${t}' line 2 column 2: '1e999' is not a number`,
    );
  });

  test("datasetFor: ring, grid, a .csv path, unknown names", () => {
    assert.equal(datasetFor("ring").name, "ring");
    assert.equal(datasetFor("grid").modes!.centers.length, 25);
    assert.equal(datasetFor(write("Upper.CSV", "1,2\n")).name, "Upper.CSV");
    assert.equal(
      usage(() => datasetFor("moons")),
      "--data: unknown data 'moons'; allowed: ring, grid, grid3, gaussian, two-moons, spiral, line, mnist, fashion, a .csv file, or a folder of .png images",
    );
    assert.equal(
      usage(() => datasetFor("pts.txt")),
      "--data: unknown data 'pts.txt'; allowed: ring, grid, grid3, gaussian, two-moons, spiral, line, mnist, fashion, a .csv file, or a folder of .png images",
    );
    assert.equal(
      usage(() => datasetFor("missing.csv")),
      "--data: cannot read 'missing.csv': no such file",
    );
  });
});
