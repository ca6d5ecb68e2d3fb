/**
 * `saddle train`: train a GAN on 2-D data or images (MNIST, Fashion-MNIST, a PNG folder) with any method, from a spec file and/or flags (flags win), into
 * runs/<name>/ (spec.json, metrics.jsonl, checkpoints/, samples.png, summary.json). `--resume runs/<name>`
 * continues from the last checkpoint. Ctrl-C writes a checkpoint and exits 130; a run whose parameters
 * become NaN/Inf ends as "diverged" (step and player recorded) with exit code 3.
 */
import { Command } from "commander";
import fs from "node:fs";
import path from "node:path";
import { specDataset } from "../train/image-build.ts";
import { addImageFlags, applyImageFlags, imageFlagsGiven, presetBase } from "./image-flags.ts";
import type { Dataset } from "../data/dataset.ts";
import { useDevice } from "../engine/device.ts";
import { onHost, onHostAsync } from "../engine/host.ts";
import { resolveThreads } from "../engine/wasm-threads.ts";
import { UsageError } from "../engine/errors.ts";
import { IMAGE_DATASETS } from "../data/images.ts";
import { DEFAULT_DATASET, TOY_2D_NAMES } from "../data/toy2d/index.ts";
import { DEFAULT_GAN_METHOD } from "../methods/index.ts";
import { methodDefaults, methodModules } from "../methods/registry.ts";
import { COMMON_DEFAULTS } from "../methods/spec.ts";
import { DEFAULT_OBJECTIVE, OBJECTIVE_NAMES } from "../objectives/index.ts";
import { RunDir } from "../runs/run-dir.ts";
import { writeSamplesPlot } from "../train/samples.ts";
import {
  defaultRunName,
  dropUnfitReuseFake,
  foldMethodFields,
  fieldRange,
  parseSpec,
  readSpecFile,
  type ExperimentInput,
  type ExperimentSpec,
} from "../spec/experiment.ts";
import { train, type EvalRow, type TrainResult } from "../train/trainer.ts";
import { buildTraining } from "../train/build.ts";
import { checkGameOnce, skipFieldCheck } from "../analysis/field-check.ts";
import { describeRule, parseNumber, parseNumberList, readNumber } from "./args.ts";
import { flagKey, methodFlags, readMethodFlag, str, type RawFlags } from "./common.ts";
import { fmt, printJson, printPairs } from "./output.ts";
import { progress } from "./progress.ts";

export const EXIT_DIVERGED = 3;
export const EXIT_INTERRUPTED = 130;

