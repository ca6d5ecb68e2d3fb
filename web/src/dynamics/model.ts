/**
 * The dynamics view's model (no DOM): the view's state as data (validated by zod, so it can travel in a
 * link), the game and method it names, the vector field, the eigenvalues of the method's linearised update
 * at ω*, and trajectories with their measured rate. Everything is computed by the library (src/).
 */
import { z } from "zod";
import { jacobian } from "../../../src/analysis/jacobian.ts";
import { predictedRate, type PredictedRate } from "../../../src/analysis/operators.ts";
import { measuredRate } from "../../../src/analysis/rate.ts";
import { eigenvalues, type Complex } from "../../../src/analysis/spectrum.ts";
import { sampleField, type Box, type FieldSample } from "../../../src/dynamics/field-grid.ts";
import { runDynamics } from "../../../src/dynamics/run-dynamics.ts";
import { verdictOf, type Verdict } from "../../../src/dynamics/verdict.ts";
import { numpy as np } from "@jax-js/jax";
import { bilinear } from "../../../src/games/bilinear.ts";
import { DIRAC_OBJECTIVES, dirac } from "../../../src/games/dirac.ts";
import type { Game, Joint } from "../../../src/games/game.ts";
import { quadratic } from "../../../src/games/quadratic.ts";
import type { Method } from "../../../src/methods/method.ts";
import { DEFAULT_METHOD } from "../../../src/methods/index.ts";
import { createMethod, defaultSteps, paramDefault } from "../../../src/methods/registry.ts";
import { COMMON_DEFAULTS, METHOD_NAMES, OPTIMIZERS, type MethodSpec } from "../../../src/methods/spec.ts";

export const DYN_GAMES = ["bilinear", "dirac", "quadratic"] as const;
/** Methods that make sense on a 2-parameter deterministic game (all of them). */
export const DYN_METHODS = METHOD_NAMES;

const PLAYERS = ["theta", "phi"] as const;
const num = (min: number, max: number, d: number) => z.number().min(min).max(max).default(d);

export const DynStateSchema = z
  .object({
    game: z.enum(DYN_GAMES).default("bilinear"),
    /** bilinear: ½pθ², −½qφ². */
    p: num(-2, 2, 0),
    q: num(-2, 2, 0),
    /** dirac: objective, gradient penalty γ, WGAN clip c. */
    objective: z.enum(DIRAC_OBJECTIVES).default("non-saturating"),
    gp: num(0, 5, 0),
    clip: num(0.01, 10, 1),
    /** quadratic: J = [[a, b], [c, d]]. */
    a: num(-3, 3, 0),
    b: num(-3, 3, 1),
    c: num(-3, 3, -1),
    d: num(-3, 3, 0),
    method: z.enum(DYN_METHODS).default(DEFAULT_METHOD),
    lr: num(0.001, 3, 0.2),
    lrPhi: num(0.001, 3, 0.2),
    // Method hyper-parameters default to the method modules' defaults (src/methods).
    momentum: z.number().gt(-1).lt(1).default(COMMON_DEFAULTS.momentum),
    gamma: num(0, 10, paramDefault("gamma") as number),
    /** k_θ, k_φ per round (best-response: k_G, k_D); absent = the method's default (`stepsOfState`). */
    kTheta: z.number().int().min(1).max(20).optional(),
    kPhi: z.number().int().min(1).max(20).optional(),
    first: z.enum(PLAYERS).default(PLAYERS[paramDefault("first") as 0 | 1]),
    unroll: z
      .number()
      .int()
      .min(1)
      .max(20)
      .default(paramDefault("unroll") as number),
    optimizer: z.enum(OPTIMIZERS).default(COMMON_DEFAULTS.optimizer),
    steps: z.number().int().min(1).max(5000).default(150),
  })
  .strict();

export type DynState = z.infer<typeof DynStateSchema>;
export const defaultDynState = (): DynState => DynStateSchema.parse({});

/** The game the state names, starting at `start` (default (1, 1)). */
export function buildGame(s: DynState, start: [number, number] = [1, 1]): Game {
  switch (s.game) {
    case "bilinear":
      return bilinear({ p: s.p, q: s.q, init: [[start[0]], [start[1]]] });
    case "dirac":
      return dirac({ objective: s.objective, gp: s.gp, clip: s.clip, init: start });
    case "quadratic":
      return quadratic({ a: s.a, b: s.b, c: s.c, d: s.d, init: start });
  }
}

/** [k_θ, k_φ] of the state: the sliders' values, the method's default where absent. */
export function stepsOfState(s: DynState): [number, number] {
  const d = defaultSteps(s.method);
  return [s.kTheta ?? d[0], s.kPhi ?? d[1]];
}

export function methodSpecOfState(s: DynState): MethodSpec {
  return {
    name: s.method,
    lr: [s.lr, s.lrPhi],
    optimizer: [s.optimizer, s.optimizer],
    momentum: s.momentum,
    gamma: s.gamma,
    steps: stepsOfState(s),
    first: s.first === "theta" ? 0 : 1,
    unroll: s.unroll,
  };
}

export interface Analysis {
  /** ∇v at ω* (2×2). */
  J: number[][];
  /** Eigenvalues of ∇v (the game's), and of −∇v (the gradient flow). */
  jacobianEigenvalues: Complex[];
  /** The method's linearised update operator at ω*: radius and spectrum (or the reason there is none). */
  predicted: PredictedRate;
}

export interface Trajectory {
  start: [number, number];
  points: number[][];
  distances: number[];
  rate: number | null;
  verdict: Verdict;
  nonFinite: { step: number; player: string } | null;
}

/** A state's game and method, built once and reused for the field, the analysis and every trajectory. */
export class DynamicsModel {
  readonly game: Game;
  readonly method: Method;
  readonly spec: MethodSpec;

  constructor(readonly state: DynState) {
    this.game = buildGame(state);
    this.spec = methodSpecOfState(state);
    this.method = createMethod(this.game, this.spec);
  }

  analyse(): Analysis {
    const star = this.game.equilibrium!();
    const J = jacobian(this.game, star);
    for (const a of star) (a as { dispose(): void }).dispose();
    return { J, jacobianEigenvalues: eigenvalues(J), predicted: predictedRate(this.spec, J, [1, 1]) };
  }

  /** −v on an n×n grid. */
  field(box: Box, n = 21): FieldSample[] {
    return sampleField(this.game, box, n);
  }

  /** Runs the method from `start` for the state's number of steps. */
  trajectory(start: [number, number]): Trajectory {
    const dt = np.float64;
    const w: Joint = [np.array([start[0]], { dtype: dt }), np.array([start[1]], { dtype: dt })];
    const rec = runDynamics(this.game, this.method, {
      steps: this.state.steps,
      keepTrajectory: true,
      start: w,
    });
    const m = measuredRate(rec.distances);
    const d0 = rec.distances[0];
    const dT = rec.distances[rec.distances.length - 1];
    return {
      start,
      points: rec.trajectory ?? [],
      distances: rec.distances,
      rate: m.rate,
      verdict: verdictOf({ rate: m.rate, d0, dT, nonFinite: rec.nonFinite !== null }),
      nonFinite: rec.nonFinite,
    };
  }
}
