/**
 * The list of built-in 2-D data sets. Each entry is one self-describing module (src/data/dataset.ts,
 * `DatasetModule`): name, parameters (zod schema with defaults and ranges), builder, formula and citation.
 * `--data` (src/data/registry.ts), the experiment spec's default, the CLI's help and the web lab's data
 * menu derive from this list: a new 2-D set is its own file plus one line here.
 */
import type { Dataset, DatasetModule } from "../dataset.ts";
import { gaussianDataset } from "./gaussian.ts";
import { grid3Dataset } from "./grid3.ts";
import { gridDataset } from "./grid.ts";
import { lineDataset } from "./line.ts";
import { ringDataset } from "./ring.ts";
import { spiralDataset } from "./spiral.ts";
import { twoMoonsDataset } from "./two-moons.ts";

export const TOY_2D_DATASETS = [
  ringDataset,
  gridDataset,
  grid3Dataset,
  gaussianDataset,
  twoMoonsDataset,
  spiralDataset,
  lineDataset,
] as const;

export type Toy2dName = (typeof TOY_2D_DATASETS)[number]["name"];
export const TOY_2D_NAMES = TOY_2D_DATASETS.map((m) => m.name) as unknown as readonly [
  Toy2dName,
  ...Toy2dName[],
];

/** The data a GAN experiment trains on by default (the experiment spec's and the lab's). */
export const DEFAULT_DATASET: Toy2dName = ringDataset.name;

/** A module of the list, its params type erased. */
export type AnyDatasetModule = DatasetModule<Toy2dName, Record<string, unknown>>;

/** Every module. */
export const toy2dModules = (): readonly AnyDatasetModule[] =>
  TOY_2D_DATASETS as unknown as readonly AnyDatasetModule[];

/** Whether `name` is a built-in 2-D data set. */
export const isToy2d = (name: string): name is Toy2dName =>
  (TOY_2D_NAMES as readonly string[]).includes(name);

/** The module named `name`, or undefined. */
export const findToy2d = (name: string): AnyDatasetModule | undefined =>
  toy2dModules().find((m) => m.name === name);

/** The built-in 2-D data set `name` at its parameters' defaults (`name` must be one: `isToy2d`). */
export function toy2d(name: Toy2dName): Dataset {
  const m = findToy2d(name);
  if (!m) throw new Error(`toy2d: '${name}' is not a built-in 2-D data set`);
  return m.create(m.params.parse({}));
}
