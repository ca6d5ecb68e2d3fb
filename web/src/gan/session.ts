/**
 * A GAN training session the lab can step a few iterations at a time (no DOM): the library's
 * TrainingSession (src/train/session.ts), the one `saddle train` runs, so every spec method trains here
 * (the listed methods, proximal training, the mixed-NE methods) with the CLI's game, method, key chain,
 * divergence check and evaluation rows at every `evalEvery` step. Besides those rows it computes, in one
 * jitted call per frame, what the view draws: generated samples from a fixed latent batch, the
 * discriminator on a grid, the generator's image of a latent grid, and −∇ₓL_G at some generated points
 * (a mixed method's particle game: its mixture samples and averaged critic, no mesh or arrows); and cheap
 * live rows (losses on one batch, mode metrics of the drawn samples) for the curves.
 */
import { grad, jit, nn, numpy as np, random, tree, type Array as JArray } from "@jax-js/jax";
import { isToy2d, toy2d } from "../../../src/data/toy2d/index.ts";
import { tableDataset } from "../../../src/data/csv.ts";
import type { Dataset } from "../../../src/data/dataset.ts";
import { dtypeOf } from "../../../src/engine/device.ts";
import { UsageError } from "../../../src/engine/errors.ts";
import { keyFor } from "../../../src/engine/rng.ts";
import * as T from "../../../src/engine/tree.ts";
import { alternatingMethod } from "../../../src/methods/alternating.ts";
import type { Method, MethodState } from "../../../src/methods/method.ts";
import { createMethod } from "../../../src/methods/registry.ts";
import { equilibriumDiagnostics } from "../../../src/metrics/equilibrium-diagnostics.ts";
import { modeMetrics, type ModeMetrics } from "../../../src/metrics/modes.ts";
import { mlpApply, type MlpParams } from "../../../src/models/mlp.ts";
import { isProbabilityObjective } from "../../../src/objectives/registry.ts";
import {
  isMixed,
  methodSpecOf,
  SPEC_METHODS,
  type ExperimentSpec,
  type SpecMethod,
} from "../../../src/spec/experiment.ts";
import type { GanGame } from "../../../src/train/build.ts";
import type { EvalRow } from "../../../src/train/evaluate.ts";
import { TrainingSession, type Divergence } from "../../../src/train/session.ts";

/** The spec's method; the lab trains every method a spec may name (SPEC_METHODS). */
export function labMethod(spec: ExperimentSpec): SpecMethod {
  const name = spec.method.name;
  if (!(SPEC_METHODS as readonly string[]).includes(name)) {
    throw new UsageError(`spec: unknown method '${name}'; allowed: ${SPEC_METHODS.join(", ")}`);
  }
  return name;
}

/** The dataset a spec names: a built-in 2-D set, or the given points (drawn or uploaded, saved as spec.data). */
export function datasetOf(spec: ExperimentSpec, points: number[][] | null): Dataset {
  if (isToy2d(spec.data)) return toy2d(spec.data);
  if (!points || points.length === 0) throw new UsageError(`data '${spec.data}': no points given`);
  const dim = points[0].length;
  if (dim !== 2)
    throw new UsageError(`data '${spec.data}': the lab shows 2-D data; these points have ${dim} columns`);
  return tableDataset(spec.data, points, dim);
}

/** Parses an uploaded CSV's text (the library's parser): 2 numeric columns expected. */
export { parseCsv } from "../../../src/data/csv.ts";

export interface ViewSnapshot {
  step: number;
  /** Generated samples from the fixed latent batch, [n][2]. */
  fake: number[][];
  /** D's output on the heat-map grid, row-major (gridN × gridN, y outer), as P(real) or raw score. */
  dGrid: Float32Array;
  /** G's image of the latent grid lines: `meshLines` polylines of `meshPoints` points each. */
  mesh: number[][][];
  /** −∇ₓL_G at the first `arrows.length` generated samples. */
  arrows: number[][];
  modes: ModeMetrics | null;
  finite: boolean;
  /** L_D and L_G on one fixed batch. */
  lossD: number;
  lossG: number;
}

export interface LiveRow {
  step: number;
  lossD: number;
  lossG: number;
  modesCovered?: number;
  highQuality?: number;
}