/** Flag → spec field, and how to read the flag's text. */
const FLAGS: {
  flag: string;
  key: string;
  field: keyof ExperimentInput;
  kind: "number" | "string" | "pair";
  /** Help text when the flag sets no top-level field of that name (the method's params). */
  note?: string;
}[] = [
  { flag: "--data", key: "data", field: "data", kind: "string" },
  { flag: "--objective", key: "objective", field: "objective", kind: "string" },
  { flag: "--method", key: "method", field: "method", kind: "string" },
  { flag: "--optimizer", key: "optimizer", field: "optimizer", kind: "string" },
  { flag: "--lr-g", key: "lrG", field: "lrG", kind: "number" },
  { flag: "--lr-d", key: "lrD", field: "lrD", kind: "number" },
  { flag: "--momentum", key: "momentum", field: "momentum", kind: "number" },
  { flag: "--betas", key: "betas", field: "betas", kind: "pair" },
  {
    flag: "--gamma",
    key: "gamma",
    field: "gamma",
    kind: "number",
    note: "spec field 'method.gamma' (consensus γ)",
  },
  {
    flag: "--k-g",
    key: "kG",
    field: "kG",
    kind: "number",
    note: "spec field 'method.steps[0]': G's steps a round, k_G",
  },
  {
    flag: "--k-d",
    key: "kD",
    field: "kD",
    kind: "number",
    note: "spec field 'method.steps[1]': D's steps a round, k_D",
  },
  {
    flag: "--first",
    key: "first",
    field: "first",
    kind: "string",
    note: "G | D: spec field 'method.first' (0 = G, 1 = D)",
  },
  {
    flag: "--unroll",
    key: "unroll",
    field: "unroll",
    kind: "number",
    note: "spec field 'method.unroll' (unrolled k)",
  },
  { flag: "--prox-lambda", key: "proxLambda", field: "proxLambda", kind: "number" },
  { flag: "--prox-inner-steps", key: "proxInnerSteps", field: "proxInnerSteps", kind: "number" },
  { flag: "--prox-inner-lr", key: "proxInnerLr", field: "proxInnerLr", kind: "number" },
  { flag: "--prox-norm", key: "proxNorm", field: "proxNorm", kind: "string" },
  {
    flag: "--particles",
    key: "particles",
    field: "particles",
    kind: "number",
    note: "spec field 'method.particles' (mixed methods)",
  },
  {
    flag: "--temperature",
    key: "temperature",
    field: "temperature",
    kind: "number",
    note: "spec field 'method.temperature' (mixed methods)",
  },
  {
    flag: "--sgld-steps",
    key: "sgldSteps",
    field: "sgldSteps",
    kind: "number",
    note: "spec field 'method.sgldSteps' (mixed methods)",
  },
  {
    flag: "--averaging",
    key: "averaging",
    field: "averaging",
    kind: "number",
    note: "spec field 'method.averaging' (mixed methods)",
  },
  { flag: "--ema", key: "ema", field: "ema", kind: "number" },
  { flag: "--lr-decay", key: "lrDecay", field: "lrDecay", kind: "number" },
  { flag: "--info-codes", key: "infoCodes", field: "infoCodes", kind: "number" },
  { flag: "--info-lambda", key: "infoLambda", field: "infoLambda", kind: "number" },
  { flag: "--clip", key: "clip", field: "clip", kind: "number" },
  { flag: "--gp-lambda", key: "gpLambda", field: "gpLambda", kind: "number" },
  { flag: "--r1", key: "r1", field: "r1", kind: "number" },
  { flag: "--r2", key: "r2", field: "r2", kind: "number" },
  { flag: "--latent-dim", key: "latentDim", field: "latentDim", kind: "number" },
  { flag: "--steps", key: "steps", field: "steps", kind: "number" },
  { flag: "--batch", key: "batch", field: "batch", kind: "number" },
  { flag: "--seed", key: "seed", field: "seed", kind: "number" },
  { flag: "--eval-every", key: "evalEvery", field: "evalEvery", kind: "number" },
  { flag: "--eval-samples", key: "evalSamples", field: "evalSamples", kind: "number" },
  { flag: "--checkpoint-every", key: "checkpointEvery", field: "checkpointEvery", kind: "number" },
  { flag: "--keep-checkpoints", key: "keepCheckpoints", field: "keepCheckpoints", kind: "number" },
  { flag: "--replicas", key: "replicas", field: "replicas", kind: "number" },
  { flag: "--device", key: "device", field: "device", kind: "string" },
  { flag: "--dtype", key: "dtype", field: "dtype", kind: "string" },
  { flag: "--name", key: "name", field: "name", kind: "string" },
];

/**
 * Method parameters that train's G/D-named flags above set (--k-g/--k-d → steps, --first G|D, --reuse-fake,
 * --unroll, --gamma), folded into the spec's `method` by foldMethodFields.
 */
const GD_FLAG_PARAMS: readonly string[] = ["steps", "first", "reuseFake", "unroll", "gamma"];

/** The method modules' other flags (src/methods): they set the spec method's params (e.g. --tol, --inner). */
function specMethodFlags() {
  return methodFlags().filter((f) => !GD_FLAG_PARAMS.includes(f.param));
}

