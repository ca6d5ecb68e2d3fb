/**
 * Samples of the flow −v(ω) on a grid, for drawing a 2-parameter game's vector field under a trajectory
 * (Mitliagkas: "Rotational dynamics" pictures).
 */
import { jit, numpy as np, type Array as JArray } from "@jax-js/jax";
import { flatVectorField } from "../analysis/jacobian.ts";
import { dtypeOf } from "../engine/device.ts";
import * as J from "../engine/joint.ts";
import type { Game } from "../games/game.ts";

export interface FieldSample {
  x: number;
  y: number;
  u: number;
  v: number;
}

export interface Box {
  x: [number, number];
  y: [number, number];
}

/** A square-ish box around the points, with a margin, never degenerate. */
export function boxAround(points: number[][], margin = 0.15): Box {
  const xs = points.map((p) => p[0]).filter(Number.isFinite);
  const ys = points.map((p) => p[1]).filter(Number.isFinite);
  const span = (a: number[]): [number, number] => {
    const lo = Math.min(...a, 0);
    const hi = Math.max(...a, 0);
    const pad = Math.max((hi - lo) * margin, 0.25);
    return [lo - pad, hi + pad];
  };
  return { x: span(xs), y: span(ys) };
}

/** −v on an n×n grid over `box`; the game must have one scalar per player. */
export function sampleField(game: Game, box: Box, n = 17): FieldSample[] {
  const w0 = game.init();
  const layout = J.layoutOf(w0);
  J.toFloat64(w0);
  if (layout.sizes[0] !== 1 || layout.sizes[1] !== 1) {
    throw new Error("sampleField: needs a game with one parameter per player");
  }
  const f = jit(flatVectorField(game, layout));
  const dt = dtypeOf(game.dtype);
  const out: FieldSample[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const x = box.x[0] + ((box.x[1] - box.x[0]) * i) / (n - 1);
      const y = box.y[0] + ((box.y[1] - box.y[0]) * j) / (n - 1);
      const v = (f(np.array([x, y], { dtype: dt })) as JArray).dataSync() as ArrayLike<number>;
      out.push({ x, y, u: -v[0], v: -v[1] });
    }
  }
  f.dispose();
  return out;
}
