/** Drawing a GAN session: D's heat map, real and generated points, gradient arrows, the latent mesh, curves. */
import type { Dataset } from "../../../src/data/dataset.ts";
import { diverging, HEAT_ALPHA, Plot, type Box } from "../plot.ts";
import type { Layers } from "../share.ts";
import { GRID_N, type ViewSnapshot } from "./session.ts";

const heatCanvas = document.createElement("canvas");
heatCanvas.width = GRID_N;
heatCanvas.height = GRID_N;

/** The value range the heat map's colours span: [0, 1] for probabilities, the grid's min..max for scores. */
export function heatRange(snap: ViewSnapshot, probability: boolean): [number, number] {
  if (probability) return [0, 1];
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of snap.dGrid) {
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  return hi > lo ? [lo, hi] : [0, 1];
}

/**
 * D's heat map over `box`, the square the worker evaluated D on (`dGrid`, GRID_N × GRID_N cell centres,
 * y outer): blue = low, red = high on [lo, hi] (`heatRange`). Drawn over that box only, whatever the
 * picture's own box is.
 */
export function drawHeat(P: Plot, snap: ViewSnapshot, box: Box, probability: boolean): [number, number] {
  const ctx = heatCanvas.getContext("2d")!;
  const img = ctx.createImageData(GRID_N, GRID_N);
  const [lo, hi] = heatRange(snap, probability);
  for (let j = 0; j < GRID_N; j++) {
    for (let i = 0; i < GRID_N; i++) {
      const v = snap.dGrid[j * GRID_N + i];
      const [r, g, b] = diverging(Number.isFinite(v) ? (v - lo) / (hi - lo) : 0.5);
      const o = ((GRID_N - 1 - j) * GRID_N + i) * 4; // y grows upwards
      img.data[o] = r;
      img.data[o + 1] = g;
      img.data[o + 2] = b;
      img.data[o + 3] = HEAT_ALPHA;
    }
  }
  ctx.putImageData(img, 0, 0);
  P.ctx.imageSmoothingEnabled = true;
  P.ctx.drawImage(
    heatCanvas,
    P.px(box.x[0]),
    P.py(box.y[1]),
    P.px(box.x[1]) - P.px(box.x[0]),
    P.py(box.y[0]) - P.py(box.y[1]),
  );
  return [lo, hi];
}

export interface SampleDrawOptions {
  real: number[][];
  data: Dataset;
  probability: boolean;
  layers: Layers;
  /** The box D was evaluated on (from the worker's report). */
  heatBox: Box | null;
  ticks?: boolean;
}

/** The main GAN picture; returns the heat map's value range when it was drawn. */
export function drawSamples(
  P: Plot,
  snap: ViewSnapshot | null,
  o: SampleDrawOptions,
): [number, number] | null {
  P.clear("#fff");
  const L = o.layers;
  const range = snap && L.heat && o.heatBox ? drawHeat(P, snap, o.heatBox, o.probability) : null;
  P.axes("#ddd");
  if (L.real) P.points(o.real, 3, "rgba(20, 120, 60, 0.55)");
  if (snap) {
    if (L.fake) P.points(snap.fake, 3, "rgba(120, 40, 160, 0.6)");
    if (L.arrows) {
      const mags = snap.arrows.map((a) => Math.hypot(a[0], a[1]));
      const max = Math.max(...mags.filter(Number.isFinite), 1e-12);
      const scale = Math.min(P.w, P.h) / 14;
      snap.arrows.forEach((a, i) => {
        const f = snap.fake[i];
        if (!f || !Number.isFinite(mags[i])) return;
        const len = (mags[i] / max) * scale;
        const ux = a[0] / (mags[i] || 1);
        const uy = a[1] / (mags[i] || 1);
        P.arrowPx(P.px(f[0]), P.py(f[1]), ux * len, -uy * len, "rgba(0,0,0,0.75)");
      });
    }
  }
  if (o.data.modes && L.modes)
    for (const c of o.data.modes.centers) P.circle(c[0], c[1], 3 * o.data.modes.sigma, "rgba(0,0,0,0.5)");
  if (o.ticks ?? true) P.ticks();
  return range;
}

