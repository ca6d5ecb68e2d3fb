/**
 * The GAN training loop behind `saddle train`: one method step per iteration (the same Method objects as
 * the smooth games; no GAN-only copy), evaluation every `evalEvery` steps (losses, mean D outputs,
 * gradient norms, mode metrics, the Purdue lecture's equilibrium diagnostics), atomic checkpoints every
 * `checkpointEvery` steps, and exact resume: the parameters, the method's state and the key chain are saved
 * bit for bit, so a resumed run equals an uninterrupted one on wasm.
 *
 * With `ema` β > 0 the samples, grids and sample metrics (modes, IS, FID) come from an exponential moving
 * average of G's parameters (src/train/ema.ts), checkpointed with the rest; losses and gradient norms stay
 * those of the trained pair.
 *
 * Divergence is a result: the first step whose parameters are not finite ends the run as "diverged" with
 * the step and the player, and the run directory is kept.
 */
import { random, tree, type Array as JArray } from "@jax-js/jax";
import { keyFor, splitNext } from "../engine/rng.ts";
import * as T from "../engine/tree.ts";
import type { Dataset } from "../data/dataset.ts";
import type { Joint } from "../games/game.ts";
import type { MlpParams } from "../models/mlp.ts";
import type { MethodState } from "../methods/method.ts";
import { equilibriumDiagnostics } from "../metrics/equilibrium-diagnostics.ts";
import { modeMetrics } from "../metrics/modes.ts";
import { loadTree, saveTree } from "../runs/serialize.ts";
import type { Checkpoint, RunDir } from "../runs/run-dir.ts";
import type { ExperimentSpec } from "../spec/experiment.ts";
import { buildTraining, type GanGame, type Training } from "./build.ts";
import { isImageDataset } from "../data/images.ts";
import { emaStep } from "./ema.ts";
import { stepDigest } from "./step-digest.ts";
import { ImageEvaluator, type ImageMetrics } from "./image-eval.ts";

export type RunStatus = "completed" | "interrupted" | "diverged";

