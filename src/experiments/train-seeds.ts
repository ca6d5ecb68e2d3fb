/**
 * Train one GAN spec over several seeds at once as replicas (spec `replicas`: R independent initialisations
 * and noise streams in one vectorised run, src/train/session.ts), in memory, and score each replica's final
 * generator on the 2-D mixture (modes covered, fraction high quality within 3σ, reverse KL). A replica that
 * diverged scores null (the callers count it as collapsed where the relation needs a number).
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

/** Trains `input` with `replicas` = seeds; `tick(step)` after every step. */
export async function trainSeeds(
  input: ExperimentInput,
  seeds: number,
  tick: (step: number) => void,
): Promise<SeedScores> {
  const spec = parseSpec({ ...input, replicas: seeds, evalEvery: input.steps ?? 2000 }, "experiment spec");
  const data = specDataset(spec);
  const session = new TrainingSession(spec, data);
  const t0 = performance.now();
  try {
    while (!session.done) {
      await session.advance();
      tick(session.step);
    }
    const snap = session.evaluate((performance.now() - t0) / 1000);
    const rows = seeds === 1 ? [{ replica: 0, ...snap.row }] : (snap.row.replicas ?? []);
    const at = (r: number) => rows.find((x) => x.replica === r && session.live[r]);
    const idx = Array.from({ length: seeds }, (_, r) => r);
    return {
      modes: idx.map((r) => at(r)?.modesCovered ?? null),
      highQualityPercent: idx.map((r) => {
        const h = at(r)?.highQuality;
        return h === undefined ? null : 100 * h;
      }),
      reverseKL: idx.map((r) => at(r)?.reverseKL ?? null),
      diverged: session.live.filter((x) => !x).length,
      wallSeconds: (performance.now() - t0) / 1000,
    };
  } finally {
    session.dispose();
  }
}
