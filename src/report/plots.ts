/**
 * Vega-Lite specs for saddle's three standard pictures, built from plain numbers (no jax-js):
 *
 * - `trajectoryPlot`: a player-vs-player phase portrait — the field −v(ω) as arrows on a grid, with one
 *   run's trajectory over it (start, end, equilibrium marked);
 * - `distancePlot`: ‖ω_t − ω*‖ against step on a log scale, with optional predicted linear rates d₀·ρᵗ;
 * - `eigenPlot`: eigenvalues of linearised update operators in the complex plane, with the unit circle.
 *
 * Render them with `render.ts`. All share one look (`THEME`): 560×420 plot area, 16 px titles, 12–13 px labels.
 */
import type { VlSpec } from "./render.ts";

export type { VlSpec } from "./render.ts";

/** Default plot-area size in CSS pixels. */
export const DEFAULT_WIDTH = 560;
export const DEFAULT_HEIGHT = 420;

/** Shared Vega-Lite config: fonts, sizes, a quiet grid. */
const THEME: VlSpec = {
  font: "DejaVu Sans, Helvetica, Arial, sans-serif",
  background: "white",
  padding: 12,
  view: { stroke: "#888", strokeWidth: 1 },
  title: {
    fontSize: 16,
    fontWeight: "bold",
    anchor: "start",
    offset: 10,
    subtitleFontSize: 12,
    subtitleColor: "#555",
  },
  axis: {
    labelFontSize: 12,
    titleFontSize: 13,
    titleFontWeight: "normal",
    gridColor: "#e6e6e6",
    domainColor: "#888",
    tickColor: "#888",
  },
  legend: { labelFontSize: 12, titleFontSize: 12, titleFontWeight: "bold", labelLimit: 400, symbolSize: 110 },
};

/** Ten distinct colours (Tableau 10), used in order for series/groups. */
const PALETTE = [
  "#4c78a8",
  "#f58518",
  "#54a24b",
  "#e45756",
  "#72b7b2",
  "#b279a2",
  "#eeca3b",
  "#9d755d",
  "#ff9da6",
  "#bab0ac",
];

/** Optional size override shared by all builders. */
export interface PlotSize {
  /** Plot-area width in CSS pixels (default 560). */
  width?: number;
  /** Plot-area height in CSS pixels (default 420). */
  height?: number;
}

/** Distinct values in first-seen order. */
function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

/** [min, max] of finite values, or undefined if there are none. */
function extent(xs: readonly number[]): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of xs) {
    if (!Number.isFinite(x)) continue;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return lo <= hi ? [lo, hi] : undefined;
}

/** Pads [lo, hi] by `frac` of its span on each side (a unit span when degenerate). */
function pad([lo, hi]: [number, number], frac: number): [number, number] {
  const span = hi - lo > 0 ? hi - lo : Math.max(Math.abs(lo), 1);
  return [lo - frac * span, hi + frac * span];
}

/** Smallest positive gap between distinct sorted values (the grid spacing), or undefined for < 2 values. */
function gridSpacing(xs: readonly number[]): number | undefined {
  const s = unique(xs.filter(Number.isFinite)).sort((a, b) => a - b);
  let best = Infinity;
  for (let i = 1; i < s.length; i++) best = Math.min(best, s[i] - s[i - 1]);
  return Number.isFinite(best) && best > 0 ? best : undefined;
}

/**
 * Scale (and legend) settings for a categorical channel: `names` mapped in order onto `range` (cycled).
 * With no names at all the legend is dropped — Vega lays out an empty legend at an infinite size.
 */
function categorical(names: readonly string[], range: readonly unknown[]): VlSpec {
  if (names.length === 0) return { legend: null };
  return { scale: { domain: [...names], range: names.map((_, i) => range[i % range.length]) } };
}

/** Half the span of [lo, hi]; for a single value, half its magnitude (at least 0.5), so the view is not empty. */
function halfRange([lo, hi]: [number, number]): number {
  const h = (hi - lo) / 2;
  return h > 0 ? h : Math.max(Math.abs(lo), 1) / 2;
}

