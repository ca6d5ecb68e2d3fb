/**
 * The shape shared by the two-method mode-coverage claims (consensus vs simultaneous GDA, unrolled vs plain
 * GAN): train both specs over the same seeds and report modes covered and % high quality per seed.
 */
import type { ExperimentInput } from "../spec/experiment.ts";
import { measured, pm, type Measured, type RunContext } from "./experiment.ts";
import { trainSeeds } from "./train-seeds.ts";

export interface ArmResult {
  label: string;
  modes: Measured;
  hq: Measured;
  diverged: number;
  line: string;
}

/** Trains each arm for `steps` over `seeds` seeds; a diverged seed counts as 0 modes and 0 %. */
export async function trainArms(
  arms: { label: string; input: ExperimentInput }[],
  steps: number,
  seeds: number,
  ctx: RunContext,
): Promise<ArmResult[]> {
  const out: ArmResult[] = [];
  for (const [k, arm] of arms.entries()) {
    const s = await trainSeeds({ ...arm.input, steps }, seeds, (t) =>
      ctx.tick(k * steps * seeds + t, steps * seeds * arms.length),
    );
    const modes = measured(
      `${arm.label}: modes`,
      s.modes.map((x) => x ?? 0),
    );
    const hq = measured(
      `${arm.label}: % high quality`,
      s.highQualityPercent.map((x) => x ?? 0),
    );
    out.push({
      label: arm.label,
      modes,
      hq,
      diverged: s.diverged,
      line: `${arm.label}: ${pm(modes)} modes, ${pm(hq)} % HQ, diverged ${s.diverged}/${seeds}`,
    });
  }
  return out;
}
