/**
 * `saddle matrix`: a finite zero-sum game min_x max_y xᵀAy over the simplices, solved exactly by linear
 * programming and approximately by entropic mirror descent or mirror-prox (Hsieh, Liu & Cevher 2019: the
 * finite form of dμ₊ ∝ e^{−ηh} dμ), with the exact duality gap of the last and the averaged iterates. The
 * game is a preset (rock-paper-scissors, a random n×n), `--matrix` inline or `--payoff` a file
 * (src/games/payoff-file.ts); any m×n shape.
 */
import { Command } from "commander";
import { solveMatrixGame } from "../equilibria/lp-nash.ts";
import { mirrorDescent } from "../equilibria/mirror-descent.ts";
import { mirrorProx } from "../equilibria/mirror-prox.ts";
import { UsageError } from "../engine/errors.ts";
import { readPayoffFile } from "../games/payoff-file.ts";
import { matrixGame, randomMatrix, rockPaperScissors, type MatrixGame } from "../games/matrix-game.ts";
import { optionalNumber, parseChoice, parseNumber, parseNumberList, SEED_RULE } from "./args.ts";
import { str, type RawFlags } from "./common.ts";
import { fmt, printJson, printPairs } from "./output.ts";

export function matrixCommand(): Command {
  return new Command("matrix")
    .description(
      "finite zero-sum game: exact Nash equilibrium (LP) vs mirror descent / mirror-prox, duality gaps",
    )
    .option("--game <name>", "rps | random (or give --matrix or --payoff)", "rps")
    .option(
      "--matrix <rows>",
      "an m×n payoff matrix, rows separated by ';', entries by ',' (e.g. '0,1,-1;-1,0,1;1,-1,0')",
    )
    .option(
      "--payoff <file>",
      "an m×n payoff matrix from a file: one row per line, entries by ',' or spaces, '#' comments",
    )
    .option("--size <n>", "random: n×n", "10")
    .option("--seed <s>", "random: seed", "0")
    .option("--method <name>", "mirror-descent | mirror-prox", "mirror-prox")
    .option("--steps <T>", "iterations", "10000")
    .option("--x0 <list>", "row player's starting strategy (default uniform), e.g. 0.6,0.3,0.1")
    .option("--y0 <list>", "column player's starting strategy (default uniform)")
    .option("--eta <x>", "step size (default: mirror-prox 1/max|A|; mirror descent √(log n)/max|A| · 1/√t)")
    .option("--json", "print one JSON object")
    .addHelpText(
      "after",
      `
The row player x minimises xᵀAy, the column player y maximises it. The duality gap
max_j (xᵀA)_j − min_i (Ay)_i is 0 exactly at a Nash equilibrium.

--payoff file.csv: row i, column j is A_ij (what row player i pays column player j); one matrix row
per line, entries separated by commas and/or spaces; '#' starts a comment (put strategy labels there:
there is no header row); blank lines are skipped; at most 1000×1000. Any m×n shape.

Examples:
  saddle matrix --game rps --method mirror-descent --steps 100000 --x0 0.6,0.3,0.1 --y0 0.2,0.3,0.5
  saddle matrix --matrix '2,-1;-1,1' --method mirror-prox --json
  saddle matrix --payoff game.csv --json`,
    );
}

function parseMatrix(text: string): number[][] {
  const rows = text
    .split(";")
    .map((r) => r.trim())
    .filter((r) => r !== "");
  if (rows.length === 0)
    throw new UsageError("--matrix: the payoff matrix is empty; allowed: an m×n matrix such as '0,1;1,0'");
  return rows.map((r, i) =>
    r.split(",").map((s, j) => {
      const x = Number(s.trim());
      if (s.trim() === "" || !Number.isFinite(x)) {
        throw new UsageError(`--matrix: entry (${i + 1}, ${j + 1}) '${s.trim()}' is not a number`);
      }
      return x;
    }),
  );
}

export async function runMatrixCommand(flags: RawFlags): Promise<number> {
  const steps = parseNumber("--steps", str(flags, "steps"), { integer: true, min: 1, max: 10_000_000 });
  const method = parseChoice("--method", str(flags, "method") ?? "mirror-prox", [
    "mirror-descent",
    "mirror-prox",
  ] as const);
  const eta = optionalNumber("--eta", str(flags, "eta"), { above: 0 });
  const text = str(flags, "matrix");
  const payoff = str(flags, "payoff");
  if (text !== undefined && payoff !== undefined) {
    throw new UsageError("--payoff: give either --matrix or --payoff, not both");
  }
  let game: MatrixGame;
  if (text !== undefined) {
    game = matrixGame(parseMatrix(text), { name: "matrix" });
  } else if (payoff !== undefined) {
    game = readPayoffFile(payoff);
  } else {
    const name = parseChoice("--game", str(flags, "game") ?? "rps", ["rps", "random"] as const);
    game =
      name === "rps"
        ? rockPaperScissors()
        : randomMatrix(
            parseNumber("--size", str(flags, "size"), { integer: true, min: 1, max: 500 }),
            parseNumber("--size", str(flags, "size"), { integer: true, min: 1, max: 500 }),
            parseNumber("--seed", str(flags, "seed"), SEED_RULE),
          );
  }
  const start = (flag: string, n: number): number[] | undefined => {
    const raw = str(flags, flag.slice(2));
    if (raw === undefined) return undefined;
    const p = parseNumberList(flag, raw, { above: 0 });
    const sum = p.reduce((a, b) => a + b, 0);
    if (p.length !== n || Math.abs(sum - 1) > 1e-9) {
      throw new UsageError(`${flag}: '${raw}' must be ${n} positive numbers summing to 1`);
    }
    return p;
  };
  const x0 = start("--x0", game.rows);
  const y0 = start("--y0", game.cols);
  const lp = await solveMatrixGame(game);
  const t0 = performance.now();
  const run =
    method === "mirror-prox"
      ? mirrorProx(game, { steps, eta, x0, y0 })
      : mirrorDescent(game, { steps, eta, x0, y0, reference: lp });
  const ms = performance.now() - t0;
  const last = run.trace[run.trace.length - 1];
  const result = {
    game: game.name,
    description: game.description,
    size: [game.rows, game.cols],
    lp: { value: lp.value, x: Array.from(lp.x), y: Array.from(lp.y), gap: lp.gap },
    method,
    steps,
    eta: run.eta,
    schedule: run.schedule,
    last: { x: Array.from(run.x), y: Array.from(run.y), gap: last.gapLast },
    average: { x: Array.from(run.xAvg), y: Array.from(run.yAvg), gap: last.gapAvg },
    trace: run.trace,
    wallMs: ms,
  };
  if (flags.json === true) {
    printJson(result);
    return 0;
  }
  const v = (a: ArrayLike<number>) =>
    `(${Array.from(a)
      .slice(0, 6)
      .map((x) => fmt(x, 4))
      .join(", ")}${a.length > 6 ? ", …" : ""})`;
  printPairs([
    ["game", `${game.name}: ${game.description} (${game.rows}×${game.cols})`],
    ["LP equilibrium", `value ${fmt(lp.value)}, x* ${v(lp.x)}, y* ${v(lp.y)}`],
    ["method", `${method}, ${steps} steps, η = ${fmt(run.eta)} (${run.schedule}), ${fmt(ms, 3)} ms`],
    ["last iterate", `gap ${fmt(last.gapLast)}, x ${v(run.x)}`],
    ["average", `gap ${fmt(last.gapAvg)}, x̄ ${v(run.xAvg)}`],
  ]);
  return 0;
}