/** G's image of a latent grid: each latent line becomes a curve in data space. */
export function drawMesh(P: Plot, snap: ViewSnapshot | null, real: number[][]): void {
  P.clear("#fff");
  P.axes("#eee");
  P.points(real, 2, "rgba(20, 120, 60, 0.35)");
  P.ticks();
  if (!snap) return;
  const half = snap.mesh.length / 2;
  snap.mesh.forEach((line, i) =>
    P.polyline(line, i < half || half < 1 ? "rgba(31,119,180,0.8)" : "rgba(214,39,40,0.8)", 1.2),
  );
}

export interface Series {
  name: string;
  color: string;
  points: [number, number][];
  dash?: number[];
}

/**
 * Curves over steps with horizontal reference lines (e.g. log 2 and 2 log 2): tick labels on both axes,
 * the legend in a band above the plotting area and the reference lines' labels in the right margin, so
 * that no label sits on a curve. `yRange` fixes the y axis (e.g. 0..K modes); otherwise it fits the data.
 */
export function drawCurves(
  P: Plot,
  series: Series[],
  hlines: { y: number; label: string }[],
  yLabel: string,
  yRange?: [number, number],
): void {
  P.margin = { l: 42, r: hlines.length > 0 ? 46 : 10, t: 20, b: 16 };
  P.clear("#fff");
  const all = series.flatMap((s) => s.points).filter((p) => Number.isFinite(p[1]));
  const xs = all.map((p) => p[0]);
  let yLo = Math.min(...all.map((p) => p[1]), ...hlines.map((h) => h.y));
  let yHi = Math.max(...all.map((p) => p[1]), ...hlines.map((h) => h.y));
  if (!Number.isFinite(yLo) || !Number.isFinite(yHi)) {
    yLo = 0;
    yHi = 1;
  }
  const pad = Math.max((yHi - yLo) * 0.08, 0.05);
  const xLo = Math.min(0, ...xs);
  const xHi = Math.max(1, ...xs);
  P.box = { x: [xLo, xHi], y: yRange ?? [yLo - pad, yHi + pad] };
  const c = P.ctx;
  c.strokeStyle = "#ccc";
  c.lineWidth = 1;
  c.strokeRect(P.margin.l, P.margin.t, P.iw, P.ih);
  P.ticks({ grid: true, n: 4 });
  c.save();
  c.beginPath();
  c.rect(P.margin.l, P.margin.t, P.iw, P.ih);
  c.clip();
  for (const h of hlines) {
    c.setLineDash([4, 4]);
    c.strokeStyle = "#888";
    c.lineWidth = 1;
    c.beginPath();
    c.moveTo(P.margin.l, P.py(h.y));
    c.lineTo(P.margin.l + P.iw, P.py(h.y));
    c.stroke();
    c.setLineDash([]);
  }
  for (const s of series) {
    c.setLineDash(s.dash ?? []);
    P.polyline(s.points, s.color, 1.6);
    c.setLineDash([]);
  }
  c.restore();
  for (const h of hlines) P.label(h.label, P.w - 2, P.py(h.y) + 4, "#555", "right", 11);
  P.label("step", P.w - 2, P.h - 3, "#666", "right", 11);
  // legend band: the y label, then each series
  P.label(yLabel, 2, 13, "#333", "left", 11);
  let lx = Math.max(P.margin.l, P.ctx.measureText(yLabel).width + 14);
  for (const s of series) {
    c.strokeStyle = s.color;
    c.lineWidth = 2;
    c.setLineDash(s.dash ?? []);
    c.beginPath();
    c.moveTo(lx, 9);
    c.lineTo(lx + 16, 9);
    c.stroke();
    c.setLineDash([]);
    P.label(s.name, lx + 20, 13, "#333", "left", 11);
    lx += 28 + P.ctx.measureText(s.name).width;
  }
}
