/**
 * `saddle compare`: the command-line face of the compare workflow (src/workflows/compare.ts): train one spec
 * with several methods over several seeds, print the table and write compare.json and a markdown report.
 */
import { Command } from "commander";
import fs from "node:fs";
import path from "node:path";
import { UsageError } from "../engine/errors.ts";
import { writeFileAtomic, writeJsonAtomic } from "../runs/atomic.ts";
import { parseNumber } from "./args.ts";
import { str, type RawFlags } from "./common.ts";
import { printJson, printTable } from "./output.ts";
import { addQueueFlags, runnerFromFlags } from "./worker.ts";
import { addSpecFlags, specFromFlags } from "./train.ts";
import { makeDirsFor } from "../runs/make-dir.ts";
import { compareMethods, markdownReport, tableCells, type CompareRow } from "../workflows/compare.ts";

export function compareCommand(): Command {
  const cmd = new Command("compare")
    .description("train a spec with several methods over several seeds; table and markdown report")
    .requiredOption(
      "--methods <list>",
      "comma-separated methods, aliases (alt-gda, sim-gda, negative-momentum) or name:field=value",
    )
    .option("--seeds <n>", "seeds 0 … n−1 per method", "3")
    .option("--out <dir>", "report folder (runs go in <out>/runs)", "report")
    .option("--json", "print the table as JSON");
  addSpecFlags(cmd);
  addQueueFlags(cmd);
  cmd.addHelpText(
    "after",
    `
Examples:
  saddle compare --data ring --steps 2000 --methods alt-gda,extragradient,optimistic,consensus,negative-momentum --seeds 5
  saddle compare --spec ring.json --methods alternating,alternating:kD=5 --seeds 3 --json
  saddle compare --data ring --methods alt-gda,extragradient --seeds 5 --queue redis://queue-host:6379 --store /shared/saddle-runs
      (the runs train on \`saddle worker\`s; docs/sweeps.md)`,
  );
  return cmd;
}

export async function runCompareCommand(flags: RawFlags): Promise<number> {
  const seeds = parseNumber("--seeds", str(flags, "seeds") ?? "3", { integer: true, min: 1, max: 100 });
  const methods = (str(flags, "methods") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (methods.length === 0) throw new UsageError("--methods: give at least one method");
  const base = specFromFlags(flags);
  const out = str(flags, "out") ?? "report";
  if (fs.existsSync(out) && !fs.statSync(out).isDirectory())
    throw new UsageError(`--out: '${out}' is not a directory`);
  const runner = await runnerFromFlags(flags);
  let stop = false;
  const onSigint = () => {
    stop = true;
  };
  process.on("SIGINT", onSigint);
  let rows: CompareRow[];
  try {
    rows = await compareMethods(base, methods, seeds, out, {
      quiet: flags.json === true && !process.stderr.isTTY,
      shouldStop: () => stop,
      runner,
    });
  } finally {
    process.off("SIGINT", onSigint);
  }
  makeDirsFor("--out", out);
  writeJsonAtomic(path.join(out, "compare.json"), { spec: base, seeds, rows });
  writeFileAtomic(
    path.join(out, "report.md"),
    markdownReport(base, rows, out, `saddle compare on ${base.data}`),
  );
  if (flags.json === true) {
    printJson({ report: path.join(out, "report.md"), spec: base, seeds, rows });
  } else {
    const { header, cells } = tableCells(rows);
    printTable(header, cells);
    process.stdout.write(`\nreport: ${path.join(out, "report.md")}\n`);
  }
  return stop ? 130 : 0;
}
