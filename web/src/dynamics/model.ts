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
import type { Game, Joint } from "../../../src/games/game.ts";
import { DEFAULT_GAME, gameModule, gameParams, labGames, makeGame } from "../../../src/games/registry.ts";
import { withDefault } from "../../../src/spec/schema-info.ts";
import type { Method } from "../../../src/methods/method.ts";
import { DEFAULT_METHOD } from "../../../src/methods/index.ts";
import {
  createMethod,
  defaultSteps,
  methodModules,
  paramDefault,
  paramNames,
} from "../../../src/methods/registry.ts";
import { COMMON_DEFAULTS, METHOD_NAMES, OPTIMIZERS, type MethodSpec } from "../../../src/methods/spec.ts";

/** The lab's games: the game list's modules with lab controls (one parameter per player). */
export const DYN_GAMES = labGames().map((m) => m.name) as unknown as readonly [string, ...string[]];
/** Methods that make sense on a 2-parameter deterministic game (all of them). */
export const DYN_METHODS = METHOD_NAMES;

const PLAYERS = ["theta", "phi"] as const;
const num = (min: number, max: number, d: number) => z.number().min(min).max(max).default(d);

/**
 * The lab games' parameters as state fields (each game's schema, src/games; bilinear's p, q, the Dirac-GAN's
 * objective, gp, clip, the quadratic game's a, b, c, d), starting at the lab control's `start` where it has
 * one. A name two games share is one field (the first game's schema); a name of the view's own fields
 * (method, lr, steps, …) is a programming error.
 */
function gameFields(): Record<string, z.ZodType> {
  const out: Record<string, z.ZodType> = {};
  for (const m of labGames()) {
    for (const p of gameParams(m)) {
      if (p.key in DynFields.shape || p.key in GameField.shape)
        throw new Error(`game '${m.name}': parameter '${p.key}' is also a field of the dynamics view`);
      if (p.key in out) continue;
      const start = m.lab?.find((c) => c.param === p.key)?.start;
      out[p.key] = start === undefined ? p.schema : withDefault(p.schema, start);
    }
  }
  return out;
}

/**
 * Method parameters the view holds under fields of its own (γ; k_θ, k_φ for `steps`; the first mover;
 * the unroll k). Every other parameter of a listed method (lookahead's inner method, k and α, proximal
 * point's tol, …) is a state field of its own name with its module's schema (`methodFields`), and gets a
 * control from the module's flags.
 */
export const VIEW_METHOD_PARAMS: readonly string[] = ["gamma", "steps", "first", "unroll"];

/** The other method parameters as state fields (the first module's schema where two share a name). */
function methodFields(): Record<string, z.ZodType> {
  const out: Record<string, z.ZodType> = {};
  for (const m of methodModules()) {
    if (!(m.params instanceof z.ZodObject)) continue;
    const shape = m.params.shape as Record<string, z.ZodType>;
    for (const k of paramNames(m)) {
      if (VIEW_METHOD_PARAMS.includes(k) || k in out) continue;
      if (k in DynFields.shape || k in GameField.shape)
        throw new Error(`method '${m.name}': parameter '${k}' is also a field of the dynamics view`);
      out[k] = shape[k];
    }
  }
  return out;
}

/** The game's name (its parameters follow it, `gameFields`). */
const GameField = z.object({ game: z.enum(DYN_GAMES).default(DEFAULT_GAME) });

/** The state's fields besides its game. */
const DynFields = z
  .object({
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

/** The lab games' parameters by name (bilinear's p, the Dirac-GAN's objective, …; `gameFields`). */
type GameFields = { [param: string]: unknown };
export type DynState = z.infer<typeof GameField> & z.infer<typeof DynFields> & GameFields;
export type DynInput = z.input<typeof GameField> & z.input<typeof DynFields> & GameFields;
/** The view's state: the game, its parameters, then the method and the view's fields (a link's order). */
const METHOD_FIELDS = methodFields();
export const DynStateSchema = GameField.extend(gameFields())
  .extend(DynFields.shape)
  .extend(METHOD_FIELDS)
  .strict() as unknown as z.ZodType<DynState, DynInput>;

/** The names of the method parameters held as state fields of their own (`methodFields`). */
export const OTHER_METHOD_PARAMS: readonly string[] = Object.keys(METHOD_FIELDS);
export const defaultDynState = (): DynState => DynStateSchema.parse({});

/** The state's parameters of its game (its module's keys). */
export function gameParamsOfState(s: DynState): Record<string, unknown> {
  const st = s as Record<string, unknown>;
  return Object.fromEntries(gameParams(gameModule(s.game)).map((p) => [p.key, st[p.key]]));
}

/** The game the state names, starting at `start` (default (1, 1)). */
export function buildGame(s: DynState, start: [number, number] = [1, 1]): Game {
  return makeGame(s.game, { ...gameParamsOfState(s), init: [[start[0]], [start[1]]] });
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
    ...Object.fromEntries(OTHER_METHOD_PARAMS.filter((k) => s[k] !== undefined).map((k) => [k, s[k]])),
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
