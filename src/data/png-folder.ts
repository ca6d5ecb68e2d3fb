/**
 * A folder of PNG images as user data for image GANs. Every `.png` file directly in the folder is an image;
 * if the folder instead holds subfolders, each subfolder is a class (its name the class name, sorted) and
 * the data set is labeled (torchvision's ImageFolder convention). Images may be grayscale, gray + alpha,
 * RGB or RGBA of any size and bit depth (pngjs decodes them to RGBA 8-bit); alpha is composited on black.
 * The data set is grayscale when every image is (R = G = B everywhere), RGB otherwise. Each image is
 * resized bilinearly to `size` × `size` (default 32) and scaled to [−1, 1].
 *
 * Any other file (not .png, or a .png pngjs cannot decode) is a UsageError naming it; hidden files are skipped.
 * The layout is checked (two levels at most, stopping at the first entry that does not fit) before any image
 * is read.
 */
import { readdirSync, readFileSync, statSync, type Dirent } from "node:fs";
import path from "node:path";
import { PNG } from "pngjs";
import { UsageError } from "../engine/errors.ts";
import { imageDataset, resizeImage, type ImageDataset, type ImageDatasetOptions } from "./images.ts";

/** Default side of folder images when no size is given. */
export const DEFAULT_FOLDER_SIZE = 32;

interface Decoded {
  width: number;
  height: number;
  rgb: Float32Array;
  gray: boolean;
}

function decode(file: string): Decoded {
  let png: { width: number; height: number; data: Buffer };
  try {
    png = PNG.sync.read(readFileSync(file));
  } catch (e) {
    throw new UsageError(`--data: '${file}' is not a readable PNG image: ${(e as Error).message}`);
  }
  const { width, height, data } = png;
  const rgb = new Float32Array(width * height * 3);
  let gray = true;
  for (let i = 0; i < width * height; i++) {
    const a = data[4 * i + 3] / 255;
    for (let c = 0; c < 3; c++) rgb[3 * i + c] = data[4 * i + c] * a;
    if (data[4 * i] !== data[4 * i + 1] || data[4 * i] !== data[4 * i + 2]) gray = false;
  }
  return { width, height, rgb, gray };
}

/** One entry of a folder, as the layout check needs it. */
export interface FolderEntry {
  name: string;
  kind: "file" | "dir" | "other";
}

/** Lists one folder (sorted, hidden entries skipped). Throws UsageError when it cannot be read. */
export type ListFolder = (dir: string) => FolderEntry[];

/** The file system's ListFolder: symlinks are followed; a dangling one, a socket or a device is "other". */
export function listFolder(dir: string): FolderEntry[] {
  let dirents: Dirent[];
  try {
    dirents = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw new UsageError(
      `--data: cannot read folder '${dir}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
    );
  }
  return dirents
    .filter((d) => !d.name.startsWith("."))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((d) => {
      let t: { isFile(): boolean; isDirectory(): boolean } = d;
      if (d.isSymbolicLink()) {
        try {
          t = statSync(path.join(dir, d.name));
        } catch {
          return { name: d.name, kind: "other" as const };
        }
      }
      return {
        name: d.name,
        kind: t.isDirectory() ? ("dir" as const) : t.isFile() ? ("file" as const) : ("other" as const),
      };
    });
}

/** The images of an image folder and their labels (−1: unlabeled); classNames is empty for a flat folder. */
export interface FolderLayout {
  files: { file: string; label: number }[];
  classNames: string[];
}

/**
 * The layout of an image folder: flat (only .png files) or one level of class folders (each holding only
 * .png files). It lists the folder, then each class folder, never deeper, and stops at the first entry that
 * does not fit: `--data /` fails after listing `/` and at most its first class folder, not after a walk of
 * the whole file system.
 */
export function folderLayout(dir: string, list: ListFolder = listFolder): FolderLayout {
  const notImages = (why: string) =>
    new UsageError(
      `--data: '${dir}' is not an image folder (.png files, or class folders of .png files): ${why}`,
    );
  const top = list(dir);
  if (top.length === 0) throw new UsageError(`--data: folder '${dir}' holds no .png images`);
  const pngsIn = (folder: string, entries: FolderEntry[], where: string): string[] =>
    entries.map((e) => {
      const full = path.join(folder, e.name);
      if (e.kind === "dir")
        throw notImages(`'${full}' is a folder ${where}; only .png files are allowed there`);
      if (e.kind !== "file") throw notImages(`'${full}' is not a regular file`);
      if (!/\.png$/i.test(e.name))
        throw new UsageError(`--data: '${full}' is not a PNG image (only .png files are read)`);
      return full;
    });
  if (top[0].kind !== "dir") {
    return {
      files: pngsIn(dir, top, "beside .png images").map((file) => ({ file, label: -1 })),
      classNames: [],
    };
  }
  const loose = top.find((e) => e.kind !== "dir");
  if (loose !== undefined) {
    throw notImages(
      `'${path.join(dir, loose.name)}' is a file beside class folders; put every image in a class folder`,
    );
  }
  const classNames = top.map((e) => e.name);
  const files = classNames.flatMap((c, label) => {
    const folder = path.join(dir, c);
    return pngsIn(folder, list(folder), "inside a class folder").map((file) => ({ file, label }));
  });
  return { files, classNames };
}

/** The data set of a folder of PNGs (flat, or one subfolder per class). */
export function readPngFolder(dir: string, opts: ImageDatasetOptions = {}): ImageDataset {
  const { files, classNames } = folderLayout(dir);
  if (files.length === 0) throw new UsageError(`--data: folder '${dir}' holds no .png images`);
  const size = opts.size ?? DEFAULT_FOLDER_SIZE;
  if (!Number.isInteger(size) || size < 4 || size > 512) {
    throw new UsageError(`--image-size: must be an integer in [4, 512], got '${opts.size}'`);
  }
  const decoded = files.map((f) => decode(f.file));
  const C = decoded.every((d) => d.gray) ? 1 : 3;
  const D = size * size * C;
  const images = new Float32Array(files.length * D);
  decoded.forEach((d, k) => {
    let px = d.rgb;
    if (C === 1) px = Float32Array.from({ length: d.width * d.height }, (_, i) => d.rgb[3 * i]);
    const r = resizeImage(px, d.height, d.width, C, size, size);
    for (let i = 0; i < D; i++) images[k * D + i] = (2 * r[i]) / 255 - 1;
  });
  const labels = classNames.length > 0 ? Int32Array.from(files.map((f) => f.label)) : null;
  return imageDataset(
    path.basename(path.resolve(dir)),
    { height: size, width: size, channels: C },
    { count: files.length, images, labels },
    null,
    classNames,
    { labeled: opts.labeled },
  );
}
