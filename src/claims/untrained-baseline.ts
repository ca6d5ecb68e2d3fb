/**
 * The untrained-generator baseline of the training claims: the same spec, data, networks and seeds trained
 * for one step (the fewest the spec allows; Adam's first step moves each weight by about its learning rate),
 * scored by the same mode protocol. A claim that training learns the mixture asks for more modes covered and
 * a larger share of high-quality samples than this row, so a trainer that does not move the generator toward
 * the data (a sign error, a no-op update, a divergence) fails where "the runs finished" would pass.
 */
import path from "node:path";
import { compareMethods, type CompareRow } from "../workflows/compare.ts";
import type { ExperimentSpec } from "../spec/experiment.ts";
import { parseSpec } from "../spec/experiment.ts";
import type { SweepRunner } from "../sweeps/runner.ts";

export const UNTRAINED_LABEL = "untrained (1 step)";

export async function untrainedBaseline(
  base: ExperimentSpec,
  seeds: number,
  out: string,
  runner?: SweepRunner,
): Promise<CompareRow> {
  const spec = parseSpec({ ...base, steps: 1, evalEvery: 1, checkpointEvery: 1, keepCheckpoints: 1 });
  const [row] = await compareMethods(spec, ["alt-gda"], seeds, path.join(out, "untrained"), {
    quiet: !process.stderr.isTTY,
    runner,
  });
  return { ...row, method: UNTRAINED_LABEL };
}

/** Mean modes covered and mean % high quality of a row (NaN when no run produced metrics). */
export const meanModes = (r: CompareRow): number => r.modesCovered?.mean ?? Number.NaN;
export const meanHQ = (r: CompareRow): number => r.highQualityPercent?.mean ?? Number.NaN;

/** The relation of the training claims: more modes and more % high quality than the untrained baseline. */
export function beatsUntrained(r: CompareRow, untrained: CompareRow): boolean {
  return meanModes(r) > meanModes(untrained) && meanHQ(r) > meanHQ(untrained);
}