export function addSpecFlags(cmd: Command): Command {
  cmd.option("--spec <file>", "experiment spec (JSON); flags override its fields");
  for (const f of FLAGS) cmd.option(`${f.flag} <value>`, f.note ?? `spec field '${String(f.field)}'`);
  cmd.option(
    "--reuse-fake",
    "spec field 'method.reuseFake': G's step reuses the fake batch of D's last step (one G forward pass a round)",
  );
  cmd.option("--no-reuse-fake", "spec field 'method.reuseFake' = false: G's step draws a fresh batch");
  for (const f of specMethodFlags()) {
    cmd.option(`${f.flag} ${f.arg}`, `spec field 'method.${f.param}': ${f.help}`);
  }
  addImageFlags(cmd);
  return cmd;
}

export function trainCommand(): Command {
  const cmd = new Command("train")
    .description(
      `train a GAN on 2-D data (${TOY_2D_NAMES.slice(0, 2).join(", ")}, …, a CSV) or images (${IMAGE_DATASETS.join(", ")}, a PNG folder) with any method; writes runs/<name>/`,
    )
    .option(
      "--resume <dir>",
      "continue the run in this directory from its last checkpoint (with --steps N: extend it to N steps)",
    )
    .option("--out <dir>", "folder that holds run directories", "runs")
    .option(
      "--threads <n>",
      "wasm threads for the run: auto = all cores for DCGAN models, 1 for MLPs (small kernels are slower split); results are identical",
      "auto",
    )
    .option(
      "--no-check",
      "skip the safety net: before training, the jitted field of the GAN must equal the plain one on one minibatch (float32: 1e-4·‖v‖∞; finite differences are skipped for stochastic games)",
    )
    .option("--json", "print the summary as one JSON object");
  addSpecFlags(cmd);
  const alt = methodDefaults(DEFAULT_GAN_METHOD).steps as number[];
  const dataNames = [DEFAULT_DATASET, ...TOY_2D_NAMES.filter((n) => n !== DEFAULT_DATASET)];
  const otherObjectives = OBJECTIVE_NAMES.filter((n) => n !== DEFAULT_OBJECTIVE).join(", ");
  // every other method of the list, with its hyper-parameters' defaults (e.g. "consensus [gamma 1]")
  const others = methodModules()
    .filter((m) => m.name !== DEFAULT_GAN_METHOD)
    .map((m) => (m.hint ? `${m.name} [${m.hint(methodDefaults(m.name))}]` : m.name))
    .join(", ");
  cmd.addHelpText(
    "after",
    `
Spec fields and defaults (a --spec file uses the same names):
  data ${dataNames.join(" | ")} | file.csv; objective ${DEFAULT_OBJECTIVE} (${otherObjectives});
  method ${DEFAULT_GAN_METHOD} (${others}); optimizer adam, lrG = lrD = 1e-3,
  betas [0.5, 0.999]; kG:kD ${alt.join(":")}, first D; momentum ${COMMON_DEFAULTS.momentum};
  G 2→128→128→2, D 2→128→128→1 (relu);
  batch 256; steps 2000; evalEvery 500; seed 0. --ema β (0 = off): samples, grids and IS / FID / modes
  come from a moving average of G's parameters, Ḡ ← β Ḡ + (1 − β) G (Yazıcı et al. 2019).
  --betas b1,b2: Adam's (β₁, β₂); β₁ may be negative (−0.5: Gidel et al.'s negative momentum).
  --reuse-fake (--no-reuse-fake): G's step reuses the z and G(z) of D's last step, so G's forward pass
  runs once a round (PyTorch's DCGAN loop); alternating, first D, kG 1.
  --lr-decay f (0 = off): both learning rates fall linearly to 0 over the last fraction f of the run.
  --info-codes K (0 = off), --info-lambda λ = 1: InfoGAN (Chen et al. 2016) on DCGANs: a K-valued code in
  G's latent, Q(c | x) as K more outputs of D, both players add −λ E log Q(c | G(z, c)); grid row c = code c.
  Images: data ${IMAGE_DATASETS.join(" | ")} | folder/ of PNGs; model dcgan (mlp also works); see --preset for the
  DCGAN defaults (docs/images.md). Image runs add classifier IS / FID (and label accuracy when
  --conditional) and a sample grid samples/step-N.png at every evaluation.

Which equilibrium:
  --method proximal --prox-lambda λ   proximal training (Farnia & Ozdaglar): alternating GDA on
      V_λ^prox(G, D) = max_D̃ V(G, D̃) − λ‖D − D̃‖²; --prox-lambda with any other method wraps it the same
      way. Inner ascent: --prox-inner-steps 10, --prox-inner-lr 0.01; --prox-norm euclidean | sobolev.
  --method mirror-gan | mirror-prox-gan   mixed-NE GANs (Hsieh, Liu & Cevher 2019): --particles K = 4 per
      player, SGLD with --lr-g/--lr-d as step sizes, --temperature τ = 1e-4, --sgld-steps 1,
      --averaging β = 1 (no damping). The optimizer flags do not apply (plain SGLD).

Safety net: before anything is written, the jitted field of the GAN (or particle game; a --prox-lambda run
checks the GAN it wraps) must equal the plain (eager) one on one fixed minibatch, |Δ| ≤ 1e-6 + 1e-4·‖v‖∞ in float32 (1e-12 + 1e-9·‖v‖∞ in float64);
otherwise one line names the player and the coordinate, exit 2. GANs are stochastic, so the jvp-vs-finite-
differences check of dynamics/analyze is skipped. It costs about one extra compile of the field (≈ 2 s for
the default MLPs, 30–55 s for mnist-dcgan on a loaded 2-core machine); --no-check skips it. train takes GAN data specs, not
--game: a smooth game from a file goes to 'saddle dynamics' / 'saddle analyze' --game ./my-game.ts.

Exit codes: 0 completed, 2 bad input, 3 diverged (NaN/Inf: step and player in summary.json),
130 interrupted (Ctrl-C: a checkpoint is written; continue with --resume).

Examples:
  saddle train --data ring --objective non-saturating --method extragradient --steps 2000 --seed 0 --json
  saddle train --data ring --method proximal --prox-lambda 0.1 --steps 2000 --json
  saddle train --data ring --method mirror-gan --particles 4 --lr-g 0.01 --lr-d 0.01 --json
  saddle train --spec ring.json --steps 5000
  saddle train --preset mnist-dcgan --steps 3000 --json
  saddle train --preset mnist-cgan --steps 2000 --eval-every 250
  saddle train --resume runs/ring-non-saturating-extragradient-s0
  saddle train --resume runs/mnist-dcgan-s0 --steps 6000      (extend a finished run)`,
  );
  return cmd;
}

