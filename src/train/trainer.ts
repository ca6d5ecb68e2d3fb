/**
 * The GAN training loop behind `saddle train`: a TrainingSession (src/train/session.ts: one method step per
 * iteration with the same Method objects as the smooth games, the key chain, the EMA, the divergence check
 * and the evaluation cadence) inside a run directory: metrics.jsonl rows every `evalEvery` steps (plus image
 * metrics for image data), atomic checkpoints every `checkpointEvery` steps, and exact resume: the
 * parameters, the method's state and the key chain are saved bit for bit, so a resumed run equals an
 * uninterrupted one on wasm.
 *
 * With `ema` β > 0 the samples, grids and sample metrics (modes, IS, FID) come from an exponential moving
 * average of G's parameters (src/train/ema.ts), checkpointed with the rest; losses and gradient norms stay
 * those of the trained pair.
 *
 * Divergence is a result: the first step whose parameters are not finite ends the run as "diverged" with
 * the step and the player, and the run directory is kept.
 */
import { toHost } from "../engine/host.ts";
import { random } from "@jax-js/jax";
import * as T from "../engine/tree.ts";
import type { Dataset } from "../data/dataset.ts";
import type { Joint } from "../games/game.ts";
import type { MlpParams } from "../models/mlp.ts";
import { upgradeStateRecords } from "../runs/legacy-state.ts";
import { loadTree, saveTree } from "../runs/serialize.ts";
import type { Checkpoint, RunDir } from "../runs/run-dir.ts";
import type { ExperimentSpec } from "../spec/experiment.ts";
import { buildTraining, type GanGame, type Training } from "./build.ts";
import { isImageDataset } from "../data/images.ts";
import { type EvalRow, type Snapshot } from "./evaluate.ts";
import { ImageEvaluator } from "./image-eval.ts";
import { TrainingSession, type SessionStart } from "./session.ts";

export { evaluateAt, type EvalRow, type ReplicaRow, type Snapshot } from "./evaluate.ts";

export type RunStatus = "completed" | "interrupted" | "diverged";

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
  const training = hooks.training ?? buildTraining(spec, data);
  const { game, method } = training;
  const threaded = (hooks.threads ?? 1) > 1;
  const imageEval = isImageDataset(data) ? new ImageEvaluator(spec, data, game) : null;
  let start: SessionStart | undefined;
  let wallBefore = 0;
  if (resume) {
    const ck = run.readLatestCheckpoint();
    const { w, gAvg } = restorePlayers(game, spec, ck);
    const template = method.init(w, random.key(0));
    const s = loadTree(template, upgradeStateRecords(template, ck.state, spec.betas));
    start = { w, s, gAvg, noise: loadTree(random.key(0), ck.noise), step: ck.step };
    wallBefore = ck.wallSeconds;
    run.truncateMetrics(ck.step);
  }
  const session = new TrainingSession(spec, data, { training, start });
  const t0 = performance.now();
  const wall = () => wallBefore + (performance.now() - t0) / 1000;
  const checkpoint = async (step: number) => {
    const host = await session.hostState();
    const { w, s, noise, gAvg } = host.state;
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
    host.release();
  };
  let last: EvalRow | null = null;
  let snapshot: Snapshot | null = null;
  let status: RunStatus = "completed";
  if (resume && session.step >= spec.steps) {
    // Resumed at its last step (e.g. stopped between its final checkpoint and its summary): the result is the
    // last recorded evaluation; the snapshot (same evaluation key) redraws the samples plot.
    const rows = run.readMetrics();
    last = (rows[rows.length - 1] as unknown as EvalRow | undefined) ?? null;
    if (!isImageDataset(data)) snapshot = await session.evaluateAsync(wallBefore);
  }
  while (session.step < spec.steps) {
    const ok = await session.advance(threaded);
    const t = session.step;
    if (!ok) {
      status = "diverged";
      break;
    }
    if (session.evalDue) {
      snapshot = await session.evaluateAsync(wall(), (snap, players) => {
        if (imageEval) Object.assign(snap.row, imageEval.evaluate(run, [players.sampler, players.w[1]], t));
      });
      last = snapshot.row;
      run.appendMetrics(last);
      hooks.onEval?.(last);
    }
    if (t % spec.checkpointEvery === 0 || t === spec.steps) await checkpoint(t);
    hooks.onStep?.(t, last);
    // Yield to the event loop so that Ctrl-C (SIGINT) and timers are handled during long runs.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (t < spec.steps && hooks.shouldStop?.()) {
      await checkpoint(t);
      status = "interrupted";
      break;
    }
  }
  const t = session.step;
  const { divergence } = session;
  const replicaInfo = game.replicas > 1 ? { divergedReplicas: session.divergedReplicas } : {};
  const kept = session.dispose(status !== "diverged");
  const w = kept ? await toHost(kept) : null; // wasm copies on WebGPU in Node: the caller draws from them
  return { status, step: t, divergence, ...replicaInfo, last, wallSeconds: wall(), snapshot, game, w };
}
