/**
 * `saddle reproduce mixtures`: a fixed comparison of game-aware methods on the 2-D mixtures of the VEEGAN /
 * PacGAN protocol (REFERENCE.md, "Benchmarks from the literature"), reported next to those papers' rows.
 * Each method's claim is that it learns the mixture: every run ends with a recorded result (completed, or
 * diverged with its step and player) and the mean modes covered and mean % high quality over seeds are both
 * above the untrained generator's (the same spec and seeds after one step, src/claims/untrained-baseline.ts).
 * The literature's rows stand beside the numbers; how far each method gets at this budget is a finding.
 */
import os from "node:os";
import path from "node:path";
import { compareMethods, type CompareRow } from "../workflows/compare.ts";
import { parseSpec } from "../spec/experiment.ts";
import type { SweepRunner } from "../sweeps/runner.ts";
import type { Claim, Suite } from "./claim.ts";
import { makeDirs } from "../runs/make-dir.ts";
import { beatsUntrained, meanHQ, meanModes, untrainedBaseline } from "./untrained-baseline.ts";

export const MIXTURE_METHODS = ["alt-gda", "extragradient", "optimistic", "consensus", "negative-momentum"];

/** The literature's rows (REFERENCE.md), modes / % high quality. */
export const LITERATURE: Record<"ring" | "grid", string> = {
  ring: "VEEGAN Table 1: GAN 1 / 99.3, Unrolled 7.6 / 35.6, VEEGAN 8 / 52.9; PacGAN Table 1: GAN 6.3 / 98.2, PacGAN4 7.8 / 95.9",
  grid: "VEEGAN Table 1: GAN 3.3 / 0.5, Unrolled 23.6 / 16, VEEGAN 24.6 / 40; PacGAN Table 1: GAN 17.3 / 94.8, PacGAN4 24.8 / 93.6",
};

export interface MixturesConfig {
  steps: number;
  seeds: number;
  out: string;
}

export const DEFAULT_MIXTURES: MixturesConfig = {
  steps: Number(process.env.SADDLE_MIXTURES_STEPS ?? 2000),
  seeds: Number(process.env.SADDLE_MIXTURES_SEEDS ?? 3),
  out: process.env.SADDLE_MIXTURES_OUT ?? path.join(os.tmpdir(), `saddle-reproduce-mixtures-${process.pid}`),
};

function describeRow(r: CompareRow): string {
  const f = (s: { mean: number; std: number } | null, d: number) =>
    s ? `${s.mean.toFixed(d)} ± ${s.std.toFixed(d)}` : "—";
  return `${f(r.modesCovered, 1)} modes, ${f(r.highQualityPercent, 1)} % HQ, reverse KL ${f(r.reverseKL, 3)}, diverged ${r.diverged}/${r.seeds}`;
}

export async function runMixturesClaims(
  cfg: MixturesConfig = DEFAULT_MIXTURES,
  runner?: SweepRunner,
): Promise<Claim[]> {
  const claims: Claim[] = [];
  makeDirs(cfg.out);
  for (const data of ["ring", "grid"] as const) {
    const base = parseSpec({
      data,
      steps: cfg.steps,
      evalEvery: cfg.steps,
      checkpointEvery: cfg.steps,
      keepCheckpoints: 1,
    });
    const rows = await compareMethods(base, MIXTURE_METHODS, cfg.seeds, path.join(cfg.out, data), {
      quiet: !process.stderr.isTTY,
      runner,
    });
    const untrained = await untrainedBaseline(base, cfg.seeds, path.join(cfg.out, data), runner);
    for (const r of rows) {
      const ended = r.runs.every((x) => x.status === "completed" || x.status === "diverged");
      claims.push({
        id: `mixtures/${data}/${r.method}`,
        claim:
          `${r.method} learns the ${data} mixture (${cfg.steps} steps, ${cfg.seeds} seeds, non-saturating, Adam 1e-3; ` +
          "VEEGAN/PacGAN protocol): mean modes covered and mean % high quality both above the untrained generator's",
        source: "REFERENCE.md, Benchmarks from the literature (VEEGAN / PacGAN Table 1)",
        expected: `> untrained: ${meanModes(untrained).toFixed(1)} modes, ${meanHQ(untrained).toFixed(1)} % HQ; literature: ${LITERATURE[data]}`,
        measured: describeRow(r),
        pass: ended && r.modesCovered !== null && beatsUntrained(r, untrained),
        detail: `untrained (1 step, same seeds): ${describeRow(untrained)}; runs in ${path.join(cfg.out, data)}`,
      });
    }
  }
  return claims;
}

export const mixturesSuite: Suite = {
  name: "mixtures",
  description:
    "alt-GDA, extragradient, optimistic, consensus, negative momentum on ring and grid vs VEEGAN/PacGAN (minutes)",
  run: (ctx) => runMixturesClaims(DEFAULT_MIXTURES, ctx?.runner),
};
