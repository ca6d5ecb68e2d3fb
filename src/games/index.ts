/**
 * The list of built-in games. Each entry is one self-describing module (src/games/game.ts, `GameModule`):
 * name, parameters (zod schema with defaults, ranges and help), builder, formula and citation. `makeGame`
 * (registry.ts), the `--game` choices and game flags of `saddle dynamics` / `analyze`, and the web lab's game
 * menu and controls derive from this list: a new game is its own file plus one line here.
 */
import { bilinearGame } from "./bilinear.ts";
import { diracGame } from "./dirac.ts";
import { meanMatchingGame } from "./mean-matching.ts";
import { quadraticGame } from "./quadratic.ts";

export const GAMES = [bilinearGame, diracGame, meanMatchingGame, quadraticGame] as const;

export type GameName = (typeof GAMES)[number]["name"];
export const GAME_NAMES = GAMES.map((m) => m.name) as unknown as readonly [GameName, ...GameName[]];

/** The game `saddle dynamics` / `analyze` and the dynamics lab start with. */
export const DEFAULT_GAME: GameName = bilinearGame.name;
