/**
 * Flags shared by `dynamics` and `analyze`: the game (a built-in name or a file), its options, the method
 * and its hyper-parameters, the device and dtype. Turned into a GameOptions and a MethodSpec after
 * validation; `loadGame` builds or imports the game and runs the safety net (src/analysis/field-check.ts).
 * The game flags are the game modules' parameters (src/games/index.ts), one `--<param>` each.
 */
import type { Command } from "commander";
import { checkGameOnce, skipFieldCheck } from "../analysis/field-check.ts";
import { DEVICES, DTYPES, type DeviceName, type DTypeName } from "../engine/device.ts";
import { UsageError } from "../engine/errors.ts";
import { isGamePath, loadGameFile } from "../games/game-file.ts";
import type { Game } from "../games/game.ts";
import {
  DEFAULT_GAME,
  GAME_NAMES,
  gameModule,
  gameModules,
  gameParams,
  makeGame,
  type GameName,
  type GameOptions,
} from "../games/registry.ts";
import { DEFAULT_METHOD } from "../methods/index.ts";
import type { MethodFlag } from "../methods/method.ts";
import { methodDefaults, methodFlags, methodModule } from "../methods/registry.ts";

export { methodFlags };
import {
  COMMON_DEFAULTS,
  METHOD_NAMES,
  OPTIMIZERS,
  type MethodName,
  type MethodSpec,
} from "../methods/spec.ts";
import type { ParamInfo } from "../spec/schema-info.ts";
import { optionalNumber, parseChoice, parseNumber, parseNumberList, SEED_RULE } from "./args.ts";

/** Raw flag values as commander gives them (strings; booleans for switches). */
export type RawFlags = Record<string, string | boolean | undefined>;

export const str = (f: RawFlags, k: string): string | undefined => {
  const v = f[k];
  return typeof v === "string" ? v : undefined;
};

/** One game parameter's flag: the games that take it (in list order) and its schema (the first game's). */
export interface GameFlag {
  /** The flag, e.g. "--p"; commander's key is the parameter's name. */
  flag: string;
  param: string;
  games: GameName[];
  info: ParamInfo;
}

