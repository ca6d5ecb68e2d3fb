/**
 * Validation of command-line values. Each check either returns the parsed value or throws a UsageError
 * whose one-line message names the flag, the value given and what is allowed. Nothing runs or is written
 * before every value has been checked.
 */
import fs from "node:fs";
import path from "node:path";
import { UsageError } from "../engine/errors.ts";

export interface NumberRule {
  integer?: boolean;
  min?: number;
  max?: number;
  /** Strictly greater than this. */
  above?: number;
  /** Strictly less than this. */
  below?: number;
}

/** Seeds: the spec's range (src/spec/experiment.ts), so every command takes the seeds `train` takes. */
export const SEED_RULE: NumberRule = { integer: true, min: 0, max: 2 ** 31 - 1 };

/** What a rule allows, in words: "an integer in [1, 10000000]", "a number > 0", "a number in (−1, 1)". */
export function describeRule(rule: NumberRule): string {
  const kind = rule.integer ? "an integer" : "a number";
  const lo = rule.above !== undefined ? `(${rule.above}` : rule.min !== undefined ? `[${rule.min}` : null;
  const hi = rule.below !== undefined ? `${rule.below})` : rule.max !== undefined ? `${rule.max}]` : null;
  if (lo !== null && hi !== null) return `${kind} in ${lo}, ${hi}`;
  if (rule.above !== undefined) return `${kind} > ${rule.above}`;
  if (rule.min !== undefined) return `${kind} ≥ ${rule.min}`;
  if (rule.below !== undefined) return `${kind} < ${rule.below}`;
  if (rule.max !== undefined) return `${kind} ≤ ${rule.max}`;
  return rule.integer ? kind : "a finite number";
}

/**
 * A decimal number as a user writes one: optional sign, digits with an optional point, an optional exponent;
 * also "Infinity" / "inf" (so that they are reported as out of range rather than as not numbers). Hex, octal
 * and binary literals, which `Number()` would accept, are not numbers here.
 */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INFINITE = /^[+-]?(Infinity|inf)$/i;

/**
 * Read `raw` as a finite number (no range check): a value that is not a number, or one too large for a
 * double (1e400, Infinity), is a UsageError whose message ends "; expected <allowed>".
 */
export function readNumber(flag: string, raw: string | undefined, allowed: string): number {
  if (raw === undefined || raw.trim() === "")
    throw new UsageError(`${flag}: missing value; expected ${allowed}`);
  const t = raw.trim();
  const bad = (why: string) => new UsageError(`${flag}: '${raw}' ${why}; expected ${allowed}`);
  if (INFINITE.test(t)) throw bad("is out of range (infinite)");
  if (!DECIMAL.test(t)) throw bad("is not a number");
  const x = Number(t);
  if (!Number.isFinite(x)) throw bad("is out of range (it overflows to Infinity)");
  return x;
}

/** Parse `raw` as a finite number obeying `rule`; `flag` names it in errors (e.g. "--lr"). */
export function parseNumber(flag: string, raw: string | undefined, rule: NumberRule = {}): number {
  const allowed = describeRule(rule);
  const x = readNumber(flag, raw, allowed);
  const bad = (why: string) => new UsageError(`${flag}: '${raw}' ${why}; expected ${allowed}`);
  if (rule.integer && !Number.isInteger(x)) throw bad("is not an integer");
  if (rule.above !== undefined && !(x > rule.above)) throw bad("is out of range");
  if (rule.below !== undefined && !(x < rule.below)) throw bad("is out of range");
  if (rule.min !== undefined && x < rule.min) throw bad("is out of range");
  if (rule.max !== undefined && x > rule.max) throw bad("is out of range");
  if (rule.integer && !Number.isSafeInteger(x)) throw bad("is out of range (beyond 2^53, not exact)");
  return x;
}

export function optionalNumber(
  flag: string,
  raw: string | undefined,
  rule: NumberRule = {},
): number | undefined {
  return raw === undefined ? undefined : parseNumber(flag, raw, rule);
}

/** A comma-separated list of numbers, e.g. "--mean 1,2". */
export function parseNumberList(flag: string, raw: string, rule: NumberRule = {}): number[] {
  return raw.split(",").map((s) => parseNumber(flag, s.trim(), rule));
}

/** One of `allowed`. */
export function parseChoice<T extends string>(flag: string, raw: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  throw new UsageError(`${flag}: unknown value '${raw}'; allowed: ${allowed.join(", ")}`);
}

/** An output file path: its extension must be one of `exts`, and its folder must exist and be writable. */
export function checkOutputPath(flag: string, file: string, exts: readonly string[]): string {
  const ext = path.extname(file).toLowerCase();
  if (!exts.includes(ext)) throw new UsageError(`${flag}: '${file}' must end in ${exts.join(" or ")}`);
  const dir = path.dirname(path.resolve(file));
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch {
    throw new UsageError(`${flag}: cannot write '${file}': no such directory '${dir}'`);
  }
  if (!st.isDirectory()) throw new UsageError(`${flag}: cannot write '${file}': '${dir}' is not a directory`);
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    throw new UsageError(`${flag}: cannot write '${file}': permission denied on '${dir}'`);
  }
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
    throw new UsageError(`${flag}: cannot write '${file}': it is a directory`);
  }
  return file;
}
