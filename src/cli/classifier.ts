/**
 * `saddle classifier train --data mnist|fashion`: train the small CNN used for classifier-based IS and FID
 * (src/metrics/classifier.ts; training in src/workflows/classifier-training.ts), report its test accuracy and
 * cache it ($SADDLE_CACHE or ~/.cache/saddle).
 * Image GAN runs train it themselves when it is missing.
 */
import { Command } from "commander";
import { IMAGE_DATASETS } from "../data/images.ts";
import { useDevice } from "../engine/device.ts";
import { trainClassifier } from "../workflows/classifier-training.ts";
import { optionalNumber, parseChoice, SEED_RULE } from "./args.ts";
import { str, type RawFlags } from "./common.ts";
import { printJson, printPairs } from "./output.ts";

export function classifierCommand(setRun: (run: () => Promise<number>) => void): Command {
  const cmd = new Command("classifier").description(
    "the per-data-set classifier behind image IS / FID: saddle classifier train --data mnist|fashion",
  );
  const trn = new Command("train")
    .description("train the classifier of a data set and cache it (~/.cache/saddle or $SADDLE_CACHE)")
    .requiredOption("--data <name>", `${IMAGE_DATASETS.join(" | ")}`)
    .option("--steps <n>", "Adam steps at batch 128 (default 3000)")
    .option("--seed <s>", "seed", "0")
    .option("--json", "print the result as one JSON object")
    .action((flags: RawFlags) => {
      setRun(() => runClassifierTrain(flags));
    });
  trn.exitOverride();
  trn.configureOutput({ writeErr: () => {} });
  cmd.addCommand(trn);
  return cmd;
}

export async function runClassifierTrain(flags: RawFlags): Promise<number> {
  const data = parseChoice("--data", str(flags, "data") ?? "", IMAGE_DATASETS);
  const steps = optionalNumber("--steps", str(flags, "steps"), { integer: true, min: 1, max: 1e6 });
  const seed = optionalNumber("--seed", str(flags, "seed"), SEED_RULE) ?? 0;
  await useDevice("wasm");
  const quiet = flags.json === true;
  const c = trainClassifier(data, {
    steps,
    seed,
    onProgress: (t, loss) => {
      if (!quiet) process.stderr.write(`classifier ${data}: step ${t} loss ${loss.toFixed(4)}\n`);
    },
  });
  const out = { data, file: c.file, testAccuracy: c.testAccuracy };
  if (flags.json === true) printJson(out);
  else
    printPairs([
      ["data", data],
      ["test accuracy", `${(100 * c.testAccuracy).toFixed(2)}%`],
      ["cached in", c.file],
    ]);
  return 0;
}
