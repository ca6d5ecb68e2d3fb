/**
 * Flags shared by `dynamics` and `analyze`: the game (a built-in name or a file), its options, the method
 * and its hyper-parameters, the device and dtype. Turned into a GameOptions and a MethodSpec after
 * validation; `loadGame` builds or imports the game and runs the safety net (src/analysis/field-check.ts).
 */
import type { Command } from "commander";
import { checkGameOnce, skipFieldCheck } from "../analysis/field-check.ts";
import { DEVICES, DTYPES, type DeviceName, type DTypeName } from "../engine/device.ts";
import { UsageError } from "../engine/errors.ts";
import { DIRAC_OBJECTIVES } from "../games/dirac.ts";
import { isGamePath, loadGameFile } from "../games/game-file.ts";
import type { Game } from "../games/game.ts";
import { GAME_NAMES, makeGame, type GameName, type GameOptions } from "../games/registry.ts";
import {
  defaultSteps,
  METHOD_DEFAULTS,
  METHOD_NAMES,
  OPTIMIZERS,
  type MethodName,
  type MethodSpec,
} from "../methods/spec.ts";
import { optionalNumber, parseChoice, parseNumber, parseNumberList, SEED_RULE } from "./args.ts";

/** Raw flag values as commander gives them (strings; booleans for switches). */
export type RawFlags = Record<string, string | boolean | undefined>;

export const str = (f: RawFlags, k: string): string | undefined => {
  const v = f[k];
  return typeof v === "string" ? v : undefined;
};

export function addGameFlags(cmd: Command): Command {
  return cmd
    .option(
      "--game <name|file>",
      `game: ${GAME_NAMES.join(" | ")}, or a file (./my-game.ts, /abs/game.js) whose default export (or export 'game') is a Game or (opts: {dim, seed, dtype}) => Game`,
      "bilinear",
    )
    .option("--dim <n>", "dimension of each player (bilinear, mean-matching)")
    .option("--seed <s>", "seed for drawn game matrices", "0")
    .option("--p <x>", "bilinear: quadratic term ½θᵀ(pI)θ for θ")
    .option("--q <x>", "bilinear: quadratic term −½φᵀ(qI)φ for φ")
    .option("--objective <name>", `dirac: ${DIRAC_OBJECTIVES.join(" | ")}`)
    .option("--gp <gamma>", "dirac: zero-centred gradient penalty γ ≥ 0")
    .option("--clip <c>", "dirac wgan: weight clipping bound c > 0 on ψ")
    .option("--mean <list>", "mean-matching: data mean, comma-separated")
    .option("--dtype <t>", `${DTYPES.join(" | ")} (default float64)`)
    .option("--device <d>", `${DEVICES.join(" | ")}`, "wasm")
    .option(
      "--no-check",
      "skip the safety net: at the start point the jitted field must equal the plain one (float64: 1e-9·‖v‖∞) and, up to 400 parameters, jvp must match central differences (float64: h = 1e-5, 1e-6 relative; float32: h = 5e-3, 3e-3)",
    );
}

const PLAYER_NAMES = ["theta", "phi"] as const;

/** The method flags' help lines, with the defaults of METHOD_DEFAULTS (src/methods/spec.ts). */
export function methodFlagHelp(): Record<"kTheta" | "kPhi" | "tol", string> {
  const alt = defaultSteps("alternating");
  const br = defaultSteps("best-response");
  const tol = METHOD_DEFAULTS.tol;
  return {
    kTheta: `alternating: θ steps per round (default: ${alt[0]}); best-response: k_G (default: ${br[0]})`,
    kPhi: `alternating: φ steps per round (default: ${alt[1]}); best-response: k_D (default: ${br[1]})`,
    tol: `proximal point: inner-solver tolerance relative to the step, ‖residual‖ ≤ tol·‖ω′ − ω‖ (default: ${tol.float64.toExponential()} in float64, ${tol.float32.toExponential()} in float32; ≤ ${METHOD_DEFAULTS.maxInner} iterations)`,
  };
}

