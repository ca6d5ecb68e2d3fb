/**
 * `saddle reproduce [suite]`: check the lectures' claims. Exit code 0 only if every check passes; a finding
 * (a lecture's relation that saddle tests as stated, kind "finding") is reported whether or not it held.
 */
import { Command } from "commander";
import { SUITES } from "../claims/suites.ts";
import type { Claim } from "../claims/claim.ts";
import { useDevice, type DeviceName } from "../engine/device.ts";
import { UsageError } from "../engine/errors.ts";
import { parseChoice } from "./args.ts";
import type { RawFlags } from "./common.ts";
import { fmt, printJson, printTable } from "./output.ts";
import { addQueueFlags, runnerFromFlags } from "./worker.ts";

export function reproduceCommand(): Command {
  const cmd = new Command("reproduce")
    .description("check the lectures' claims; exit code 0 only if every check passes (findings are reported)")
    .argument("[suite]", `one of: ${SUITES.map((s) => s.name).join(", ")} (default: all)`)
    .option("--json", "print an array of {id, kind, claim, source, expected, measured, pass}")
    .option(
      "--device <d>",
      "wasm | webgpu (webgpu: the dynamics suite in float32, with float32 tolerances stated per claim)",
      "wasm",
    )
    .addHelpText(
      "after",
      "\nSuites:\n" +
        SUITES.map((s) => `  ${s.name.padEnd(12)} ${s.description}`).join("\n") +
        "\n\nWith --queue, the suites' training comparisons (mixtures, the Mirror-GAN claim) run on `saddle worker`s.",
    );
  return addQueueFlags(cmd);
}

/** The suites whose games run in float32 (WebGPU has no float64). */
const WEBGPU_SUITES: readonly string[] = ["dynamics"];

const show = (v: number | string): string => (typeof v === "number" ? fmt(v, 7) : v);

export async function runReproduceCommand(suite: string | undefined, flags: RawFlags): Promise<number> {
  const names = SUITES.map((s) => s.name);
  const chosen =
    suite === undefined ? SUITES : SUITES.filter((s) => s.name === parseChoice("suite", suite, names));
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