export const GRID_N = 48;
const MESH_LINES = 9;
const MESH_POINTS = 25;
const ARROWS = 64;

/** The box that frames the data (with a margin), square. */
export function dataBox(data: Dataset): { x: [number, number]; y: [number, number] } {
  const pts = data.modes?.centers ?? data.preview(2500);
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const cx = (Math.min(...xs) + Math.max(...xs)) / 2;
  const cy = (Math.min(...ys) + Math.max(...ys)) / 2;
  const half = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys), 0.5) / 2 + 0.6;
  return { x: [cx - half, cx + half], y: [cy - half, cy + half] };
}

type ViewFn = (G: MlpParams, D: MlpParams, z: JArray, grid: JArray, mesh: JArray, key: JArray) => JArray[];

export class GanSession {
  readonly game: GanGame;
  readonly method: Method;
  readonly data: Dataset;
  readonly box: { x: [number, number]; y: [number, number] };
  /** CLI-identical evaluation rows (every spec.evalEvery steps and at spec.steps). */
  readonly rows: EvalRow[] = [];
  /** Cheap rows for the live curves. */
  readonly live: LiveRow[] = [];
  /** The training session `saddle train` also runs. */
  readonly session: TrainingSession;
  private readonly t0 = performance.now();
  private trainMs = 0;
  private readonly viewFn: ViewFn;
  private readonly z: JArray;
  private readonly gridPts: JArray;
  private readonly meshZ: JArray;
  private disposed = false;
  /** Set when a snapshot's parameters are not finite before the session noticed. */
  private viewDiverged: Divergence | null = null;
  /** Single-player steps taken by "step G alone" / "step D alone", [G, D]. */
  readonly solo: [number, number] = [0, 0];
  private soloMethods: [Method | null, Method | null] = [null, null];
  private soloStates: [MethodState | null, MethodState | null] = [null, null];

  constructor(
    readonly spec: ExperimentSpec,
    points: number[][] | null,
    readonly viewSamples = Math.min(spec.evalSamples, 2500),
  ) {
    labMethod(spec);
    this.data = datasetOf(spec, points);
    this.session = new TrainingSession(spec, this.data);
    this.game = this.session.game;
    this.method = this.session.training.method;
    this.box = dataBox(this.data);

    const dt = dtypeOf(spec.dtype);
    const k = spec.latentDim;
    this.z = random.normal(keyFor(spec.seed, "data"), [this.viewSamples, k]).astype(dt);
    const g: number[][] = [];
    for (let j = 0; j < GRID_N; j++)
      for (let i = 0; i < GRID_N; i++)
        g.push([
          this.box.x[0] + ((i + 0.5) / GRID_N) * (this.box.x[1] - this.box.x[0]),
          this.box.y[0] + ((j + 0.5) / GRID_N) * (this.box.y[1] - this.box.y[0]),
        ]);
    this.gridPts = np.array(g, { dtype: dt });
    const mz: number[][] = [];
    const lin = (t: number) => -2.5 + (5 * t) / (MESH_POINTS - 1);
    const at = (t: number) => -2 + (4 * t) / (MESH_LINES - 1);
    const pad = (a: number, b: number) =>
      [a, b, ...new Array<number>(Math.max(0, k - 2)).fill(0)].slice(0, k);
    for (let l = 0; l < MESH_LINES; l++) for (let p = 0; p < MESH_POINTS; p++) mz.push(pad(lin(p), at(l)));
    if (k >= 2)
      for (let l = 0; l < MESH_LINES; l++) for (let p = 0; p < MESH_POINTS; p++) mz.push(pad(at(l), lin(p)));
    this.meshZ = np.array(mz, { dtype: dt });
    this.viewFn = isMixed(spec) ? this.mixedView() : this.pureView();
  }

