/** Plot specs and their rendering: PNG/SVG output, data hygiene, and writePlot's atomic, user-facing errors. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { distancePlot, eigenPlot, trajectoryPlot, type VlSpec } from "../src/report/plots.ts";
import { renderPng, renderSvg, writePlot } from "../src/report/render.ts";
import { UsageError } from "../src/engine/errors.ts";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Bilinear game f = θφ near its equilibrium: field −v and an extragradient-like inward spiral. */
function trajectorySpec(): VlSpec {
  const field = [];
  for (let i = -4; i <= 4; i++) {
    for (let j = -4; j <= 4; j++) {
      const x = i * 0.5;
      const y = j * 0.5;
      field.push({ x, y, u: -y, v: x });
    }
  }
  const trajectory = [];
  let x = 1.5;
  let y = 0.5;
  for (let step = 0; step <= 60; step++) {
    trajectory.push({ step, x, y });
    [x, y] = [0.98 * (x - 0.1 * y), 0.98 * (y + 0.1 * x)];
  }
  return trajectoryPlot({
    field,
    trajectory,
    equilibrium: { x: 0, y: 0 },
    title: "Trajectory test plot",
    xLabel: "theta",
    yLabel: "phi",
  });
}

function distanceSpec(): VlSpec {
  const series = [];
  for (let step = 0; step <= 100; step++) {
    series.push({ name: "extragradient", step, distance: 2 * 0.95 ** step });
    series.push({ name: "simultaneous", step, distance: 2 * 1.01 ** step });
  }
  series.push({ name: "extragradient", step: 101, distance: Number.NaN });
  series.push({ name: "extragradient", step: 102, distance: Number.POSITIVE_INFINITY });
  series.push({ name: "extragradient", step: 103, distance: 0 });
  return distancePlot({
    series,
    title: "Distance test plot",
    predicted: [{ name: "extragradient", rate: 0.95, d0: 2 }],
  });
}

function eigenSpec(): VlSpec {
  return eigenPlot({
    title: "Eigen test plot",
    unitCircle: true,
    groups: [
      {
        name: "simultaneous",
        eigenvalues: [
          { re: 1, im: 0.2 },
          { re: 1, im: -0.2 },
        ],
      },
      {
        name: "extragradient",
        eigenvalues: [
          { re: 0.96, im: 0.2 },
          { re: 0.96, im: -0.2 },
        ],
      },
    ],
  });
}

const CASES: [string, () => VlSpec, string][] = [
  ["trajectoryPlot", trajectorySpec, "Trajectory test plot"],
  ["distancePlot", distanceSpec, "Distance test plot"],
  ["eigenPlot", eigenSpec, "Eigen test plot"],
];

/** The inline data rows of every layer of a spec. */
function layerValues(spec: VlSpec): Record<string, unknown>[][] {
  const layers = spec.layer as { data: { values: Record<string, unknown>[] } }[];
  return layers.map((l) => l.data.values);
}

describe("plots render", () => {
  for (const [name, make, title] of CASES) {
    it(`${name} → PNG with signature and > 5 kB`, async () => {
      const png = await renderPng(make());
      assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE);
      assert.ok(png.length > 5000, `PNG is only ${png.length} bytes`);
    });
    it(`${name} → SVG with title and paths`, async () => {
      const svg = await renderSvg(make());
      assert.ok(svg.includes(title), "title text missing from SVG");
      assert.ok(svg.includes("<path"), "no <path in SVG");
    });
  }
});

describe("plot data", () => {
  it("distancePlot drops NaN, Infinity and 0 distances", () => {
    const rows = layerValues(distanceSpec()).flat();
    assert.ok(rows.length > 0);
    for (const r of rows) {
      const d = r.distance as number;
      assert.ok(Number.isFinite(d) && d > 0, `kept distance ${d}`);
    }
    const measured = layerValues(distanceSpec())[0];
    assert.equal(measured.length, 202);
  });

  it("distancePlot draws predicted rates as a dashed layer", () => {
    const values = layerValues(distanceSpec());
    assert.equal(values.length, 2);
    assert.ok(values[1].every((r) => r.name === "extragradient"));
  });

  it("trajectoryPlot scales the longest arrow to 0.8 of a grid cell", () => {
    const arrows = layerValues(trajectorySpec())[0] as { x: number; y: number; x2: number; y2: number }[];
    const longest = Math.max(...arrows.map((a) => Math.hypot((a.x2 - a.x) / 0.5, (a.y2 - a.y) / 0.5)));
    assert.ok(Math.abs(longest - 0.8) < 1e-9, `longest arrow ${longest} cells`);
  });

  it("eigenPlot draws the unit circle with ~200 points only when asked", () => {
    const withCircle = layerValues(eigenSpec()).map((v) => v.length);
    assert.ok(withCircle.includes(201));
    const spec = eigenPlot({
      title: "t",
      unitCircle: false,
      groups: [{ name: "a", eigenvalues: [{ re: 0.5, im: 0 }] }],
    });
    assert.ok(!layerValues(spec).some((v) => v.length === 201));
  });
});

describe("writePlot", () => {
  it("rejects a missing directory with a one-line UsageError and writes nothing", async () => {
    await assert.rejects(writePlot("/nonexistent-dir/x.png", eigenSpec()), (err: unknown) => {
      assert.ok(err instanceof UsageError);
      assert.equal(err.message, "--plot: cannot write '/nonexistent-dir/x.png': no such directory");
      return true;
    });
    assert.ok(!fs.existsSync("/nonexistent-dir"));
  });

  it("rejects an extension other than .png/.svg", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "saddle-plot-"));
    try {
      const target = path.join(dir, "plot.txt");
      await assert.rejects(writePlot(target, eigenSpec()), (err: unknown) => {
        assert.ok(err instanceof UsageError);
        assert.equal(err.message, `--plot: '${target}' must end in .png or .svg`);
        return true;
      });
      assert.deepEqual(fs.readdirSync(dir), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("writes PNG and SVG into a fresh directory and leaves no temp file", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "saddle-plot-"));
    try {
      await writePlot(path.join(dir, "eigen.png"), eigenSpec());
      await writePlot(path.join(dir, "eigen.SVG"), eigenSpec());
      assert.deepEqual(fs.readdirSync(dir).sort(), ["eigen.SVG", "eigen.png"]);
      assert.deepEqual(fs.readFileSync(path.join(dir, "eigen.png")).subarray(0, 8), PNG_SIGNATURE);
      assert.ok(fs.readFileSync(path.join(dir, "eigen.SVG"), "utf8").includes("<svg"));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reports a failed write as a UsageError and removes its temp file", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "saddle-plot-"));
    try {
      const target = path.join(dir, "taken.svg");
      fs.mkdirSync(target);
      await assert.rejects(writePlot(target, eigenSpec()), (err: unknown) => {
        assert.ok(err instanceof UsageError);
        assert.match(err.message, /^--plot: cannot write '.*taken\.svg': [^\n]+$/);
        return true;
      });
      assert.deepEqual(fs.readdirSync(dir), ["taken.svg"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("leaves nothing behind when rendering fails", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "saddle-plot-"));
    try {
      const bad: VlSpec = { mark: "nonexistent-mark", data: { values: [] } };
      await assert.rejects(writePlot(path.join(dir, "bad.png"), bad));
      assert.deepEqual(fs.readdirSync(dir), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
