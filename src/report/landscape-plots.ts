/**
 * Vega-Lite spec of the path-angle figure of Berard et al. (ICLR 2020, Figs. 4–6), from plain numbers: along
 * ω_α = (1 − α)ω_A + αω_B, the cosine between v(ω_α) and ω_A − ω_B (top), ‖v(ω_α)‖ on a log scale (middle) and
 * both players' losses (bottom), with dashed rules at α = 0 and α = 1 (the two checkpoints) and at cos = 0.
 * (The eigenvalue pictures reuse `eigenPlot` of plots.ts.)
 */
import type { PathPoint } from "../analysis/path-angle.ts";
import { DEFAULT_WIDTH, type VlSpec } from "./plots.ts";

export interface PathAnglePlotInput {
  points: readonly PathPoint[];
  title: string;
  players: readonly [string, string];
  width?: number;
}

export function pathAnglePlot(input: PathAnglePlotInput): VlSpec {
  const width = input.width ?? DEFAULT_WIDTH;
  const rows = input.points.map((p) => ({
    alpha: p.alpha,
    cos: p.cos,
    norm: p.fieldNorm,
    [`loss ${input.players[0]}`]: p.losses[0],
    [`loss ${input.players[1]}`]: p.losses[1],
  }));
  const x = { field: "alpha", type: "quantitative", title: "α  (ω_α = (1 − α)ω_A + αω_B)" };
  const marks = {
    data: { values: [{ alpha: 0 }, { alpha: 1 }] },
    mark: { type: "rule", color: "#555", strokeDash: [4, 3] },
    encoding: { x: { field: "alpha", type: "quantitative" } },
  };
  const panel = (layers: VlSpec[], height: number): VlSpec => ({ width, height, layer: [...layers, marks] });
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: input.title,
      subtitle: "path-angle cos ∠(v(ω_α), ω_A − ω_B), ‖v‖ and the losses on one fixed batch",
    },
    data: { values: rows },
    config: { font: "DejaVu Sans, Helvetica, Arial, sans-serif", background: "white", padding: 12 },
    vconcat: [
      panel(
        [
          {
            mark: { type: "line", color: "#e45756" },
            encoding: { x, y: { field: "cos", type: "quantitative", title: "path-angle (cos)" } },
          },
          {
            data: { values: [{ y: 0 }] },
            mark: { type: "rule", color: "#999" },
            encoding: { y: { field: "y", type: "quantitative" } },
          },
        ],
        200,
      ),
      panel(
        [
          {
            mark: { type: "line", color: "#4c78a8" },
            encoding: {
              x,
              y: { field: "norm", type: "quantitative", scale: { type: "log" }, title: "‖v(ω_α)‖" },
            },
          },
        ],
        140,
      ),
      panel(
        [
          {
            transform: [
              { fold: [`loss ${input.players[0]}`, `loss ${input.players[1]}`], as: ["loss", "value"] },
            ],
            mark: { type: "line" },
            encoding: {
              x,
              y: { field: "value", type: "quantitative", title: "loss" },
              color: { field: "loss", type: "nominal", title: null },
            },
          },
        ],
        140,
      ),
    ],
  };
}
