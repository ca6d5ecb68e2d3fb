/**
 * Real data from a CSV file of points: one point per row, any number ≥ 1 of numeric columns.
 *
 * Format: fields separated by commas (or, when the first row has no comma, by semicolons, or else by
 * whitespace); blank lines ignored; Windows line ends and a UTF-8 byte-order mark accepted; a field may be
 * wrapped in double quotes. The first non-blank row is a header when none of its fields is a number.
 * Every problem is a one-line UsageError naming the file and the place (1-based line numbers of the file).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { numpy as np, random, type Array as JArray } from "@jax-js/jax";
import { dtypeOf, type DTypeName } from "../engine/device.ts";
import { UsageError } from "../engine/errors.ts";
import { checkSampleCount, PREVIEW_MAX, type Dataset } from "./dataset.ts";

/** A decimal number as written in a CSV: optional sign, digits with optional point, optional exponent. */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The parsed rows of a CSV of points. */
export interface CsvTable {
  /** Column names from the header, or null when the file has none. */
  header: string[] | null;
  /** The data rows, each of `dim` finite numbers. */
  rows: number[][];
  dim: number;
}

/** Why a file could not be read, in a few words. */
function readFailure(err: unknown): string {
  const code = (err as { code?: string }).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "it is a directory";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  return (err as Error).message ?? String(err);
}

/** A field as shown in a message: quoted, shortened past 40 characters. */
function shown(field: string): string {
  return field.length > 40 ? `${field.slice(0, 39)}…` : field;
}

function unquote(field: string): string {
  const f = field.trim();
  return f.length >= 2 && f.startsWith('"') && f.endsWith('"') ? f.slice(1, -1).trim() : f;
}

/** Splits a line by the file's separator. */
function splitter(firstLine: string): (line: string) => string[] {
  if (firstLine.includes(",")) return (l) => l.split(",").map(unquote);
  if (firstLine.includes(";")) return (l) => l.split(";").map(unquote);
  return (l) => l.trim().split(/\s+/).map(unquote);
}

/** Parses CSV text; `file` is the name used in messages. Throws UsageError. */
export function parseCsv(text: string, file: string): CsvTable {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  const nonBlank: { no: number; text: string }[] = [];
  lines.forEach((l, i) => {
    if (l.trim() !== "") nonBlank.push({ no: i + 1, text: l });
  });
  if (nonBlank.length === 0) throw new UsageError(`--data: '${file}' is empty`);
  const split = splitter(nonBlank[0].text);
  const first = split(nonBlank[0].text);
  const header = first.every((f) => !NUMBER.test(f)) ? first : null;
  const dim = first.length;
  const body = header ? nonBlank.slice(1) : nonBlank;
  if (body.length === 0) {
    throw new UsageError(`--data: '${file}' has a header (line ${nonBlank[0].no}) but no data rows`);
  }
  const rows = body.map(({ no, text: line }) => {
    const fields = split(line);
    if (fields.length !== dim) {
      throw new UsageError(`--data: '${file}' line ${no} has ${fields.length} values, expected ${dim}`);
    }
    return fields.map((f, j) => {
      const v = Number(f);
      if (!NUMBER.test(f) || !Number.isFinite(v)) {
        throw new UsageError(`--data: '${file}' line ${no} column ${j + 1}: '${shown(f)}' is not a number`);
      }
      return v;
    });
  });
  return { header, rows, dim };
}

/**
 * The dataset of a CSV file's rows. Sampling draws row indices uniformly with replacement
 * (`random.randint` + `np.take`), so it is traceable inside `jit`; the file is read once, here.
 * `name` is the file's base name; `preview(n)` gives min(n, 2,500, N) rows spread evenly over the file (all of them, in order, when N ≤ n).
 */
export function readCsv(file: string): Dataset {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new UsageError(`--data: cannot read '${file}': ${readFailure(err)}`);
  }
  const { rows, dim } = parseCsv(text, file);
  return tableDataset(path.basename(file), rows, dim);
}

/** A dataset that samples rows of `rows` ([N][dim]) uniformly with replacement. */
export function tableDataset(name: string, rows: number[][], dim: number): Dataset {
  const flat64 = Float64Array.from(rows.flat());
  const flat32 = Float32Array.from(flat64);
  const count = rows.length;
  return {
    name,
    dim,
    sample(key: JArray, n: number, dtype: DTypeName = "float32"): JArray {
      checkSampleCount(n);
      const table = np
        .array(dtype === "float64" ? flat64 : flat32, { dtype: dtypeOf(dtype) })
        .reshape([count, dim]);
      const idx = random.randint(key, { minval: 0, maxval: count, shape: [n] });
      return np.take(table, idx, 0);
    },
    preview(n = PREVIEW_MAX): number[][] {
      const m = Math.max(0, Math.min(Math.floor(n), PREVIEW_MAX, count));
      return Array.from({ length: m }, (_, i) => [...rows[Math.floor((i * count) / m)]]);
    },
  };
}
