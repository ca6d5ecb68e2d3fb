/**
 * `saddle matrix --payoff file.csv` (src/games/payoff-file.ts): the file format (comments, separators, line
 * ends), every bad file as one line, and the LP on m×n games against closed forms: a 2×3 game solved by hand
 * (v = 2), its 3×2 mirror −Aᵀ (v = −2, strategies swapped), rock-paper-scissors (v = 0, uniform) and a game
 * with a pure saddle point.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { UsageError } from "../src/engine/errors.ts";
import { dualityGap, solveMatrixGame } from "../src/equilibria/lp-nash.ts";
import { parsePayoffText, readPayoffFile } from "../src/games/payoff-file.ts";
import { payoff } from "../src/games/matrix-game.ts";
import { isOneLineError, saddle } from "./helpers/cli.ts";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "saddle-payoff-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const f = path.join(tmp, name);
  fs.writeFileSync(f, text);
  return f;
}

const near = (got: ArrayLike<number>, want: number[], tol = 1e-9): void => {
  assert.equal(got.length, want.length);
  for (let k = 0; k < want.length; k++)
    assert.ok(Math.abs(got[k] - want[k]) <= tol, `[${Array.from(got)}] vs [${want}]`);
};

/**
 * Row player x = (p, 1 − p) against the columns of [[1, 3, 0], [4, 0, 2]] pays 4 − 3p, 3p and 2 − 2p; the
 * upper envelope is lowest where 4 − 3p = 3p: p = 2/3, v = 2 (column 3 pays 2/3 there, so y₃ = 0). The
 * column player's y = (q, 1 − q, 0) makes rows pay 3 − 2q and 4q, equal at q = 1/2: v = 2.
 */
const G23 = "# a 2×3 game\n1, 3, 0\n4, 0, 2\n";
/** Entry (2, 1) = 2 is its row's largest and its column's smallest: a pure saddle point, v = 2. */
const SADDLE = "3 1 4\n2 0 1   # row 2: the row player's pure minimax\n5 2 6\n";
const RPS =
  "\uFEFF# rock, paper, scissors: A_ij = what row i pays column j\r\n0,1,-1\r\n-1,0,1\r\n\r\n1,-1,0\r\n";

