/**
 * GAN objectives by name (Gidel, lecture 13, "GANs Objectives"; the CLI's --objective and the GAN game's
 * options produce the name). Each objective's file quotes its formula.
 */
import { UsageError } from "../engine/errors.ts";
import { hinge } from "./hinge.ts";
import { leastSquares } from "./least-squares.ts";
import { minimax } from "./minimax.ts";
import { nonSaturating } from "./non-saturating.ts";
import { OBJECTIVE_NAMES, type Objective, type ObjectiveName, type ObjectiveOptions } from "./objective.ts";
import { DEFAULT_WGAN_CLIP, wasserstein } from "./wasserstein.ts";
import { DEFAULT_GP_LAMBDA, wganGp } from "./wgan-gp.ts";

export { OBJECTIVE_NAMES, type Objective, type ObjectiveName, type ObjectiveOptions };

function positive(flag: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new UsageError(`--${flag}: must be a number > 0, got '${value}'`);
  }
  return value;
}

/** The objective named `name` with its options; an unknown name is a UsageError listing the names. */
export function objectiveFor(name: string, opts: ObjectiveOptions = {}): Objective {
  switch (name as ObjectiveName) {
    case "minimax":
      return minimax();
    case "non-saturating":
      return nonSaturating();
    case "wasserstein":
      return wasserstein(positive("clip", opts.clip ?? DEFAULT_WGAN_CLIP));
    case "wgan-gp":
      return wganGp(positive("gp-lambda", opts.gpLambda ?? DEFAULT_GP_LAMBDA));
    case "hinge":
      return hinge();
    case "least-squares":
      return leastSquares();
    default:
      throw new UsageError(
        `--objective: unknown objective '${name}'; allowed: ${OBJECTIVE_NAMES.join(", ")}`,
      );
  }
}
