import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { describe, test } from "node:test";
import { ALTERNATING_STEPS } from "../src/methods/alternating.ts";
import { BEST_RESPONSE_STEPS } from "../src/methods/best-response.ts";
import { CONSENSUS_GAMMA } from "../src/methods/consensus.ts";
import { PROXIMAL_MAX_INNER, PROXIMAL_TOL } from "../src/methods/proximal-point.ts";
import { UNROLL_STEPS } from "../src/methods/unrolled.ts";

/** The method modules' defaults (src/methods), as the help texts and specs must show them. */
const METHOD_DEFAULTS = {
  gamma: CONSENSUS_GAMMA,
  momentum: 0,
  alternatingSteps: ALTERNATING_STEPS,
  bestResponseSteps: BEST_RESPONSE_STEPS,
  tol: PROXIMAL_TOL,
  maxInner: PROXIMAL_MAX_INNER,
  unroll: UNROLL_STEPS,
};
import { gameFlags, methodFlags } from "../src/cli/common.ts";
import { GAME_NAMES, gameModules, gameParams } from "../src/games/registry.ts";
import { methodSpecOf, parseSpec } from "../src/spec/experiment.ts";
import { isOneLineError, ROOT, saddle } from "./helpers/cli.ts";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "saddle-cli-"));