/** Keeps at most `max` evenly spaced elements, always including the first and the last. */
function thin<T>(xs: readonly T[], max: number): T[] {
  if (xs.length <= max) return [...xs];
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(xs[Math.round((i * (xs.length - 1)) / (max - 1))]);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Trajectory over the vector field
// ---------------------------------------------------------------------------------------------------------

/** One sample of the (negated) vector field: at (x, y) the dynamics move along (u, v). */
export interface FieldSample {
  x: number;
  y: number;
  u: number;
  v: number;
}

/** One point of a trajectory: the two players' (scalar) parameters after `step` updates. */
export interface TrajectoryPoint {
  step: number;
  x: number;
  y: number;
}

/** Input of `trajectoryPlot`. */
export interface TrajectoryPlotInput extends PlotSize {
  /** Samples of −v(ω) on a regular grid (the direction the dynamics move). */
  field: readonly FieldSample[];
  /** The run's iterates, in any order (drawn in order of `step`). */
  trajectory: readonly TrajectoryPoint[];
  /** The equilibrium ω*, drawn as a cross. */
  equilibrium?: { x: number; y: number };
  title: string;
  /** Axis titles: the players' parameter names, e.g. "theta" and "phi". */
  xLabel: string;
  yLabel: string;
}

/** Legend labels of the trajectory plot, in legend order. */
export const TRAJECTORY_LEGEND = {
  field: "−v(ω) (direction of descent)",
  trajectory: "trajectory",
  start: "start",
  end: "end",
  equilibrium: "equilibrium ω*",
} as const;

/** Legend colours and symbols of the trajectory plot (same order as TRAJECTORY_LEGEND). */
const TRAJ_STYLE: Record<keyof typeof TRAJECTORY_LEGEND, { color: string; shape: string }> = {
  field: { color: "#9aa7b5", shape: "M-1,0L1,0M0.4,-0.5L1,0L0.4,0.5" },
  trajectory: { color: "#4c78a8", shape: "stroke" },
  start: { color: "#54a24b", shape: "circle" },
  end: { color: "#e45756", shape: "square" },
  equilibrium: { color: "#111111", shape: "M-1,-1L1,1M-1,1L1,-1" },
};

/** The most trajectory points marked individually (the line always goes through all of them). */
const MAX_TRAJECTORY_MARKERS = 80;

/**
 * Phase portrait of a two-parameter game: the field as arrows, each from (x, y) toward (x + s·u, y + s·v)
 * with s chosen so the longest arrow spans 0.8 of a grid cell; the trajectory as a line with points, its
 * start (green circle) and end (red square) marked, and the equilibrium as a black ×.
 */
export function trajectoryPlot(input: TrajectoryPlotInput): VlSpec {
  const width = input.width ?? DEFAULT_WIDTH;
  const height = input.height ?? DEFAULT_HEIGHT;
  const field = input.field.filter((f) => [f.x, f.y, f.u, f.v].every(Number.isFinite));
  const traj = input.trajectory
    .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y) && Number.isFinite(p.step))
    .sort((a, b) => a.step - b.step);
  const eq =
    input.equilibrium && Number.isFinite(input.equilibrium.x) && Number.isFinite(input.equilibrium.y)
      ? input.equilibrium
      : undefined;

  // Arrow scale: the longest arrow, measured in grid cells, is 0.8 of a cell.
  const xs0 = extent(field.map((f) => f.x));
  const ys0 = extent(field.map((f) => f.y));
  const dx = gridSpacing(field.map((f) => f.x)) ?? (xs0 ? xs0[1] - xs0[0] : 0);
  const dy = gridSpacing(field.map((f) => f.y)) ?? (ys0 ? ys0[1] - ys0[0] : 0);
  const cellX = dx > 0 ? dx : dy > 0 ? dy : 1;
  const cellY = dy > 0 ? dy : cellX;
  const maxCells = Math.max(0, ...field.map((f) => Math.hypot(f.u / cellX, f.v / cellY)));
  const s = maxCells > 0 ? 0.8 / maxCells : 0;

  const arrows = field.map((f) => ({
    x: f.x,
    y: f.y,
    x2: f.x + s * f.u,
    y2: f.y + s * f.v,
    rel: maxCells > 0 ? Math.hypot(f.u / cellX, f.v / cellY) / maxCells : 0,
  }));

  // Explicit domains (no "nice" rounding) so arrowhead angles can be computed in pixel space.
  const xDomain = pad(
    extent([...arrows.flatMap((a) => [a.x, a.x2]), ...traj.map((p) => p.x), ...(eq ? [eq.x] : [])]) ?? [
      -1, 1,
    ],
    0.04,
  );
  const yDomain = pad(
    extent([...arrows.flatMap((a) => [a.y, a.y2]), ...traj.map((p) => p.y), ...(eq ? [eq.y] : [])]) ?? [
      -1, 1,
    ],
    0.04,
  );
  const pxPerX = width / (xDomain[1] - xDomain[0]);
  const pxPerY = height / (yDomain[1] - yDomain[0]);
  // Vega rotates symbols clockwise from "up"; screen y points down, so up-on-screen is +y in data.
  const heads = arrows
    .filter((a) => a.rel > 0.02)
    .map((a) => {
      const deg = (Math.atan2((a.x2 - a.x) * pxPerX, (a.y2 - a.y) * pxPerY) * 180) / Math.PI;
      return { x: a.x2, y: a.y2, angle: (deg + 360) % 360, size: 14 + 46 * a.rel };
    });

  const L = TRAJECTORY_LEGEND;
  const keys = (Object.keys(L) as (keyof typeof L)[]).filter(
    (k) =>
      (k !== "field" || arrows.length > 0) &&
      (k !== "equilibrium" || eq !== undefined) &&
      (!["trajectory", "start", "end"].includes(k) || traj.length > 0),
  );
  const legendScale = {
    domain: keys.map((k) => L[k]),
    range: keys.map((k) => TRAJ_STYLE[k].color),
  };
  const shapeScale = {
    domain: keys.map((k) => L[k]),
    range: keys.map((k) => TRAJ_STYLE[k].shape),
  };
  const x = {
    field: "x",
    type: "quantitative",
    title: input.xLabel,
    scale: { domain: xDomain, nice: false, zero: false },
  };
  const y = {
    field: "y",
    type: "quantitative",
    title: input.yLabel,
    scale: { domain: yDomain, nice: false, zero: false },
  };
  const color = (label: string) => ({
    datum: label,
    type: "nominal",
    scale: legendScale,
    legend: { title: null, symbolStrokeWidth: 2, orient: "right" },
  });
  const shape = (label: string) => ({
    datum: label,
    type: "nominal",
    scale: shapeScale,
    legend: { title: null },
  });

  const layers: VlSpec[] = [];
  if (arrows.length > 0) {
    layers.push({
      data: { values: arrows },
      mark: { type: "rule", strokeWidth: 1.4, strokeCap: "round" },
      encoding: { x, y, x2: { field: "x2" }, y2: { field: "y2" }, color: color(L.field) },
    });
    layers.push({
      data: { values: heads },
      mark: { type: "point", shape: "triangle", filled: true, opacity: 1, strokeWidth: 0 },
      encoding: {
        x,
        y,
        angle: { field: "angle", type: "quantitative", scale: null },
        size: { field: "size", type: "quantitative", scale: null },
        color: { value: TRAJ_STYLE.field.color },
      },
    });
    // An invisible point carrying the field's legend symbol (an arrow) into the shared legend.
    layers.push({
      data: { values: [arrows[0]] },
      mark: { type: "point", opacity: 0, filled: false },
      encoding: { x, y, color: color(L.field), shape: shape(L.field) },
    });
  }
  if (traj.length > 0) {
    layers.push({
      data: { values: traj },
      mark: { type: "line", strokeWidth: 2.2, strokeJoin: "round" },
      encoding: {
        x,
        y,
        order: { field: "step", type: "quantitative" },
        color: color(L.trajectory),
        shape: shape(L.trajectory),
      },
    });
    layers.push({
      data: { values: thin(traj, MAX_TRAJECTORY_MARKERS) },
      mark: { type: "point", filled: true, size: 22, opacity: 0.9 },
      encoding: {
        x,
        y,
        color: { value: TRAJ_STYLE.trajectory.color },
        tooltip: [{ field: "step", type: "quantitative" }],
      },
    });
    const first = traj[0];
    const last = traj[traj.length - 1];
    layers.push({
      data: { values: [first] },
      mark: { type: "point", filled: true, size: 150, opacity: 1, stroke: "white", strokeWidth: 1.5 },
      encoding: { x, y, color: color(L.start), shape: shape(L.start) },
    });
    layers.push({
      data: { values: [last] },
      mark: { type: "point", filled: true, size: 150, opacity: 1, stroke: "white", strokeWidth: 1.5 },
      encoding: { x, y, color: color(L.end), shape: shape(L.end) },
    });
  }
  if (eq) {
    layers.push({
      data: { values: [eq] },
      mark: { type: "point", filled: false, size: 220, strokeWidth: 3, opacity: 1 },
      encoding: { x, y, color: color(L.equilibrium), shape: shape(L.equilibrium) },
    });
  }
  if (layers.length === 0) {
    layers.push({ data: { values: [] }, mark: "point", encoding: { x, y } });
  }

  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: input.title },
    width,
    height,
    config: THEME,
    layer: layers,
    resolve: { scale: { color: "shared", shape: "shared" } },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Distance to the equilibrium