describe("payoff file format", () => {
  test("commas and/or whitespace, # comments, blank lines, CRLF and a byte-order mark", () => {
    assert.deepEqual(parsePayoffText(G23, "t"), [
      [1, 3, 0],
      [4, 0, 2],
    ]);
    assert.deepEqual(parsePayoffText(SADDLE, "t"), [
      [3, 1, 4],
      [2, 0, 1],
      [5, 2, 6],
    ]);
    assert.deepEqual(parsePayoffText(RPS, "t"), [
      [0, 1, -1],
      [-1, 0, 1],
      [1, -1, 0],
    ]);
    assert.deepEqual(parsePayoffText("  1.5e1 ,\t-.5\n\n# x\n +2\t3  ", "t"), [
      [15, -0.5],
      [2, 3],
    ]);
  });

  const bad: [string, string, RegExp][] = [
    ["ragged row", "1,2,3\n4,5,6\n\n7,8\n", /^f: row 3 \(line 4\) has 2 entries, expected 3 \(as row 1\)$/],
    ["non-numeric entry", "1,2\nabc,1\n", /^f: row 2, column 1 \(line 2\): 'abc' is not a number$/],
    [
      "a header row",
      "rock,paper\n1,2\n",
      /^f: row 1, column 1 \(line 1\): 'rock' is not a number \(labels belong in # comments/,
    ],
    ["empty file", "", /^f: holds no payoff rows \(only blank lines and # comments\)/],
    ["only comments", "# nothing\n\n   \n# here\n", /^f: holds no payoff rows/],
    ["NaN", "1,NaN\n", /^f: row 1, column 2 \(line 1\): 'NaN' is not a finite number/],
    ["Infinity", "1,2\n-Infinity,0\n", /^f: row 2, column 1 \(line 2\): '-Infinity' is not a finite number/],
    [
      "overflow",
      "1,1e999\n",
      /^f: row 1, column 2 \(line 1\): '1e999' is out of range \(it overflows to Infinity\)$/,
    ],
    ["trailing comma", "1,2,\n", /^f: row 1, column 3 \(line 1\): empty entry/],
    ["hex", "0x1,2\n", /'0x1' is not a number/],
    [
      "too many columns",
      Array(1001).fill("1").join(",") + "\n",
      /^f: row 1 \(line 1\): more than 1000 columns/,
    ],
  ];
  for (const [name, text, re] of bad) {
    test(`bad file: ${name} → one-line UsageError`, () => {
      assert.throws(
        () => parsePayoffText(text, "f"),
        (e: unknown) => e instanceof UsageError && re.test(e.message) && !e.message.includes("\n"),
      );
    });
  }

  test("a missing file and a folder are one-line UsageErrors naming --payoff", () => {
    assert.throws(
      () => readPayoffFile(path.join(tmp, "nope.csv")),
      /^UsageError: --payoff: cannot read '.*nope\.csv': no such file$/,
    );
    assert.throws(() => readPayoffFile(tmp), /--payoff: cannot read '.*': it is a directory$/);
  });
});

describe("m×n games by LP", () => {
  test("2×3: v = 2, x* = (2/3, 1/3), y* = (1/2, 1/2, 0)", async () => {
    const g = readPayoffFile(file("g23.csv", G23));
    assert.deepEqual([g.rows, g.cols], [2, 3]);
    const s = await solveMatrixGame(g);
    assert.ok(Math.abs(s.value - 2) < 1e-9, `value ${s.value}`);
    near(s.x, [2 / 3, 1 / 3]);
    near(s.y, [1 / 2, 1 / 2, 0]);
    assert.ok(s.gap < 1e-12);
  });

  test("its 3×2 mirror −Aᵀ: the players swap, v = −2, x* = (1/2, 1/2, 0), y* = (2/3, 1/3)", async () => {
    const s = await solveMatrixGame(parsePayoffText("-1 -4\n-3 0\n0 -2\n", "t"));
    assert.ok(Math.abs(s.value + 2) < 1e-9, `value ${s.value}`);
    near(s.x, [1 / 2, 1 / 2, 0]);
    near(s.y, [2 / 3, 1 / 3]);
  });

  test("a pure saddle point: v = A₂₁ = 2 at x* = e₂, y* = e₁", async () => {
    const s = await solveMatrixGame(readPayoffFile(file("saddle.csv", SADDLE)));
    assert.ok(Math.abs(s.value - 2) < 1e-9);
    near(s.x, [0, 1, 0]);
    near(s.y, [1, 0, 0]);
  });

  test("a 5×3 game: the LP pair has gap 0 and its payoff is the value", async () => {
    const g = readPayoffFile(file("g53.csv", "2 -1 0.5\n-3 4 1\n0 0 -2\n1.5 -2.5 3\n-1 1 1\n"));
    const s = await solveMatrixGame(g);
    assert.ok(dualityGap(g, s.x, s.y) < 1e-9);
    assert.ok(Math.abs(payoff(g, s.x, s.y) - s.value) < 1e-9);
  });
});

describe("saddle matrix --payoff", () => {
  test("rock-paper-scissors from a file: value 0, uniform strategies (--json)", async () => {
    const r = await saddle(["matrix", "--payoff", file("rps.csv", RPS), "--steps", "2000", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.game, "payoff");
    assert.deepEqual(j.size, [3, 3]);
    assert.ok(Math.abs(j.lp.value) < 1e-12);
    near(j.lp.x, [1 / 3, 1 / 3, 1 / 3]);
    near(j.lp.y, [1 / 3, 1 / 3, 1 / 3]);
  });

  test("a 2×3 file: the LP's closed form, and mirror-prox's averages approach it", async () => {
    const r = await saddle(["matrix", "--payoff", file("g23.csv", G23), "--steps", "2000", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(j.size, [2, 3]);
    assert.ok(Math.abs(j.lp.value - 2) < 1e-9);
    near(j.lp.x, [2 / 3, 1 / 3]);
    near(j.lp.y, [1 / 2, 1 / 2, 0]);
    assert.ok(j.average.gap < 0.01, `averaged gap ${j.average.gap}`);
    near(j.average.x, [2 / 3, 1 / 3], 0.01);
  });

  test("human output names the file and the shape", async () => {
    const r = await saddle(["matrix", "--payoff", file("saddle.csv", SADDLE), "--steps", "100"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /payoff matrix from saddle\.csv: .* \(3×3\)/);
    assert.match(r.stdout, /LP equilibrium\s+value 2, x\* \(0, 1, 0\), y\* \(1, 0, 0\)/);
  });

  const bad: [string, string[], RegExp][] = [
    [
      "missing file",
      ["--payoff", path.join(tmp, "missing.csv")],
      /--payoff: cannot read '.*missing\.csv': no such file/,
    ],
    [
      "ragged rows",
      ["--payoff", file("rag.csv", "1,2,3\n4,5,6\n7,8\n")],
      /row 3 \(line 3\) has 2 entries, expected 3/,
    ],
    [
      "non-numeric entry",
      ["--payoff", file("abc.csv", "1,2\nabc,1\n")],
      /row 2, column 1 \(line 2\): 'abc' is not a number/,
    ],
    ["empty file", ["--payoff", file("empty.csv", "")], /holds no payoff rows/],
    ["NaN entry", ["--payoff", file("nan.csv", "1,NaN\n")], /'NaN' is not a finite number/],
    ["Infinity entry", ["--payoff", file("inf.csv", "1,Infinity\n")], /'Infinity' is not a finite number/],
    [
      "both --matrix and --payoff",
      ["--payoff", file("ok.csv", "1,2\n"), "--matrix", "1,2"],
      /give either --matrix or --payoff/,
    ],
    [
      "--x0 of the wrong length",
      ["--payoff", file("g23b.csv", G23), "--x0", "0.2,0.3,0.5"],
      /--x0: .* must be 2 positive numbers/,
    ],
  ];
  for (const [name, args, re] of bad) {
    test(`bad input: ${name} → one line, exit 2`, async () => {
      const r = await saddle(["matrix", ...args]);
      assert.ok(isOneLineError(r), `code ${r.code}: ${r.stderr}`);
      assert.match(r.stderr, re);
      assert.equal(r.stdout, "");
    });
  }
});
