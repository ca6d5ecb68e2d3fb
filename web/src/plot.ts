/**
 * Canvas plotting: a data box mapped onto a canvas (crisp on high-DPI screens) with optional margins for
 * labels, tick labels at round values, axes, arrows, circles, polylines, and a colour bar. Pure drawing; no
 * state besides the canvas.
 */

export interface Box {
  x: [number, number];
  y: [number, number];
}

/** Pixel margins around the plotting area (room for tick labels and legends). */
export interface Margin {
  l: number;
  r: number;
  t: number;
  b: number;
}

/** Round tick values in [lo, hi]: multiples of 1, 2 or 5 × 10^k, about `n` of them. */
export function niceTicks(lo: number, hi: number, n = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(hi > lo)) return [];
  const raw = (hi - lo) / Math.max(1, n);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  return out;
}

/** A tick label: short, no trailing zeros, exponent for tiny or huge values. */
export function tickLabel(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(0).replace("+", "");
  return String(Number(v.toPrecision(4))).replace("-", "−");
}

export class Plot {
  readonly ctx: CanvasRenderingContext2D;
  box: Box;
  /** Size in CSS pixels. */
  w = 0;
  h = 0;
  /** Margins (CSS pixels) between the canvas edge and the plotting area. */
  margin: Margin = { l: 0, r: 0, t: 0, b: 0 };

  constructor(
    readonly canvas: HTMLCanvasElement,
    box: Box,
  ) {
    const ctx = canvas.getContext("2d");
    if (!ctx) throw new Error("saddle lab: canvas 2d context unavailable");
    this.ctx = ctx;
    this.box = box;
    this.resize();
  }

  /** Matches the backing store to the element's size; returns true when it changed. */
  resize(): boolean {
    const r = this.canvas.getBoundingClientRect();
    const dpr = Math.min(window.devicePixelRatio || 1, 2);
    const w = Math.max(50, Math.round(r.width));
    const h = Math.max(50, Math.round(r.height));
    if (w === this.w && h === this.h && this.canvas.width === Math.round(w * dpr)) return false;
    this.w = w;
    this.h = h;
    this.canvas.width = Math.round(w * dpr);
    this.canvas.height = Math.round(h * dpr);
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    return true;
  }

  /** A box with the same centre whose aspect matches the canvas (equal scales on both axes). */
  fitAspect(box: Box): Box {
    const cx = (box.x[0] + box.x[1]) / 2;
    const cy = (box.y[0] + box.y[1]) / 2;
    let sx = box.x[1] - box.x[0];
    let sy = box.y[1] - box.y[0];
    const aspect = this.iw / this.ih;
    if (sx / sy < aspect) sx = sy * aspect;
    else sy = sx / aspect;
    return { x: [cx - sx / 2, cx + sx / 2], y: [cy - sy / 2, cy + sy / 2] };
  }

  /** Width and height of the plotting area (inside the margins). */
  get iw(): number {
    return Math.max(1, this.w - this.margin.l - this.margin.r);
  }
  get ih(): number {
    return Math.max(1, this.h - this.margin.t - this.margin.b);
  }
  px(x: number): number {
    return this.margin.l + ((x - this.box.x[0]) / (this.box.x[1] - this.box.x[0])) * this.iw;
  }
  py(y: number): number {
    return this.margin.t + this.ih - ((y - this.box.y[0]) / (this.box.y[1] - this.box.y[0])) * this.ih;
  }
  /** Canvas CSS pixel → data coordinates. */
  toData(cx: number, cy: number): [number, number] {
    const b = this.box;
    return [
      b.x[0] + ((cx - this.margin.l) / this.iw) * (b.x[1] - b.x[0]),
      b.y[0] + ((this.margin.t + this.ih - cy) / this.ih) * (b.y[1] - b.y[0]),
    ];
  }

