/**
 * Train one GAN spec over several seeds, in memory, and score each seed's final generator on the 2-D mixture
 * (modes covered, fraction high quality within 3σ, reverse KL). A seed that diverged scores null (the callers
 * count it as collapsed where the relation needs a number).
 *
 * Seeds run one after another as single runs (seed 0, 1, …), each with its own key chain, so a seed's numbers
 * are those of `saddle train --seed s`.
 */
import { parseSpec, type ExperimentInput } from "../spec/experiment.ts";
import { specDataset } from "../train/image-build.ts";
import { TrainingSession } from "../train/session.ts";

export interface SeedScores {
  modes: (number | null)[];
  /** Percent of samples within 3σ of their nearest mode. */
  highQualityPercent: (number | null)[];
  reverseKL: (number | null)[];
  diverged: number;
  wallSeconds: number;
}

/** Trains `input` at seeds 0 … seeds − 1; `tick(done)` after every step (done counts steps over all seeds). */
export async function trainSeeds(
  input: ExperimentInput,
  seeds: number,
  tick: (done: number) => void,
): Promise<SeedScores> {
  const out: SeedScores = { modes: [], highQualityPercent: [], reverseKL: [], diverged: 0, wallSeconds: 0 };
  const t0 = performance.now();
  for (let seed = 0; seed < seeds; seed++) {
    const spec = parseSpec(
      { ...input, seed, replicas: 1, evalEvery: input.steps ?? 2000 },
      "experiment spec",
    );
    const session = new TrainingSession(spec, specDataset(spec));
    try {
      while (!session.done) {
        await session.advance();
        tick(seed * spec.steps + session.step);
      }
      const row = session.diverged ? null : session.evaluate(0).row;
      if (row === null) out.diverged++;
      out.modes.push(row?.modesCovered ?? null);
      out.highQualityPercent.push(row?.highQuality === undefined ? null : 100 * row.highQuality);
      out.reverseKL.push(row?.reverseKL ?? null);
    } finally {
      session.dispose();
    }
  }
  out.wallSeconds = (performance.now() - t0) / 1000;
  return out;
}