export function addMethodFlags(cmd: Command, defaults: { method?: string; lr?: string } = {}): Command {
  const help = methodFlagHelp();
  return cmd
    .option("--method <name>", `${METHOD_NAMES.join(" | ")}`, defaults.method ?? "simultaneous")
    .option("--lr <eta>", "step size η of both players (> 0)", defaults.lr ?? "0.1")
    .option("--lr-phi <eta>", "step size of the second player φ, if different")
    .option("--momentum <beta>", "Polyak momentum β, any sign (|β| < 1)", String(METHOD_DEFAULTS.momentum))
    .option("--gamma <g>", "consensus weight γ ≥ 0", String(METHOD_DEFAULTS.gamma))
    .option("--k-theta <k>", help.kTheta)
    .option("--k-phi <k>", help.kPhi)
    .option("--first <player>", "alternating: theta | phi moves first", PLAYER_NAMES[METHOD_DEFAULTS.first])
    .option("--optimizer <name>", `base update: ${OPTIMIZERS.join(" | ")}`, METHOD_DEFAULTS.optimizer)
    .option("--tol <x>", help.tol);
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

/** Flags of built-in games that a game file does not take. */
const BUILTIN_ONLY = [
  ["p", "--p"],
  ["q", "--q"],
  ["objective", "--objective"],
  ["gp", "--gp"],
  ["clip", "--clip"],
  ["mean", "--mean"],
] as const;

export function readGameFlags(f: RawFlags): CommonSetup {
  const rawGame = str(f, "game") ?? "bilinear";
  const gameFile = isGamePath(rawGame) ? rawGame : null;
  if (gameFile === null && !(GAME_NAMES as readonly string[]).includes(rawGame)) {
    throw new UsageError(
      `--game: unknown game '${rawGame}'; allowed: ${GAME_NAMES.join(", ")}, or a file such as ./my-game.ts`,
    );
  }
  const gameName = gameFile === null ? (rawGame as GameName) : null;
  if (gameFile !== null) {
    for (const [k, flag] of BUILTIN_ONLY) {
      if (str(f, k) !== undefined)
        throw new UsageError(`${flag}: only for built-in games; a game file takes --dim, --seed and --dtype`);
    }
  }
  const dtypeFlag =
    str(f, "dtype") === undefined
      ? undefined
      : parseChoice<DTypeName>("--dtype", str(f, "dtype") as string, DTYPES);
  const dtype = dtypeFlag ?? "float64";
  const device = parseChoice<DeviceName>("--device", str(f, "device") ?? "wasm", DEVICES);
  const objective = str(f, "objective");
  if (objective !== undefined && gameName !== null && gameName !== "dirac") {
    throw new UsageError(`--objective: only the dirac game takes an objective (game is '${gameName}')`);
  }
  const gameOptions: GameOptions = {
    dim: optionalNumber("--dim", str(f, "dim"), { integer: true, min: 1, max: 2000 }),
    seed: parseNumber("--seed", str(f, "seed") ?? "0", SEED_RULE),
    dtype,
    p: optionalNumber("--p", str(f, "p")),
    q: optionalNumber("--q", str(f, "q")),
    objective: objective === undefined ? undefined : parseChoice("--objective", objective, DIRAC_OBJECTIVES),
    gp: optionalNumber("--gp", str(f, "gp"), { min: 0 }),
    clip: optionalNumber("--clip", str(f, "clip"), { above: 0 }),
    mean: str(f, "mean") === undefined ? undefined : parseNumberList("--mean", str(f, "mean") as string),
  };
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

export function readMethodFlags(f: RawFlags, nameOverride?: MethodName): MethodSpec {
  const name = nameOverride ?? parseChoice("--method", str(f, "method") ?? "simultaneous", METHOD_NAMES);
  const lr = parseNumber("--lr", str(f, "lr"), { above: 0 });
  const lrPhi = optionalNumber("--lr-phi", str(f, "lrPhi"), { above: 0 }) ?? lr;
  const d = METHOD_DEFAULTS;
  const opt = parseChoice("--optimizer", str(f, "optimizer") ?? d.optimizer, OPTIMIZERS);
  const first = parseChoice("--first", str(f, "first") ?? PLAYER_NAMES[d.first], PLAYER_NAMES);
  // k_θ, k_φ absent: the method's own default (alternating's [1, 1], best-response's [k_G, k_D]).
  const k = (flag: string, key: string) =>
    optionalNumber(flag, str(f, key), { integer: true, min: 1, max: 1000 });
  const [kTheta, kPhi] = [k("--k-theta", "kTheta"), k("--k-phi", "kPhi")];
  const ds = defaultSteps(name);
  return {
    name,
    lr: [lr, lrPhi],
    optimizer: [opt, opt],
    momentum: parseNumber("--momentum", str(f, "momentum") ?? String(d.momentum), {
      above: -1,
      max: 0.999999,
    }),
    gamma: parseNumber("--gamma", str(f, "gamma") ?? String(d.gamma), { min: 0 }),
    ...(kTheta === undefined && kPhi === undefined ? {} : { steps: [kTheta ?? ds[0], kPhi ?? ds[1]] }),
    first: first === "theta" ? 0 : 1,
    tol: optionalNumber("--tol", str(f, "tol"), { above: 0 }),
  };
}