  /**
   * Tick labels at round values: x along the bottom, y along the left (in the margin when there is one,
   * just inside the edge otherwise), with short tick marks and optional light grid lines.
   */
  ticks(opts: { x?: boolean; y?: boolean; grid?: boolean; n?: number; color?: string } = {}): void {
    const c = this.ctx;
    const color = opts.color ?? "#555";
    const n = opts.n ?? Math.max(3, Math.round(Math.min(this.iw, this.ih) / 70));
    const { l, t } = this.margin;
    const bottom = t + this.ih;
    c.font = "11px system-ui, sans-serif";
    c.lineWidth = 1;
    if (opts.x ?? true) {
      for (const v of niceTicks(this.box.x[0], this.box.x[1], n)) {
        const x = this.px(v);
        if (x < l + 8 || x > l + this.iw - 8) continue;
        if (opts.grid) {
          c.strokeStyle = "rgba(0,0,0,0.06)";
          c.beginPath();
          c.moveTo(x, t);
          c.lineTo(x, bottom);
          c.stroke();
        }
        if (this.margin.b >= 12) {
          c.strokeStyle = color;
          c.beginPath();
          c.moveTo(x, bottom);
          c.lineTo(x, bottom + 3);
          c.stroke();
          this.label(tickLabel(v), x, bottom + 13, color, "center", 11);
        } else this.haloLabel(tickLabel(v), x, bottom - 4, color, "center");
      }
    }
    if (opts.y ?? true) {
      for (const v of niceTicks(this.box.y[0], this.box.y[1], n)) {
        const y = this.py(v);
        if (y < t + 8 || y > bottom - 8) continue;
        if (opts.grid) {
          c.strokeStyle = "rgba(0,0,0,0.06)";
          c.beginPath();
          c.moveTo(l, y);
          c.lineTo(l + this.iw, y);
          c.stroke();
        }
        if (l >= 20) {
          c.strokeStyle = color;
          c.beginPath();
          c.moveTo(l - 3, y);
          c.lineTo(l, y);
          c.stroke();
          this.label(tickLabel(v), l - 5, y + 4, color, "right", 11);
        } else this.haloLabel(tickLabel(v), l + 3, y + 4, color, "left");
      }
    }
  }

  clear(color = "#fff"): void {
    this.ctx.fillStyle = color;
    this.ctx.fillRect(0, 0, this.w, this.h);
  }

  axes(color = "#bbb"): void {
    const c = this.ctx;
    c.strokeStyle = color;
    c.lineWidth = 1;
    c.beginPath();
    if (this.box.y[0] < 0 && this.box.y[1] > 0) {
      c.moveTo(this.margin.l, this.py(0));
      c.lineTo(this.margin.l + this.iw, this.py(0));
    }
    if (this.box.x[0] < 0 && this.box.x[1] > 0) {
      c.moveTo(this.px(0), this.margin.t);
      c.lineTo(this.px(0), this.margin.t + this.ih);
    }
    c.stroke();
  }

  label(
    text: string,
    x: number,
    y: number,
    color = "#333",
    align: CanvasTextAlign = "left",
    size = 12,
  ): void {
    this.ctx.fillStyle = color;
    this.ctx.font = `${size}px system-ui, sans-serif`;
    this.ctx.textAlign = align;
    this.ctx.fillText(text, x, y);
  }

  /** An 11 px label with a white halo, readable over any picture (tick labels inside the plot). */
  haloLabel(text: string, x: number, y: number, color: string, align: CanvasTextAlign): void {
    const c = this.ctx;
    c.font = "11px system-ui, sans-serif";
    c.textAlign = align;
    c.lineWidth = 3;
    c.strokeStyle = "rgba(255,255,255,0.85)";
    c.strokeText(text, x, y);
    c.fillStyle = color;
    c.fillText(text, x, y);
  }

  /** An arrow from (x, y) by (dx, dy), in CSS pixels. */
  arrowPx(x: number, y: number, dx: number, dy: number, color: string, head = 4): void {
    const c = this.ctx;
    const len = Math.hypot(dx, dy);
    if (len < 0.5) return;
    c.strokeStyle = color;
    c.fillStyle = color;
    c.lineWidth = 1.2;
    c.beginPath();
    c.moveTo(x, y);
    c.lineTo(x + dx, y + dy);
    c.stroke();
    const ux = dx / len;
    const uy = dy / len;
    const h = Math.min(head, len * 0.5);
    c.beginPath();
    c.moveTo(x + dx, y + dy);
    c.lineTo(x + dx - h * (ux - uy * 0.5), y + dy - h * (uy + ux * 0.5));
    c.lineTo(x + dx - h * (ux + uy * 0.5), y + dy - h * (uy - ux * 0.5));
    c.closePath();
    c.fill();
  }

  circle(x: number, y: number, r: number, stroke: string, dash: number[] = []): void {
    const c = this.ctx;
    c.strokeStyle = stroke;
    c.lineWidth = 1.2;
    c.setLineDash(dash);
    c.beginPath();
    c.ellipse(
      this.px(x),
      this.py(y),
      Math.abs(this.px(x + r) - this.px(x)),
      Math.abs(this.py(y + r) - this.py(y)),
      0,
      0,
      2 * Math.PI,
    );
    c.stroke();
    c.setLineDash([]);
  }

