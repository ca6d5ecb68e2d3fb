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
}

function describe(rule: NumberRule): string {
  const kind = rule.integer ? "an integer" : "a number";
  const lo = rule.above !== undefined ? `(${rule.above}` : rule.min !== undefined ? `[${rule.min}` : null;
  if (lo !== null && rule.max !== undefined) return `${kind} in ${lo}, ${rule.max}]`;
  if (rule.above !== undefined) return `${kind} > ${rule.above}`;
  if (rule.min !== undefined) return `${kind} ≥ ${rule.min}`;
  if (rule.max !== undefined) return `${kind} ≤ ${rule.max}`;
  return kind;
}

/** Parse `raw` as a finite number obeying `rule`; `flag` names it in errors (e.g. "--lr"). */
export function parseNumber(flag: string, raw: string | undefined, rule: NumberRule = {}): number {
  const allowed = describe(rule);
  if (raw === undefined || raw.trim() === "")
    throw new UsageError(`${flag}: missing value; expected ${allowed}`);
  const x = Number(raw);
  const bad = (why: string) => new UsageError(`${flag}: '${raw}' ${why}; expected ${allowed}`);
  if (!Number.isFinite(x)) throw bad("is not a number");
  if (rule.integer && !Number.isInteger(x)) throw bad("is not an integer");
  if (rule.above !== undefined && !(x > rule.above)) throw bad("is out of range");
  if (rule.min !== undefined && x < rule.min) throw bad("is out of range");
  if (rule.max !== undefined && x > rule.max) throw bad("is out of range");
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
