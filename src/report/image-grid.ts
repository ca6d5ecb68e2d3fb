/**
 * A grid of images as a PNG (pngjs): images are flat HWC vectors in [−1, 1] (the range of a tanh
 * generator), laid out row by row with a 2-pixel dark gap, each pixel scaled up `zoom` times.
 */
import { PNG } from "pngjs";

export interface GridOptions {
  height: number;
  width: number;
  channels: number;
  /** Images per row. */
  columns: number;
  /** Pixel scale factor (default 2). */
  zoom?: number;
}

const GAP = 2;

/** PNG bytes of a grid of n images given flat [n·H·W·C]. */
export function imageGridPng(images: ArrayLike<number>, n: number, o: GridOptions): Buffer {
  const zoom = o.zoom ?? 2;
  const { height: H, width: W, channels: C, columns } = o;
  const rows = Math.ceil(n / columns);
  const cw = W * zoom + GAP;
  const ch = H * zoom + GAP;
  const png = new PNG({ width: columns * cw + GAP, height: rows * ch + GAP });
  png.data.fill(0);
  for (let i = 3; i < png.data.length; i += 4) png.data[i] = 255;
  for (let k = 0; k < n; k++) {
    const x0 = GAP + (k % columns) * cw;
    const y0 = GAP + Math.floor(k / columns) * ch;
    for (let i = 0; i < H * zoom; i++) {
      for (let j = 0; j < W * zoom; j++) {
        const src = ((k * H + Math.floor(i / zoom)) * W + Math.floor(j / zoom)) * C;
        const at = ((y0 + i) * png.width + x0 + j) * 4;
        for (let c = 0; c < 3; c++) {
          const v = images[src + (C === 1 ? 0 : c)];
          png.data[at + c] = Math.max(0, Math.min(255, Math.round(((v + 1) / 2) * 255)));
        }
      }
    }
  }
  return PNG.sync.write(png);
}
