/** Drawing a GAN session: D's heat map, real and generated points, gradient arrows, the latent mesh, curves. */
import type { Dataset } from "../../../src/data/dataset.ts";
import { diverging, Plot } from "../plot.ts";
import { fmt } from "../ui.ts";
import { GRID_N, type ViewSnapshot } from "./session.ts";

const heatCanvas = document.createElement("canvas");
heatCanvas.width = GRID_N;
heatCanvas.height = GRID_N;

/** D's heat map (blue = fake, red = real for probabilities; min–max scaled for scores). */
export function drawHeat(P: Plot, snap: ViewSnapshot, probability: boolean): void {
  const ctx = heatCanvas.getContext("2d")!;
  const img = ctx.createImageData(GRID_N, GRID_N);
  let lo = 0;
  let hi = 1;
  if (!probability) {
    lo = Infinity;
    hi = -Infinity;
    for (const v of snap.dGrid) {
      if (Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (!(hi > lo)) {
      lo = 0;
      hi = 1;
    }
  }
  for (let j = 0; j < GRID_N; j++) {
    for (let i = 0; i < GRID_N; i++) {
      const v = snap.dGrid[j * GRID_N + i];
      const [r, g, b] = diverging(Number.isFinite(v) ? (v - lo) / (hi - lo) : 0.5);
      const o = ((GRID_N - 1 - j) * GRID_N + i) * 4; // y grows upwards
      img.data[o] = r;
      img.data[o + 1] = g;
      img.data[o + 2] = b;
      img.data[o + 3] = 150;
    }
  }
  ctx.putImageData(img, 0, 0);
  P.ctx.imageSmoothingEnabled = true;
  P.ctx.drawImage(
    heatCanvas,
    P.px(P.box.x[0]),
    P.py(P.box.y[1]),
    P.px(P.box.x[1]) - P.px(P.box.x[0]),
    P.py(P.box.y[0]) - P.py(P.box.y[1]),
  );
}

export interface SampleDrawOptions {
  real: number[][];
  data: Dataset;
  probability: boolean;
  arrows: boolean;
  heat: boolean;
}

/** The main GAN picture. */
export function drawSamples(P: Plot, snap: ViewSnapshot | null, o: SampleDrawOptions): void {
  P.clear("#fff");
  if (snap && o.heat) drawHeat(P, snap, o.probability);
  P.axes("#ddd");
  P.points(o.real, 3, "rgba(20, 120, 60, 0.55)");
  if (snap) {
    P.points(snap.fake, 3, "rgba(120, 40, 160, 0.6)");
    if (o.arrows) {
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
  if (o.data.modes)
    for (const c of o.data.modes.centers) P.circle(c[0], c[1], 3 * o.data.modes.sigma, "rgba(0,0,0,0.5)");
}

/** G's image of a latent grid: each latent line becomes a curve in data space. */
export function drawMesh(P: Plot, snap: ViewSnapshot | null, real: number[][]): void {
  P.clear("#fff");
  P.axes("#eee");
  P.points(real, 2, "rgba(20, 120, 60, 0.35)");
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

/** Curves over steps with horizontal reference lines (e.g. log 2 and 2 log 2). */
export function drawCurves(
  P: Plot,
  series: Series[],
  hlines: { y: number; label: string }[],
  yLabel: string,
): void {
  P.clear("#fff");
  const all = series.flatMap((s) => s.points).filter((p) => Number.isFinite(p[1]));
  const xs = all.map((p) => p[0]);
  let yLo = Math.min(...all.map((p) => p[1]), ...hlines.map((h) => h.y));
  let yHi = Math.max(...all.map((p) => p[1]), ...hlines.map((h) => h.y));
  if (!Number.isFinite(yLo) || !Number.isFinite(yHi)) {
    yLo = 0;
    yHi = 1;
  }
  const pad = Math.max((yHi - yLo) * 0.12, 0.05);
  const xHi = Math.max(1, ...xs);
  // leave a margin for labels: plot in [0, xHi] with 8% padding left
  P.box = { x: [-xHi * 0.1, xHi * 1.02], y: [yLo - pad, yHi + pad] };
  const c = P.ctx;
  for (const h of hlines) {
    c.setLineDash([4, 4]);
    c.strokeStyle = "#888";
    c.lineWidth = 1;
    c.beginPath();
    c.moveTo(P.px(0), P.py(h.y));
    c.lineTo(P.w, P.py(h.y));
    c.stroke();
    c.setLineDash([]);
    P.label(h.label, P.w - 4, P.py(h.y) - 3, "#555", "right");
  }
  for (const s of series) {
    c.setLineDash(s.dash ?? []);
    P.polyline(s.points, s.color, 1.6);
    c.setLineDash([]);
  }
  P.label(fmt(yHi + pad, 3), 2, 12, "#666");
  P.label(fmt(yLo - pad, 3), 2, P.h - 4, "#666");
  P.label(`step ${xHi}`, P.w - 4, P.h - 4, "#666", "right");
  P.label(yLabel, P.w / 2, 12, "#333", "center");
  let lx = P.px(0) + 4;
  for (const s of series) {
    P.label(`— ${s.name}`, lx, 28, s.color);
    lx += P.ctx.measureText(`— ${s.name}`).width + 12;
  }
}
