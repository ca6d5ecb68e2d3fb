/**
 * Built-in games by name, built from one options object (the CLI's flags and specs produce it).
 */
import type { DTypeName } from "../engine/device.ts";
import { UsageError } from "../engine/errors.ts";
import { bilinear } from "./bilinear.ts";
import { DIRAC_OBJECTIVES, dirac, type DiracObjective } from "./dirac.ts";
import type { Game } from "./game.ts";
import { meanMatching } from "./mean-matching.ts";

export const GAME_NAMES = ["bilinear", "dirac", "mean-matching"] as const;
export type GameName = (typeof GAME_NAMES)[number];

export interface GameOptions {
  dim?: number;
  seed?: number;
  dtype?: DTypeName;
  /** bilinear: P = p·I and Q = q·I. */
  p?: number;
  q?: number;
  /** dirac: objective and gradient penalty. */
  objective?: DiracObjective;
  gp?: number;
  clip?: number;
  /** mean-matching: the data mean. */
  mean?: number[];
}

export function makeGame(name: string, o: GameOptions = {}): Game {
  switch (name) {
    case "bilinear":
      return bilinear({ dim: o.dim, seed: o.seed, dtype: o.dtype, p: o.p, q: o.q });
    case "dirac":
      if (o.objective !== undefined && !DIRAC_OBJECTIVES.includes(o.objective)) {
        throw new UsageError(
          `--objective: unknown objective '${o.objective}' for dirac; allowed: ${DIRAC_OBJECTIVES.join(", ")}`,
        );
      }
      if (o.dim !== undefined && o.dim !== 1)
        throw new UsageError(`--dim: dirac is 1-dimensional; got ${o.dim}`);
      return dirac({ objective: o.objective, gp: o.gp, clip: o.clip, dtype: o.dtype });
    case "mean-matching":
      return meanMatching({ mean: o.mean, dim: o.dim, dtype: o.dtype });
    default:
      throw new UsageError(`--game: unknown game '${name}'; allowed: ${GAME_NAMES.join(", ")}`);
  }
}