/** A flag that takes two numbers, e.g. `--betas 0.5,0.999`. */
function pair(flag: string, raw: string): number[] {
  const v = parseNumberList(flag, raw);
  if (v.length !== 2) throw new UsageError(`${flag}: expected two numbers a,b, got '${raw}'`);
  return v;
}

/** Spec input from flags (text → numbers) merged over a spec file; validated by parseSpec. */
export function specFromFlags(flags: RawFlags): ExperimentSpec {
  const specFile = str(flags, "spec");
  const base: Record<string, unknown> = {
    ...presetBase(flags),
    ...(specFile ? { ...readSpecFile(specFile) } : {}),
  };
  for (const f of FLAGS) {
    const raw = str(flags, f.key);
    if (raw === undefined) continue;
    base[f.field] =
      f.kind === "number"
        ? readNumber(f.flag, raw, describeRule(fieldRange(String(f.field)))) // the range: parseSpec's
        : f.kind === "pair"
          ? pair(f.flag, raw)
          : raw;
  }
  applyImageFlags(flags, base);
  if (typeof flags.reuseFake === "boolean") base.reuseFake = flags.reuseFake;
  let input = foldMethodFields(base) as Record<string, unknown>;
  for (const f of specMethodFlags()) {
    const v = readMethodFlag(flags, f);
    if (v !== undefined) input.method = { ...(input.method as Record<string, unknown>), [f.param]: v };
  }
  if (typeof flags.reuseFake !== "boolean" && !specFile) input = dropUnfitReuseFake(input); // a preset's: it belongs to the preset's own loop
  const preset = str(flags, "preset");
  if (preset !== undefined && input.name === undefined) input.name = `${preset}-s${Number(input.seed ?? 0)}`;
  return parseSpec(input, specFile ? `--spec '${specFile}' with flags` : "train");
}

