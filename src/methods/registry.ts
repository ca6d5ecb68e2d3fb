/**
 * Builds a runnable Method from its MethodSpec through the module list (src/methods/index.ts). Each
 * player's base update is
 *
 *   optimizer(η_i)  [→ heavyBall(β) when β ≠ 0]  [→ linearDecay when lrDecay > 0]  [→ clip(c_i) when the
 *   game boxes player i]
 *
 * (src/optim/transform.ts), so momentum, Adam and WGAN clipping compose with every explicit method of
 * Gidel's lecture 13 and Mitliagkas's "Some results on GAN dynamics".
 */
import { z } from "zod";
import { UsageError } from "../engine/errors.ts";
import type { Game, Player } from "../games/game.ts";
import {
  adam,
  chain,
  clip,
  heavyBall,
  linearDecay,
  rmsprop,
  sgd,
  type Transform,
} from "../optim/transform.ts";
import { DEFAULT_GAN_METHOD, METHOD_NAMES, METHODS } from "./index.ts";
import {
  COMMON_DEFAULTS,
  OPTIMIZERS,
  optimizersOf,
  type BaseUpdates,
  type Method,
  type MethodFlag,
  type MethodModule,
  type MethodSpecBase,
  type OptimizerName,
} from "./method.ts";

/** A module of the list, its params type erased. */
export type AnyMethodModule = MethodModule<string, Record<string, unknown>>;

const MODULES: readonly AnyMethodModule[] = METHODS;

/** The module named `name`, or undefined. */
export function findMethod(name: string): AnyMethodModule | undefined {
  return MODULES.find((m) => m.name === name);
}

/** The module named `name`; an unknown name is a UsageError listing the allowed ones. */
export function methodModule(name: string): AnyMethodModule {
  const m = findMethod(name);
  if (!m) {
    throw new UsageError(`--method: unknown method '${String(name)}'; allowed: ${METHOD_NAMES.join(", ")}`);
  }
  return m;
}

/** Every module. */
export const methodModules = (): readonly AnyMethodModule[] => MODULES;

/**
 * The method modules' flags of the list, one entry per flag: a flag two methods share (e.g.
 * `--k-theta`, alternating's k_θ and best-response's k_G) gets both help texts.
 */
export function methodFlags(): MethodFlag[] {
  const out = new Map<string, MethodFlag>();
  for (const m of methodModules()) {
    for (const f of m.flags ?? []) {
      const seen = out.get(f.flag);
      out.set(f.flag, seen ? { ...seen, help: `${seen.help}; ${f.help}` } : f);
    }
  }
  return [...out.values()];
}

/** The hyper-parameter names of a module (its schema's keys). */
export function paramNames(m: AnyMethodModule): string[] {
  if (m.params instanceof z.ZodObject) return Object.keys(m.params.shape);
  const d = m.params.safeParse({});
  return d.success ? Object.keys(d.data) : [];
}

/** Whether `name`'s module has the hyper-parameter `param` (e.g. "gamma"). */
export function hasParam(name: string, param: string): boolean {
  const m = findMethod(name);
  return m !== undefined && paramNames(m).includes(param);
}

/**
 * `spec`'s hyper-parameters for its module, absent ones at the module's defaults; a value out of the
 * module's range is a UsageError naming the field.
 */
export function methodParams(spec: MethodSpecBase): Record<string, unknown> {
  const m = methodModule(spec.name);
  const r = m.params.safeParse(spec);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue.path.map(String).join(".");
  const got = JSON.stringify(
    issue.path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown>)?.[k], spec),
  );
  throw new UsageError(
    `method '${m.name}': field '${field}' = ${got ?? "missing"}: ${issue.message.replace(/^Invalid input: /, "")}`,
  );
}

/** The defaults of `name`'s hyper-parameters (its schema applied to nothing). */
export const methodDefaults = (name: string): Record<string, unknown> => methodParams({ name, lr: [1, 1] });

/** The default of a hyper-parameter in the first module that has it (e.g. "gamma" → consensus's 1). */
export function paramDefault(param: string): unknown {
  for (const m of MODULES) {
    const d = m.params.safeParse({});
    if (d.success && param in d.data) return d.data[param];
  }
  return undefined;
}

/**
 * [k_θ, k_φ] per round by default for `name`: its module's `steps` (best-response's [k_G, k_D] = [1, 5]),
 * else the default GAN method's (alternating's [1, 1]), which the lab's and the experiment's k sliders show.
 */
export function defaultSteps(name: string): [number, number] {
  const d = (methodDefaults(name).steps ?? methodDefaults(DEFAULT_GAN_METHOD).steps) as [number, number];
  return [d[0], d[1]];
}

/** How many times one step of `spec`'s method applies player i's base update. */
export function updatesPerRound(spec: MethodSpecBase, i: 0 | 1): number {
  const m = methodModule(spec.name);
  return (
    m.updatesPerRound?.({ params: methodParams(spec), player: i, spec, of: (s) => updatesPerRound(s, i) }) ??
    1
  );
}

function optimizer(name: OptimizerName, lr: number, betas?: [number, number]): Transform {
  switch (name) {
    case "sgd":
      return sgd(lr);
    case "adam":
      return betas ? adam(lr, betas[0], betas[1]) : adam(lr);
    case "rmsprop":
      return betas ? rmsprop(lr, betas[1]) : rmsprop(lr);
    default:
      throw new UsageError(
        `--optimizer: unknown optimizer '${String(name)}'; allowed: ${OPTIMIZERS.join(", ")}`,
      );
  }
}

/** Player i's base update from the spec. */
export function baseUpdate(game: Game, spec: MethodSpecBase, i: Player): Transform {
  const parts = [optimizer(optimizersOf(spec)[i], spec.lr[i], spec.betas)];
  const beta = spec.momentum ?? COMMON_DEFAULTS.momentum;
  if (beta !== 0) parts.push(heavyBall(beta));
  if (spec.lrDecay) {
    const total = spec.lrDecay.rounds * updatesPerRound(spec, i);
    parts.push(linearDecay(total, Math.round(total * (1 - spec.lrDecay.fraction))));
  }
  const c = game.clip?.[i];
  if (typeof c === "number") parts.push(clip(c));
  return parts.length === 1 ? parts[0] : chain(...parts);
}

/** Both players' base updates, [θ, φ]. */
export function baseUpdates(game: Game, spec: MethodSpecBase): BaseUpdates {
  return [baseUpdate(game, spec, 0), baseUpdate(game, spec, 1)];
}

export function createMethod(game: Game, spec: MethodSpecBase): Method {
  const m = methodModule(spec.name);
  return m.create({
    game,
    spec,
    params: methodParams(spec),
    base: () => baseUpdates(game, spec),
    build: (s) => createMethod(game, s),
  });
}

/** One line naming the method, its update formula and its hyper-parameters (for CLI output). */
export function describeMethod(spec: MethodSpecBase): string {
  const m = findMethod(spec.name);
  const formula = m ? m.formula(spec, methodParams(spec)) : "?";
  const opt = optimizersOf(spec);
  const optText = opt[0] === opt[1] ? opt[0] : `${opt[0]}/${opt[1]}`;
  const beta = spec.momentum ? `, momentum β = ${spec.momentum}` : "";
  return `${spec.name}: ${formula}; η = [${spec.lr.join(", ")}], ${optText}${beta}`;
}