  dot(x: number, y: number, r: number, fill: string): void {
    const c = this.ctx;
    c.fillStyle = fill;
    c.beginPath();
    c.arc(this.px(x), this.py(y), r, 0, 2 * Math.PI);
    c.fill();
  }

  /** Many small squares (fast scatter). */
  points(pts: readonly (readonly number[])[], size: number, fill: string): void {
    const c = this.ctx;
    c.fillStyle = fill;
    const h = size / 2;
    for (const p of pts) {
      const x = this.px(p[0]);
      const y = this.py(p[1]);
      if (Number.isFinite(x) && Number.isFinite(y)) c.fillRect(x - h, y - h, size, size);
    }
  }

  polyline(pts: readonly (readonly number[])[], stroke: string, width = 1.5): void {
    const c = this.ctx;
    c.strokeStyle = stroke;
    c.lineWidth = width;
    c.beginPath();
    let started = false;
    for (const p of pts) {
      const x = this.px(p[0]);
      const y = this.py(p[1]);
      if (!Number.isFinite(x) || !Number.isFinite(y) || Math.abs(x) > 1e6 || Math.abs(y) > 1e6) {
        started = false;
        continue;
      }
      if (started) c.lineTo(x, y);
      else c.moveTo(x, y);
      started = true;
    }
    c.stroke();
  }
}

/** A colour on a diverging blue–white–red scale for t in [0, 1]. */
export function diverging(t: number): [number, number, number] {
  const u = Math.max(0, Math.min(1, t));
  if (u < 0.5) {
    const s = u / 0.5;
    return [
      Math.round(59 + (255 - 59) * s),
      Math.round(110 + (255 - 110) * s),
      Math.round(190 + (255 - 190) * s),
    ];
  }
  const s = (u - 0.5) / 0.5;
  return [255, Math.round(255 - (255 - 120) * s), Math.round(255 - (255 - 80) * s)];
}

/** The heat map's opacity over white (0..255), shared by the picture, its colour bar and its read-back. */
export const HEAT_ALPHA = 150;

/** `diverging(t)` as drawn at HEAT_ALPHA over white. */
export function heatColor(t: number): [number, number, number] {
  const a = HEAT_ALPHA / 255;
  return diverging(t).map((c) => Math.round(255 * (1 - a) + c * a)) as [number, number, number];
}

/**
 * The inverse of the colour bar: the t in [0, 1] whose heat colour is nearest to (r, g, b), or null when
 * no colour of the bar is near (the pixel is not heat map).
 */
export function heatValueOf(r: number, g: number, b: number, tol = 12): number | null {
  let best = -1;
  let bestD = Infinity;
  for (let i = 0; i <= 1000; i++) {
    const [cr, cg, cb] = heatColor(i / 1000);
    const d = (cr - r) ** 2 + (cg - g) ** 2 + (cb - b) ** 2;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return Math.sqrt(bestD) <= tol ? best / 1000 : null;
}

/**
 * A horizontal colour bar of the heat map on its own canvas: the colours for t in [0, 1], the values
 * lo..hi at round ticks under it, and a caption at the ends (e.g. "fake" … "real").
 */
export function drawColorBar(P: Plot, lo: number, hi: number, left: string, right: string): void {
  P.clear("#fff");
  const x0 = 40;
  const x1 = P.w - 40;
  const c = P.ctx;
  for (let x = x0; x <= x1; x++) {
    const [r, g, b] = heatColor((x - x0) / Math.max(1, x1 - x0));
    c.fillStyle = `rgb(${r},${g},${b})`;
    c.fillRect(x, 2, 1.5, 12);
  }
  c.strokeStyle = "#999";
  c.lineWidth = 1;
  c.strokeRect(x0, 2, x1 - x0, 12);
  P.label(left, x0 - 4, 12, "#333", "right", 11);
  P.label(right, x1 + 4, 12, "#333", "left", 11);
  if (!(hi > lo)) return;
  for (const v of niceTicks(lo, hi, 5)) {
    const x = x0 + ((v - lo) / (hi - lo)) * (x1 - x0);
    c.beginPath();
    c.moveTo(x, 14);
    c.lineTo(x, 18);
    c.stroke();
    P.label(tickLabel(v), x, 28, "#333", "center", 11);
  }
}