function checkDataset(spec: ExperimentSpec): Dataset {
  const data = specDataset(spec);
  if (data.dim !== 2 && spec.latentDim < 1) throw new UsageError(`--latent-dim: must be ≥ 1`);
  return data;
}

export interface TrainSummary {
  runDir: string;
  status: TrainResult["status"];
  step: number;
  steps: number;
  divergence: TrainResult["divergence"];
  divergedReplicas?: TrainResult["divergedReplicas"];
  wallSeconds: number;
  stepsPerSecond: number;
  /** wasm threads the run used (src/engine/wasm-threads.ts). */
  threads: number;
  metrics: EvalRow | null;
  spec: ExperimentSpec;
  samples?: string;
}

/**
 * Train one spec into a run directory; shared by `train`, `compare` and sweep workers. `out`: a new directory
 * under it (named after the spec, made unique); `dir`: exactly that directory (replaced); `resume`: continue
 * the run there from its last checkpoint.
 */
export async function runTraining(
  spec: ExperimentSpec,
  where: { out: string } | { resume: string } | { dir: string },
  opts: {
    quiet: boolean;
    shouldStop?: () => boolean;
    label?: string;
    threads?: number | "auto";
    /** Run the safety net on the game before anything is written (default true). */
    check?: boolean;
    onStep?: (step: number) => void;
  },
): Promise<TrainSummary> {
  let run: RunDir;
  let resume = false;
  const data = checkDataset(spec);
  await useDevice(spec.device);
  const training = buildTraining(spec, data);
  if (opts.check === false) skipFieldCheck(training.game);
  else onHost(() => checkGameOnce(training.game)); // on WebGPU in Node: on wasm, where reads are synchronous
  if ("resume" in where) {
    const opened = RunDir.open(where.resume);
    run = opened.run;
    resume = true;
    if (opened.spec.steps !== spec.steps) run.writeSpec(spec); // `--resume DIR --steps N` extends the run
  } else if ("dir" in where) {
    run = RunDir.createAt(where.dir, spec);
  } else {
    run = RunDir.create(where.out, spec.name ?? defaultRunName(spec), spec);
  }
  const bar = progress(opts.label ?? `train ${path.basename(run.dir)}`, spec.steps, opts.quiet);
  const threads = resolveThreads(opts.threads ?? "auto", spec.model, spec.device);
  const res = await train(run, spec, data, resume, {
    training,
    threads,
    shouldStop: opts.shouldStop,
    onStep: (t, last) => {
      opts.onStep?.(t);
      bar.tick(
        t,
        last
          ? `lossD ${fmt(last.lossD, 3)} lossG ${fmt(last.lossG, 3)}${last.modesCovered !== undefined ? ` modes ${last.modesCovered}/${last.modes} HQ ${(100 * (last.highQuality ?? 0)).toFixed(1)}%` : ""}`
          : "",
      );
    },
  });
  bar.done();
  const summary: TrainSummary = {
    runDir: run.dir,
    status: res.status,
    step: res.step,
    steps: spec.steps,
    divergence: res.divergence,
    ...(res.divergedReplicas ? { divergedReplicas: res.divergedReplicas } : {}),
    wallSeconds: res.wallSeconds,
    stepsPerSecond: res.step / Math.max(res.wallSeconds, 1e-9),
    threads,
    metrics: res.last,
    spec,
  };
  if (res.last?.grid) summary.samples = run.samplesPath;
  if (res.w && res.snapshot && data.dim === 2) {
    const { w, snapshot } = { w: res.w, snapshot: res.snapshot };
    await onHostAsync(() => writeSamplesPlot(run.samplesPath, res.game, w, data, snapshot, spec));
    summary.samples = run.samplesPath;
  }
  run.writeSummary(summary);
  return summary;
}

