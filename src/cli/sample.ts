/**
 * `saddle sample RUN`: generated samples from any checkpoint of a run directory made by `saddle train`, drawn
 * as the run's evaluations draw them (src/train/run-samples.ts): its latent distribution and sizes, its
 * moving average Ḡ when it has one. Prints a summary (with the mode metrics of 2-D mixtures) or writes
 * `--out` samples.csv | samples.npy | samples.png, atomically.
 */
import { Command } from "commander";
import path from "node:path";
import { isImageDataset } from "../data/images.ts";
import { DEVICES, type DeviceName } from "../engine/device.ts";
import { UsageError } from "../engine/errors.ts";
import { modeMetrics, type ModeMetrics } from "../metrics/modes.ts";
import { imageGridPng } from "../report/image-grid.ts";
import { npyFloat32 } from "../report/npy.ts";
import { writeFileAtomic } from "../runs/atomic.ts";
import {
  channelsFirst,
  drawSamples,
  openRunGenerator,
  type LabelChoice,
  type RunGenerator,
  type Samples,
} from "../train/run-samples.ts";
import { modeStats, renderSamplesPlot } from "../train/samples.ts";
import { checkOutputPath, optionalNumber, parseChoice, parseNumber } from "./args.ts";
import { str, type RawFlags } from "./common.ts";
import { fmt, printJson, printPairs } from "./output.ts";

const OUT_EXTS = [".csv", ".npy", ".png"] as const;
const MAX_N = 100_000;
/** The most images one .png grid holds. */
const MAX_GRID = 10_000;

export function sampleCommand(setRun: (run: () => Promise<number>) => void): Command {
  const cmd = new Command("sample")
    .description(
      "generated samples from a checkpoint of a training run (runs/<name>/): a summary, or --out .csv | .npy | .png",
    )
    .argument("<run>", "a run directory written by saddle train")
    .option("--step <n>", "the checkpoint's step (default: the latest)")
    .option("--n <count>", `number of samples, 1 to ${MAX_N}`, "2500")
    .option("--out <file>", "write the samples: file.csv | file.npy | file.png (by extension)")
    .option("--seed <s>", "seed of the latent draw (default: the run's seed)")
    .option(
      "--label <c>",
      "conditional / InfoGAN runs: cycle (sample i gets label i mod K) | random (drawn with the noise, as in training) | a label 0…K−1 for all",
      "cycle",
    )
    .option("--replica <r>", "runs with --replicas R: the replica to sample (default 0)")
    .option("--no-ema", "sample G's trained parameters even when the run keeps a moving average Ḡ")
    .option("--device <d>", `${DEVICES.join(" | ")} (default: the run's device)`)
    .option("--json", "print the summary as one JSON object")
    .action((run: string, flags: RawFlags) => {
      setRun(() => runSampleCommand(run, flags));
    });
  cmd.addHelpText(
    "after",
    `
Samples come from the generator the run's evaluations score: the moving average Ḡ when the run has
--ema β > 0 (else, or with --no-ema, G itself), on latents z ∼ N(0, I) of the run's latent size:
  2-D data   z from the run's evaluation key at --seed; with the run's seed and --n equal to its
             evalSamples they are exactly the points its metrics rows scored.
  images     in chunks of 250 latents (batch norm uses its batch's statistics, as in training);
             conditional / InfoGAN runs put onehot(label) after the noise (--label); with the
             run's seed, --n evalSamples (and --label random when the run has labels) they are
             the images its IS / FID scored.
The same run, step, seed and n give the same samples, bit for bit.

Output by extension:
  .csv   a header row (x1,x2,… for points; p0,p1,… for images), then one sample per row; images as
         flattened pixels in [−1, 1], channel by channel, each row by row (C×H×W order)
  .npy   NumPy v1.0, float32 '<f4': shape (n, d), or (n, C, H, W) for images (numpy.load reads it)
  .png   2-D data: the samples over the data and D's heat map (the first 2500 drawn), like the run's
         samples.png; images: a grid (one column per label when labels cycle)
Without --out: a summary (n, dims, step, which G, and modes covered / % high quality / reverse KL
for 2-D mixtures).

Examples:
  saddle sample runs/ring-non-saturating-alternating-s0
  saddle sample runs/ring-non-saturating-alternating-s0 --step 1000 --n 5000 --out samples.npy
  saddle sample runs/mnist-cgan-s0 --label 3 --n 64 --out threes.png
  saddle sample runs/mnist-dcgan-s0 --no-ema --out raw.png --json`,
  );
  return cmd;
}

