/**
 * A user's game from a file: `--game ./my-game.ts` imports the module (TypeScript through tsx, or
 * JavaScript) and takes its default export, or else its export named `game`. That export is either a
 * `Game` (src/games/game.ts) or a factory `(opts: GameFileOptions) => Game` that receives `--dim`, `--seed`
 * and `--dtype`. Required: `players` (two names), `dtype` ("float64" | "float32"), `loss(i, θ, φ)` returning
 * a scalar, `init()` returning [θ, φ] (arrays or pytrees of arrays of that dtype); optional: `name` (default:
 * the file's base name), `description`, `zeroSum` (default false), `equilibrium()` (needed by `dynamics`),
 * `clip`, `bestResponse`. Deterministic games only (stochastic ones are GANs: `saddle train`).
 *
 * Every problem is one line naming the file and what is wrong (a UsageError: exit code 2). The module must
 * import @jax-js/jax from where it lives, so keep it inside a project that has saddle's dependencies (this
 * repository's examples/ folder, for instance).
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { tree, type Array as JArray } from "@jax-js/jax";
import { DTYPES, type DTypeName } from "../engine/device.ts";
import { UsageError } from "../engine/errors.ts";
import * as T from "../engine/tree.ts";
import type { Game, Joint } from "./game.ts";

/** What a game factory receives. */
export interface GameFileOptions {
  /** `--dim`, when given. */
  dim?: number;
  /** `--seed` (default 0). */
  seed: number;
  /** `--dtype` (default float64). */
  dtype: DTypeName;
}

export type GameFactory = (opts: GameFileOptions) => Game;

const EXTENSIONS = [".ts", ".mts", ".js", ".mjs"];

/** True when a `--game` value names a file rather than a built-in game. */
export function isGamePath(value: string): boolean {
  return (
    value.startsWith("./") ||
    value.startsWith("../") ||
    value.startsWith("/") ||
    EXTENSIONS.some((e) => value.endsWith(e))
  );
}

const firstLine = (e: unknown): string => String(e instanceof Error ? e.message : e).split("\n")[0];
const describe = (v: unknown): string =>
  v === null ? "null" : Array.isArray(v) ? "an array" : typeof v === "function" ? "a function" : typeof v;

const isArrayLeaf = (v: unknown): v is JArray =>
  typeof v === "object" && v !== null && "shape" in v && "dtype" in v && "dataSync" in v;

/** Checks one player's parameters from init()/equilibrium(): jax arrays of the game's dtype. */
function checkPlayerParams(where: string, what: string, p: unknown, dtype: DTypeName): number {
  let leaves: unknown[];
  try {
    leaves = tree.leaves(p as T.Params);
  } catch {
    leaves = [p];
  }
  if (leaves.length === 0) throw new UsageError(`${where}: ${what} has no arrays`);
  let size = 0;
  for (const leaf of leaves) {
    if (!isArrayLeaf(leaf)) {
      throw new UsageError(
        `${where}: ${what} holds ${describe(leaf)}, not a jax-js array (use np.array(…, { dtype: np.${dtype} }))`,
      );
    }
    if (String(leaf.dtype) !== dtype) {
      throw new UsageError(`${where}: ${what} has dtype ${String(leaf.dtype)}; the game's dtype is ${dtype}`);
    }
    size += leaf.size;
  }
  return size;
}

/** Checks a Joint returned by init() or equilibrium(); returns [n_θ, n_φ]. */
function checkJoint(where: string, fn: string, w: unknown, g: Game): [number, number] {
  if (!Array.isArray(w) || w.length !== 2) {
    throw new UsageError(`${where}: ${fn} returned ${describe(w)}; expected [θ, φ], one entry per player`);
  }
  return [
    checkPlayerParams(where, `${fn}[0] (${g.players[0]})`, w[0], g.dtype),
    checkPlayerParams(where, `${fn}[1] (${g.players[1]})`, w[1], g.dtype),
  ];
}