/** Commander's flag of a parameter: p → --p, gpLambda → --gp-lambda. */
const flagOf = (param: string): string => `--${param.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** The game modules' parameters as flags, one per parameter name (a name two games share is one flag). */
export function gameFlags(): GameFlag[] {
  const out = new Map<string, GameFlag>();
  for (const m of gameModules()) {
    for (const info of gameParams(m)) {
      const seen = out.get(info.key);
      if (seen) seen.games.push(m.name);
      else out.set(info.key, { flag: flagOf(info.key), param: info.key, games: [m.name], info });
    }
  }
  return [...out.values()];
}

/** A flag's value placeholder and help line (with the default, and each game's text when they differ). */
function gameFlagHelp(f: GameFlag): { arg: string; help: string } {
  const k = f.info.kind;
  const arg = "number" in k ? "<x>" : "choice" in k ? "<name>" : "numbers" in k ? "<list>" : "<value>";
  const parts = f.games.map((g) => {
    const info = gameParams(gameModule(g)).find((p) => p.key === f.param) as ParamInfo;
    const d = info.default === undefined ? "" : ` (default ${JSON.stringify(info.default)})`;
    return `${g}: ${info.description}${d}`;
  });
  return { arg, help: parts.join("; ") };
}

export function addGameFlags(cmd: Command): Command {
  const sized = gameModules()
    .filter((m) => m.dim === undefined)
    .map((m) => m.name);
  cmd
    .option(
      "--game <name|file>",
      `game: ${GAME_NAMES.join(" | ")}, or a file (./my-game.ts, /abs/game.js) whose default export (or export 'game') is a Game or (opts: {dim, seed, dtype}) => Game`,
      DEFAULT_GAME,
    )
    .option("--dim <n>", `dimension of each player (${sized.join(", ")})`)
    .option("--seed <s>", "seed for drawn game matrices", "0");
  for (const f of gameFlags()) {
    const { arg, help } = gameFlagHelp(f);
    cmd.option(`${f.flag} ${arg}`, help);
  }
  return cmd
    .option("--dtype <t>", `${DTYPES.join(" | ")} (default float64)`)
    .option("--device <d>", `${DEVICES.join(" | ")}`, "wasm")
    .option(
      "--no-check",
      "skip the safety net: at the start point the jitted field must equal the plain one (float64: 1e-9·‖v‖∞) and, up to 400 parameters, jvp must match central differences (float64: h = 1e-5, 1e-6 relative; float32: h = 5e-3, 3e-3)",
    );
}

/** Commander's key of a flag: --k-theta → kTheta. */
export const flagKey = (flag: string): string =>
  flag.replace(/^--/, "").replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

export function addMethodFlags(cmd: Command, defaults: { method?: string; lr?: string } = {}): Command {
  cmd
    .option("--method <name>", `${METHOD_NAMES.join(" | ")}`, defaults.method ?? DEFAULT_METHOD)
    .option("--lr <eta>", "step size η of both players (> 0)", defaults.lr ?? "0.1")
    .option("--lr-phi <eta>", "step size of the second player φ, if different")
    .option("--momentum <beta>", "Polyak momentum β, any sign (|β| < 1)", String(COMMON_DEFAULTS.momentum))
    .option("--optimizer <name>", `base update: ${OPTIMIZERS.join(" | ")}`, COMMON_DEFAULTS.optimizer);
  for (const f of methodFlags()) cmd.option(`${f.flag} ${f.arg}`, f.help, f.default);
  return cmd;
}

/** One method flag's value, checked against its rule; undefined when the flag is absent. */
export function readMethodFlag(f: RawFlags, flag: MethodFlag): unknown {
  const raw = str(f, flagKey(flag.flag));
  if (raw === undefined) return undefined;
  if ("number" in flag.value) return parseNumber(flag.flag, raw, flag.value.number);
  if ("method" in flag.value) return parseChoice(flag.flag, raw, METHOD_NAMES);
  const word = parseChoice(flag.flag, raw, flag.value.choice);
  return flag.value.values ? flag.value.values[flag.value.choice.indexOf(word)] : word;
}

export interface CommonSetup {
  /** A built-in game, or null when `gameFile` is set. */
  gameName: GameName | null;
  /** `--game ./file.ts`: the module to import. */
  gameFile: string | null;
  gameOptions: GameOptions;
  /** `--dtype` as given (undefined: float64). */
  dtypeFlag: DTypeName | undefined;
  device: DeviceName;
  /** Run the safety net (false with `--no-check`). */
  check: boolean;
}

/** One game flag's value, checked against the parameter's schema; undefined when the flag is absent. */
function readGameFlag(f: RawFlags, flag: GameFlag): unknown {
  const raw = str(f, flag.param);
  if (raw === undefined) return undefined;
  const k = flag.info.kind;
  const v =
    "number" in k
      ? parseNumber(flag.flag, raw, k.number)
      : "numbers" in k
        ? parseNumberList(flag.flag, raw, k.numbers)
        : raw;
  const r = flag.info.schema.safeParse(v);
  if (r.success) return v;
  if ("choice" in k)
    throw new UsageError(`${flag.flag}: unknown value '${raw}'; allowed: ${k.choice.join(", ")}`);
  throw new UsageError(
    `${flag.flag}: '${raw}': ${r.error.issues[0].message.replace(/^Invalid input: /, "")}`,
  );
}

export function readGameFlags(f: RawFlags): CommonSetup {
  const rawGame = str(f, "game") ?? DEFAULT_GAME;
  const gameFile = isGamePath(rawGame) ? rawGame : null;
  if (gameFile === null && !(GAME_NAMES as readonly string[]).includes(rawGame)) {
    throw new UsageError(
      `--game: unknown game '${rawGame}'; allowed: ${GAME_NAMES.join(", ")}, or a file such as ./my-game.ts`,
    );
  }
  const gameName = gameFile === null ? (rawGame as GameName) : null;
  const given = gameFlags().filter((g) => str(f, g.param) !== undefined);
  for (const g of given) {
    if (gameFile !== null)
      throw new UsageError(`${g.flag}: only for built-in games; a game file takes --dim, --seed and --dtype`);
    if (!g.games.includes(gameName as GameName)) {
      const who =
        g.games.length === 1 ? `the ${g.games[0]} game takes` : `the ${g.games.join(", ")} games take`;
      throw new UsageError(`${g.flag}: only ${who} it (game is '${gameName}')`);
    }
  }
  const dtypeFlag =
    str(f, "dtype") === undefined
      ? undefined
      : parseChoice<DTypeName>("--dtype", str(f, "dtype") as string, DTYPES);
  const dtype = dtypeFlag ?? "float64";
  const device = parseChoice<DeviceName>("--device", str(f, "device") ?? "wasm", DEVICES);
  const gameOptions: GameOptions = {
    dim: optionalNumber("--dim", str(f, "dim"), { integer: true, min: 1, max: 2000 }),
    seed: parseNumber("--seed", str(f, "seed") ?? "0", SEED_RULE),
    dtype,
  };
  for (const g of given) gameOptions[g.param] = readGameFlag(f, g);
  return { gameName, gameFile, gameOptions, dtypeFlag, device, check: f.check !== false };
}

/**
 * The game of the flags (after `useDevice`): built from the registry or imported from its file, then put
 * through the safety net once at its start point unless `--no-check`.
 */
export async function loadGame(setup: CommonSetup): Promise<Game> {
  const o = setup.gameOptions;
  const game =
    setup.gameFile !== null
      ? await loadGameFile(
          setup.gameFile,
          { dim: o.dim, seed: o.seed ?? 0, dtype: o.dtype ?? "float64" },
          setup.dtypeFlag,
        )
      : makeGame(setup.gameName as GameName, o);
  if (setup.check) checkGameOnce(game);
  else skipFieldCheck(game);
  return game;
}

/**
 * The MethodSpec of the flags: --method, --lr, --lr-phi, --optimizer, --momentum, and the method modules'
 * flags (every one is checked; a pair given in part, e.g. --k-phi alone, takes the method's default for the
 * other element).
 */
export function readMethodFlags(f: RawFlags, nameOverride?: MethodName): MethodSpec {
  const name = nameOverride ?? parseChoice("--method", str(f, "method") ?? DEFAULT_METHOD, METHOD_NAMES);
  const lr = parseNumber("--lr", str(f, "lr"), { above: 0 });
  const lrPhi = optionalNumber("--lr-phi", str(f, "lrPhi"), { above: 0 }) ?? lr;
  const opt = parseChoice("--optimizer", str(f, "optimizer") ?? COMMON_DEFAULTS.optimizer, OPTIMIZERS);
  const spec: MethodSpec = {
    name,
    lr: [lr, lrPhi],
    optimizer: [opt, opt],
    momentum: parseNumber("--momentum", str(f, "momentum") ?? String(COMMON_DEFAULTS.momentum), {
      above: -1,
      max: 0.999999,
    }),
  };
  const pairs = new Map<string, (unknown | undefined)[]>();
  for (const flag of methodFlags()) {
    const v = readMethodFlag(f, flag);
    if (v === undefined) continue;
    if (flag.index === undefined) spec[flag.param] = v;
    else {
      const pair = pairs.get(flag.param) ?? [undefined, undefined];
      pair[flag.index] = v;
      pairs.set(flag.param, pair);
    }
  }
  for (const [param, pair] of pairs) {
    // the absent element: the default of the method (or of the method it wraps) that has this field
    let d: unknown;
    for (let m: string | undefined = name; m !== undefined && d === undefined; ) {
      d = methodDefaults(m)[param];
      const next: string | undefined = methodModule(m).inner?.({ ...spec, name: m });
      m = next === m ? undefined : next;
    }
    const dd = Array.isArray(d) ? d : [];
    spec[param] = pair.map((x, i) => x ?? dd[i]);
  }
  return spec;
}
