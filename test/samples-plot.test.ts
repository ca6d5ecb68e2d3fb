import assert from "node:assert/strict";
import { test } from "node:test";
import { renderPng, renderSvg } from "../src/report/render.ts";
import { samplesPlot } from "../src/report/samples-plot.ts";

const heat = Array.from({ length: 100 }, (_, k) => ({
  x: (k % 10) - 4.5,
  y: Math.floor(k / 10) - 4.5,
  h: 0.5,
  value: k / 100,
}));

test("samplesPlot draws real and generated points over the heat map", async () => {
  const spec = samplesPlot({
    real: [
      [0, 0],
      [1, 1],
    ],
    fake: [[2, 2]],
    heat,
    heatLabel: "D(x)",
    modes: [[0, 0]],
    title: "t",
    subtitle: "s",
  });
  const svg = await renderSvg(spec);
  assert.match(svg, /<svg/);
  assert.match(svg, /\bt\b/);
  const png = await renderPng(spec);
  assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
});

test("far-off generated points (a blown-up generator) are left out and counted, and rendering does not crash", async () => {
  const spec = samplesPlot({
    real: [[0, 0]],
    fake: [
      [1e30, -1e30],
      [Infinity, 0],
      [NaN, 1],
      [0.5, 0.5],
    ],
    heat,
    heatLabel: "D(x)",
    title: "far",
  });
  const title = spec.title as { subtitle: string };
  assert.match(title.subtitle, /1 generated points lie outside the area shown/);
  const png = await renderPng(spec);
  assert.ok(png.length > 1000);
});
