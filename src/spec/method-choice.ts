/**
 * The method of an experiment spec: a discriminated union on the method's name, each option the method
 * module's own `params` schema (src/methods/index.ts) with its defaults and ranges, e.g.
 *
 *   alternating GDA:   { name, steps: [1, 5], first: 1 }     (steps = [k_G, k_D]; first 1 = D)
 *   consensus:         { name, gamma: 0.1 }
 *   lookahead:         { name, inner, lookaheadK: 5 }        (a wrapper: its inner method's params too)
 *   a mixed method:    { name, particles: 8 }                (MIXED_METHOD_PARAMS)
 *   proximal training: { name }                              (alternating GDA's params)
 *
 * Nothing here names a method: a new module in the list is a new option. Specs written before the union
 * (flat `kG`, `kD`, `first: "G" | "D"`, `reuseFake`, `unroll`, `gamma`, `methodParams`, `particles`,
 * `temperature`, `sgldSteps`, `averaging` beside a `method` name; run directories, spec files, compare
 * entries, command-line flags) are folded into this form by `foldMethodFields` before validation.
 */
import { z } from "zod";
import { DEFAULT_GAN_METHOD, MIXED_LIMIT_METHOD } from "../methods/index.ts";
import { MIXED_METHOD_NAMES, MIXED_METHOD_PARAMS } from "../methods/mirror-gan.ts";
import { defaultSteps, findMethod } from "../methods/registry.ts";
import { METHOD_NAMES, type MethodName } from "../methods/spec.ts";

/**
 * Mixed-strategy methods (src/methods/mirror-gan.ts; Hsieh, Liu & Cevher 2019): they train the particle game
 * of src/games/mixed-gan.ts, not the pure GAN.
 */
export const MIXED_SPEC_METHODS = MIXED_METHOD_NAMES;
/**
 * The spec method of proximal training (Farnia & Ozdaglar, "GANs may have no Nash equilibria"): the listed
 * method DEFAULT_GAN_METHOD on V_λ^prox; the one place its name is spelled.
 */
export const PROXIMAL_TRAINING = "proximal";
/**
 * Every method a spec may name: the method list's names (src/methods/index.ts), the mixed methods, and
 * "proximal" = proximal training (Farnia & Ozdaglar): DEFAULT_GAN_METHOD (alternating GDA) on V_λ^prox
 * (needs `proxLambda`).
 */
export const SPEC_METHODS = [...METHOD_NAMES, ...MIXED_SPEC_METHODS, PROXIMAL_TRAINING] as const;
export type SpecMethod = (typeof SPEC_METHODS)[number];

/** A spec's method: its name and hyper-parameters (after parsing: every one, defaults filled in). */
export interface SpecMethodChoice {
  name: SpecMethod;
  [param: string]: unknown;
}

/** Whether `name` is a mixed-strategy (particle) method. */
export const isMixedName = (name: string): boolean =>
  (MIXED_SPEC_METHODS as readonly string[]).includes(name);

/**
 * The listed method a spec method trains with: "proximal" → DEFAULT_GAN_METHOD (alternating), a mixed method
 * → MIXED_LIMIT_METHOD (simultaneous, its K_in = 1, τ = 0, β = 1 limit with SGD).
 */
export function registryMethod(name: SpecMethod): MethodName {
  if (name === PROXIMAL_TRAINING) return DEFAULT_GAN_METHOD;
  if (isMixedName(name)) return MIXED_LIMIT_METHOD;
  return name as MethodName;
}

/**
 * Method parameters whose default in GAN training differs from the lectures' (src/methods): D moves first
 * in a round (`first` = 1 = φ), as in Goodfellow et al.'s Algorithm 1 and PyTorch's DCGAN example.
 */
const GAN_PARAM_DEFAULTS: Readonly<Record<string, unknown>> = { first: 1 };

type Shape = Record<string, z.ZodType>;

/** The zod shape of a params schema, with GAN_PARAM_DEFAULTS applied. */
function ganShape(params: z.ZodType): Shape {
  if (!(params instanceof z.ZodObject)) throw new Error("a method's params must be a z.object");
  const shape: Shape = { ...(params.shape as Shape) };
  for (const [k, v] of Object.entries(GAN_PARAM_DEFAULTS)) {
    const t = shape[k];
    if (t !== undefined) shape[k] = (t instanceof z.ZodDefault ? (t.unwrap() as z.ZodType) : t).default(v);
  }
  return shape;
}

/** The params schema a spec method is checked against (proximal: its registry method's; mixed: their own). */
function paramsOf(name: SpecMethod): z.ZodType {
  if (isMixedName(name)) return MIXED_METHOD_PARAMS;
  const m = findMethod(registryMethod(name));
  if (!m) throw new Error(`no module for '${name}'`);
  return m.params;
}

/** Whether a spec method wraps another listed method (its inner's params ride along, checked separately). */
export const isWrapper = (name: string): boolean => findMethod(name)?.inner !== undefined;

