/**
 * The datasets a user can name with `--data`: the built-in 2-D sets (the list src/data/toy2d/index.ts), a
 * path ending in .csv, the image data sets (src/data/images.ts: MNIST and Fashion-MNIST), or a folder of PNG
 * images.
 */
import { existsSync, statSync } from "node:fs";
import { UsageError } from "../engine/errors.ts";
import { readCsv } from "./csv.ts";
import type { Dataset } from "./dataset.ts";
import {
  IMAGE_DATASETS,
  loadImageDataset,
  type ImageDatasetName,
  type ImageDatasetOptions,
} from "./images.ts";
import { readPngFolder } from "./png-folder.ts";
import { isToy2d, toy2d, TOY_2D_NAMES } from "./toy2d/index.ts";

/** The built-in dataset names. */
export const DATASETS = [...TOY_2D_NAMES, ...IMAGE_DATASETS] as const;

/**
 * The dataset for a `--data` value; throws UsageError for an unknown name or unusable data. `image`
 * options (size, labels) apply to image data only.
 */
export function datasetFor(name: string, image: ImageDatasetOptions = {}): Dataset {
  if (isToy2d(name)) return toy2d(name);
  if ((IMAGE_DATASETS as readonly string[]).includes(name))
    return loadImageDataset(name as ImageDatasetName, image);
  if (name === "fashion-mnist") return loadImageDataset("fashion", image);
  if (/\.csv$/i.test(name)) return readCsv(name);
  if (existsSync(name) && statSync(name).isDirectory()) return readPngFolder(name, image);
  throw new UsageError(
    `--data: unknown data '${name}'; allowed: ${DATASETS.join(", ")}, a .csv file, or a folder of .png images`,
  );
}