// ---------------------------------------------------------------------------------------------------------

/** One measurement: series `name` is at distance `distance` from ω* after `step` updates. */
export interface DistancePoint {
  name: string;
  step: number;
  distance: number;
}

/** A predicted linear rate: distance d0·rate^t for series `name`. */
export interface PredictedRate {
  name: string;
  rate: number;
  d0: number;
}

/** Input of `distancePlot`. */
export interface DistancePlotInput extends PlotSize {
  series: readonly DistancePoint[];
  title: string;
  /** Predicted d0·ρ^t lines, dashed; drawn over the step range of the same-named series (else all steps). */
  predicted?: readonly PredictedRate[];
}

/** Points per predicted line (log-linear, so this only matters where it is clipped). */
const PREDICTED_SAMPLES = 120;

/** Legend labels of the line-style legend in the distance plot. */
export const DISTANCE_KINDS = { measured: "measured", predicted: "predicted d₀·ρᵗ" } as const;

/** Smallest and largest distances drawn: beyond them 10^k is no longer a normal double. */
const LOG_MIN = 1e-300;
const LOG_MAX = 1e300;

/** True for values a log axis can show: finite and > 0 (and within [1e-300, 1e300]). */
function loggable(d: number): boolean {
  return Number.isFinite(d) && d >= LOG_MIN && d <= LOG_MAX;
}

