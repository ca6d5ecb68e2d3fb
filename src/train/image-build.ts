/**
 * How an experiment spec becomes an image GAN: the data set with the spec's image options (size, labels)
 * and the DCGAN networks handed to `gan(...)` (src/games/gan.ts). 2-D specs pass through unchanged, so image
 * runs use the same spec, trainer, run directories, methods and `compare` as the 2-D runs.
 */
import { datasetFor } from "../data/registry.ts";
import type { Dataset } from "../data/dataset.ts";
import { isImageDataset, type ImageDataset } from "../data/images.ts";
import { convImplFor } from "../engine/conv.ts";
import { UsageError } from "../engine/errors.ts";
import type { GanOptions } from "../games/gan.ts";
import { checkImageSize, dcgan, type DcganConfig } from "../models/dcgan.ts";
import type { ExperimentSpec } from "../spec/experiment.ts";

/** The spec's data set; checks that the model, labels and image size fit the data (UsageError otherwise). */
export function specDataset(spec: ExperimentSpec): Dataset {
  const data = datasetFor(spec.data, { size: spec.imageSize, labeled: spec.conditional });
  const image = isImageDataset(data);
  if (spec.model === "dcgan" && !image) {
    throw new UsageError(
      `--model: 'dcgan' needs image data (mnist, fashion or a folder of .png images); got data '${spec.data}'`,
    );
  }
  if (!image && (spec.conditional || spec.imageSize !== undefined)) {
    throw new UsageError(
      `--${spec.conditional ? "conditional" : "image-size"}: applies to image data only; got data '${spec.data}'`,
    );
  }
  if (image && spec.conditional && spec.model !== "dcgan") {
    throw new UsageError(`--conditional: needs --model dcgan (the conditional variants are DCGANs)`);
  }
  if (spec.infoCodes > 0 && (!image || spec.model !== "dcgan")) {
    throw new UsageError(`--info-codes: needs --model dcgan on image data; got data '${spec.data}'`);
  }
  if (spec.infoCodes > 0 && spec.conditional) {
    throw new UsageError("--info-codes: not with --conditional (both use G's label slots)");
  }
  if (image && spec.model === "dcgan") checkImageSize(dcganConfigOf(spec, data));
  return data;
}

/** The DCGAN configuration of a spec on an image data set. */
export function dcganConfigOf(spec: ExperimentSpec, data: ImageDataset): DcganConfig {
  return {
    height: data.height,
    width: data.width,
    channels: data.channels,
    latentDim: spec.latentDim,
    classes: spec.conditional ? data.classes : 0,
    gWidths: spec.dcgan.g,
    dWidths: spec.dcgan.d,
    batchNorm: spec.dcgan.batchNorm,
    dBatchNorm: spec.dcgan.dBatchNorm,
    dMinibatchStd: spec.dcgan.dMinibatchStd,
    codes: spec.infoCodes,
    spectralNorm: spec.dcgan.spectralNorm,
    impl: spec.conv === "auto" ? convImplFor(spec.device) : spec.conv,
  };
}

/** Extra `gan(...)` options for image models: the networks and the latent size (noise + label slots). */
export function imageGanOptions(spec: ExperimentSpec, data: Dataset): Partial<GanOptions> {
  if (spec.model !== "dcgan" || !isImageDataset(data)) return {};
  const cfg = dcganConfigOf(spec, data);
  const codes = cfg.codes ?? 0;
  return {
    networks: dcgan(cfg),
    latentDim: cfg.latentDim + cfg.classes + codes,
    ...(codes > 0 ? { info: { codes, lambda: spec.infoLambda } } : {}),
  };
}
