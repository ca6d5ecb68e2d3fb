/**
 * A zero-sum payoff matrix A ∈ R^{m×n} from a text file, for `saddle matrix --payoff file.csv`: entry A_ij is
 * what the row player (who minimises xᵀAy) pays the column player when they play row i and column j
 * (src/games/matrix-game.ts).
 *
 * Format: one matrix row per line; entries separated by commas or by whitespace (or both, "1, 2, 3");
 * `#` starts a comment that runs to the end of the line; blank lines are skipped; spaces around entries,
 * Windows line ends and a UTF-8 byte-order mark are accepted. There is no header row: a label line such as
 * "rock,paper,scissors" is an error unless it is a comment. Every entry is a finite decimal number
 * (1, -0.5, 2e3); every row has as many entries as the first. At most MAX_PAYOFF_SIDE rows and columns.
 *
 * Problems are one-line UsageErrors naming the flag, the file, the matrix row and column (1-based) and the
 * file's line.
 */
import fs from "node:fs";
import path from "node:path";
import { UsageError } from "../engine/errors.ts";
import { matrixGame, type MatrixGame } from "./matrix-game.ts";

/** Most rows (and most columns) a payoff file may have: the LP and the mirror methods are O(mn) a step. */
export const MAX_PAYOFF_SIDE = 1000;
/** Largest payoff file read, in bytes. */
export const MAX_PAYOFF_BYTES = 64 * 1024 * 1024;

/** A decimal number: optional sign, digits with an optional point, an optional exponent. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** An entry as quoted in a message: shortened past 40 characters. */
const shown = (s: string): string => (s.length > 40 ? `${s.slice(0, 39)}…` : s);

const entries = (k: number): string => `${k} ${k === 1 ? "entry" : "entries"}`;

/** The rows of a payoff file's text; `where` names the file in messages (e.g. "--payoff 'a.csv'"). */
export function parsePayoffText(text: string, where: string): number[][] {
  const rows: number[][] = [];
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  for (let k = 0; k < lines.length; k++) {
    const body = lines[k].replace(/#.*$/, "").trim();
    if (body === "") continue;
    const r = rows.length + 1;
    const at = `row ${r} (line ${k + 1})`;
    const fields = body.split(/\s*,\s*|\s+/);
    if (rows.length > 0 && fields.length !== rows[0].length) {
      throw new UsageError(
        `${where}: ${at} has ${entries(fields.length)}, expected ${rows[0].length} (as row 1)`,
      );
    }
    if (fields.length > MAX_PAYOFF_SIDE || r > MAX_PAYOFF_SIDE) {
      throw new UsageError(
        `${where}: ${at}: more than ${MAX_PAYOFF_SIDE} ${r > MAX_PAYOFF_SIDE ? "rows" : "columns"}; allowed: at most ${MAX_PAYOFF_SIDE}×${MAX_PAYOFF_SIDE}`,
      );
    }
    rows.push(
      fields.map((f, j) => {
        const cell = `${where}: row ${r}, column ${j + 1} (line ${k + 1})`;
        if (f === "") throw new UsageError(`${cell}: empty entry; allowed: a finite number`);
        if (/^[+-]?(nan|inf|infinity)$/i.test(f)) {
          throw new UsageError(`${cell}: '${f}' is not a finite number; allowed: finite numbers`);
        }
        if (!DECIMAL.test(f)) {
          const hint = rows.length === 0 ? " (labels belong in # comments; there is no header row)" : "";
          throw new UsageError(`${cell}: '${shown(f)}' is not a number${hint}`);
        }
        const v = Number(f);
        if (!Number.isFinite(v)) {
          throw new UsageError(`${cell}: '${shown(f)}' is out of range (it overflows to Infinity)`);
        }
        return v;
      }),
    );
  }
  if (rows.length === 0) {
    throw new UsageError(
      `${where}: holds no payoff rows (only blank lines and # comments); allowed: an m×n matrix`,
    );
  }
  return rows;
}

/** Why a file could not be read, in a few words. */
function readFailure(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "it is a directory";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  return code ?? String(err);
}

/** The matrix game of a payoff file (`flag` names the option in messages). */
export function readPayoffFile(file: string, flag = "--payoff"): MatrixGame {
  const where = `${flag} '${file}'`;
  let text: string;
  try {
    const st = fs.statSync(file);
    if (st.isDirectory()) throw Object.assign(new Error("directory"), { code: "EISDIR" });
    if (st.size > MAX_PAYOFF_BYTES) {
      throw new UsageError(`${where}: ${st.size} bytes; allowed: at most ${MAX_PAYOFF_BYTES} bytes`);
    }
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${flag}: cannot read '${file}': ${readFailure(e)}`);
  }
  const rows = parsePayoffText(text, where);
  return matrixGame(rows, {
    name: "payoff",
    description: `payoff matrix from ${path.basename(file)}: min_x max_y xᵀAy`,
    field: flag,
  });
}
