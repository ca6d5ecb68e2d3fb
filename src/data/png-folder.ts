/**
 * A folder of PNG images as user data for image GANs. Every `.png` file directly in the folder is an image;
 * if the folder instead holds subfolders, each subfolder is a class (its name the class name, sorted) and
 * the data set is labeled (torchvision's ImageFolder convention). Images may be grayscale, gray + alpha,
 * RGB or RGBA of any size and bit depth (pngjs decodes them to RGBA 8-bit); alpha is composited on black.
 * The data set is grayscale when every image is (R = G = B everywhere), RGB otherwise. Each image is
 * resized bilinearly to `size` × `size` (default 32) and scaled to [−1, 1].
 *
 * Any other file (not .png, or a .png pngjs cannot decode) is a UsageError naming it; hidden files are skipped.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
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

function pngFiles(dir: string): string[] {
  const out: string[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (f.startsWith(".")) continue;
    const full = path.join(dir, f);
    if (statSync(full).isDirectory()) {
      throw new UsageError(
        `--data: '${full}' is a folder inside a class folder; only .png files are allowed there`,
      );
    }
    if (!/\.png$/i.test(f))
      throw new UsageError(`--data: '${full}' is not a PNG image (only .png files are read)`);
    out.push(full);
  }
  return out;
}

/** The data set of a folder of PNGs (flat, or one subfolder per class). */
export function readPngFolder(dir: string, opts: ImageDatasetOptions = {}): ImageDataset {
  let entries: string[];
  try {
    entries = readdirSync(dir)
      .filter((f) => !f.startsWith("."))
      .sort();
  } catch (e) {
    throw new UsageError(
      `--data: cannot read folder '${dir}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
    );
  }
  const subdirs = entries.filter((f) => statSync(path.join(dir, f)).isDirectory());
  let files: { file: string; label: number }[];
  let classNames: string[] = [];
  if (subdirs.length > 0) {
    const loose = entries.find((f) => !subdirs.includes(f));
    if (loose !== undefined) {
      throw new UsageError(
        `--data: '${path.join(dir, loose)}' is a file beside class folders; put every image in a class folder`,
      );
    }
    classNames = subdirs;
    files = subdirs.flatMap((s, label) => pngFiles(path.join(dir, s)).map((file) => ({ file, label })));
  } else {
    files = pngFiles(dir).map((file) => ({ file, label: -1 }));
  }
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
