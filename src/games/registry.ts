/**
 * Built-in games by name, through the module list (src/games/index.ts), built from one options object (the
 * CLI's flags, the web lab's state and specs produce it).
 */
import type { DTypeName } from "../engine/device.ts";
import { UsageError } from "../engine/errors.ts";
import { paramsOf, type ParamInfo } from "../spec/schema-info.ts";
import type { Game, GameModule } from "./game.ts";
import { DEFAULT_GAME, GAME_NAMES, GAMES, type GameName } from "./index.ts";

export { DEFAULT_GAME, GAME_NAMES, type GameName };

/**
 * What `makeGame` takes: the options every built-in game reads (size, seed, dtype, start) and the game's
 * own parameters by their names (its module's `params`, e.g. bilinear's `p`, `q`); absent ones take the
 * module's defaults, other games' parameters are ignored.
 */
export interface GameOptions {
  dim?: number;
  seed?: number;
  dtype?: DTypeName;
  /** Starting point [θ₀, φ₀]. */
  init?: [number[], number[]];
  [param: string]: unknown;
}

/** A module of the list, its params type erased. */
export type AnyGameModule = GameModule<GameName, Record<string, unknown>>;

const MODULES = GAMES as unknown as readonly AnyGameModule[];

/** Every module. */
export const gameModules = (): readonly AnyGameModule[] => MODULES;

/** The module named `name`, or undefined. */
export const findGame = (name: string): AnyGameModule | undefined => MODULES.find((m) => m.name === name);

/** The module named `name`; an unknown name is a UsageError listing the allowed ones. */
export function gameModule(name: string): AnyGameModule {
  const m = findGame(name);
  if (!m) throw new UsageError(`--game: unknown game '${name}'; allowed: ${GAME_NAMES.join(", ")}`);
  return m;
}

/** A module's parameters (key, kind, default, help), in schema order. */
export const gameParams = (m: AnyGameModule): ParamInfo[] => paramsOf(m.params);

/** The modules that list web-lab controls (one parameter per player: the dynamics view's games). */
export const labGames = (): readonly AnyGameModule[] => MODULES.filter((m) => m.lab !== undefined);

/**
 * `o`'s parameters for `name`'s module, absent ones at the module's defaults; a value the module does not
 * allow is a UsageError naming the field.
 */
export function gameParamValues(name: string, o: GameOptions = {}): Record<string, unknown> {
  const m = gameModule(name);
  const r = m.params.safeParse(o);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue.path.map(String).join(".");
  throw new UsageError(
    `game '${m.name}': field '${field}' = ${JSON.stringify(o[String(issue.path[0])]) ?? "missing"}: ${issue.message.replace(/^Invalid input: /, "")}`,
  );
}

/** The built-in game `name` with options `o`. */
export function makeGame(name: string, o: GameOptions = {}): Game {
  const m = gameModule(name);
  if (m.dim !== undefined && o.dim !== undefined && o.dim !== m.dim)
    throw new UsageError(`--dim: ${m.name} is ${m.dim}-dimensional; got ${o.dim}`);
  return m.create({
    params: gameParamValues(name, o),
    dim: m.dim === undefined ? o.dim : undefined,
    seed: o.seed ?? 0,
    dtype: o.dtype ?? "float64",
    init: o.init,
  });
}
