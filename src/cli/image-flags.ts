/**
 * The image-GAN flags of `saddle train` and `saddle compare`: `--preset NAME` (src/spec/presets.ts) and the
 * spec's image fields. Precedence: preset < `--spec` file < flags.
 */
import type { Command } from "commander";
import { CONV_IMPLS } from "../engine/conv.ts";
import { MODELS } from "../spec/experiment.ts";
import { PRESET_NAMES, presetSpec } from "../spec/presets.ts";
import { parseChoice, parseNumber, parseNumberList } from "./args.ts";
import { str, type RawFlags } from "./common.ts";

export function addImageFlags(cmd: Command): Command {
  return cmd
    .option("--preset <name>", `named image-GAN spec: ${PRESET_NAMES.join(" | ")} (flags override it)`)
    .option("--model <m>", `spec field 'model': ${MODELS.join(" | ")}`)
    .option("--conditional", "spec field 'conditional': conditional GAN on the data's labels")
    .option("--image-size <n>", "spec field 'imageSize': square side images are resized to")
    .option("--conv <impl>", `spec field 'conv': auto | ${CONV_IMPLS.join(" | ")}`)
    .option("--g-widths <list>", "spec field 'dcgan.g': G's channel widths, e.g. 128,64")
    .option("--d-widths <list>", "spec field 'dcgan.d': D's channel widths, e.g. 64,128")
    .option("--batch-norm", "spec field 'dcgan.batchNorm': batch norm in G")
    .option(
      "--d-batch-norm",
      "spec field 'dcgan.dBatchNorm': batch norm in D (after every conv but the first)",
    )
    .option(
      "--d-minibatch-std",
      "spec field 'dcgan.dMinibatchStd': the batch's feature spread as one more input to D's fc (Karras et al. 2018)",
    )
    .option("--spectral-norm", "spec field 'dcgan.spectralNorm': spectral normalisation in D")
    .option("--no-image-metrics", "spec field 'imageMetrics' = false: no classifier IS / FID");
}

/** The preset's spec input ({} without --preset). */
export function presetBase(flags: RawFlags): Record<string, unknown> {
  const name = str(flags, "preset");
  return name === undefined ? {} : { ...presetSpec(name) };
}

/** Write the image flags given into a spec input (mutates and returns `base`). */
export function applyImageFlags(flags: RawFlags, base: Record<string, unknown>): Record<string, unknown> {
  const model = str(flags, "model");
  if (model !== undefined) base.model = parseChoice("--model", model, MODELS);
  if (flags.conditional === true) base.conditional = true;
  const size = str(flags, "imageSize");
  if (size !== undefined)
    base.imageSize = parseNumber("--image-size", size, { integer: true, min: 4, max: 512 });
  const conv = str(flags, "conv");
  if (conv !== undefined) base.conv = parseChoice("--conv", conv, ["auto", ...CONV_IMPLS] as const);
  const dc = { ...((base.dcgan as Record<string, unknown> | undefined) ?? {}) };
  const g = str(flags, "gWidths");
  const d = str(flags, "dWidths");
  const rule = { integer: true, min: 1, max: 2048 };
  if (g !== undefined) dc.g = parseNumberList("--g-widths", g, rule);
  if (d !== undefined) dc.d = parseNumberList("--d-widths", d, rule);
  if (flags.batchNorm === true) dc.batchNorm = true;
  if (flags.dBatchNorm === true) dc.dBatchNorm = true;
  if (flags.dMinibatchStd === true) dc.dMinibatchStd = true;
  if (flags.spectralNorm === true) dc.spectralNorm = true;
  if (Object.keys(dc).length > 0) base.dcgan = dc;
  if (flags.imageMetrics === false) base.imageMetrics = false;
  return base;
}

/** Flags that set spec fields (for --resume's "remove these" check). */
export function imageFlagsGiven(flags: RawFlags): string[] {
  const out: string[] = [];
  const pairs: [string, string][] = [
    ["preset", "--preset"],
    ["model", "--model"],
    ["imageSize", "--image-size"],
    ["conv", "--conv"],
    ["gWidths", "--g-widths"],
    ["dWidths", "--d-widths"],
  ];
  for (const [k, f] of pairs) if (str(flags, k) !== undefined) out.push(f);
  for (const [k, f] of [
    ["conditional", "--conditional"],
    ["batchNorm", "--batch-norm"],
    ["dBatchNorm", "--d-batch-norm"],
    ["dMinibatchStd", "--d-minibatch-std"],
    ["spectralNorm", "--spectral-norm"],
  ] as const)
    if (flags[k] === true) out.push(f);
  if (flags.imageMetrics === false) out.push("--no-image-metrics");
  return out;
}