/** The inner method a wrapper spec names (lookahead's `inner`), or undefined. */
export function innerOf(m: { name: string; [k: string]: unknown }): string | undefined {
  return findMethod(m.name)?.inner?.(m as never);
}

/** One option of the union: `name` and the method's own params (a wrapper's: unknown keys kept). */
function option(name: SpecMethod) {
  const o = z.object({ name: z.literal(name), ...ganShape(paramsOf(name)) });
  return isWrapper(name) ? o.loose() : o.strict();
}

/** The inner method's params of a wrapper (GAN defaults applied), strict. */
export const innerParamsSchema = (inner: MethodName) => z.object(ganShape(paramsOf(inner))).strict();

/** The method field of an experiment spec: one option per spec method, discriminated by `name`. */
export const SpecMethodSchema = z.discriminatedUnion(
  "name",
  SPEC_METHODS.map(option) as unknown as [ReturnType<typeof option>, ...ReturnType<typeof option>[]],
) as unknown as z.ZodType<SpecMethodChoice, SpecMethodChoice>;

/** The parameter names a spec method takes (a wrapper's: its own; its inner's are checked apart). */
export function specParamNames(name: SpecMethod): string[] {
  const p = paramsOf(name);
  return p instanceof z.ZodObject ? Object.keys(p.shape) : [];
}

// ------------------------------------------------------------------------------ the flat form of old specs

/** Fields of the flat form, beside a `method` name. */
export const FLAT_METHOD_FIELDS = [
  "kG",
  "kD",
  "first",
  "reuseFake",
  "unroll",
  "gamma",
  "methodParams",
  "particles",
  "temperature",
  "sgldSteps",
  "averaging",
] as const;

/** What a flat field's old default was for `name` (a field the method does not take, at this value, is dropped). */
function oldDefault(field: string, name: SpecMethod): unknown {
  switch (field) {
    case "kG":
      return defaultSteps(registryMethod(name))[0];
    case "kD":
      return defaultSteps(registryMethod(name))[1];
    case "first":
      return "D";
    case "reuseFake":
      return false;
    default: {
      // unroll, gamma (the first module that has them), the mixed methods' fields
      const fromMixed = MIXED_METHOD_PARAMS.safeParse({}).data as Record<string, unknown>;
      if (field in fromMixed) return fromMixed[field];
      for (const n of METHOD_NAMES) {
        const d = (findMethod(n)?.params.safeParse({}).data ?? {}) as Record<string, unknown>;
        if (field in d) return d[field];
      }
      return undefined;
    }
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * A spec input with its flat method fields folded into `method` (a copy; other inputs are returned as
 * they are, for the schema to reject). `kG`/`kD` set `steps`, `first` "G"/"D" becomes 0/1, `methodParams`
 * and the rest are the method's params by their own names. A flat field the method does not take is
 * dropped at its old default (old run directories hold every field) and kept otherwise, for the method's
 * schema to reject as an unknown key.
 */
export function foldMethodFields(input: unknown): unknown {
  if (!isRecord(input)) return input;
  const present = FLAT_METHOD_FIELDS.filter((k) => input[k] !== undefined);
  const given = input.method;
  if (present.length === 0 && isRecord(given)) return input;
  if (given !== undefined && typeof given !== "string" && !isRecord(given)) return input; // the schema says why
  const method: Record<string, unknown> =
    given === undefined
      ? { name: DEFAULT_GAN_METHOD }
      : typeof given === "string"
        ? { name: given }
        : { ...given };
  const out: Record<string, unknown> = { ...input, method };
  for (const k of FLAT_METHOD_FIELDS) delete out[k];
  const name = method.name as SpecMethod;
  if (!(SPEC_METHODS as readonly string[]).includes(String(name))) return out;
  const flat: Record<string, unknown> = {};
  for (const k of present) {
    if (k === "methodParams" && isRecord(input.methodParams)) Object.assign(flat, input.methodParams);
    else flat[k] = input[k];
  }
  const inner = isWrapper(name) ? innerOf({ ...method, ...flat, name }) : undefined;
  const takes = new Set([
    ...specParamNames(name),
    ...(inner !== undefined && findMethod(inner) ? specParamNames(inner as SpecMethod) : []),
  ]);
  if (takes.has("steps") && (flat.kG !== undefined || flat.kD !== undefined)) {
    const d = defaultSteps(registryMethod((inner ?? name) as SpecMethod));
    const was = Array.isArray(method.steps) ? (method.steps as unknown[]) : d;
    method.steps = [flat.kG ?? was[0], flat.kD ?? was[1]];
    delete flat.kG;
    delete flat.kD;
  }
  if (takes.has("first") && (flat.first === "G" || flat.first === "D"))
    flat.first = flat.first === "G" ? 0 : 1;
  for (const [k, v] of Object.entries(flat)) {
    if (takes.has(k) || JSON.stringify(v) !== JSON.stringify(oldDefault(k, name))) method[k] = v;
  }
  return out;
}