  /** The pure GAN's pictures, one jitted call. */
  private pureView(): ViewFn {
    const spec = this.spec;
    const gAct = spec.generator.activation;
    const dAct = spec.discriminator.activation;
    const objective = this.game.objective;
    const prob = objective.output === "probability";
    const gLossAt = (D: MlpParams, x: JArray): JArray => objective.gLoss(mlpApply(D, x, dAct));
    const game = this.game;
    return jit(
      (G: MlpParams, D: MlpParams, z: JArray, gridPts: JArray, meshZ: JArray, key: JArray): JArray[] => {
        // both players' losses on one batch (the same batch for both, as in training)
        const lD = game.loss(1, tree.ref(G), tree.ref(D), key.ref);
        const lG = game.loss(0, tree.ref(G), tree.ref(D), key);
        const fake = mlpApply(tree.ref(G), z, gAct);
        const some = fake.ref.slice([0, ARROWS]);
        const dx = grad((x: JArray) => gLossAt(tree.ref(D), x))(some) as JArray;
        let dOut = mlpApply(tree.ref(D), gridPts, dAct);
        if (prob) dOut = nn.sigmoid(dOut);
        const mesh = mlpApply(tree.ref(G), meshZ, gAct);
        const norm = T.sqNorm(G).add(T.sqNorm(D));
        return [fake, dOut, mesh, dx.neg(), norm, np.stack([lD, lG])];
      },
    );
  }

  /**
   * A mixed method's particle game: its mixture samples (from the fixed evaluation key) and averaged critic
   * (src/games/mixed-gan.ts's `generate` / `discriminate`); no latent mesh or arrows (one per particle).
   */
  private mixedView(): ViewFn {
    const game = this.game;
    const n = this.viewSamples;
    const prob = game.objective.output === "probability";
    const seed = this.spec.seed;
    return (G, D, z, gridPts, meshZ, key) => {
      z.dispose();
      meshZ.dispose();
      const lD = game.loss(1, tree.ref(G), tree.ref(D), key.ref);
      const lG = game.loss(0, tree.ref(G), tree.ref(D), key);
      const fake = game.generate(G, keyFor(seed, "data"), n).slice([0, n]);
      let dOut = game.discriminate(D, gridPts);
      if (prob) dOut = nn.sigmoid(dOut);
      const dt = dtypeOf(this.spec.dtype);
      const norm = T.sqNorm(G).add(T.sqNorm(D)); // consumes G and D
      return [
        fake,
        dOut,
        np.zeros([0, 2], { dtype: dt }),
        np.zeros([0, 2], { dtype: dt }),
        norm,
        np.stack([lD, lG]),
      ];
    };
  }

  get step(): number {
    return this.session.step;
  }

  /** The first non-finite step and player, or null. */
  get diverged(): Divergence | null {
    return this.session.divergence ?? this.viewDiverged;
  }

  get done(): boolean {
    return this.session.done || this.diverged !== null;
  }

  /** Wall seconds since the session started. */
  wallSeconds(): number {
    return (performance.now() - this.t0) / 1000;
  }

  /** Training steps per second of training time so far. */
  stepsPerSecond(): number {
    return this.trainMs > 0 ? (this.step / this.trainMs) * 1000 : 0;
  }

  /** Runs up to n steps (fewer at spec.steps or at divergence); CLI evaluation rows at every evalEvery step. */
  train(n: number): number {
    let ran = 0;
    const t = performance.now();
    while (ran < n && !this.done) {
      const ok = this.session.advanceSync();
      ran++;
      if (!ok) break;
      if (this.session.evalDue) this.rows.push(this.session.evaluate(this.wallSeconds()).row);
    }
    this.trainMs += performance.now() - t;
    return ran;
  }

  /**
   * Steps one player alone (0 = G, 1 = D) n times: the alternating round with k = 1 for that player and
   * k = 0 for the other (src/methods/alternating.ts), with the spec's base update (optimizer, lr, momentum),
   * through the shared session (src/train/session.ts `stepWith`). When the spec's method is alternating it
   * shares the method's optimizer state (a D step here is the same update as a training round's D step); for
   * other methods the single steps keep their own state. The step counter (rounds of the method) does not
   * move; `solo` counts these steps.
   */
  trainPlayer(player: 0 | 1, n: number): number {
    const m = (this.soloMethods[player] ??= createMethod(this.game, {
      ...methodSpecOf(this.spec),
      name: alternatingMethod.name,
      steps: player === 0 ? [1, 0] : [0, 1],
      reuseFake: false,
    }));
    const shared = this.spec.method.name === alternatingMethod.name && this.spec.method.reuseFake !== true;
    let ran = 0;
    const t = performance.now();
    while (ran < n && this.diverged === null) {
      if (shared) this.session.stepWith(m, null);
      else this.soloStates[player] = this.session.stepWith(m, this.soloStates[player] ?? undefined);
      this.solo[player]++;
      ran++;
    }
    this.trainMs += performance.now() - t;
    return ran;
  }

