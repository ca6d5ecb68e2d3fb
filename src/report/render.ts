/**
 * Rendering of Vega-Lite specs to SVG and PNG, headless (no browser, no native canvas):
 * Vega-Lite → Vega → SVG string (Vega's `none` renderer) → PNG (resvg, system fonts).
 *
 * `writePlot` picks the format from the file extension and writes atomically: the plot is rendered fully
 * in memory, then written to a temporary file in the target directory and renamed into place, so a failed
 * render or write never leaves a half-written file behind.
 */
import { randomBytes } from "node:crypto";
import { constants as fsConstants } from "node:fs";
import { access, rename, stat, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, extname, join, resolve } from "node:path";
import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import * as vegaLite from "vega-lite";
import { UsageError } from "../engine/errors.ts";

/** A Vega-Lite specification as plain JSON (see the builders in `plots.ts`). */
export type VlSpec = Record<string, unknown>;

/** Default PNG zoom: 2× the spec's CSS pixels, crisp on high-density screens and in documents. */
export const DEFAULT_PNG_SCALE = 2;

/** Font family used when the SVG names one the system lacks (DejaVu Sans ships with most Linux images). */
const FALLBACK_FONT = "DejaVu Sans";

/** Renders a Vega-Lite spec to a standalone SVG document. */
export async function renderSvg(vlSpec: VlSpec): Promise<string> {
  const compiled = vegaLite.compile(vlSpec as unknown as vegaLite.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Renders a Vega-Lite spec to PNG bytes. `scale` multiplies the spec's pixel size (default 2);
 * transparent areas are painted white.
 */
export async function renderPng(vlSpec: VlSpec, scale: number = DEFAULT_PNG_SCALE): Promise<Buffer> {
  if (!(Number.isFinite(scale) && scale > 0))
    throw new UsageError(`png scale: ${scale} must be a positive number`);
  const svg = await renderSvg(vlSpec);
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    background: "white",
    font: { loadSystemFonts: true, defaultFontFamily: FALLBACK_FONT, sansSerifFamily: FALLBACK_FONT },
  });
  return resvg.render().asPng();
}

/** The output formats `writePlot` knows, by lower-case extension. */
const FORMATS: Record<string, "png" | "svg"> = { ".png": "png", ".svg": "svg" };

/** A short human reason for a file-system error code (one line, no stack trace). */
function reasonOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  switch (code) {
    case "ENOENT":
      return "no such directory";
    case "ENOTDIR":
      return "not a directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EROFS":
      return "read-only file system";
    case "EISDIR":
      return "is a directory";
    case "ENOSPC":
      return "no space left on device";
    default: {
      const msg = err instanceof Error ? err.message : String(err);
      return msg.split("\n")[0];
    }
  }
}

/** Throws UsageError unless `dir` exists, is a directory and is writable. */
async function checkWritableDir(path: string, dir: string): Promise<void> {
  try {
    const st = await stat(dir);
    if (!st.isDirectory()) throw Object.assign(new Error("not a directory"), { code: "ENOTDIR" });
    await access(dir, fsConstants.W_OK);
  } catch (err) {
    throw new UsageError(`--plot: cannot write '${path}': ${reasonOf(err)}`);
  }
}

/**
 * Renders `vlSpec` and writes it to `path` as PNG or SVG according to the extension (`.png` or `.svg`,
 * case-insensitive). Throws UsageError for any other extension and when the file cannot be written
 * (missing directory, no permission); in every failure case nothing is left at `path` or beside it.
 */
export async function writePlot(path: string, vlSpec: VlSpec): Promise<void> {
  const format = FORMATS[extname(path).toLowerCase()];
  if (format === undefined) throw new UsageError(`--plot: '${path}' must end in .png or .svg`);
  const dir = dirname(resolve(path));
  await checkWritableDir(path, dir);

  const bytes: Buffer | string = format === "png" ? await renderPng(vlSpec) : await renderSvg(vlSpec);

  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(tmp, bytes, { flag: "wx" });
    await rename(tmp, resolve(path));
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw new UsageError(`--plot: cannot write '${path}': ${reasonOf(err)}`);
  }
}