function parseLabel(raw: string): LabelChoice {
  if (raw === "cycle" || raw === "random") return raw;
  if (!/^\d+$/.test(raw.trim()))
    throw new UsageError(`--label: '${raw}' is not allowed; expected cycle, random or a label 0, 1, …`);
  return Number(raw);
}

export interface SampleSummary {
  run: string;
  step: number;
  /** Every checkpointed step of the run. */
  steps: number[];
  n: number;
  /** The shape written to .npy: [n, d] or [n, C, H, W]. */
  shape: number[];
  /** Latent z: `noise` N(0, 1) coordinates, then `slots` label / code slots. */
  latent: { distribution: "normal"; noise: number; slots: number };
  /** True when the samples come from the moving average Ḡ. */
  ema: boolean;
  seed: number;
  labels?: LabelChoice;
  replica?: number;
  modes?: Omit<ModeMetrics, "highQualityFraction"> & { highQuality: number };
  out?: string;
}

/** Rows of a sample table; float32 values in 9 significant digits (enough to read back exactly). */
function csvText(s: Samples, values: Float32Array): string {
  const head = Array.from({ length: s.dim }, (_, j) => (s.image ? `p${j}` : `x${j + 1}`));
  const lines = [head.join(",")];
  for (let i = 0; i < s.n; i++) {
    const row: string[] = [];
    for (let j = 0; j < s.dim; j++) {
      const v = values[i * s.dim + j];
      row.push(Number.isFinite(v) ? String(Number(v.toPrecision(9))) : String(v));
    }
    lines.push(row.join(","));
  }
  return lines.join("\n") + "\n";
}

const pointsOf = (s: Samples): number[][] =>
  Array.from({ length: s.n }, (_, i) => Array.from(s.values.subarray(i * s.dim, (i + 1) * s.dim)));

async function writeOut(file: string, g: RunGenerator, s: Samples, summary: SampleSummary): Promise<void> {
  const ext = path.extname(file).toLowerCase();
  if (ext === ".csv") return writeFileAtomic(file, csvText(s, channelsFirst(s)));
  if (ext === ".npy") return writeFileAtomic(file, npyFloat32(channelsFirst(s), summary.shape));
  if (s.image) {
    const columns = s.labels && summary.labels === "cycle" ? g.slots : Math.ceil(Math.sqrt(s.n));
    return writeFileAtomic(file, imageGridPng(s.values, s.n, { ...s.image, columns }));
  }
  const { spec, data, game } = g;
  await renderSamplesPlot(file, game, g.w, data, pointsOf(s), {
    replica: summary.replica ?? 0,
    realCount: spec.evalSamples,
    title: `${data.name} · ${spec.objective} · ${spec.method.name}, step ${g.step}, ${g.ema ? "Ḡ (moving average)" : "G"}${summary.replica !== undefined ? `, replica ${summary.replica}` : ""}`,
    subtitle: summary.modes
      ? `${s.n} samples, seed ${summary.seed}: ${modeStats(summary.modes)}`
      : `${s.n} samples, seed ${summary.seed}`,
  });
}

