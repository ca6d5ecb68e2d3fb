/**
 * One GAN training session, stepped one iteration at a time, with no file system: the game and method of
 * the spec (src/train/build.ts: every listed method, proximal training, the mixed methods), the key chain
 * (one split of the seed's "noise" stream per step), the EMA of G (src/train/ema.ts), the divergence check
 * and the evaluation cadence. `saddle train` (src/train/trainer.ts) adds the run directory, checkpoints and
 * image metrics around it; the web lab (web/src/gan/session.ts) adds its pictures.
 *
 * Divergence is a result: the first step whose parameters are not finite marks the session diverged with
 * the step and the player ("G" or "D"); with replicas R > 1 each replica is checked and the others go on.
 */
import { tree, type Array as JArray } from "@jax-js/jax";
import type { Dataset } from "../data/dataset.ts";
import { onHost, readsAreAsync, toHost } from "../engine/host.ts";
import { keyFor, splitNext } from "../engine/rng.ts";
import * as T from "../engine/tree.ts";
import type { Joint } from "../games/game.ts";
import type { Method, MethodState } from "../methods/method.ts";
import type { MlpParams } from "../models/mlp.ts";
import type { ExperimentSpec } from "../spec/experiment.ts";
import { buildTraining, type GanGame, type Training } from "./build.ts";
import { emaStep } from "./ema.ts";
import { evaluateAt, type Snapshot } from "./evaluate.ts";
import { stepDigest } from "./step-digest.ts";

/** Where a session starts from: a checkpoint's players, method state, key chain, Ḡ and step. */
export interface SessionStart {
  w: Joint;
  s: MethodState;
  noise: JArray;
  gAvg: MlpParams | null;
  step: number;
}

/** The players an evaluation reads: both, and the G that samples come from (Ḡ with an EMA). */
export interface EvalPlayers {
  w: Joint;
  sampler: MlpParams;
}

/** What a checkpoint holds besides the step and wall time. */
export interface SessionState {
  w: Joint;
  s: MethodState;
  noise: JArray;
  gAvg: MlpParams | null;
}

export interface Divergence {
  step: number;
  player: string;
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

export class TrainingSession {
  readonly training: Training;
  /** The game evaluated and drawn (the GAN, or the particle game of a mixed method). */
  readonly game: GanGame;
  /** Steps done. */
  step: number;
  /** The first non-finite step and player (of any replica), or null. */
  divergence: Divergence | null = null;
  /** With replicas: every replica that diverged (the others train on). */
  readonly divergedReplicas: { replica: number; step: number; player: string }[] = [];
  /** Which replicas are still finite. */
  readonly live: boolean[];
  private w: Joint;
  private s: MethodState;
  private noise: JArray;
  /** Ḡ_t, the moving average of G's parameters (ema β > 0), or null. */
  private gAvg: MlpParams | null;
  private disposed = false;

  constructor(
    readonly spec: ExperimentSpec,
    readonly data: Dataset,
    opts: { training?: Training; start?: SessionStart } = {},
  ) {
    this.training = opts.training ?? buildTraining(spec, data);
    this.game = this.training.game;
    this.live = new Array<boolean>(this.game.replicas).fill(true);
    if (opts.start) {
      ({ w: this.w, s: this.s, noise: this.noise, gAvg: this.gAvg, step: this.step } = opts.start);
    } else {
      this.step = 0;
      this.noise = keyFor(spec.seed, "noise");
      this.w = this.game.init();
      this.s = this.training.method.init(this.w, this.nextKey());
      this.gAvg = spec.ema > 0 ? T.ref(this.w[0] as MlpParams) : null;
    }
  }

  /** The next step's key: a split of the "noise" stream. */
  private nextKey(): JArray {
    const [next, step] = splitNext(this.noise);
    this.noise = next;
    return step;
  }

  /** Whether every replica diverged. */
  get diverged(): boolean {
    return !this.live.some((x) => x);
  }

  /** Whether `spec.steps` are done or the session diverged. */
  get done(): boolean {
    return this.step >= this.spec.steps || this.diverged;
  }

  /** Whether the current step is an evaluation step (every evalEvery steps and the last one). */
  get evalDue(): boolean {
    return this.step > 0 && (this.step % this.spec.evalEvery === 0 || this.step === this.spec.steps);
  }

  /**
   * One method step, the EMA, and the divergence check (the step is realised through one array,
   * src/train/step-digest.ts; `threaded`: asynchronously, so that jax-js's wasm worker pool runs it).
   * Returns false once every replica diverged.
   */
  async advance(threaded = false): Promise<boolean> {
    const digest = this.stepOnce();
    return this.check(threaded || readsAreAsync() ? await digest.data() : digest.dataSync());
  }

  /** `advance` without awaiting (the lab's frame loop). */
  advanceSync(): boolean {
    return this.check(this.stepOnce().dataSync());
  }

  private stepOnce(): JArray {
    this.step++;
    [this.w, this.s] = this.training.method.step(this.w, this.s, this.nextKey());
    if (this.gAvg) this.gAvg = emaStep(this.gAvg, T.ref(this.w[0] as MlpParams), this.spec.ema, this.step);
    return stepDigest(this.w, [this.s, this.gAvg ?? [], this.noise]);
  }