export async function runTrainCommand(flags: RawFlags): Promise<number> {
  const resumeDir = str(flags, "resume");
  let spec: ExperimentSpec;
  if (resumeDir !== undefined) {
    const given = FLAGS.filter((f) => f.key !== "steps" && str(flags, f.key) !== undefined).map(
      (f) => f.flag,
    );
    given.push(...imageFlagsGiven(flags));
    given.push(
      ...specMethodFlags()
        .filter((f) => str(flags, flagKey(f.flag)) !== undefined)
        .map((f) => f.flag),
    );
    if (typeof flags.reuseFake === "boolean")
      given.push(flags.reuseFake ? "--reuse-fake" : "--no-reuse-fake");
    if (str(flags, "spec") !== undefined) given.push("--spec");
    if (given.length > 0) {
      throw new UsageError(
        `--resume: continues a run exactly as its spec.json says (only --steps may extend it); remove ${given.join(", ")}`,
      );
    }
    spec = RunDir.open(resumeDir).spec;
    const more = str(flags, "steps");
    if (more !== undefined) {
      // extend the run: a larger step count; spec.json is rewritten when training starts
      const steps = parseNumber("--steps", more, { integer: true, min: 1, max: 10_000_000 });
      if (steps < spec.steps) {
        throw new UsageError(
          `--steps: ${steps} is fewer than the ${spec.steps} steps in ${resumeDir}/spec.json; with --resume, --steps N extends a run to N ≥ ${spec.steps}`,
        );
      }
      spec = { ...spec, steps };
    }
  } else {
    spec = specFromFlags(flags);
    const out = str(flags, "out") ?? "runs";
    if (fs.existsSync(out) && !fs.statSync(out).isDirectory())
      throw new UsageError(`--out: '${out}' is not a directory`);
  }
  const rawThreads = str(flags, "threads") ?? "auto";
  const n = Number(rawThreads);
  if (rawThreads !== "auto" && !(rawThreads.trim() !== "" && Number.isInteger(n) && n >= 1 && n <= 256)) {
    throw new UsageError(
      `--threads: '${rawThreads}' is not allowed; expected auto or an integer from 1 to 256`,
    );
  }
  const threads = rawThreads === "auto" ? "auto" : n;
  let stop = false;
  const onSigint = () => {
    stop = true;
  };
  process.on("SIGINT", onSigint);
  let summary: TrainSummary;
  try {
    summary = await runTraining(
      spec,
      resumeDir !== undefined ? { resume: resumeDir } : { out: str(flags, "out") ?? "runs" },
      {
        quiet: flags.json === true && !process.stderr.isTTY,
        shouldStop: () => stop,
        threads,
        check: flags.check !== false,
      },
    );
  } finally {
    process.off("SIGINT", onSigint);
  }
  if (flags.json === true) {
    printJson(summary);
  } else {
    const m = summary.metrics;
    printPairs([
      ["run", summary.runDir],
      [
        "status",
        summary.status +
          (summary.divergence
            ? ` at step ${summary.divergence.step} (player ${summary.divergence.player})`
            : ""),
      ],
      [
        "steps",
        `${summary.step} of ${summary.steps} (${fmt(summary.stepsPerSecond, 4)} steps/s, ${fmt(summary.wallSeconds, 4)} s)`,
      ],
      ...(m
        ? ([
            ["losses", `D ${fmt(m.lossD, 4)}   G ${fmt(m.lossG, 4)}`],
            ["mean D", `real ${fmt(m.meanDReal, 4)}   generated ${fmt(m.meanDFake, 4)}`],
            ...(m.modesCovered !== undefined
              ? [
                  [
                    "modes",
                    `${m.modesCovered}/${m.modes} covered, ${(100 * (m.highQuality ?? 0)).toFixed(1)}% high quality, reverse KL ${fmt(m.reverseKL, 4)}`,
                  ],
                ]
              : []),
          ] as [string, string][])
        : []),
      ...(summary.samples ? ([["samples", summary.samples]] as [string, string][]) : []),
    ]);
  }
  return summary.status === "completed"
    ? 0
    : summary.status === "diverged"
      ? EXIT_DIVERGED
      : EXIT_INTERRUPTED;
}