/** Runs user code, turning its exception into one line. */
function call<R>(where: string, what: string, f: () => R): R {
  try {
    return f();
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${where}: ${what} threw: ${firstLine(e)}`);
  }
}

/**
 * Validates the shape of a module's game export (a Game or a factory) and returns a Game that delegates to
 * it, with defaults filled in. `dtypeFlag` is `--dtype` when given: a Game object's dtype must match it.
 */
export function gameFromExport(
  file: string,
  exported: unknown,
  opts: GameFileOptions,
  dtypeFlag: DTypeName | undefined,
  defaultName: string,
): Game {
  const where = `--game ${file}`;
  let v = exported;
  if (typeof v === "function") {
    v = call(where, "the game factory", () => (v as GameFactory)(opts));
    if (typeof v !== "object" || v === null || Array.isArray(v))
      throw new UsageError(`${where}: the game factory returned ${describe(v)}, not a Game object`);
  } else if (typeof v !== "object" || v === null || Array.isArray(v)) {
    throw new UsageError(
      `${where}: the exported game is ${describe(v)}; expected a Game object or (opts) => Game`,
    );
  } else if (dtypeFlag !== undefined && (v as { dtype?: unknown }).dtype !== dtypeFlag) {
    throw new UsageError(
      `--dtype: ${dtypeFlag}, but the game in ${file} is ${String((v as { dtype?: unknown }).dtype)}; export a factory (opts) => Game to take --dtype`,
    );
  }
  const u = v as Partial<Record<keyof Game, unknown>>;
  const players = u.players;
  if (
    !Array.isArray(players) ||
    players.length !== 2 ||
    !players.every((p) => typeof p === "string" && p.length > 0) ||
    players[0] === players[1]
  ) {
    throw new UsageError(
      `${where}: field 'players' = ${JSON.stringify(players) ?? "undefined"}; expected two different names, e.g. ["theta", "phi"]`,
    );
  }
  if (typeof u.dtype !== "string" || !(DTYPES as readonly string[]).includes(u.dtype)) {
    throw new UsageError(
      `${where}: field 'dtype' = ${JSON.stringify(u.dtype) ?? "undefined"}; allowed: ${DTYPES.join(", ")}`,
    );
  }
  for (const f of ["loss", "init"] as const) {
    if (typeof u[f] !== "function") {
      throw new UsageError(`${where}: field '${f}' is ${describe(u[f])}; expected a function`);
    }
  }
  for (const f of ["equilibrium", "bestResponse"] as const) {
    if (u[f] !== undefined && typeof u[f] !== "function")
      throw new UsageError(`${where}: field '${f}' is ${describe(u[f])}; expected a function or nothing`);
  }
  for (const f of ["name", "description"] as const) {
    if (u[f] !== undefined && typeof u[f] !== "string")
      throw new UsageError(`${where}: field '${f}' is ${describe(u[f])}; expected a string`);
  }
  if (u.zeroSum !== undefined && typeof u.zeroSum !== "boolean")
    throw new UsageError(`${where}: field 'zeroSum' is ${describe(u.zeroSum)}; expected true or false`);
  if (u.stochastic === true) {
    throw new UsageError(
      `${where}: the game is stochastic (its losses take a key); --game takes deterministic games, GANs are trained with 'saddle train'`,
    );
  }
  const src = v as Game;
  const game: Game = {
    name: src.name ?? defaultName,
    description: src.description ?? `a game from ${file}`,
    players: [players[0], players[1]],
    dtype: u.dtype as DTypeName,
    zeroSum: src.zeroSum ?? false,
    loss: (i, x, y, key) => src.loss(i, x, y, key),
    init: () => src.init(),
    ...(src.equilibrium ? { equilibrium: () => (src.equilibrium as () => Joint)() } : {}),
    ...(src.clip !== undefined ? { clip: src.clip } : {}),
    ...(src.bestResponse
      ? {
          bestResponse: (i, x, y, key) =>
            (src.bestResponse as NonNullable<Game["bestResponse"]>)(i, x, y, key),
        }
      : {}),
  };
  const w = call(where, "init()", () => game.init());
  const sizes = checkJoint(where, "init()", w, game);
  if (game.equilibrium) {
    const e = call(where, "equilibrium()", () => (game.equilibrium as () => Joint)());
    const es = checkJoint(where, "equilibrium()", e, game);
    T.dispose((e as Joint)[0]);
    T.dispose((e as Joint)[1]);
    if (es[0] !== sizes[0] || es[1] !== sizes[1]) {
      throw new UsageError(
        `${where}: equilibrium() has ${es[0]} + ${es[1]} parameters but init() has ${sizes[0]} + ${sizes[1]}`,
      );
    }
  }
  for (const i of [0, 1] as const) {
    const l = call(where, `loss(${i}, θ, φ)`, () => game.loss(i, T.ref(w[0]), T.ref(w[1])));
    if (!isArrayLeaf(l) || l.shape.length !== 0) {
      const what = isArrayLeaf(l) ? `an array of shape [${l.shape.join(", ")}]` : describe(l);
      throw new UsageError(
        `${where}: loss(${i}, θ, φ) returned ${what}; expected a scalar array (np.sum(…))`,
      );
    }
    l.dispose();
  }
  T.dispose(w[0]);
  T.dispose(w[1]);
  return game;
}

/** Imports `file` (relative to the working directory) and returns its validated game. */
export async function loadGameFile(
  file: string,
  opts: GameFileOptions,
  dtypeFlag?: DTypeName,
): Promise<Game> {
  const where = `--game ${file}`;
  const abs = path.resolve(file);
  if (!fs.existsSync(abs)) throw new UsageError(`${where}: file not found`);
  if (!fs.statSync(abs).isFile()) throw new UsageError(`${where}: not a file`);
  let mod: Record<string, unknown>;
  try {
    // `?saddle-game`: bin/resolve-from-saddle.mjs loads it as an ES module and finds @jax-js/jax from saddle's folder.
    mod = (await import(`${pathToFileURL(abs).href}?saddle-game`)) as Record<string, unknown>;
  } catch (e) {
    throw new UsageError(`${where}: cannot import it: ${firstLine(e)}`);
  }
  const exported = mod.default ?? mod.game;
  if (exported === undefined) {
    throw new UsageError(
      `${where}: exports no game; add 'export default' of a Game (or of (opts) => Game), or 'export const game'`,
    );
  }
  const base = path.basename(abs).replace(/\.(m?ts|m?js)$/, "");
  return gameFromExport(file, exported, opts, dtypeFlag, base);
}