describe("saddle dynamics", () => {
  test("simultaneous GDA on θ·φ at η = 0.5 diverges at ≈ 1.118", async () => {
    const r = await saddle([
      "dynamics",
      "--game",
      "bilinear",
      "--method",
      "simultaneous",
      "--lr",
      "0.5",
      "--steps",
      "50",
      "--json",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.diverged, true);
    assert.equal(j.verdict, "diverges");
    assert.ok(Math.abs(j.predicted.radius - Math.sqrt(1.25)) < 1e-9);
    assert.ok(Math.abs(j.measured.rate / Math.sqrt(1.25) - 1) < 0.02, `measured ${j.measured.rate}`);
    assert.ok(j.finalDistance > j.initialDistance * 100);
  });

  test("proximal point at the same step converges at ≈ 0.894 with a small inner residual", async () => {
    const r = await saddle([
      "dynamics",
      "--method",
      "proximal-point",
      "--lr",
      "0.5",
      "--steps",
      "50",
      "--json",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.verdict, "converges");
    assert.equal(j.diverged, false);
    assert.ok(Math.abs(j.measured.rate - 1 / Math.sqrt(1.25)) < 0.02 * 0.894, `measured ${j.measured.rate}`);
    assert.ok(j.maxResidual !== null && j.maxResidual <= 1e-10);
  });

  test("extragradient at η = 1/√2 converges at ≈ 0.866, and --plot writes a PNG", async () => {
    const out = path.join(tmp, "eg.png");
    const r = await saddle([
      "dynamics",
      "--method",
      "extragradient",
      "--lr",
      "0.7071",
      "--steps",
      "200",
      "--plot",
      out,
      "--json",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.ok(Math.abs(j.measured.rate / j.predicted.radius - 1) < 0.02);
    assert.ok(Math.abs(j.predicted.radius - 0.866025) < 1e-4);
    const png = fs.readFileSync(out);
    assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  });

  test("human output names the verdict and both rates", async () => {
    const r = await saddle(["dynamics", "--method", "alternating", "--lr", "0.5", "--steps", "300"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /predicted ρ\s+1\b/);
    assert.match(r.stdout, /verdict\s+cycles/);
  });

  const bad: [string, string[], RegExp][] = [
    [
      "unknown game",
      ["dynamics", "--game", "chess"],
      new RegExp(`--game: unknown game 'chess'; allowed: ${GAME_NAMES.join(", ")}, or a file`),
    ],
    [
      "unknown method",
      ["dynamics", "--method", "newton"],
      /--method: unknown value 'newton'; allowed: simultaneous/,
    ],
    [
      "steps 0",
      ["dynamics", "--steps", "0"],
      /--steps: '0' is out of range; expected an integer in \[1, 10000000\]/,
    ],
    ["negative steps", ["dynamics", "--steps", "-5"], /--steps: '-5' is out of range/],
    [
      "step size not a number",
      ["dynamics", "--lr", "fast"],
      /--lr: 'fast' is not a number; expected a number > 0/,
    ],
    ["non-integer steps", ["dynamics", "--steps", "2.5"], /--steps: '2.5' is not an integer/],
    ["unknown flag", ["dynamics", "--speed", "3"], /unknown option '--speed'/],
    ["unknown command", ["dance"], /unknown command 'dance'/],
    [
      "plot in a missing folder",
      ["dynamics", "--plot", "/nonexistent-saddle-dir/x.png"],
      /--plot: cannot write '\/nonexistent-saddle-dir\/x.png': no such directory/,
    ],
    [
      "plot under a file",
      ["dynamics", "--plot", "/etc/hostname/x.png"],
      /--plot: cannot write .* is not a directory/,
    ],
    [
      "plot with a wrong extension",
      ["dynamics", "--plot", path.join(tmp, "x.txt")],
      /--plot: '.*x.txt' must end in .png or .svg/,
    ],
    [
      "objective on the wrong game",
      ["analyze", "--game", "bilinear", "--objective", "wgan"],
      /--objective: only the dirac game/,
    ],
    [
      "unknown dirac objective",
      ["analyze", "--game", "dirac", "--objective", "hinge"],
      /--objective: unknown value 'hinge'; allowed: minimax, non-saturating, wasserstein, least-squares$/m,
    ],
    [
      "another game's parameter",
      ["analyze", "--game", "dirac", "--p", "1"],
      /--p: only the bilinear game takes it \(game is 'dirac'\)/,
    ],
    [
      "a game parameter out of its range",
      ["analyze", "--game", "dirac", "--gp", "-1"],
      /--gp: '-1' is out of range/,
    ],
    ["momentum out of range", ["dynamics", "--momentum", "1.5"], /--momentum: '1.5' is out of range/],
    [
      "point of the wrong size",
      ["analyze", "--point", "1,2,3"],
      /--point: got 3 numbers; the game 'bilinear' has 2 parameters/,
    ],
  ];
  for (const [name, args, msg] of bad) {
    test(`bad input: ${name} → one line, exit 2`, async () => {
      const r = await saddle(args);
      assert.ok(isOneLineError(r), `code ${r.code}, stderr: ${r.stderr}`);
      assert.match(r.stderr, msg);
      assert.equal(r.stdout, "");
    });
  }

  test("nothing is written when validation fails", async () => {
    const out = path.join(tmp, "never.png");
    const r = await saddle(["dynamics", "--steps", "0", "--plot", out]);
    assert.equal(r.code, 2);
    assert.equal(fs.existsSync(out), false);
  });

  test("--device webgpu without a GPU: one line naming the device, exit 2", async () => {
    const r = await saddle(["dynamics", "--device", "webgpu", "--steps", "5", "--json"]);
    if (r.code === 0) {
      // A machine with a working WebGPU adapter runs it: then the result must be right too.
      assert.equal(JSON.parse(r.stdout).steps, 5);
    } else {
      assert.ok(isOneLineError(r), r.stderr);
      assert.match(r.stderr, /--device: 'webgpu' found no GPU adapter/);
    }
  });
});

describe("saddle analyze", () => {
  test("Dirac-GAN non-saturating with γ = 0.3: flow eigenvalues −0.15 ± 0.477i and every method's radius", async () => {
    const r = await saddle([
      "analyze",
      "--game",
      "dirac",
      "--objective",
      "non-saturating",
      "--gp",
      "0.3",
      "--lr",
      "0.1",
      "--json",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    const ims = j.flowEigenvalues.map((z: { im: number }) => z.im).sort((a: number, b: number) => a - b);
    for (const z of j.flowEigenvalues) assert.ok(Math.abs(z.re + 0.15) < 1e-6);
    assert.ok(Math.abs(ims[1] - Math.sqrt(0.25 - 0.0225)) < 1e-6);
    assert.ok(j.methods.length >= 9);
    const sim = j.methods.find((m: { method: string }) => m.method === "simultaneous");
    // I − ηJ with J eigenvalues 0.15 ± 0.477i: |1 − 0.1(0.15 ± 0.477i)|
    assert.ok(Math.abs(sim.radius - Math.hypot(1 - 0.015, 0.0477)) < 1e-4);
    assert.match(j.classification.verdict, /Nash/);
  });

  test("human output and an eigenvalue plot", async () => {
    const out = path.join(tmp, "eig.svg");
    const r = await saddle(["analyze", "--game", "bilinear", "--lr", "0.5", "--plot", out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /extragradient/);
    assert.match(fs.readFileSync(out, "utf8"), /<svg/);
  });
});

describe("saddle reproduce", () => {
  test("dynamics: every claim passes, as JSON", async () => {
    const r = await saddle(["reproduce", "dynamics", "--json"]);
    const claims = JSON.parse(r.stdout) as { id: string; pass: boolean; claim: string; source: string }[];
    const failed = claims.filter((c) => !c.pass);
    assert.deepEqual(failed, []);
    assert.equal(r.code, 0);
    assert.ok(claims.length >= 30);
    for (const c of claims) assert.ok(c.id && c.claim && c.source && "expected" in c && "measured" in c);
  });

  test("an unknown suite is a usage error", async () => {
    const r = await saddle(["reproduce", "everything"]);
    assert.ok(isOneLineError(r), r.stderr);
  });

  test("--help of every command exits 0", async () => {
    for (const c of ["dynamics", "analyze", "reproduce"]) {
      const r = await saddle([c, "--help"]);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /Usage: saddle/);
    }
  });
});

describe("saddle matrix", () => {
  test("rock-paper-scissors: mirror descent's last iterate cycles while its average and mirror-prox converge", async () => {
    const start = ["--x0", "0.6,0.3,0.1", "--y0", "0.2,0.3,0.5"];
    const md = JSON.parse(
      (
        await saddle([
          "matrix",
          "--game",
          "rps",
          "--method",
          "mirror-descent",
          "--steps",
          "20000",
          ...start,
          "--json",
        ])
      ).stdout,
    );
    assert.ok(Math.abs(md.lp.value) < 1e-12);
    assert.ok(md.last.gap > 0.5, `last-iterate gap ${md.last.gap}`);
    assert.ok(md.average.gap < 0.05, `averaged gap ${md.average.gap}`);
    const mp = JSON.parse(
      (
        await saddle([
          "matrix",
          "--game",
          "rps",
          "--method",
          "mirror-prox",
          "--steps",
          "5000",
          ...start,
          "--json",
        ])
      ).stdout,
    );
    assert.ok(mp.average.gap < 1e-3);
  });
  const bad: [string, string[], RegExp][] = [
    ["ragged matrix", ["--matrix", "1,2,3;4,5"], /--matrix: row 2 has 2 entries but row 1 has 3/],
    ["empty matrix", ["--matrix", ""], /--matrix: the payoff matrix is empty/],
    ["non-number entry", ["--matrix", "1,x;0,1"], /--matrix: entry \(1, 2\) 'x' is not a number/],
    [
      "start off the simplex",
      ["--x0", "0.5,0.6,0.1"],
      /--x0: '0.5,0.6,0.1' must be 3 positive numbers summing to 1/,
    ],
  ];
  for (const [name, args, msg] of bad) {
    test(`bad input: ${name} → one line, exit 2`, async () => {
      const r = await saddle(["matrix", ...args]);
      assert.ok(isOneLineError(r), `code ${r.code}: ${r.stderr}`);
      assert.match(r.stderr, msg);
    });
  }
});

describe("trust: CLI edges", () => {
  /** Kill guard for commands that once looped forever (the test then fails on the exit code). */
  const GUARD_MS = 120_000;

  test("--out that cannot be made (/proc/nope): one line naming --out, the value and why; exit 2", async () => {
    if (!fs.existsSync("/proc/self")) return; // not Linux
    const r = await saddle(
      ["train", "--data", "ring", "--steps", "5", "--out", "/proc/nope"],
      ROOT,
      GUARD_MS,
    );
    assert.ok(isOneLineError(r), `code ${r.code}: ${r.stderr}`);
    assert.match(r.stderr, /^saddle: --out: cannot create directory '\/proc\/nope': ENOENT/);
    assert.equal(r.stdout, "");
    assert.equal(fs.existsSync("/proc/nope"), false);
  });

  test("--out under a file: one line naming the file in the way; nothing written", async () => {
    const file = path.join(tmp, "out-is-a-file");
    fs.writeFileSync(file, "");
    const r = await saddle(["train", "--data", "ring", "--steps", "5", "--out", path.join(file, "runs")]);
    assert.ok(isOneLineError(r), r.stderr);
    assert.match(r.stderr, /--out: cannot create directory '.*out-is-a-file\/runs': ENOTDIR/);
    assert.equal(fs.statSync(file).isFile(), true);
  });

  /** Runs the launcher with its stdout closed from the start (a reader that went away: `… | head`). */
  function closedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [path.join(ROOT, "bin/saddle.js"), ...args], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      child.stdout.destroy();
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("close", (code) => resolve({ code, stderr }));
    });
  }

  for (const args of [
    ["dynamics", "--steps", "50"],
    ["dynamics", "--steps", "50", "--json"],
    ["compare", "--help"],
    ["matrix", "--steps", "100"],
  ]) {
    test(`saddle ${args.join(" ")} into a closed pipe: exits 0, nothing on stderr`, async () => {
      const r = await closedStdout(args);
      assert.equal(r.stderr, "");
      assert.equal(r.code, 0);
    });
  }

  test("| head -1 keeps the first line and no EPIPE trace", async () => {
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const sh = spawn(
        "bash",
        ["-c", `set -o pipefail; "${process.execPath}" bin/saddle.js dynamics --steps 50 | head -1`],
        { cwd: ROOT },
      );
      let stdout = "";
      let stderr = "";
      sh.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      sh.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      sh.on("close", (code) => resolve({ code, stdout, stderr }));
    });
    assert.equal(r.stderr, "");
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^game\s+bilinear/);
  });

  for (const name of [".", "..", "a/b", "", "-x"]) {
    test(`--name '${name}' is refused: one line, exit 2, nothing written`, async () => {
      const out = path.join(tmp, `names-${Buffer.from(name).toString("hex")}`);
      const r = await saddle(["train", "--data", "ring", "--steps", "5", "--out", out, "--name", name]);
      assert.ok(isOneLineError(r), r.stderr);
      assert.match(r.stderr, /field 'name' = .*starting with a letter, digit or '_'/);
      assert.equal(fs.existsSync(out), false);
    });
  }

  const oneLiners: [string, string[], RegExp][] = [
    [
      "a --matrix entry with a newline",
      ["matrix", "--matrix", "1,a\nb;1,2"],
      /entry \(1, 2\) 'a\\nb' is not a number/,
    ],
    [
      "a --game with a newline",
      ["dynamics", "--game", "chess\nboard"],
      /--game: unknown game 'chess\\nboard'/,
    ],
    ["an unknown flag with a newline", ["dynamics", "--sp\need"], /unknown option '--sp\\need'/],
    [
      "--steps 1e400 (dynamics)",
      ["dynamics", "--steps", "1e400"],
      /--steps: '1e400' is out of range \(it overflows to Infinity\); expected an integer in \[1, 10000000\]$/,
    ],
    [
      "--steps 1e400 (matrix)",
      ["matrix", "--steps", "1e400"],
      /--steps: '1e400' is out of range \(it overflows to Infinity\); expected an integer in \[1, 10000000\]$/,
    ],
    [
      "--steps 1e400 (train)",
      ["train", "--steps", "1e400"],
      /--steps: '1e400' is out of range \(it overflows to Infinity\); expected an integer in \[1, 10000000\]$/,
    ],
    [
      "--lr-g Infinity (train)",
      ["train", "--lr-g", "Infinity"],
      /--lr-g: 'Infinity' is out of range \(infinite\); expected a number in \(0, 10\]$/,
    ],
    [
      "--lr 1e999 (dynamics)",
      ["dynamics", "--lr", "1e999"],
      /--lr: '1e999' is out of range .*expected a number > 0$/,
    ],
    [
      "--seed 1e20 (dynamics)",
      ["dynamics", "--seed", "1e20"],
      /--seed: '1e20' is out of range; expected an integer in \[0, 2147483647\]$/,
    ],
    ["--steps 0x10 (hex)", ["dynamics", "--steps", "0x10"], /--steps: '0x10' is not a number/],
  ];
  for (const [name, args, msg] of oneLiners) {
    test(`${name} → one line, exit 2`, async () => {
      const r = await saddle(args);
      assert.ok(isOneLineError(r), `code ${r.code}: ${JSON.stringify(r.stderr)}`);
      assert.match(r.stderr.trim(), msg);
    });
  }

  test("--data / is refused after a bounded look: one line, exit 2, nothing written", async () => {
    const out = path.join(tmp, "data-root");
    const r = await saddle(["train", "--data", "/", "--steps", "5", "--out", out], ROOT, GUARD_MS);
    assert.ok(isOneLineError(r), `code ${r.code}: ${r.stderr}`);
    assert.match(r.stderr, /^saddle: --data: '\//);
    assert.equal(fs.existsSync(out), false);
  });
});

describe("method flag defaults come from the method modules", () => {
  const D = METHOD_DEFAULTS;
  /** Help text with commander's line wrapping undone. */
  const help = async (cmd: string): Promise<string> => {
    const r = await saddle([cmd, "--help"]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.replace(/\s+/g, " ");
  };
  test("dynamics and analyze --help show the library's defaults", async () => {
    const dyn = await help("dynamics");
    assert.ok(dyn.includes(`consensus weight γ ≥ 0 (default: "${D.gamma}")`), dyn);
    assert.ok(dyn.includes(`(|β| < 1) (default: "${D.momentum}")`), dyn);
    assert.ok(dyn.includes(`φ steps per round (default: ${D.alternatingSteps[1]})`), dyn);
    assert.ok(dyn.includes(`best-response: k_D (default: ${D.bestResponseSteps[1]})`), dyn);
    assert.ok(dyn.includes(`(default: ${D.tol.float64.toExponential()} in float64`), dyn);
    assert.ok(dyn.includes(`≤ ${D.maxInner} iterations`), dyn);
    const an = await help("analyze");
    assert.ok(an.includes(`consensus weight γ ≥ 0 (default: "${D.gamma}")`), an);
    const tr = await help("train");
    assert.ok(tr.includes(`consensus [gamma ${D.gamma}]`), tr);
    assert.ok(tr.includes(`best-response [kG:kD ${D.bestResponseSteps.join(":")}]`), tr);
    assert.ok(tr.includes(`unrolled [unroll k = ${D.unroll}]`), tr);
  });
  test("the experiment spec's kG:kD default is the method's, and methodSpecOf leaves the inner solve's to the library", () => {
    assert.deepEqual(parseSpec({ method: "best-response" }).method.steps, [...D.bestResponseSteps]);
    assert.deepEqual(parseSpec({}).method.steps, [...D.alternatingSteps]);
    assert.deepEqual(parseSpec({ method: "best-response", kD: 2 }).method.steps, [D.bestResponseSteps[0], 2]);
    assert.deepEqual(parseSpec({ method: { name: "best-response", steps: [1, 2] } }).method.steps, [1, 2]);
    const m = methodSpecOf(parseSpec({ method: "proximal-point" }));
    // the module's defaults: maxInner's number, tol absent (the library picks PROXIMAL_TOL by dtype)
    assert.deepEqual([m.tol, m.maxInner], [undefined, PROXIMAL_MAX_INNER]);
    assert.equal(parseSpec({ method: "consensus" }).method.gamma, D.gamma);
    assert.equal(parseSpec({ method: "unrolled" }).method.unroll, D.unroll);
  });
  test("dynamics --method best-response without --k-phi runs the library's k_D, as predicted", async () => {
    const r = await saddle([
      ...["dynamics", "--method", "best-response", "--lr", "0.25", "--p", "0.5", "--q", "0.5"],
      ...["--steps", "200", "--json"],
    ]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      update: string;
      predicted: { radius: number };
      measured: { rate: number };
    };
    assert.ok(out.update.includes(`${D.bestResponseSteps[1]}× φ`), out.update);
    const { radius } = out.predicted;
    assert.ok(Math.abs(out.measured.rate - radius) <= 0.01 * radius, JSON.stringify(out.measured));
  });
});

describe("game flags come from the game modules", () => {
  test("one flag per parameter, none shared with a method's or the common flags, each in --help", async () => {
    const flags = gameFlags();
    const names = flags.map((f) => f.flag);
    assert.equal(new Set(names).size, names.length);
    const taken = new Set([
      ...methodFlags().map((f) => f.flag),
      ...["--game", "--dim", "--seed", "--dtype", "--device", "--method", "--lr", "--lr-phi", "--momentum"],
      ...["--optimizer", "--steps", "--plot", "--json", "--point"],
    ]);
    for (const f of flags) assert.ok(!taken.has(f.flag), f.flag);
    const r = await saddle(["dynamics", "--help"]);
    assert.equal(r.code, 0, r.stderr);
    const help = r.stdout.replace(/\s+/g, " ");
    for (const m of gameModules()) {
      assert.ok(help.includes(m.name), m.name);
      for (const p of gameParams(m)) {
        assert.ok(help.includes(`${m.name}: ${p.description.replace(/\s+/g, " ")}`), `${m.name} --${p.key}`);
      }
    }
  });
  test("the quadratic game of the lab runs from the CLI: predicted = the eigenvalues of I − ηJ", async () => {
    const r = await saddle([
      ...["dynamics", "--game", "quadratic", "--a", "0.5", "--b", "1", "--c", "-1", "--d", "0"],
      ...["--lr", "0.1", "--steps", "200", "--json"],
    ]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { predicted: { radius: number }; measured: { rate: number } };
    // J = [[0.5, 1], [−1, 0]]: eigenvalues ¼ ± i√15/4; I − 0.1J has |1 − 0.1λ|² = (0.975)² + 0.15/16
    const rho = Math.hypot(1 - 0.1 * 0.25, (0.1 * Math.sqrt(15)) / 4);
    assert.ok(Math.abs(out.predicted.radius - rho) < 1e-9, JSON.stringify(out.predicted));
    assert.ok(Math.abs(out.measured.rate - rho) < 0.01 * rho, JSON.stringify(out.measured));
  });
});
