/**
 * The list of GAN objectives. Each entry is one self-describing module (src/objectives/objective.ts,
 * `ObjectiveModule`): name, hyper-parameters (zod schema with defaults and ranges), losses, formula and
 * citation. `OBJECTIVE_NAMES` and `objectiveFor` (registry.ts), the experiment spec's objective choices, the
 * CLI's help, the Dirac-GAN's objective choices and the web lab's menus derive from this list: a new
 * objective is its own file plus one line here.
 */
import { hingeObjective } from "./hinge.ts";
import { leastSquaresObjective } from "./least-squares.ts";
import { minimaxObjective } from "./minimax.ts";
import { nonSaturatingObjective } from "./non-saturating.ts";
import { wassersteinObjective } from "./wasserstein.ts";
import { wganGpObjective } from "./wgan-gp.ts";

export const OBJECTIVE_MODULES = [
  minimaxObjective,
  nonSaturatingObjective,
  wassersteinObjective,
  wganGpObjective,
  hingeObjective,
  leastSquaresObjective,
] as const;

export type ObjectiveName = (typeof OBJECTIVE_MODULES)[number]["name"];
export const OBJECTIVE_NAMES = OBJECTIVE_MODULES.map((m) => m.name) as unknown as readonly [
  ObjectiveName,
  ...ObjectiveName[],
];

/** The objective a GAN trains with by default (the experiment spec's, the GAN games'). */
export const DEFAULT_OBJECTIVE: ObjectiveName = nonSaturatingObjective.name;