  /** Everything the view draws, in one jitted call and one read per output. */
  snapshot(): ViewSnapshot {
    const w = this.session.params;
    const [fakeA, dA, meshA, arrA, normA, lossA] = this.viewFn(
      T.ref(w[0]) as MlpParams,
      T.ref(w[1]) as MlpParams,
      this.z.ref,
      this.gridPts.ref,
      this.meshZ.ref,
      keyFor(this.spec.seed + 1, "data"),
    );
    const losses = lossA.dataSync() as ArrayLike<number>;
    const lossD = losses[0];
    const lossG = losses[1];
    const norm = normA.dataSync()[0] as number;
    const fakeFlat = fakeA.dataSync() as Float32Array;
    const dGrid = Float32Array.from(dA.dataSync() as ArrayLike<number>);
    const meshFlat = meshA.dataSync() as ArrayLike<number>;
    const arrFlat = arrA.dataSync() as ArrayLike<number>;
    const fake: number[][] = [];
    for (let i = 0; i < this.viewSamples; i++) fake.push([fakeFlat[2 * i], fakeFlat[2 * i + 1]]);
    const mesh: number[][][] = [];
    const lines = meshFlat.length / 2 / MESH_POINTS;
    for (let l = 0; l < lines; l++) {
      const line: number[][] = [];
      for (let p = 0; p < MESH_POINTS; p++) {
        const i = l * MESH_POINTS + p;
        line.push([meshFlat[2 * i], meshFlat[2 * i + 1]]);
      }
      mesh.push(line);
    }
    const arrows: number[][] = [];
    for (let i = 0; i < arrFlat.length / 2; i++) arrows.push([arrFlat[2 * i], arrFlat[2 * i + 1]]);
    const finite = Number.isFinite(norm);
    if (!finite && !this.diverged) this.viewDiverged = { step: this.step, player: "G or D" };
    const modes = this.data.modes ? modeMetrics(fake, this.data.modes) : null;
    return { step: this.step, fake, dGrid, mesh, arrows, modes, finite, lossD, lossG };
  }

  /** D's output at `points` as the heat map shows it: σ(D) for probability objectives, the score otherwise. */
  discriminatorAt(points: number[][]): number[] {
    if (points.length === 0) return [];
    const x = np.array(points, { dtype: dtypeOf(this.spec.dtype) });
    // D's score (a mixed-NE game: its particles' averaged critic); `discriminate` borrows D
    let out = this.game.discriminate(this.session.params[1] as MlpParams, x);
    if (this.game.objective.output === "probability") out = nn.sigmoid(out);
    return Array.from(out.dataSync() as ArrayLike<number>);
  }

  /** A live row: the snapshot's losses (one fixed batch) and mode metrics. */
  liveRow(snap: ViewSnapshot): LiveRow {
    const row: LiveRow = { step: snap.step, lossD: snap.lossD, lossG: snap.lossG };
    if (snap.modes) {
      row.modesCovered = snap.modes.modesCovered;
      row.highQuality = snap.modes.highQualityFraction;
    }
    this.live.push(row);
    return row;
  }

  /** The Purdue lecture's lines apply to the probability objectives (minimax / non-saturating). */
  get hasLogLines(): boolean {
    return isProbabilityObjective(this.spec.objective);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.session.dispose();
    for (const st of this.soloStates) if (st) T.dispose(st);
    this.z.dispose();
    this.gridPts.dispose();
    this.meshZ.dispose();
  }
}

/** Metrics rows as JSON lines (the run directory's metrics.jsonl format). */
export function metricsJsonl(rows: readonly object[]): string {
  return rows.map((r) => JSON.stringify(r)).join("\n") + (rows.length > 0 ? "\n" : "");
}

/** Points as a CSV `saddle train --data file.csv` reads (header x,y). */
export function pointsCsv(points: readonly (readonly number[])[]): string {
  return `x,y\n${points.map((p) => p.join(",")).join("\n")}\n`;
}

export { equilibriumDiagnostics };