/** Mixes a `#rrggbb` colour with black: `amount` 0 keeps it, 1 gives black. */
function shade(hex: string, amount: number): string {
  const n = parseInt(hex.slice(1), 16);
  const ch = (shift: number) => Math.round(((n >> shift) & 255) * (1 - amount));
  return `#${((ch(16) << 16) | (ch(8) << 8) | ch(0)).toString(16).padStart(6, "0")}`;
}

/** Log-axis domain snapped to whole decades, and at most ~10 decade tick values; undefined without data. */
function decadeTicks(values: readonly number[]): { domain: [number, number]; values: number[] } | undefined {
  const e = extent(values.filter(loggable).map(Math.log10));
  if (!e) return undefined;
  const lo = Math.floor(e[0]);
  const hi = Math.max(Math.ceil(e[1]), lo + 1);
  const every = Math.ceil((hi - lo + 1) / 10);
  const ticks: number[] = [];
  for (let k = hi; k >= lo; k -= every) ticks.unshift(Math.pow(10, k));
  return { domain: [Math.pow(10, lo), Math.pow(10, hi)], values: ticks };
}

/**
 * ‖ω_t − ω*‖ against step, log-scale y, one coloured line per series; predicted rates as dashed lines in the
 * colour of the same-named series. Non-finite, zero and negative distances (and any outside [1e-300, 1e300])
 * are dropped, as a log axis cannot show them; predicted lines are clipped to a decade beyond the measured range.
 */
