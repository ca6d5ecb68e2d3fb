/** samples.png of a 2-D GAN run: real vs generated points over the discriminator's output (heat map). */
import { numpy as np, type Array as JArray } from "@jax-js/jax";
import type { Dataset } from "../data/dataset.ts";
import { dtypeOf } from "../engine/device.ts";
import type { Joint } from "../games/game.ts";
import type { MlpParams } from "../models/mlp.ts";
import { writePlot } from "../report/render.ts";
import { samplesPlot, type HeatCell } from "../report/samples-plot.ts";
import type { ExperimentSpec } from "../spec/experiment.ts";
import type { GanGame } from "./build.ts";
import type { Snapshot } from "./trainer.ts";

const GRID = 60;

/** D on a GRID×GRID lattice covering the real and generated points; borrows w. */
export function discriminatorHeat(game: GanGame, w: Joint, points: number[][], replica = 0): HeatCell[] {
  // The area: the real data's extent, widened to hold the generated points up to 3× that extent.
  const xs = points.map((p) => p[0]).filter((v) => Number.isFinite(v) && Math.abs(v) < 1e3);
  const ys = points.map((p) => p[1]).filter((v) => Number.isFinite(v) && Math.abs(v) < 1e3);
  const lo = Math.min(...xs, ...ys);
  const hi = Math.max(...xs, ...ys);
  const pad = Math.max(0.1 * (hi - lo), 0.5);
  const [a, b] = [Math.max(lo - pad, -1e3), Math.min(hi + pad, 1e3)];
  const step = (b - a) / (GRID - 1);
  const cells: number[][] = [];
  for (let i = 0; i < GRID; i++) for (let j = 0; j < GRID; j++) cells.push([a + i * step, a + j * step]);
  const out = game.discriminate(w[1] as MlpParams, np.array(cells, { dtype: dtypeOf(game.dtype) }));
  // A replicated D answers [R, n, 1]: take `replica`'s block.
  const all = (out as JArray).dataSync() as ArrayLike<number>;
  const raw = Array.from({ length: cells.length }, (_, k) => all[replica * cells.length + k]);
  const prob = game.objective.output === "probability";
  return cells.map((c, k) => ({
    x: c[0],
    y: c[1],
    h: step / 2,
    value: prob ? 1 / (1 + Math.exp(-raw[k])) : raw[k],
  }));
}

/**
 * The picture of generated points `fake` (replica `replica`'s) against `realCount` real points over D's
 * heat map (w[1]), modes marked; borrows w.
 */
export async function renderSamplesPlot(
  file: string,
  game: GanGame,
  w: Joint,
  data: Dataset,
  fake: number[][],
  o: { replica: number; realCount: number; title: string; subtitle: string },
): Promise<void> {
  const real = data.preview(o.realCount);
  await writePlot(
    file,
    samplesPlot({
      real,
      fake,
      heat: discriminatorHeat(game, w, [...real, ...fake], o.replica),
      heatLabel: game.objective.output === "probability" ? "D(x) = σ(logit)" : "critic D(x)",
      modes: data.modes?.centers,
      title: o.title,
      subtitle: o.subtitle,
    }),
  );
}

/** A run's samples.png at the snapshot's step. */
export async function writeSamplesPlot(
  file: string,
  game: GanGame,
  w: Joint,
  data: Dataset,
  snap: Snapshot,
  spec: ExperimentSpec,
): Promise<void> {
  const r = snap.row;
  const stats =
    r.modesCovered !== undefined
      ? modeStats({
          modesCovered: r.modesCovered,
          modes: r.modes ?? 0,
          highQuality: r.highQuality ?? 0,
          reverseKL: r.reverseKL ?? NaN,
        })
      : `lossD ${r.lossD.toFixed(3)}, lossG ${r.lossG.toFixed(3)}`;
  await renderSamplesPlot(file, game, w, data, snap.fake, {
    replica: snap.replica,
    realCount: spec.evalSamples,
    title: `${data.name} · ${spec.objective} · ${spec.method.name}, step ${r.step}${game.replicas > 1 ? ` (replica ${snap.replica} of ${game.replicas})` : ""}`,
    subtitle: stats,
  });
}

/** "modes 7/8, 93.1% high quality, reverse KL 0.012": a subtitle of the mode metrics. */
export function modeStats(m: {
  modesCovered: number;
  modes: number;
  highQuality: number;
  reverseKL: number;
}): string {
  return `modes ${m.modesCovered}/${m.modes}, ${(100 * m.highQuality).toFixed(1)}% high quality, reverse KL ${m.reverseKL.toFixed(3)}`;
}
