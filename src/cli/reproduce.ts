/**
 * `saddle reproduce [suite]`: check the lectures' claims. Exit code 0 only if every check passes; a finding
 * (a lecture's relation that saddle tests as stated, kind "finding") is reported whether or not it held.
 */
import { Command } from "commander";
import { SUITES } from "../claims/suites.ts";
import type { Claim } from "../claims/claim.ts";
import { useDevice, type DeviceName } from "../engine/device.ts";
import { parseChoice } from "./args.ts";
import type { RawFlags } from "./common.ts";
import { fmt, printJson, printTable } from "./output.ts";
import { addQueueFlags, runnerFromFlags } from "./worker.ts";
import { runExperimentsCommand } from "./reproduce-experiments.ts";
import { UsageError } from "../engine/errors.ts";

/** The suite of long experiments (src/experiments): run by name only, never by the default "all". */
export const EXPERIMENTS_SUITE = "experiments";
const EXPERIMENT_FLAGS = ["results", "only", "force", "quick"] as const;

export function reproduceCommand(): Command {
  const cmd = new Command("reproduce")
    .description("check the lectures' claims; exit code 0 only if every check passes (findings are reported)")
    .argument(
      "[suite]",
      `one of: ${[...SUITES.map((s) => s.name), EXPERIMENTS_SUITE].join(", ")} (default: all but ${EXPERIMENTS_SUITE})`,
    )
    .option("--json", "print an array of {id, kind, claim, source, expected, measured, pass}")
    .option(
      "--results <file>",
      `${EXPERIMENTS_SUITE}: the resumable results file (default results/experiments.json)`,
    )
    .option("--only <ids>", `${EXPERIMENTS_SUITE}: run only these claim ids (comma-separated)`)
    .option("--force", `${EXPERIMENTS_SUITE}: rerun claims already stored in the results file`)
    .option("--quick", `${EXPERIMENTS_SUITE}: every claim at a tiny budget (tests)`)
    .option(
      "--device <d>",
      "wasm | webgpu (webgpu: the dynamics suite in float32, with float32 tolerances stated per claim)",
      "wasm",
    )
    .addHelpText(
      "after",
      "\nSuites:\n" +
        SUITES.map((s) => `  ${s.name.padEnd(12)} ${s.description}`).join("\n") +
        `\n  ${EXPERIMENTS_SUITE.padEnd(12)} the lectures' experiments on real GANs at fixed budgets (hours; resumable, docs/experiments.md)` +
        "\n\nWith --queue, the suites' training comparisons (mixtures, the Mirror-GAN claim) run on `saddle worker`s.",
    );
  return addQueueFlags(cmd);
}

/** The suites whose games run in float32 (WebGPU has no float64). */
const WEBGPU_SUITES: readonly string[] = ["dynamics"];

const show = (v: number | string): string => (typeof v === "number" ? fmt(v, 7) : v);

export async function runReproduceCommand(suite: string | undefined, flags: RawFlags): Promise<number> {
  if (suite === EXPERIMENTS_SUITE) return runExperimentsCommand(flags);
  const stray = EXPERIMENT_FLAGS.find((k) => flags[k] !== undefined);
  if (stray !== undefined) throw new UsageError(`--${stray}: applies to suite '${EXPERIMENTS_SUITE}' only`);
  const names = SUITES.map((s) => s.name);
  const chosen =
    suite === undefined
      ? SUITES
      : SUITES.filter((s) => s.name === parseChoice("suite", suite, [...names, EXPERIMENTS_SUITE]));
  const device = parseChoice<DeviceName>(
    "--device",
    typeof flags.device === "string" ? flags.device : "wasm",
    ["wasm", "webgpu"],
  );
  if (device === "webgpu" && chosen.some((s) => !WEBGPU_SUITES.includes(s.name))) {
    throw new UsageError(
      `--device: 'webgpu' runs only the suites ${WEBGPU_SUITES.join(", ")} (float32); name one, e.g. saddle reproduce dynamics --device webgpu`,
    );
  }
  const runner = await runnerFromFlags(flags);
  await useDevice(device);
  const claims: Claim[] = [];
  const dtype = device === "webgpu" ? "float32" : undefined;
  for (const s of chosen) claims.push(...(await s.run({ runner, dtype })));
  const isFinding = (c: Claim) => c.kind === "finding";
  const failed = claims.filter((c) => !c.pass && !isFinding(c)).length;
  const notHeld = claims.filter((c) => !c.pass && isFinding(c)).length;
  if (flags.json === true) {
    printJson(
      claims.map(({ id, kind, claim, source, expected, measured, pass, tolerance, detail }) => ({
        id,
        kind: kind ?? "check",
        claim,
        source,
        expected,
        measured,
        pass,
        tolerance,
        detail,
      })),
    );
  } else {
    printTable(
      ["", "claim", "expected", "measured"],
      claims.map((c) => [
        c.pass ? "✓" : isFinding(c) ? "✗ finding" : "✗",
        c.id,
        show(c.expected),
        show(c.measured),
      ]),
    );
    process.stdout.write("\n(--json gives each claim's statement, source and tolerance)\n");
    process.stdout.write(
      `\n${claims.length - failed - notHeld} passed, ${failed} failed` +
        (notHeld > 0 ? `, ${notHeld} finding(s) where the lecture's relation did not hold` : "") +
        "\n",
    );
  }
  return failed === 0 ? 0 : 1;
}