export function distancePlot(input: DistancePlotInput): VlSpec {
  const width = input.width ?? DEFAULT_WIDTH;
  const height = input.height ?? DEFAULT_HEIGHT;
  const measured = input.series
    .filter((p) => loggable(p.distance) && Number.isFinite(p.step))
    .map((p) => ({ name: p.name, step: p.step, distance: p.distance, kind: DISTANCE_KINDS.measured }));

  const allSteps = extent(measured.map((p) => p.step)) ?? [0, 100];
  const dRange = extent(measured.map((p) => Math.log10(p.distance)));
  const [logLo, logHi] = dRange ? [dRange[0] - 1, dRange[1] + 1] : [-Infinity, Infinity];

  const predicted: { name: string; step: number; distance: number; kind: string }[] = [];
  for (const pr of input.predicted ?? []) {
    if (!loggable(pr.d0) || !loggable(pr.rate)) continue;
    const [t0, t1] = extent(measured.filter((p) => p.name === pr.name).map((p) => p.step)) ?? allSteps;
    for (let i = 0; i < PREDICTED_SAMPLES; i++) {
      const t = t1 > t0 ? t0 + ((t1 - t0) * i) / (PREDICTED_SAMPLES - 1) : t0;
      const d = pr.d0 * Math.pow(pr.rate, t - t0);
      const lg = Math.log10(d);
      if (loggable(d) && lg >= logLo && lg <= logHi) {
        predicted.push({ name: pr.name, step: t, distance: d, kind: DISTANCE_KINDS.predicted });
      }
      if (t1 <= t0) break;
    }
  }

  const names = unique([...measured.map((p) => p.name), ...predicted.map((p) => p.name)]);
  const colors = names.map((_, i) => PALETTE[i % PALETTE.length]);
  const color = { field: "name", type: "nominal", title: "series", ...categorical(names, PALETTE) };
  // Predicted lines: the series' hue, darker, so the dashes stay visible where they run along the measured line.
  const darkColor = {
    field: "name",
    type: "nominal",
    ...categorical(
      names,
      colors.map((c) => shade(c, 0.45)),
    ),
    legend: null,
  };
  const x = { field: "step", type: "quantitative", title: "step t", scale: { nice: false, zero: false } };
  const decades = decadeTicks([...measured, ...predicted].map((p) => p.distance));
  const y = {
    field: "distance",
    type: "quantitative",
    title: "‖ω_t − ω*‖",
    scale: { type: "log", ...(decades ? { domain: decades.domain, nice: false } : {}) },
    axis: { format: ".0e", grid: true, ...(decades ? { values: decades.values } : {}) },
  };
  const hasPredicted = predicted.length > 0;
  const dash = {
    field: "kind",
    type: "nominal",
    title: "line",
    scale: {
      domain: [DISTANCE_KINDS.measured, DISTANCE_KINDS.predicted],
      range: [
        [1, 0],
        [6, 4],
      ],
    },
    legend: hasPredicted ? { symbolStrokeColor: "#555", symbolStrokeWidth: 2 } : null,
  };
  const order = { field: "step", type: "quantitative" };

  const layers: VlSpec[] = [
    {
      data: { values: measured },
      mark: { type: "line", strokeWidth: 2.5, opacity: 0.85, clip: true },
      encoding: { x, y, color, strokeDash: dash, order },
    },
  ];
  if (hasPredicted) {
    layers.push({
      data: { values: predicted },
      mark: { type: "line", strokeWidth: 1.8, opacity: 1, clip: true },
      encoding: { x, y, color: darkColor, strokeDash: dash, order },
    });
  }

  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: input.title },
    width,
    height,
    config: THEME,
    layer: layers,
    resolve: { scale: { color: "independent" } },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Eigenvalues in the complex plane
// ---------------------------------------------------------------------------------------------------------

/** A complex number. */
export interface Complex {
  re: number;
  im: number;
}

/** Input of `eigenPlot`. */
export interface EigenPlotInput extends PlotSize {
  /** One group per method/operator, e.g. { name: extragradientMethod.name, eigenvalues: [...] }. */
  groups: readonly { name: string; eigenvalues: readonly Complex[] }[];
  title: string;
  /** Draw the unit circle (for update operators: all eigenvalues inside ⇒ local linear convergence). */
  unitCircle: boolean;
}

