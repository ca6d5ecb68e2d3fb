/**
 * The list of methods. Each entry is one self-describing module (src/methods/method.ts, `MethodModule`):
 * name, hyper-parameters (zod schema with defaults and ranges), step builder, linearised operator, formula
 * and citation. `METHOD_NAMES`, `createMethod` and `describeMethod` (registry.ts), the predicted rates
 * (src/analysis/operators.ts), the CLI's method flags and help, the experiment spec's method choices and
 * the web lab's method menus are all derived from this list: a new method is its own file plus one line
 * here.
 */
import { alternatingMethod } from "./alternating.ts";
import { bestResponseMethod } from "./best-response.ts";
import { consensusMethod } from "./consensus.ts";
import { extragradientMethod } from "./extragradient.ts";
import { gradNormMethod } from "./grad-norm.ts";
import { lookaheadMethod } from "./lookahead.ts";
import { optimisticMethod } from "./optimistic.ts";
import { proximalPointMethod } from "./proximal-point.ts";
import { simultaneousMethod } from "./simultaneous.ts";
import { unrolledMethod } from "./unrolled.ts";

export const METHODS = [
  simultaneousMethod,
  alternatingMethod,
  extragradientMethod,
  optimisticMethod,
  proximalPointMethod,
  consensusMethod,
  gradNormMethod,
  bestResponseMethod,
  unrolledMethod,
  lookaheadMethod,
] as const;

export type MethodName = (typeof METHODS)[number]["name"];
export const METHOD_NAMES = METHODS.map((m) => m.name) as unknown as readonly [MethodName, ...MethodName[]];

/** The method `saddle dynamics` and the dynamics lab start with. */
export const DEFAULT_METHOD: MethodName = simultaneousMethod.name;
/** The method a GAN experiment trains with by default, and proximal training's ("proximal") method. */
export const DEFAULT_GAN_METHOD: MethodName = alternatingMethod.name;
/** The method a mixed (particle) method reduces to at K_in = 1, τ = 0, β = 1 with SGD. */
export const MIXED_LIMIT_METHOD: MethodName = simultaneousMethod.name;
