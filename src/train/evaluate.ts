/**
 * The evaluation of a GAN at one step, as `saddle train` writes it to metrics.jsonl and the lab shows it:
 * losses, mean D outputs and gradient norms on one fixed evaluation batch, mode metrics of the generated
 * samples (2-D mixtures), and the Purdue lecture's equilibrium diagnostics (minimax / non-saturating). With
 * replicas R > 1: one row per live replica and their means.
 */
import type { Dataset } from "../data/dataset.ts";
import { isImageDataset } from "../data/images.ts";
import { keyFor } from "../engine/rng.ts";
import type { Joint } from "../games/game.ts";
import type { GanEvaluation } from "../games/gan.ts";
import { equilibriumDiagnostics } from "../metrics/equilibrium-diagnostics.ts";
import { modeMetrics } from "../metrics/modes.ts";
import type { MlpParams } from "../models/mlp.ts";
import { isProbabilityObjective } from "../objectives/registry.ts";
import type { ExperimentSpec } from "../spec/experiment.ts";
import type { GanGame } from "./build.ts";
import type { ImageMetrics } from "./image-eval.ts";

/** Image runs add classifier IS / FID / label accuracy and the grid file (src/train/image-eval.ts). */
export interface EvalRow extends ImageMetrics, GanEvaluation {
  step: number;
  modesCovered?: number;
  modes?: number;
  highQuality?: number;
  reverseKL?: number;
  lossDMinus2Log2?: number;
  lossGMinusLog2?: number;
  /**
   * Proximal training: V_λ^prox(G, D) and V(G, D) on one training-size batch (V_λ^prox ≥ V when the inner
   * ascent improves on D̃ = D), ‖D − D̃*‖² and the inner solver's residual ‖∇_D̃(V − λ‖D − D̃‖²)‖ at D̃*
   * (how well the inner maximisation was solved).
   */
  proxValue?: number;
  proxBase?: number;
  proxSqDist?: number;
  proxResidual?: number;
  wallSeconds: number;
  /** With --replicas R > 1: each live replica's row (the fields above are their means). */
  replicas?: ReplicaRow[];
}

export type ReplicaRow = Omit<EvalRow, "replicas" | "wallSeconds" | "step"> & { replica: number };

/** Everything needed to draw and score the generator at one moment (replica `replica`'s samples). */
export interface Snapshot {
  fake: number[][];
  row: EvalRow;
  replica: number;
}

function scoreRow(
  spec: ExperimentSpec,
  data: Dataset,
  ev: Omit<EvalRow, "step" | "wallSeconds" | "replicas">,
  fake: number[][],
): Omit<EvalRow, "step" | "wallSeconds" | "replicas"> {
  const row = { ...ev };
  if (data.modes) {
    const m = modeMetrics(fake, data.modes);
    row.modesCovered = m.modesCovered;
    row.modes = m.modes;
    row.highQuality = m.highQualityFraction;
    row.reverseKL = m.reverseKL;
  }
  if (isProbabilityObjective(spec.objective)) {
    const d = equilibriumDiagnostics(ev);
    row.lossDMinus2Log2 = d.lossDMinus2Log2;
    row.lossGMinusLog2 = d.lossGMinusLog2;
  }
  return row;
}

const NUMERIC_FIELDS = [
  "lossD",
  "lossG",
  "meanDReal",
  "meanDFake",
  "gradNormG",
  "gradNormD",
  "modesCovered",
  "modes",
  "highQuality",
  "reverseKL",
  "lossDMinus2Log2",
  "lossGMinusLog2",
] as const;

/**
 * Evaluate at step t with a fixed evaluation key (the same latent batch at every evaluation): losses of the
 * pair w, samples of `sampler` (G's parameters to draw from: w[0], or its moving average); borrows both.
 */
export function evaluateAt(
  game: GanGame,
  data: Dataset,
  spec: ExperimentSpec,
  w: Joint,
  step: number,
  wallSeconds: number,
  live: readonly boolean[] = [true],
  sampler: MlpParams = w[0] as MlpParams,
): Snapshot {
  // image data: losses on one training batch; samples are scored by src/train/image-eval.ts instead
  const image = isImageDataset(data);
  const n = image ? spec.batch : Math.min(spec.evalSamples, 4096);
  if (game.replicas === 1) {
    const ev = game.evaluate(w, keyFor(spec.seed, "data"), n);
    const fake = image
      ? []
      : (game.generate(sampler, keyFor(spec.seed, "data"), spec.evalSamples).js() as number[][]);
    return { fake, row: { step, ...scoreRow(spec, data, ev, fake), wallSeconds }, replica: 0 };
  }
  const evs = game.evaluateReplicas(w, keyFor(spec.seed, "data"), n);
  const fakes = game.generate(sampler, keyFor(spec.seed, "data"), spec.evalSamples).js() as number[][][];
  const rows: ReplicaRow[] = [];
  evs.forEach((ev, r) => {
    if (live[r]) rows.push({ replica: r, ...scoreRow(spec, data, ev, fakes[r]) });
  });
  const mean = {} as Record<(typeof NUMERIC_FIELDS)[number], number>;
  for (const k of NUMERIC_FIELDS) {
    const xs = rows.map((x) => x[k]).filter((v): v is number => typeof v === "number");
    if (xs.length > 0) mean[k] = xs.reduce((a, b) => a + b, 0) / xs.length;
  }
  const first = rows[0]?.replica ?? 0;
  return {
    fake: fakes[first],
    row: { step, ...(mean as Omit<EvalRow, "step" | "wallSeconds">), wallSeconds, replicas: rows },
    replica: first,
  };
}
