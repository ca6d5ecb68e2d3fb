/**
 * The built-in 2-D data sets (the list src/data/toy2d/index.ts): each set's traceable sampler (jax) and its pure-JS
 * preview compute the same distribution (moments agree), the named geometry holds, and `--data` knows them.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { random } from "@jax-js/jax";
import { datasetFor } from "../src/data/registry.ts";
import { gaussian } from "../src/data/toy2d/gaussian.ts";
import { grid3 } from "../src/data/toy2d/grid3.ts";
import { TOY_2D_NAMES, toy2d } from "../src/data/toy2d/index.ts";
import { line } from "../src/data/toy2d/line.ts";
import { spiral } from "../src/data/toy2d/spiral.ts";
import { twoMoons } from "../src/data/toy2d/two-moons.ts";
import { useDevice } from "../src/engine/device.ts";

await useDevice("wasm");

const moments = (pts: number[][]) => {
  const n = pts.length;
  const mean = [0, 1].map((j) => pts.reduce((s, p) => s + p[j], 0) / n);
  const std = [0, 1].map((j) => Math.sqrt(pts.reduce((s, p) => s + (p[j] - mean[j]) ** 2, 0) / n));
  return { mean, std };
};

describe("built-in 2-D data sets", () => {
  for (const name of TOY_2D_NAMES) {
    test(`${name}: the sampler and the preview agree (mean, spread); --data ${name} is it`, () => {
      const d = toy2d(name);
      assert.equal(d.name, name);
      assert.equal(datasetFor(name).name, name);
      const x = d.sample(random.key(3), 2500);
      assert.deepEqual(x.shape, [2500, 2]);
      const pts = x.js() as number[][];
      assert.ok(pts.flat().every(Number.isFinite));
      const a = moments(pts);
      const b = moments(d.preview(2500));
      for (const j of [0, 1]) {
        // 2,500 draws: the standard error of a mean is std/50; allow 5 of them, plus 4% on the spreads
        assert.ok(
          Math.abs(a.mean[j] - b.mean[j]) < (5 * b.std[j]) / 50 + 1e-9,
          `${name} mean ${a.mean} vs ${b.mean}`,
        );
        assert.ok(Math.abs(a.std[j] / b.std[j] - 1) < 0.04 + 1e-9, `${name} std ${a.std} vs ${b.std}`);
      }
      const x64 = d.sample(random.key(4), 10, "float64");
      assert.equal(x64.dtype, "float64");
      x64.dispose();
    });
  }

  test("the geometry: 3×3 grid, one Gaussian, moons, spiral and line as documented", () => {
    assert.deepEqual(grid3().modes?.centers.length, 9);
    assert.deepEqual(grid3().modes?.centers[4], [0, 0]);
    assert.deepEqual(gaussian().modes, { centers: [[0, 0]], sigma: 0.5 });
    // noiseless points lie on their curves: the line y = x/2, the spiral's radius grows with its angle
    const ln = line().sample(random.key(5), 1000).js() as number[][];
    assert.ok(ln.every(([px, py]) => Math.abs(py - px / 2) < 6 * 0.03 * Math.hypot(1, 0.5)));
    assert.ok(Math.min(...ln.map((p) => p[0])) > -2.2 && Math.max(...ln.map((p) => p[0])) < 2.2);
    const sp = spiral().sample(random.key(6), 1000).js() as number[][];
    assert.ok(sp.every(([px, py]) => Math.hypot(px, py) < 2.3 + 6 * 0.04));
    const mo = twoMoons().sample(random.key(7), 2000).js() as number[][];
    // each moon is a half circle of radius 1.5 around (−0.75, −0.375) or (0.75, 0.375)
    const onMoon = ([px, py]: number[]) =>
      Math.min(
        Math.abs(Math.hypot(px + 0.75, py + 0.375) - 1.5),
        Math.abs(Math.hypot(px - 0.75, py - 0.375) - 1.5),
      );
    assert.ok(
      mo.every((p) => onMoon(p) < 6 * 0.075),
      "every point within 6σ of a moon",
    );
    assert.ok(mo.filter((p) => p[1] > 0.375).length > 500, "both moons are drawn");
    assert.ok(mo.filter((p) => p[1] < -0.375).length > 500, "both moons are drawn");
  });
});
