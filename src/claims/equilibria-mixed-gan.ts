/**
 * A mixed-NE GAN against the same-budget alternating-GDA baseline on the ring mixture (Hsieh, Liu & Cevher
 * 2019 propose Mirror-GAN / Mirror-Prox-GAN as better-behaved trainers than pure-strategy GDA). Both train the
 * same data, objective, networks, batch and number of steps, over the same seeds; the mixed method keeps
 * K = 4 particles per player (an SGLD chain each, src/methods/mirror-gan.ts), the baseline one network per
 * player with Adam. Two claims:
 *   - a check: the Mirror-GAN runs learn the mixture (every run ends with a recorded result; mean modes covered
 *     and mean % high quality both above the untrained generator's, src/claims/untrained-baseline.ts);
 *   - a finding, the paper's relation: Mirror-GAN covers at least as many modes as alternating GDA at the same
 *     budget (mean over seeds), with at least its % high quality; reported whether or not it holds.
 */
import os from "node:os";
import path from "node:path";
import { compareMethods, type CompareRow } from "../workflows/compare.ts";
import { parseSpec } from "../spec/experiment.ts";
import type { SweepRunner } from "../sweeps/runner.ts";
import type { Claim } from "./claim.ts";
import { makeDirs } from "../runs/make-dir.ts";
import { beatsUntrained, meanHQ, meanModes, untrainedBaseline } from "./untrained-baseline.ts";

export interface MixedGanClaimConfig {
  steps: number;
  seeds: number;
  out: string;
}

export const DEFAULT_MIXED_GAN: MixedGanClaimConfig = {
  steps: Number(process.env.SADDLE_MIXED_STEPS ?? 1000),
  seeds: Number(process.env.SADDLE_MIXED_SEEDS ?? 3),
  out: process.env.SADDLE_MIXED_OUT ?? path.join(os.tmpdir(), `saddle-reproduce-mixed-gan-${process.pid}`),
};

/** The mixed method's hyper-parameters: plain SGLD needs a larger step than Adam's 1e-3. */
export const MIRROR_GAN_ENTRY = "mirror-gan:particles=4:lrG=0.02:lrD=0.02:temperature=0.0001";
export const BASELINE_ENTRY = "alt-gda";

const stat = (s: { mean: number; std: number } | null, d: number) =>
  s ? `${s.mean.toFixed(d)} ± ${s.std.toFixed(d)}` : "—";

function describe(r: CompareRow): string {
  return `${stat(r.modesCovered, 2)} modes, ${stat(r.highQualityPercent, 1)} % HQ, reverse KL ${stat(r.reverseKL, 3)}, diverged ${r.diverged}/${r.seeds}, ${stat(r.wallSeconds, 0)} s`;
}

export async function mixedGanClaims(
  cfg: MixedGanClaimConfig = DEFAULT_MIXED_GAN,
  runner?: SweepRunner,
): Promise<Claim[]> {
  makeDirs(cfg.out);
  const base = parseSpec({
    data: "ring",
    steps: cfg.steps,
    evalEvery: cfg.steps,
    checkpointEvery: cfg.steps,
    keepCheckpoints: 1,
  });
  const [baseline, mixed] = await compareMethods(
    base,
    [BASELINE_ENTRY, MIRROR_GAN_ENTRY],
    cfg.seeds,
    cfg.out,
    {
      quiet: !process.stderr.isTTY,
      runner,
    },
  );
  const untrained = await untrainedBaseline(base, cfg.seeds, cfg.out, runner);
  const ended = (r: CompareRow) => r.runs.every((x) => x.status === "completed" || x.status === "diverged");
  const m = meanModes;
  const hq = meanHQ;
  const verdict =
    m(mixed) > m(baseline)
      ? "the mixed-NE GAN covers more modes"
      : m(mixed) < m(baseline)
        ? "the alternating-GDA baseline covers more modes"
        : "both cover as many modes";
  const budget = `${cfg.steps} steps, batch 256, ${cfg.seeds} seeds`;
  return [
    {
      id: "equilibria/mixed-gan/ring",
      kind: "finding",
      claim: `Mirror-GAN (K = 4 particles per player, SGLD) finds a better equilibrium than pure-strategy alternating GDA (Adam) on ring at the same budget (${budget}): at least as many modes covered and at least its % high quality (means over seeds)`,
      source: "Hsieh, Liu & Cevher, ICML 2019 (mixed Nash equilibria of GANs); REFERENCE.md mode protocol",
      expected: "modes(mirror-gan) ≥ modes(alt-gda) and % HQ(mirror-gan) ≥ % HQ(alt-gda)",
      measured: `mirror-gan: ${describe(mixed)}; alt-gda: ${describe(baseline)}`,
      pass: m(mixed) >= m(baseline) && hq(mixed) >= hq(baseline),
      detail: `${verdict} (${m(mixed).toFixed(2)} vs ${m(baseline).toFixed(2)}; % HQ ${hq(mixed).toFixed(2)} vs ${hq(baseline).toFixed(2)}); runs in ${cfg.out}`,
    },
    {
      id: "equilibria/mixed-gan/ring-learns",
      claim: `Mirror-GAN (K = 4 particles per player, SGLD) learns the ring (${budget}): every run ends with a result, and mean modes covered and mean % high quality are both above the untrained generator's (1 step, same seeds)`,
      source: "Hsieh, Liu & Cevher, ICML 2019 (mixed Nash equilibria of GANs); REFERENCE.md mode protocol",
      expected: `> untrained: ${m(untrained).toFixed(2)} modes, ${hq(untrained).toFixed(1)} % HQ`,
      measured: `${m(mixed).toFixed(2)} modes, ${hq(mixed).toFixed(1)} % HQ`,
      pass:
        ended(mixed) && ended(baseline) && mixed.modesCovered !== null && beatsUntrained(mixed, untrained),
      detail: `untrained: ${describe(untrained)}; alt-gda ${beatsUntrained(baseline, untrained) ? "also beats" : "does not beat"} it`,
    },
  ];
}
