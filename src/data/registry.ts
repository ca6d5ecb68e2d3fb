/**
 * The datasets a user can name with `--data`: the built-in 2-D sets ("ring", "grid", "grid3", "gaussian",
 * "two-moons", "spiral", "line"; src/data/mixtures.ts), a path ending in .csv, the image data sets
 * "mnist" and "fashion" (Fashion-MNIST), or a folder of PNG images.
 */
import { existsSync, statSync } from "node:fs";
import { UsageError } from "../engine/errors.ts";
import { readCsv } from "./csv.ts";
import type { Dataset } from "./dataset.ts";
import { loadImageDataset, type ImageDatasetOptions } from "./images.ts";
import { isToy2d, TOY_2D, TOY_2D_NAMES } from "./mixtures.ts";
import { readPngFolder } from "./png-folder.ts";

/** The built-in dataset names. */
export const DATASETS = [...TOY_2D_NAMES, "mnist", "fashion"] as const;

/**
 * The dataset for a `--data` value; throws UsageError for an unknown name or unusable data. `image`
 * options (size, labels) apply to image data only.
 */
export function datasetFor(name: string, image: ImageDatasetOptions = {}): Dataset {
  if (isToy2d(name)) return TOY_2D[name]();
  if (name === "mnist" || name === "fashion") return loadImageDataset(name, image);
  if (name === "fashion-mnist") return loadImageDataset("fashion", image);
  if (/\.csv$/i.test(name)) return readCsv(name);
  if (existsSync(name) && statSync(name).isDirectory()) return readPngFolder(name, image);
  throw new UsageError(
    `--data: unknown data '${name}'; allowed: ${DATASETS.join(", ")}, a .csv file, or a folder of .png images`,
  );
}
