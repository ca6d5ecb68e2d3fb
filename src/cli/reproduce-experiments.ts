/**
 * `saddle reproduce experiments [--quick] [--only ID[,ID]] [--force] [--results FILE] [--json]`: the
 * lectures' empirical claims on real GANs (src/experiments/suite.ts), resumable through the results file
 * (default results/experiments.json). Exit code 0 when every selected claim has a result (a relation that
 * did not hold is a finding, reported with its numbers); a bad flag is a one-line error, exit 2.
 */
import { useDevice } from "../engine/device.ts";
import type { ClaimResult } from "../experiments/experiment.ts";
import { runExperiments, selectExperiments } from "../experiments/suite.ts";
import type { RawFlags } from "./common.ts";
import { str } from "./common.ts";
import { printJson, printTable } from "./output.ts";
import { progress, type Progress } from "./progress.ts";

export const DEFAULT_RESULTS = "results/experiments.json";

export async function runExperimentsCommand(flags: RawFlags): Promise<number> {
  const results = str(flags, "results") ?? DEFAULT_RESULTS;
  const only = str(flags, "only");
  selectExperiments(only); // a bad id fails before anything runs
  const json = flags.json === true;
  await useDevice("wasm");
  let bar: Progress | null = null;
  let label = "";
  const out = await runExperiments({
    results,
    mode: flags.quick === true ? "quick" : "full",
    only,
    force: flags.force === true,
    onStart: (e, i, n, skipped) => {
      bar?.done();
      bar = null;
      label = `[${i + 1}/${n}] ${e.id}`;
      if (skipped) process.stderr.write(`${label}: stored in ${results}, skipped (--force reruns)\n`);
    },
    onTick: (_e, done, total) => {
      bar ??= progress(label, total);
      bar.tick(done, "steps");
    },
  });
  (bar as Progress | null)?.done();
  if (json) {
    printJson(out.results.map((r) => ({ ...r, skipped: out.skipped.includes(r.id) })));
  } else {
    printTable(
      ["", "claim", "budget", "wall s", "measured"],
      out.results.map((r: ClaimResult) => [
        r.pass ? "✓" : "✗ finding",
        r.id,
        r.mode,
        r.wallSeconds.toFixed(0),
        r.measured,
      ]),
    );
    process.stdout.write(
      `\n${out.results.filter((r) => r.pass).length} held, ${out.results.filter((r) => !r.pass).length} finding(s) where the relation did not hold; ` +
        `${out.ran.length} ran, ${out.skipped.length} stored results reused; results in ${results}\n`,
    );
  }
  return 0;
}
