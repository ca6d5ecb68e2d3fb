/**
 * Canvas plotting: a data box mapped onto a canvas (crisp on high-DPI screens), axes, arrows, circles,
 * polylines. Pure drawing; no state besides the canvas.
 */

export interface Box {
  x: [number, number];
  y: [number, number];
}

export class Plot {
  readonly ctx: CanvasRenderingContext2D;
  box: Box;
  /** Size in CSS pixels. */
  w = 0;
  h = 0;

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
    const aspect = this.w / this.h;
    if (sx / sy < aspect) sx = sy * aspect;
    else sy = sx / aspect;
    return { x: [cx - sx / 2, cx + sx / 2], y: [cy - sy / 2, cy + sy / 2] };
  }

  px(x: number): number {
    return ((x - this.box.x[0]) / (this.box.x[1] - this.box.x[0])) * this.w;
  }
  py(y: number): number {
    return this.h - ((y - this.box.y[0]) / (this.box.y[1] - this.box.y[0])) * this.h;
  }
  /** Canvas CSS pixel → data coordinates. */
  toData(cx: number, cy: number): [number, number] {
    const b = this.box;
    return [
      b.x[0] + (cx / this.w) * (b.x[1] - b.x[0]),
      b.y[0] + ((this.h - cy) / this.h) * (b.y[1] - b.y[0]),
    ];
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
      c.moveTo(0, this.py(0));
      c.lineTo(this.w, this.py(0));
    }
    if (this.box.x[0] < 0 && this.box.x[1] > 0) {
      c.moveTo(this.px(0), 0);
      c.lineTo(this.px(0), this.h);
    }
    c.stroke();
  }

  label(text: string, x: number, y: number, color = "#333", align: CanvasTextAlign = "left"): void {
    this.ctx.fillStyle = color;
    this.ctx.font = "12px system-ui, sans-serif";
    this.ctx.textAlign = align;
    this.ctx.fillText(text, x, y);
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
