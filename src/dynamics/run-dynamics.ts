/**
 * Run a method on a game for a number of steps and record what the analysis needs: the trajectory, the
 * distance ‖ω_t − ω*‖ to the known stationary point, and the first non-finite value (step and player).
 * Divergence is a result, not a crash: the run stops at the first NaN/Inf and says where.
 */
import { random, type Array as JArray } from "@jax-js/jax";
import * as J from "../engine/joint.ts";
import { keyFor } from "../engine/rng.ts";
import * as T from "../engine/tree.ts";
import type { Game, Joint } from "../games/game.ts";
import type { Method, StepInfo } from "../methods/method.ts";

export interface DynamicsRecord {
  /** ω_t for t = 0..steps (flat, θ then φ), only when `keepTrajectory`. */
  trajectory?: number[][];
  /** ‖ω_t − ω*‖ for t = 0..(last finite step). */
  distances: number[];
  /** First step whose iterate is not finite, and the player (name) it belongs to. */
  nonFinite: { step: number; player: string } | null;
  /** Largest implicit-step residual seen (proximal point). */
  maxResidual: number | null;
  stepsRun: number;
  wallMs: number;
  final: number[];
}

export interface RunOptions {
  steps: number;
  /** Seed of the per-step keys of a stochastic game (default 0). */
  seed?: number;
  keepTrajectory?: boolean;
  /** Starting point (consumed); default `game.init()`. */
  start?: Joint;
  onStep?: (t: number, distance: number) => void;
}

export function runDynamics(game: Game, method: Method, opts: RunOptions): DynamicsRecord {
  let w = opts.start ?? game.init();
  const sizes = J.layoutOf(w).sizes;
  const star = game.equilibrium ? J.toFloat64(game.equilibrium()) : null;
  let noise = game.stochastic ? keyFor(opts.seed ?? 0, "noise") : undefined;
  /** The next step's key (stochastic games only): a chain of splits from the seed's noise stream. */
  const nextKey = (): JArray | undefined => {
    if (!noise) return undefined;
    const ks = random.split(noise, 2);
    noise = ks.ref.slice(0);
    return ks.slice(1);
  };
  let s = method.init(w, nextKey());
  const distances: number[] = [];
  const trajectory: number[][] = [];
  const dist = (x: Float64Array): number =>
    star ? Math.hypot(...x.map((v, i) => v - star[i])) : Math.hypot(...x);
  let x = J.toFloat64(T.ref(w));
  distances.push(dist(x));
  if (opts.keepTrajectory) trajectory.push(Array.from(x));
  let nonFinite: DynamicsRecord["nonFinite"] = null;
  let maxResidual: number | null = null;
  let t = 0;
  const t0 = performance.now();
  for (t = 1; t <= opts.steps; t++) {
    let info: StepInfo;
    [w, s, info] = method.step(w, s, nextKey());
    if (info.residual !== undefined) maxResidual = Math.max(maxResidual ?? 0, info.residual);
    x = J.toFloat64(T.ref(w));
    const bad = x.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      nonFinite = { step: t, player: game.players[bad < sizes[0] ? 0 : 1] };
      break;
    }
    const d = dist(x);
    distances.push(d);
    if (opts.keepTrajectory) trajectory.push(Array.from(x));
    opts.onStep?.(t, d);
  }
  const wallMs = performance.now() - t0;
  T.dispose(w);
  T.dispose(s);
  noise?.dispose();
  return {
    trajectory: opts.keepTrajectory ? trajectory : undefined,
    distances,
    nonFinite,
    maxResidual,
    stepsRun: nonFinite ? nonFinite.step : opts.steps,
    wallMs,
    final: Array.from(x),
  };
}
