/**
 * GAN objectives by name, through the module list (src/objectives/index.ts; Gidel, lecture 13, "GANs
 * Objectives"). The CLI's --objective, the experiment spec and the games' options produce the name; each
 * objective's module quotes its formula.
 */
import { z } from "zod";
import { UsageError } from "../engine/errors.ts";
import { OBJECTIVE_NAMES, OBJECTIVE_MODULES, type ObjectiveName } from "./index.ts";
import type { Objective, ObjectiveModule, ObjectiveOptions } from "./objective.ts";

export { OBJECTIVE_NAMES, type Objective, type ObjectiveName, type ObjectiveOptions };

/** A module of the list, its params type erased. */
export type AnyObjectiveModule = ObjectiveModule<ObjectiveName, Record<string, unknown>, string>;

const MODULES: readonly AnyObjectiveModule[] = OBJECTIVE_MODULES as unknown as readonly AnyObjectiveModule[];

/** Every module. */
export const objectiveModules = (): readonly AnyObjectiveModule[] => MODULES;

/** The module named `name` (or with `name` among its aliases), or undefined. */
export function findObjective(name: string): AnyObjectiveModule | undefined {
  return MODULES.find((m) => m.name === name) ?? MODULES.find((m) => m.aliases?.includes(name));
}

/** The module named `name` (or an alias); an unknown name is a UsageError listing the names. */
export function objectiveModule(name: string): AnyObjectiveModule {
  const m = findObjective(name);
  if (!m) {
    throw new UsageError(
      `--objective: unknown objective '${String(name)}'; allowed: ${OBJECTIVE_NAMES.join(", ")}`,
    );
  }
  return m;
}

/** The hyper-parameter names of a module (its schema's keys). */
export function objectiveParamNames(m: AnyObjectiveModule): string[] {
  return m.params instanceof z.ZodObject ? Object.keys(m.params.shape) : [];
}

/**
 * The module's hyper-parameters from `opts` (its own keys; the rest ignored), absent ones at its defaults;
 * a value out of range is a UsageError naming the field.
 */
export function objectiveParams(m: AnyObjectiveModule, opts: ObjectiveOptions = {}): Record<string, unknown> {
  const r = m.params.safeParse(opts);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue.path.map(String).join(".");
  const got = JSON.stringify((opts as Record<string, unknown>)[String(issue.path[0])]);
  throw new UsageError(
    `objective '${m.name}': field '${field}' = ${got ?? "missing"}: ${issue.message.replace(/^Invalid input: /, "")}`,
  );
}

/** The default of a hyper-parameter in the first module that has it (e.g. "clip" → wasserstein's 0.01). */
export function objectiveParamDefault(param: string): unknown {
  for (const m of MODULES) {
    const d = m.params.safeParse({});
    if (d.success && param in d.data) return d.data[param];
  }
  return undefined;
}

/** Whether `name`'s module has the hyper-parameter `param` (e.g. wasserstein has "clip"). */
export function objectiveHasParam(name: string, param: string): boolean {
  const m = findObjective(name);
  return m !== undefined && objectiveParamNames(m).includes(param);
}

/** Whether D's output under `name` reads as a probability σ(D) (minimax and non-saturating). */
export const isProbabilityObjective = (name: string): boolean =>
  objectiveModule(name).output === "probability";

/** The objective named `name` (or an alias) with its options; an unknown name is a UsageError listing the names. */
export function objectiveFor(name: string, opts: ObjectiveOptions = {}): Objective {
  const m = objectiveModule(name);
  const params = objectiveParams(m, opts);
  return {
    name: m.name,
    formula: m.formula(params),
    output: m.output,
    zeroSum: m.zeroSum,
    ...m.losses(params),
  };
}
