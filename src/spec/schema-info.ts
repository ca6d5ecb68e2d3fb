/**
 * What a module's parameter schema says about one parameter, for the tools that are generated from it
 * (the CLI's flags and help, the web lab's controls): its base kind (a number with a range, one of some
 * choices, a list of numbers), its default and its `.describe()` text. The schemas are zod's; a parameter is
 * `base` wrapped in any of `.default()`, `.optional()`, `.describe()` and `z.preprocess()`.
 */
import { z } from "zod";

/** A number's range (src/cli/args.ts's NumberRule). */
export interface ParamRange {
  integer?: boolean;
  min?: number;
  max?: number;
  above?: number;
  below?: number;
}

export type ParamKind =
  | { number: ParamRange }
  | { choice: readonly string[] }
  | { numbers: ParamRange }
  | { other: true };

export interface ParamInfo {
  key: string;
  kind: ParamKind;
  /** The schema's default (undefined when it has none). */
  default: unknown;
  /** The `.describe()` text, "" when none. */
  description: string;
  /** The parameter's own schema (parses one value). */
  schema: z.ZodType;
}

/** The schema under its wrappers (defaults, optionals, preprocessing). */
export function baseOf(t: z.ZodType): z.ZodType {
  let u: z.ZodType = t;
  for (;;) {
    if (u instanceof z.ZodDefault || u instanceof z.ZodOptional) u = u.unwrap() as z.ZodType;
    else if (u instanceof z.ZodPipe) u = u.out as z.ZodType;
    else return u;
  }
}

function descriptionOf(t: z.ZodType): string {
  let u: z.ZodType = t;
  for (;;) {
    if (u.description) return u.description;
    if (u instanceof z.ZodDefault || u instanceof z.ZodOptional) u = u.unwrap() as z.ZodType;
    else if (u instanceof z.ZodPipe) u = u.out as z.ZodType;
    else return "";
  }
}

/** A number schema's range, from zod's checks. */
export function rangeOf(t: z.ZodType): ParamRange {
  if (!(t instanceof z.ZodNumber)) return {};
  const bag = t._zod.bag as {
    format?: string;
    minimum?: number;
    maximum?: number;
    exclusiveMinimum?: number;
    exclusiveMaximum?: number;
  };
  const r: ParamRange = {};
  if (bag.format === "safeint") r.integer = true;
  if (bag.exclusiveMinimum !== undefined) r.above = bag.exclusiveMinimum;
  else if (bag.minimum !== undefined && Number.isFinite(bag.minimum)) r.min = bag.minimum;
  if (bag.exclusiveMaximum !== undefined) r.below = bag.exclusiveMaximum;
  else if (bag.maximum !== undefined && Number.isFinite(bag.maximum)) r.max = bag.maximum;
  return r;
}

/** The parameters of an object schema, in order (none for another schema). */
export function paramsOf(schema: z.ZodType): ParamInfo[] {
  if (!(schema instanceof z.ZodObject)) return [];
  const shape = schema.shape as Record<string, z.ZodType>;
  return Object.entries(shape).map(([key, t]) => {
    const base = baseOf(t);
    const kind: ParamKind =
      base instanceof z.ZodNumber
        ? { number: rangeOf(base) }
        : base instanceof z.ZodEnum
          ? { choice: base.options.map(String) }
          : base instanceof z.ZodArray && base.element instanceof z.ZodNumber
            ? { numbers: rangeOf(base.element as z.ZodType) }
            : { other: true };
    const d = t.safeParse(undefined);
    return {
      key,
      kind,
      default: d.success ? d.data : undefined,
      description: descriptionOf(t),
      schema: t,
    };
  });
}

/** `t` with another default (its own default, if any, replaced; the rest of it kept). */
export function withDefault(t: z.ZodType, value: unknown): z.ZodType {
  const inner = t instanceof z.ZodDefault ? (t.unwrap() as z.ZodType) : t;
  return inner.default(value as never);
}