  /**
   * One update of another method over the same players with the next key of the stream (the lab's "step G
   * alone" / "step D alone"): with `own` null it shares the session's method state (the methods must have the
   * same state shape, e.g. alternating with different k), otherwise `own` (consumed; initialised from the
   * current point when undefined) is the other method's state and is returned. Not counted as a step; the
   * divergence check and the EMA run as after a step.
   */
  stepWith(m: Method, own: MethodState | null | undefined): MethodState | null {
    let out: MethodState | null = null;
    if (own === null) [this.w, this.s] = m.step(this.w, this.s, this.nextKey());
    else {
      const st = own ?? m.init(this.w, this.nextKey());
      [this.w, out] = m.step(this.w, st, this.nextKey());
    }
    if (this.gAvg) this.gAvg = emaStep(this.gAvg, T.ref(this.w[0] as MlpParams), this.spec.ema, this.step);
    this.check(stepDigest(this.w, [this.s, this.gAvg ?? [], this.noise]).dataSync());
    return out;
  }

  private check(norms: ArrayLike<number | bigint>): boolean {
    squaredNorms(this.game, this.w, [Number(norms[0]), Number(norms[1])]).forEach(([nG, nD], r) => {
      if (this.live[r] && (!Number.isFinite(nG) || !Number.isFinite(nD))) {
        this.live[r] = false;
        const player = !Number.isFinite(nG) ? "G" : "D";
        this.divergedReplicas.push({ replica: r, step: this.step, player });
        this.divergence ??= { step: this.step, player };
      }
    });
    return !this.diverged;
  }

  /** G's parameters that samples come from: Ḡ with ema β > 0, else G (borrowed). */
  get sampler(): MlpParams {
    return this.gAvg ?? (this.w[0] as MlpParams);
  }

  /** The current players (borrowed: take `T.ref` to keep them past the next step). */
  get params(): Joint {
    return this.w;
  }

  /**
   * The evaluation row at the current step (src/train/evaluate.ts's `evaluateAt`, live replicas only; with
   * proximal training also V_λ^prox, V, ‖D − D̃*‖² and the inner residual; `extend` adds fields first, e.g. the
   * trainer's image metrics).
   */
  evaluate(wallSeconds: number, extend?: (snap: Snapshot, players: EvalPlayers) => void): Snapshot {
    return this.evaluateOn({ w: this.w, sampler: this.sampler }, wallSeconds, extend);
  }

  /**
   * `evaluate` where reads must be asynchronous (WebGPU in Node): on wasm copies of the players
   * (src/engine/host.ts), the same numbers up to the devices' float32 rounding.
   */
  async evaluateAsync(
    wallSeconds: number,
    extend?: (snap: Snapshot, players: EvalPlayers) => void,
  ): Promise<Snapshot> {
    if (!readsAreAsync()) return this.evaluate(wallSeconds, extend);
    const w = await toHost(T.ref(this.w) as Joint);
    const sampler = this.gAvg ? await toHost(T.ref(this.gAvg)) : (T.ref(w[0]) as MlpParams);
    try {
      return onHost(() => this.evaluateOn({ w, sampler }, wallSeconds, extend));
    } finally {
      tree.dispose(w);
      T.dispose(sampler);
    }
  }

  private evaluateOn(
    players: EvalPlayers,
    wallSeconds: number,
    extend?: (snap: Snapshot, players: EvalPlayers) => void,
  ): Snapshot {
    const snap = evaluateAt(
      this.game,
      this.data,
      this.spec,
      players.w,
      this.step,
      wallSeconds,
      this.live,
      players.sampler,
    );
    extend?.(snap, players);
    const prox = this.training.prox;
    if (prox) {
      const p = prox.proxSolve(players.w, keyFor(this.spec.seed, "data"));
      tree.dispose(p.dTilde);
      snap.row.proxValue = p.value;
      snap.row.proxBase = p.base;
      snap.row.proxSqDist = p.sqDist;
      snap.row.proxResidual = p.residual;
    }
    return snap;
  }

  /** `state` as wasm copies where reads must be asynchronous (for checkpoints), else `state` itself (borrowed either way). */
  async hostState(): Promise<{ state: SessionState; release(): void }> {
    if (!readsAreAsync()) return { state: this.state, release: () => {} };
    const { w, s, noise, gAvg } = this.state;
    const state: SessionState = {
      w: await toHost(T.ref(w) as Joint),
      s: await toHost(T.ref(s)),
      noise: await toHost(noise.ref),
      gAvg: gAvg ? await toHost(T.ref(gAvg)) : null,
    };
    return {
      state,
      release: () => {
        tree.dispose(state.w);
        T.dispose(state.s);
        state.noise.dispose();
        T.dispose(state.gAvg);
      },
    };
  }

  /** Everything a checkpoint holds besides the step and wall time (borrowed). */
  get state(): SessionState {
    return { w: this.w, s: this.s, noise: this.noise, gAvg: this.gAvg };
  }

  /** Disposes everything; with `keepParams` the players are handed to the caller instead. */
  dispose(keepParams = false): Joint | null {
    if (this.disposed) return null;
    this.disposed = true;
    this.noise.dispose();
    T.dispose(this.s);
    T.dispose(this.gAvg);
    if (keepParams) return this.w;
    tree.dispose(this.w);
    return null;
  }
}
