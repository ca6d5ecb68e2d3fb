/**
 * The `saddle` command line. Every command validates its flags before doing any work; a bad value prints
 * one line naming the flag, the value and what is allowed, and exits with code 2 (no stack trace).
 */
import { Command, CommanderError } from "commander";
import { webgpuSyncReadMessage } from "../engine/device.ts";
import { NumericalError, oneLine, UsageError } from "../engine/errors.ts";
import { analyzeCommand, runAnalyzeCommand } from "./analyze.ts";
import type { RawFlags } from "./common.ts";
import { dynamicsCommand, runDynamicsCommand } from "./dynamics.ts";
import { reproduceCommand, runReproduceCommand } from "./reproduce.ts";
import { runTrainCommand, trainCommand } from "./train.ts";
import { compareCommand, runCompareCommand } from "./compare.ts";
import { matrixCommand, runMatrixCommand } from "./matrix.ts";
import { runServeCommand, serveCommand } from "./serve.ts";
import { classifierCommand } from "./classifier.ts";
import { sampleCommand } from "./sample.ts";
import { runWorkerCommand, workerCommand } from "./worker.ts";

export const EXIT_USAGE = 2;
/** A numerical routine failed on the data (NumericalError, e.g. the eigensolver did not converge). */
export const EXIT_NUMERICAL = 4;

function program(result: { run?: () => Promise<number> }): Command {
  const root = new Command("saddle")
    .description("Equilibria of GANs and other two-player differentiable games: dynamics, spectra, claims")
    .version("0.1.0")
    .showSuggestionAfterError(true)
    .exitOverride();
  const dyn = dynamicsCommand().action((flags: RawFlags) => {
    result.run = () => runDynamicsCommand(flags);
  });
  const ana = analyzeCommand().action((flags: RawFlags) => {
    result.run = () => runAnalyzeCommand(flags);
  });
  const rep = reproduceCommand().action((suite: string | undefined, flags: RawFlags) => {
    result.run = () => runReproduceCommand(suite, flags);
  });
  const trn = trainCommand().action((flags: RawFlags) => {
    result.run = () => runTrainCommand(flags);
  });
  const cmp = compareCommand().action((flags: RawFlags) => {
    result.run = () => runCompareCommand(flags);
  });
  const mtx = matrixCommand().action((flags: RawFlags) => {
    result.run = () => runMatrixCommand(flags);
  });
  const srv = serveCommand().action((flags: RawFlags) => {
    result.run = () => runServeCommand(flags);
  });
  const cls = classifierCommand((run) => {
    result.run = run;
  });
  const smp = sampleCommand((run) => {
    result.run = run;
  });
  const wrk = workerCommand().action((flags: RawFlags) => {
    result.run = () => runWorkerCommand(flags);
  });
  for (const c of [dyn, ana, trn, cmp, mtx, rep, srv, cls, smp, wrk]) {
    c.exitOverride();
    c.configureOutput({ writeErr: () => {} }); // errors are reported once, below, as one line
    root.addCommand(c);
  }
  root.configureOutput({ writeErr: () => {} });
  return root;
}

/** Run the CLI; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const result: { run?: () => Promise<number> } = {};
  const root = program(result);
  try {
    if (argv.length === 0) {
      root.outputHelp();
      return 0;
    }
    await root.parseAsync(argv, { from: "user" });
    return result.run ? await result.run() : 0;
  } catch (err) {
    const gpuRead = webgpuSyncReadMessage(err);
    if (gpuRead !== null) {
      process.stderr.write(`saddle: ${gpuRead}\n`);
      return EXIT_USAGE;
    }
    if (err instanceof CommanderError) {
      if (
        err.code === "commander.helpDisplayed" ||
        err.code === "commander.version" ||
        err.code === "commander.help"
      ) {
        return 0;
      }
      // commander puts its "(Did you mean …?)" on a line of its own: join it; what is left is the value's own
      const text = err.message
        .replace(/^error: /, "")
        .replace(/\s*\n\(Did you mean/g, " (Did you mean")
        .trim();
      process.stderr.write(`saddle: ${oneLine(text)}\n`);
      return EXIT_USAGE;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`saddle: ${oneLine(err.message)}\n`);
      return EXIT_USAGE;
    }
    if (err instanceof NumericalError) {
      process.stderr.write(`saddle: ${oneLine(err.message)}\n`);
      return EXIT_NUMERICAL;
    }
    throw err;
  }
}