export async function runSampleCommand(dir: string, flags: RawFlags): Promise<number> {
  // every flag is checked before the run is read
  const step = optionalNumber("--step", str(flags, "step"), { integer: true, min: 0 });
  const n = parseNumber("--n", str(flags, "n") ?? "2500", { integer: true, min: 1, max: MAX_N });
  const seedFlag = optionalNumber("--seed", str(flags, "seed"), { integer: true, min: 0 });
  const label = parseLabel(str(flags, "label") ?? "cycle");
  const replicaFlag = optionalNumber("--replica", str(flags, "replica"), { integer: true, min: 0 });
  const rawDevice = str(flags, "device");
  const device =
    rawDevice === undefined ? undefined : parseChoice<DeviceName>("--device", rawDevice, DEVICES);
  const out = str(flags, "out");
  if (out !== undefined) checkOutputPath("--out", out, OUT_EXTS);

  const g = await openRunGenerator(dir, { step, ema: flags.ema !== false, device });
  const { spec, data, game } = g;
  if (label !== "cycle" && g.slots === 0) {
    throw new UsageError(
      `--label: '${label}' needs a conditional or InfoGAN run; '${dir}' has no label slots`,
    );
  }
  if (typeof label === "number" && label >= g.slots) {
    throw new UsageError(`--label: ${label} is out of range; this run's labels are 0 to ${g.slots - 1}`);
  }
  if (replicaFlag !== undefined && replicaFlag >= game.replicas) {
    throw new UsageError(
      `--replica: ${replicaFlag} is out of range; this run has ${game.replicas} replica${game.replicas > 1 ? `s (0 to ${game.replicas - 1})` : " (0)"}`,
    );
  }
  const isPng = out !== undefined && path.extname(out).toLowerCase() === ".png";
  const image = isImageDataset(data);
  if (isPng && !image && data.dim !== 2) {
    throw new UsageError(
      `--out: a .png needs 2-D points or images; this run's data has ${data.dim} dimensions`,
    );
  }
  if (isPng && image && n > MAX_GRID) {
    throw new UsageError(`--n: ${n} is too many for a .png grid; at most ${MAX_GRID} images`);
  }
  const seed = seedFlag ?? spec.seed;
  const replica = game.replicas > 1 ? (replicaFlag ?? 0) : undefined;
  const s = drawSamples(g, { n, seed, label, replica });
  const summary: SampleSummary = {
    run: dir,
    step: g.step,
    steps: g.steps,
    n,
    shape: s.image ? [n, s.image.channels, s.image.height, s.image.width] : [n, s.dim],
    latent: { distribution: "normal", noise: spec.latentDim, slots: g.slots },
    ema: g.ema,
    seed,
    ...(g.slots > 0 ? { labels: label } : {}),
    ...(replica !== undefined ? { replica } : {}),
  };
  if (data.modes) {
    const { highQualityFraction, ...m } = modeMetrics(pointsOf(s), data.modes);
    summary.modes = { ...m, highQuality: highQualityFraction };
  }
  if (out !== undefined) {
    await writeOut(out, g, s, summary);
    summary.out = out;
  }
  if (flags.json === true) {
    printJson(summary);
    return 0;
  }
  const m = summary.modes;
  const labelText =
    g.slots === 0
      ? ""
      : ` ‖ onehot(${spec.conditional ? "label" : "code"}) of ${g.slots}: ${label === "cycle" ? `sample i gets i mod ${g.slots}` : label === "random" ? "drawn with the noise" : `all ${label}`}`;
  printPairs([
    ["run", dir],
    ["step", `${g.step} (checkpoints at ${g.steps.join(", ")})`],
    [
      "samples",
      s.image ? `${n} images ${s.image.height}×${s.image.width}×${s.image.channels}` : `${n} × ${s.dim}`,
    ],
    ["latent", `z ∼ N(0, I) of ${spec.latentDim}${labelText}`],
    [
      "generator",
      g.ema ? `moving average Ḡ (ema β = ${spec.ema})` : spec.ema > 0 ? "trained G (--no-ema)" : "trained G",
    ],
    ["seed", String(seed)],
    ...(replica !== undefined ? ([["replica", `${replica} of ${game.replicas}`]] as [string, string][]) : []),
    ...(m
      ? ([
          [
            "modes",
            `${m.modesCovered}/${m.modes} covered, ${(100 * m.highQuality).toFixed(1)}% high quality, reverse KL ${fmt(m.reverseKL, 4)}`,
          ],
        ] as [string, string][])
      : []),
    ...(out !== undefined ? ([["out", out]] as [string, string][]) : []),
  ]);
  return 0;
}
