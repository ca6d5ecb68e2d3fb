/**
 * The safety net (src/analysis/field-check.ts) and user games from files (src/games/game-file.ts): a
 * consistent game passes with measured disagreements inside the stated tolerances; a game whose jitted
 * field differs from its plain one, or whose jvp differs from finite differences, is one line naming the
 * player, exit 2; a file that is missing, exports nothing or has the wrong shape is one line, exit 2.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { before, test } from "node:test";
import { numpy as np, type Array as JArray } from "@jax-js/jax";
import {
  checkGame,
  FieldCheckError,
  FIELD_TOLERANCE,
  JACOBIAN_TOLERANCE,
} from "../src/analysis/field-check.ts";
import { jacobian } from "../src/analysis/jacobian.ts";
import { useDevice } from "../src/engine/device.ts";
import { UsageError } from "../src/engine/errors.ts";
import { gameFromExport, isGamePath } from "../src/games/game-file.ts";
import type { Game } from "../src/games/game.ts";
import { GAME_NAMES, makeGame } from "../src/games/registry.ts";
import { isOneLineError, saddle } from "./helpers/cli.ts";
import { game as drifting } from "./fixtures/games/drifting-loss.ts";
import stopGradientGame from "./fixtures/games/stop-gradient.ts";

before(async () => {
  await useDevice("wasm");
});

const f64 = { dtype: np.float64 };
const opts = { seed: 0, dtype: "float64" as const };

test("built-in games pass, with the measured disagreements inside the tolerances", () => {
  for (const g of [makeGame("bilinear", { dim: 3, p: 0.5 }), makeGame("mean-matching", {})]) {
    const r = checkGame(g);
    assert.equal(r.precision, "float64");
    assert.ok(r.field.maxDiff <= r.field.tol);
    assert.ok("maxDiff" in r.jacobian && r.jacobian.maxDiff <= r.jacobian.tol, JSON.stringify(r));
    assert.ok("tol" in r.jacobian && r.jacobian.tol < 1e-5); // float64: 1e-9 + 1e-6·scale
  }
  // exp/log in a float64 field run in float32 on wasm: checked at float32 tolerances
  const d = checkGame(makeGame("dirac", { objective: "non-saturating", gp: 0.3 }));
  assert.equal(d.precision, "float32");
  assert.match(d.precisionReason ?? "", /exp/);
  assert.equal(FIELD_TOLERANCE.float64.rtol, 1e-9);
  assert.equal(JACOBIAN_TOLERANCE.float64.h, 1e-5);
});

test("a loss that computes differently under jit fails check 1, naming the player", () => {
  assert.throws(
    () => checkGame(drifting),
    (e: unknown) =>
      e instanceof FieldCheckError &&
      e instanceof UsageError &&
      !e.message.includes("\n") &&
      /player '(theta|phi)': the jitted field differs from the plain field at (theta|phi)\[\d\]/.test(
        e.message,
      ) &&
      /tolerance/.test(e.message),
  );
});

test("derivatives that are not those of the values fail check 2, naming player theta; jacobian() runs the net", () => {
  const g = stopGradientGame(opts);
  assert.throws(
    () => checkGame(g),
    (e: unknown) =>
      e instanceof FieldCheckError &&
      /player 'theta': the Jacobian by jvp differs from central differences .* \|Δ\| = 1 > tolerance/.test(
        e.message,
      ),
  );
  assert.throws(() => jacobian(g, g.init()), FieldCheckError);
  // the same game, honest: ½θ²φ + θφ passes
  const honest: Game = {
    ...g,
    name: "honest",
    loss: (i, x, y) =>
      i === 0
        ? np
            .sum((x as JArray).ref.mul((x as JArray).ref).mul((y as JArray).ref))
            .div(2)
            .add(np.sum((x as JArray).mul(y as JArray)))
        : g.loss(1, x, y),
  };
  assert.ok("maxDiff" in checkGame(honest).jacobian);
});

test("game files: paths are told apart from names, and wrong shapes are one line each", () => {
  assert.ok(isGamePath("./g.ts") && isGamePath("/a/g.js") && isGamePath("g.mjs") && !isGamePath("bilinear"));
  const good = {
    players: ["x", "y"],
    dtype: "float64",
    loss: (i: 0 | 1, x: JArray, y: JArray) => np.sum(x.mul(y)).mul(i === 0 ? 1 : -1),
    init: () => [np.array([1], f64), np.array([2], f64)],
  };
  const g = gameFromExport("./g.ts", good, opts, undefined, "g");
  assert.equal(g.name, "g");
  assert.equal(g.zeroSum, false);
  const bad: [unknown, RegExp][] = [
    [42, /the exported game is number/],
    [{ ...good, players: ["x"] }, /field 'players' = \["x"\]; expected two different names/],
    [{ ...good, dtype: "float16" }, /field 'dtype' = "float16"; allowed: float32, float64/],
    [{ ...good, loss: undefined }, /field 'loss' is undefined; expected a function/],
    [{ ...good, init: () => [np.array([1], f64)] }, /init\(\) returned an array; expected \[θ, φ\]/],
    [
      { ...good, init: () => [[1], np.array([2], f64)] },
      /init\(\)\[0\] \(x\) holds number, not a jax-js array/,
    ],
    [
      { ...good, init: () => [np.array([1]), np.array([2])] },
      /init\(\)\[0\] \(x\) has dtype float32; the game's dtype is float64/,
    ],
    [
      { ...good, loss: (_i: 0 | 1, x: JArray, y: JArray) => x.mul(y) },
      /loss\(0, θ, φ\) returned an array of shape \[1\]; expected a scalar/,
    ],
    [
      {
        ...good,
        loss: () => {
          throw new Error("boom");
        },
      },
      /loss\(0, θ, φ\) threw: boom/,
    ],
    [{ ...good, stochastic: true }, /stochastic/],
    [() => 7, /the game factory returned number/],
  ];
  for (const [exp, re] of bad) {
    assert.throws(
      () => gameFromExport("./g.ts", exp, opts, undefined, "g"),
      (e: unknown) =>
        e instanceof UsageError && e.message.startsWith("--game ./g.ts: ") && re.test(e.message),
      String(re),
    );
  }
  assert.throws(
    () => gameFromExport("./g.ts", good, opts, "float32", "g"),
    /--dtype: float32, but the game in \.\/g\.ts is float64/,
  );
});

test("CLI: --game FILE runs the net in dynamics and analyze; bad files are one line, exit 2", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "saddle-games-"));
  fs.writeFileSync(path.join(dir, "none.mjs"), "export const notAGame = 1;\n");
  fs.writeFileSync(path.join(dir, "shape.mjs"), 'export default { players: ["a"], dtype: "float64" };\n');
  const cases: [string[], RegExp][] = [
    [
      ["analyze", "--game", "./test/fixtures/games/drifting-loss.ts"],
      /player '(theta|phi)': the jitted field differs/,
    ],
    [
      ["dynamics", "--game", "./test/fixtures/games/stop-gradient.ts", "--steps", "5"],
      /player 'theta': the Jacobian by jvp differs/,
    ],
    [["analyze", "--game", "./no/such/game.ts"], /--game \.\/no\/such\/game\.ts: file not found/],
    [["analyze", "--game", path.join(dir, "none.mjs")], /exports no game/],
    [["dynamics", "--game", path.join(dir, "shape.mjs")], /field 'players' = \["a"\]/],
    [
      ["analyze", "--game", "./test/fixtures/games/stop-gradient.ts", "--p", "1"],
      /--p: only for built-in games/,
    ],
    [
      ["analyze", "--game", "nosuchgame"],
      new RegExp(`--game: unknown game 'nosuchgame'; allowed: ${GAME_NAMES.join(", ")}, or a file`),
    ],
  ];
  for (const [args, re] of cases) {
    const r = await saddle(args);
    assert.ok(isOneLineError(r), `${args.join(" ")}: ${r.code} ${r.stderr}`);
    assert.match(r.stderr, re);
  }
  // --no-check lets the stop-gradient game through (its field is fine; its Jacobian is not)
  const r = await saddle([
    "dynamics",
    "--game",
    "./test/fixtures/games/stop-gradient.ts",
    "--steps",
    "5",
    "--no-check",
    "--json",
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).game, "stop-gradient");
  fs.rmSync(dir, { recursive: true });
});
