/**
 * `saddle analyze --nash-gap <run-dir>` (hooked in by src/cli/analyze.ts): Farnia & Ozdaglar's "fix the
 * trained D and keep optimizing G" on a trained run (src/workflows/nash-gap.ts), as a table or one JSON object.
 */
import { nashGapOfRun } from "../workflows/nash-gap.ts";
import { parseNumber } from "./args.ts";
import { fmt, printJson, printPairs, printTable } from "./output.ts";

export async function runNashGap(
  runDir: string,
  flags: { steps?: string; prox?: string; json?: boolean },
): Promise<number> {
  const steps = parseNumber("--steps", flags.steps ?? "200", { integer: true, min: 1, max: 1_000_000 });
  const prox = flags.prox === undefined ? undefined : parseNumber("--prox", flags.prox, { above: 0 });
  const r = await nashGapOfRun(runDir, { steps, prox });
  if (flags.json) {
    printJson(r);
    return 0;
  }
  const m = (x: { modesCovered?: number; modes?: number; highQuality?: number; reverseKL?: number }) =>
    x.modes === undefined
      ? "—"
      : `${x.modesCovered}/${x.modes} modes, ${fmt((x.highQuality ?? 0) * 100, 4)}% HQ, KL ${fmt(x.reverseKL)}`;
  printPairs([
    ["run", `${r.runDir} (step ${r.step})`],
    [
      "experiment",
      `fix one player, ${r.steps} steps of the other (${r.optimizer}, lr G ${r.lrG}, D ${r.lrD})`,
    ],
  ]);
  process.stdout.write("\n");
  const rows = [
    [
      "G (D fixed)",
      "L_G",
      fmt(r.G.before),
      fmt(r.G.after),
      fmt(r.G.improvement),
      m(r.modesBefore),
      m(r.modesAfterG),
    ],
    ["D (G fixed)", "L_D", fmt(r.D.before), fmt(r.D.after), fmt(r.D.improvement), "", ""],
  ];
  if (r.prox) {
    rows.push([
      `G on V^prox λ=${r.prox.lambda}`,
      "V^prox",
      fmt(r.prox.before),
      fmt(r.prox.after),
      fmt(r.prox.improvement),
      m(r.modesBefore),
      m(r.prox.modesAfter),
    ]);
  }
  printTable(["player moved", "loss", "before", "after", "improvement", "modes before", "modes after"], rows);
  process.stdout.write(
    "\nAt a (local) Nash equilibrium no player improves its own loss; a positive improvement says the trained point is not one.\n",
  );
  return 0;
}