/** Image runs add classifier IS / FID / label accuracy and the grid file (src/train/image-eval.ts). */
export interface EvalRow extends ImageMetrics {
  step: number;
  lossD: number;
  lossG: number;
  meanDReal: number;
  meanDFake: number;
  gradNormG: number;
  gradNormD: number;
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

export interface TrainResult {
  status: RunStatus;
  step: number;
  /** The first non-finite step and player (of any replica). */
  divergence: { step: number; player: string } | null;
  /** With replicas: every replica that diverged (the others train on). */
  divergedReplicas?: { replica: number; step: number; player: string }[];
  last: EvalRow | null;
  wallSeconds: number;
}

export interface TrainHooks {
  /** Checked after every step: true ends the run with a checkpoint and status "interrupted". */
  shouldStop?: () => boolean;
  onStep?: (step: number, last: EvalRow | null) => void;
  onEval?: (row: EvalRow) => void;
  /** wasm threads (src/engine/wasm-threads.ts): > 1 realises each step asynchronously on the worker pool. */
  threads?: number;
  /** The game and method already built from `spec` (by `buildTraining`), e.g. to check the game first. */
  training?: Training;
}

/** Everything needed to draw and score the generator at one moment (replica `replica`'s samples). */
export interface Snapshot {
  fake: number[][];
  row: EvalRow;
  replica: number;
}

/** ‖G‖², ‖D‖² of each replica (one number each when R = 1) from the totals `all`; borrows w. */
function squaredNorms(game: GanGame, w: Joint, all: [number, number]): [number, number][] {
  const one = (x: Joint): [number, number] => [
    T.sqNorm(T.ref(x[0])).dataSync()[0] as number,
    T.sqNorm(T.ref(x[1])).dataSync()[0] as number,
  ];
  if (game.replicas === 1 || (Number.isFinite(all[0]) && Number.isFinite(all[1]))) {
    return Array.from({ length: game.replicas }, () => all);
  }
  return Array.from({ length: game.replicas }, (_, r) => {
    const wr = game.replicaParams(w, r);
    const n = one(wr);
    T.dispose(wr[0]);
    T.dispose(wr[1]);
    return n;
  });
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
  if (spec.objective === "minimax" || spec.objective === "non-saturating") {
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

/**
 * The players of a checkpoint and, for a run with `ema` β > 0, Ḡ (the checkpoint's, or G itself for a
 * checkpoint written before averaging was recorded), rebuilt against `game.init()`. Throws if the
 * checkpoint's arrays do not fit the game.
 */
export function restorePlayers(
  game: GanGame,
  spec: ExperimentSpec,
  ck: Checkpoint,
): { w: Joint; gAvg: MlpParams | null } {
  const w = loadTree(game.init(), ck.params);
  if (!(spec.ema > 0)) return { w, gAvg: null };
  const gAvg = ck.ema ? loadTree(T.ref(w[0]) as MlpParams, ck.ema) : T.ref(w[0] as MlpParams);
  return { w, gAvg };
}

export async function train(
  run: RunDir,
  spec: ExperimentSpec,
  data: Dataset,
  resume: boolean,
  hooks: TrainHooks = {},
): Promise<TrainResult & { snapshot: Snapshot | null; game: GanGame; w: Joint | null }> {
  const { game, method, prox } = hooks.training ?? buildTraining(spec, data);
  const threaded = (hooks.threads ?? 1) > 1;
  const imageEval = isImageDataset(data) ? new ImageEvaluator(spec, data, game) : null;
  let w: Joint;
  let noise = keyFor(spec.seed, "noise");
  const nextKey = (): JArray => {
    const [k, step] = splitNext(noise);
    noise = k;
    return step;
  };
  let s: MethodState;
  let start = 0;
  let wallBefore = 0;
  /** Ḡ_t, the moving average of G's parameters (ema β > 0), or null. */
  let gAvg: MlpParams | null = null;
  if (resume) {
    const ck = run.readLatestCheckpoint();
    ({ w, gAvg } = restorePlayers(game, spec, ck));
    s = loadTree(method.init(w, random.key(0)), ck.state);
    noise.dispose();
    noise = loadTree(random.key(0), ck.noise);
    start = ck.step;
    wallBefore = ck.wallSeconds;
    run.truncateMetrics(start);
  } else {
    w = game.init();
    s = method.init(w, nextKey());
    if (spec.ema > 0) gAvg = T.ref(w[0] as MlpParams);
  }
  const t0 = performance.now();
  const wall = () => wallBefore + (performance.now() - t0) / 1000;
  const checkpoint = (step: number) =>
    run.writeCheckpoint(
      {
        step,
        params: saveTree(w),
        state: saveTree(s),
        noise: saveTree(noise),
        ...(gAvg ? { ema: saveTree(gAvg) } : {}),
        wallSeconds: wall(),
      },
      spec.keepCheckpoints,
    );
  let last: EvalRow | null = null;
  let snapshot: Snapshot | null = null;
  let status: RunStatus = "completed";
  let divergence: TrainResult["divergence"] = null;
  const live = new Array<boolean>(game.replicas).fill(true);
  const divergedReplicas: NonNullable<TrainResult["divergedReplicas"]> = [];
  if (resume && start >= spec.steps) {
    // Resumed at its last step (e.g. stopped between its final checkpoint and its summary): the result is the
    // last recorded evaluation; the snapshot (same evaluation key) redraws the samples plot.
    const rows = run.readMetrics();
    last = (rows[rows.length - 1] as unknown as EvalRow | undefined) ?? null;
    if (!isImageDataset(data)) {
      snapshot = evaluateAt(game, data, spec, w, start, wallBefore, live, gAvg ?? (w[0] as MlpParams));
    }
  }
  let t = start;
  while (t < spec.steps) {
    t++;
    [w, s] = method.step(w, s, nextKey());
    if (gAvg) gAvg = emaStep(gAvg, T.ref(w[0] as MlpParams), spec.ema, t);
    // Realise the step through one array (src/train/step-digest.ts); with threads, asynchronously, so that
    // jax-js's wasm worker pool runs its kernels.
    const digest = stepDigest(w, [s, gAvg ?? [], noise]);
    const norms = threaded ? await digest.data() : digest.dataSync();
    squaredNorms(game, w, [Number(norms[0]), Number(norms[1])]).forEach(([nG, nD], r) => {
      if (live[r] && (!Number.isFinite(nG) || !Number.isFinite(nD))) {
        live[r] = false;
        const player = !Number.isFinite(nG) ? "G" : "D";
        divergedReplicas.push({ replica: r, step: t, player });
        divergence ??= { step: t, player };
      }
    });
    if (!live.some((x) => x)) {
      status = "diverged";
      break;
    }
    if (t % spec.evalEvery === 0 || t === spec.steps) {
      const sampler = gAvg ?? (w[0] as MlpParams);
      snapshot = evaluateAt(game, data, spec, w, t, wall(), live, sampler);
      if (imageEval) Object.assign(snapshot.row, imageEval.evaluate(run, [sampler, w[1]], t));
      if (prox) {
        const p = prox.proxSolve(w, keyFor(spec.seed, "data"));
        tree.dispose(p.dTilde);
        snapshot.row.proxValue = p.value;
        snapshot.row.proxBase = p.base;
        snapshot.row.proxSqDist = p.sqDist;
        snapshot.row.proxResidual = p.residual;
      }
      last = snapshot.row;
      run.appendMetrics(last);
      hooks.onEval?.(last);
    }
    if (t % spec.checkpointEvery === 0 || t === spec.steps) checkpoint(t);
    hooks.onStep?.(t, last);
    // Yield to the event loop so that Ctrl-C (SIGINT) and timers are handled during long runs.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (t < spec.steps && hooks.shouldStop?.()) {
      checkpoint(t);
      status = "interrupted";
      break;
    }
  }
  noise.dispose();
  T.dispose(s);
  T.dispose(gAvg);
  const replicaInfo = game.replicas > 1 ? { divergedReplicas } : {};
  if (status === "diverged") {
    tree.dispose(w);
    return {
      status,
      step: t,
      divergence,
      ...replicaInfo,
      last,
      wallSeconds: wall(),
      snapshot,
      game,
      w: null,
    };
  }
  return { status, step: t, divergence, ...replicaInfo, last, wallSeconds: wall(), snapshot, game, w };
}
