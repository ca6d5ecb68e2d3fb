/**
 * The picture of a 2-D GAN run (samples.png): real points and generated points over the discriminator's
 * output as a heat map, with the mixture's modes marked — where the lectures show mode collapse.
 */
import type { VlSpec } from "./render.ts";

export interface HeatCell {
  x: number;
  y: number;
  /** Half the cell size, for the rectangle's extent. */
  h: number;
  value: number;
}

export interface SamplesPlotInput {
  real: number[][];
  fake: number[][];
  heat: HeatCell[];
  /** Legend title of the heat map, e.g. "D(x) = σ(logit)" or "critic f(x)". */
  heatLabel: string;
  modes?: number[][];
  title: string;
  subtitle?: string;
  width?: number;
  height?: number;
}

const MAX_POINTS = 2500;

export function samplesPlot(input: SamplesPlotInput): VlSpec {
  const pts = (rows: number[][], kind: string) =>
    rows
      .slice(0, MAX_POINTS)
      .filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]))
      .map((p) => ({ x: p[0], y: p[1], kind }));
  const heatAll = input.heat
    .filter((c) => Number.isFinite(c.value))
    .map((c) => ({ x: c.x - c.h, x2: c.x + c.h, y: c.y - c.h, y2: c.y + c.h, value: c.value }));
  const heat = heatAll;
  const xs = heat.flatMap((c) => [c.x, c.x2]);
  const ys = heat.flatMap((c) => [c.y, c.y2]);
  const dom = (a: number[]): [number, number] => [Math.min(...a), Math.max(...a)];
  // Points outside the drawn area are left out (far-off points would also overflow the renderer).
  const [x0, x1] = dom(xs);
  const [y0, y1] = dom(ys);
  const inside = (p: { x: number; y: number }) => p.x >= x0 && p.x <= x1 && p.y >= y0 && p.y <= y1;
  const realPts = pts(input.real, "real").filter(inside);
  const fakePts = pts(input.fake, "generated");
  const fakeInside = fakePts.filter(inside);
  const outside = fakePts.length - fakeInside.length;
  const x = {
    field: "x",
    type: "quantitative",
    scale: { domain: dom(xs), nice: false, zero: false },
    title: "x₁",
  };
  const y = {
    field: "y",
    type: "quantitative",
    scale: { domain: dom(ys), nice: false, zero: false },
    title: "x₂",
  };
  const layers: VlSpec[] = [
    {
      data: { values: heat },
      mark: { type: "rect", opacity: 0.9 },
      encoding: {
        x,
        x2: { field: "x2" },
        y,
        y2: { field: "y2" },
        color: { field: "value", type: "quantitative", title: input.heatLabel, scale: { scheme: "blues" } },
      },
    },
    {
      data: { values: [...realPts, ...fakeInside] },
      mark: { type: "circle", size: 9, opacity: 0.65 },
      encoding: {
        x,
        y,
        color: {
          field: "kind",
          type: "nominal",
          title: "points",
          scale: { domain: ["real", "generated"], range: ["#222222", "#f58518"] },
        },
      },
    },
  ];
  if (input.modes && input.modes.length > 0) {
    layers.push({
      data: { values: input.modes.map((m) => ({ x: m[0], y: m[1] })) },
      mark: { type: "point", shape: "cross", size: 60, color: "#d62728", strokeWidth: 1.5 },
      encoding: { x, y },
    });
  }
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: input.title,
      subtitle: [
        input.subtitle,
        outside > 0 ? `${outside} generated points lie outside the area shown` : undefined,
      ]
        .filter((s): s is string => s !== undefined)
        .join(" · "),
    },
    width: input.width ?? 480,
    height: input.height ?? 480,
    layer: layers,
    resolve: { scale: { color: "independent" } },
    config: {
      font: "DejaVu Sans, Helvetica, Arial, sans-serif",
      background: "white",
      padding: 12,
      title: {
        fontSize: 16,
        fontWeight: "bold",
        anchor: "start",
        subtitleFontSize: 12,
        subtitleColor: "#555",
      },
      axis: { labelFontSize: 12, titleFontSize: 13, gridColor: "#e6e6e6" },
      legend: { labelFontSize: 12, titleFontSize: 12 },
    },
  };
}