/** Points used to draw the unit circle. */
const CIRCLE_POINTS = 200;

/** Symbols cycled through by group, so overlapping groups stay distinguishable in grey-scale print. */
const GROUP_SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down"];

/**
 * Eigenvalues as points in the complex plane (x = Re λ, y = Im λ), coloured and shaped by group, with equal
 * aspect (one unit is as long on both axes, so the unit circle is round), axes through 0, and the unit circle
 * dashed when `unitCircle` is true.
 */
export function eigenPlot(input: EigenPlotInput): VlSpec {
  const width = input.width ?? DEFAULT_WIDTH;
  const height = input.height ?? DEFAULT_HEIGHT;
  const points = input.groups.flatMap((g) =>
    g.eigenvalues
      .filter((z) => Number.isFinite(z.re) && Number.isFinite(z.im))
      .map((z) => ({ group: g.name, re: z.re, im: z.im, modulus: Math.hypot(z.re, z.im) })),
  );
  const circle = input.unitCircle
    ? Array.from({ length: CIRCLE_POINTS + 1 }, (_, i) => {
        const a = (2 * Math.PI * i) / CIRCLE_POINTS;
        return { i, re: Math.cos(a), im: Math.sin(a) };
      })
    : [];

  // Equal aspect: the data box (points, circle, origin) padded, then widened along one axis to the view ratio.
  const reExt = extent([0, ...points.map((p) => p.re), ...circle.map((c) => c.re)]) ?? [-1, 1];
  const imExt = extent([0, ...points.map((p) => p.im), ...circle.map((c) => c.im)]) ?? [-1, 1];
  const cx = (reExt[0] + reExt[1]) / 2;
  const cy = (imExt[0] + imExt[1]) / 2;
  let hx = halfRange(reExt) * 1.12;
  let hy = halfRange(imExt) * 1.12;
  if (hx / hy < width / height) hx = (hy * width) / height;
  else hy = (hx * height) / width;
  const xDomain = [cx - hx, cx + hx];
  const yDomain = [cy - hy, cy + hy];

  const x = {
    field: "re",
    type: "quantitative",
    title: "Re λ",
    scale: { domain: xDomain, nice: false, zero: false },
  };
  const y = {
    field: "im",
    type: "quantitative",
    title: "Im λ",
    scale: { domain: yDomain, nice: false, zero: false },
  };
  const names = unique(input.groups.map((g) => g.name));

  const layers: VlSpec[] = [
    {
      data: { values: [{ re: 0 }] },
      mark: { type: "rule", color: "#999", strokeWidth: 1 },
      encoding: { x: { field: "re", type: "quantitative" } },
    },
    {
      data: { values: [{ im: 0 }] },
      mark: { type: "rule", color: "#999", strokeWidth: 1 },
      encoding: { y: { field: "im", type: "quantitative" } },
    },
  ];
  if (input.unitCircle) {
    layers.push({
      data: { values: circle },
      mark: { type: "line", color: "#333", strokeWidth: 1.5, strokeDash: [5, 3], clip: true },
      encoding: { x, y, order: { field: "i", type: "quantitative" } },
    });
  }
  layers.push({
    data: { values: points },
    mark: {
      type: "point",
      filled: true,
      size: 70,
      opacity: 0.85,
      stroke: "white",
      strokeWidth: 0.6,
      clip: true,
    },
    encoding: {
      x,
      y,
      color: {
        field: "group",
        type: "nominal",
        title: null,
        ...categorical(names, PALETTE),
      },
      shape: {
        field: "group",
        type: "nominal",
        title: null,
        ...categorical(names, GROUP_SHAPES),
      },
      tooltip: [
        { field: "group", type: "nominal" },
        { field: "re", type: "quantitative", format: ".4f" },
        { field: "im", type: "quantitative", format: ".4f" },
        { field: "modulus", type: "quantitative", format: ".4f", title: "|λ|" },
      ],
    },
  });

  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: input.unitCircle
      ? { text: input.title, subtitle: "inside the unit circle ⇒ converges locally" }
      : { text: input.title },
    width,
    height,
    config: THEME,
    layer: layers,
  };
}
