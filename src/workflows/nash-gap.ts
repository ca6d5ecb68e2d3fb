/**
 * Farnia & Ozdaglar's experiment on a trained GAN (seed slides "Realizability in Standard GANs": "Fix the
 * trained D and keep optimizing G", and "Proximal Equilibrium in Standard GANs": "Fix the final trained D
 * and optimize V_λ^prox(G, D)"). From a run directory's latest checkpoint:
 *
 * - G-phase: D fixed, K steps of G's own base update (the run's optimizer and lrG) on L_G; report L_G
 *   before/after (on the run's fixed evaluation batch) and the mode metrics before/after;
 * - D-phase: G fixed, K steps of D on L_D; report L_D before/after;
 * - with `prox` λ: the G-phase again on the proximal game (src/equilibria/proximal.ts, Euclidean norm),
 *   reporting V_λ^prox before/after.
 *
 * The per-player descent is src/analysis/fixed-opponent.ts; this module is the run-directory workflow around it.
 * At a (local) Nash equilibrium neither player's loss improves; a large drop of L_G with D fixed says the
 * trained point is not one (the seed's observation for standard GANs).
 */
import { tree } from "@jax-js/jax";
import { optimizePlayer } from "../analysis/fixed-opponent.ts";
import { datasetFor } from "../data/registry.ts";
import { keyFor } from "../engine/rng.ts";
import * as T from "../engine/tree.ts";
import { checkLambda, proximalGame, type ProximalGame } from "../equilibria/proximal.ts";
import type { Joint } from "../games/game.ts";
import type { MlpParams } from "../models/mlp.ts";
import { baseUpdate } from "../methods/registry.ts";
import { RunDir } from "../runs/run-dir.ts";
import { loadTree } from "../runs/serialize.ts";
import { methodSpecOf } from "../spec/experiment.ts";
import { buildGame } from "../train/build.ts";
import { evaluateAt } from "../train/trainer.ts";
import { UsageError } from "../engine/errors.ts";

export interface PhaseReport {
  /** Which player moved. */
  player: "G" | "D";
  /** Its own loss before and after K steps (the fixed evaluation batch). */
  before: number;
  after: number;
  improvement: number;
}

export interface ModeSnapshot {
  modesCovered?: number;
  modes?: number;
  highQuality?: number;
  reverseKL?: number;
}

export interface NashGapReport {
  runDir: string;
  step: number;
  steps: number;
  lrG: number;
  lrD: number;
  optimizer: string;
  G: PhaseReport;
  D: PhaseReport;
  modesBefore: ModeSnapshot;
  modesAfterG: ModeSnapshot;
  prox?: PhaseReport & { lambda: number; innerResidual: number; modesAfter: ModeSnapshot };
  seconds: number;
}

export interface NashGapOptions {
  steps: number;
  prox?: number;
  /** Overrides the run's lrG / lrD. */
  lr?: number;
}

const modesOf = (row: ModeSnapshot): ModeSnapshot => ({
  modesCovered: row.modesCovered,
  modes: row.modes,
  highQuality: row.highQuality,
  reverseKL: row.reverseKL,
});

export async function nashGapOfRun(runDir: string, opts: NashGapOptions): Promise<NashGapReport> {
  const t0 = performance.now();
  if (!Number.isInteger(opts.steps) || opts.steps < 1)
    throw new UsageError(`--steps: '${opts.steps}' must be an integer ≥ 1`);
  if (opts.prox !== undefined) checkLambda(opts.prox);
  const { run, spec } = RunDir.open(runDir, "--nash-gap");
  if (spec.replicas > 1)
    throw new UsageError(`--nash-gap: '${runDir}' has ${spec.replicas} replicas; only 1 is supported`);
  const data = datasetFor(spec.data);
  const game = buildGame(spec, data);
  const ck = run.readLatestCheckpoint();
  const w0 = loadTree(game.init(), ck.params) as Joint;
  const mspec = methodSpecOf(spec);
  if (opts.lr !== undefined) mspec.lr = [opts.lr, opts.lr];
  const evalKey = () => keyFor(spec.seed, "data");
  const n = Math.min(spec.evalSamples, 4096);
  const losses = (w: Joint) => game.evaluate(w, evalKey(), n);
  const modes = (w: Joint) => modesOf(evaluateAt(game, data, spec, w, ck.step, 0).row);

  const e0 = losses(w0);
  const modesBefore = modes(w0);
  const wG = optimizePlayer(game, 0, T.ref(w0), opts.steps, baseUpdate(game, mspec, 0), spec.seed);
  const eG = losses(wG);
  const modesAfterG = modes(wG);
  T.dispose(wG);
  const wD = optimizePlayer(game, 1, T.ref(w0), opts.steps, baseUpdate(game, mspec, 1), spec.seed);
  const eD = losses(wD);
  T.dispose(wD);
  const phase = (player: "G" | "D", before: number, after: number): PhaseReport => ({
    player,
    before,
    after,
    improvement: before - after,
  });
  const report: NashGapReport = {
    runDir,
    step: ck.step,
    steps: opts.steps,
    lrG: mspec.lr[0],
    lrD: mspec.lr[1],
    optimizer: spec.optimizer,
    G: phase("G", e0.lossG, eG.lossG),
    D: phase("D", e0.lossD, eD.lossD),
    modesBefore,
    modesAfterG,
    seconds: 0,
  };
  if (opts.prox !== undefined) {
    const pg: ProximalGame = proximalGame(game, {
      lambda: opts.prox,
      innerSteps: 10,
      innerLr: mspec.lr[1] * 10,
    });
    const before = pg.proxSolve(w0, evalKey());
    tree.dispose(before.dTilde);
    const wP = optimizePlayer(pg, 0, T.ref(w0), opts.steps, baseUpdate(game, mspec, 0), spec.seed);
    const after = pg.proxSolve(wP, evalKey());
    tree.dispose(after.dTilde);
    report.prox = {
      ...phase("G", before.value, after.value),
      lambda: opts.prox,
      innerResidual: after.residual,
      modesAfter: modes(wP),
    };
    T.dispose(wP);
  }
  T.dispose(w0 as [MlpParams, MlpParams]);
  report.seconds = (performance.now() - t0) / 1000;
  return report;
}
