/**
 * 2-D convolution and transposed convolution for image GANs, in NHWC layout (x [N, H, W, C], kernels
 * [kh, kw, C_in, C_out]), built from one matrix product each:
 *
 *   conv:        y[n, i, j, o] = Σ_{a, b, c} x̃[n, s·i + a, s·j + b, c] · W[a, b, c, o]
 *                (x̃ = x zero-padded by p): im2col gathers the kh·kw shifted (strided) views of x̃ into
 *                patches [N·Ho·Wo, kh·kw·C_in] and multiplies by W as a [kh·kw·C_in, C_out] matrix;
 *                Ho = ⌊(H + 2p − kh)/s⌋ + 1.
 *   transposed:  y[n, s·i + a − p, s·j + b − p, o] += x[n, i, j, c] · W[a, b, c, o]  (PyTorch's
 *                ConvTranspose2d; the adjoint of conv in x), as s² stride-1 phase convolutions: tap a lands
 *                on rows s·(m) + r from input row m − q where a − p = s·q + r, so each output phase is an
 *                im2col product of shifted views of x with that phase's taps; one reshape interleaves the
 *                phases; Ho = s(H − 1) + kh − 2p.
 *
 * Both also have an "outputs" form, the one used for most layers ({@link matmulForm}): multiply first, shift
 * after. conv space-to-depths x̃ (s×s blocks → s²·C channels, a stride-1 problem with ⌈k/s⌉² taps), multiplies
 * by all taps at once, Z = s2d(x̃) · W' with W' [s²C, ⌈k/s⌉²·C_out], and sums ⌈k/s⌉² shifted slices of Z;
 * transposed conv computes Z = x · W'' with W'' [C, kh·kw·C_out] (exactly its multiply-adds) and adds tap
 * (a, b)'s slice of Z, dilated by s and shifted by (a, b), into the output. Measured on wasm (batch 64,
 * jitted, fwd / ∂x / ∂w ms): D's conv 32→64 (14→7) 80 / 212 / 114 as patches, 32 / 63 / 62 as outputs;
 * G's transposed conv 32→1 (14→28) 61 / 113 / 78 as phases, 5 / 11 / 11 as outputs. The patches form stays
 * where it measured faster: transposed convolutions to > 4 channels; and for every convolution, because the
 * "outputs" form's float32 input gradient on wasm is wrong in jax-js 0.1.25 inside a DCGAN's step (G's
 * gradient through D off by about its own size; float64 and WebGPU are right; test/dcgan-float32.test.ts).
 *
 * Two jax-js 0.1.25 fusion pitfalls shape this code (both measured, 20–100× slowdowns): (1) a `dot` whose
 * operand is a chain of views (pad, transpose, strided slices) of a materialized array re-evaluates that
 * index arithmetic in its inner loop, so the s2d operand goes through one elementwise op (a negation,
 * undone on W') to be materialized; (2) the reverse pass of `dot` broadcasts its output cotangent and
 * contracts it, and an unmaterialized cotangent (here the sum of padded slices that transposes the shifted
 * sum) is then recomputed for every output column, so {@link cotangentBarrier} makes that cotangent a
 * reduction, which jax-js always materializes.
 *
 * Why: jax-js 0.1.25's `lax.conv` runs at ~0.2 GFLOP/s on wasm against ~19 for its matmul
 * (../../../shared/REFERENCE.md, "Known pitfalls"). Gradients come from jax-js's autodiff through pad,
 * slice, reshape, stack and dot, so no hand-written backward pass is needed (test/conv.test.ts checks
 * values and gradients against `lax.conv`). `convImplFor` picks im2col on every device: on WebGPU,
 * jax-js's own convolution has a wrong strided input gradient.
 *
 * Ownership: every function consumes x and w.
 */
import { lax, numpy as np, type Array as JArray } from "@jax-js/jax";
import type { DeviceName } from "./device.ts";

/** Convolution implementations: "im2col" (matmul, fast on wasm) or "lax" (jax-js's `lax.conv`). */
export const CONV_IMPLS = ["im2col", "lax"] as const;
export type ConvImpl = (typeof CONV_IMPLS)[number];

/**
 * The implementation to use on a device: im2col everywhere. On WebGPU, jax-js 0.1.25's `lax.conv` gives a
 * wrong input gradient for strided convolutions (the DCGAN's 4×4 stride-2 layers: max |Δ| 9.2 where the
 * gradient's largest entry is 11.3; test/webgpu.test.ts), while im2col agrees with wasm to float32 rounding.
 */
export function convImplFor(_device: DeviceName): ConvImpl {
  return "im2col";
}

/** The matmul formulations: "patches" (im2col / phase convolutions) or "outputs" (multiply, then shift-add). */
export const MATMUL_FORMS = ["patches", "outputs"] as const;
export type MatmulForm = (typeof MATMUL_FORMS)[number];

/** The faster matmul formulation for a layer as measured on wasm (see the module comment). */
export function matmulForm(kind: "conv" | "convTranspose", cIn: number, cOut: number): MatmulForm {
  // conv: always "patches". The "outputs" form, faster on wasm for cIn > 1, gets a wrong float32 input
  // gradient on wasm when the kernel is held fixed (as in G's gradient through D; x [8, 4, 4, 2],
  // w [4, 4, 2, 4], stride 2: max |Δ| 17 where the gradient's largest entry is about 50; test/conv.test.ts)
  // in jax-js 0.1.25; float64, WebGPU and "patches" agree with lax.conv.
  void cIn;
  if (kind === "conv") return "patches";
  return cOut <= 4 ? "outputs" : "patches";
}

export interface ConvOptions {
  /** Stride s (both axes; default 1). */
  stride?: number;
  /** Zero padding p on every side (default 0). */
  padding?: number;
  /** Default "im2col". */
  impl?: ConvImpl;
  /** For impl "im2col": which matmul formulation; default {@link matmulForm}'s choice. */
  form?: MatmulForm;
}

/**
 * The identity on x whose reverse pass materializes the cotangent: x is broadcast along a new axis of size 2
 * and one half is taken back, so the transpose sums over that axis (a reduction). See the module comment.
 */
function cotangentBarrier(x: JArray): JArray {
  const shape = x.shape;
  const all = shape.map((): [] => []);
  return np
    .broadcastTo(x.reshape([...shape, 1]), [...shape, 2])
    .slice(...all, [0, 1])
    .reshape(shape);
}

/** conv as s2d · W' then a sum of shifted slices; see the module comment. */
function conv2dOutputs(x: JArray, w: JArray, s: number, p: number): JArray {
  const [N, H, W, C] = x.shape;
  const [kh, kw, , Co] = w.shape;
  const Ho = convOutSize(H, kh, s, p);
  const Wo = convOutSize(W, kw, s, p);
  const qh = Math.ceil(kh / s);
  const qw = Math.ceil(kw / s);
  // zero taps make the kernel a whole number of s×s blocks
  const wz =
    qh * s > kh || qw * s > kw
      ? np.pad(w, [
          [0, qh * s - kh],
          [0, qw * s - kw],
          [0, 0],
          [0, 0],
        ])
      : w;
  // block rows 0 … Ho + qh − 2 are read: x̃ rows [0, (Ho + qh − 1)·s)
  const Hs = Ho + qh - 1;
  const Ws = Wo + qw - 1;
  const bottom = Hs * s - H - p;
  const right = Ws * s - W - p;
  let xp =
    p > 0 || bottom > 0 || right > 0
      ? np.pad(x, [
          [0, 0],
          [p, Math.max(0, bottom)],
          [p, Math.max(0, right)],
          [0, 0],
        ])
      : x;
  if (bottom < 0 || right < 0) xp = xp.slice([], [0, Hs * s], [0, Ws * s], []);
  // s2d: [N, Hs, s, Ws, s, C] → [N·Hs·Ws, (r, c, C)]; negated so that jax-js materializes it (pitfall 1)
  const z = xp
    .reshape([N, Hs, s, Ws, s, C])
    .transpose([0, 1, 3, 2, 4, 5])
    .reshape([N * Hs * Ws, s * s * C])
    .neg();
  // W'[(r, c, C), (a, b, o)] = W[a·s + r, b·s + c, C, o], negated back
  const wm = wz
    .reshape([qh, s, qw, s, C, Co])
    .transpose([1, 3, 4, 0, 2, 5])
    .reshape([s * s * C, qh * qw * Co])
    .neg();
  const Z = cotangentBarrier(np.dot(z, wm)).reshape([N, Hs, Ws, qh * qw * Co]);
  let y: JArray | null = null;
  for (let a = 0; a < qh; a++) {
    for (let b = 0; b < qw; b++) {
      const t = a * qw + b;
      const v = Z.ref.slice([], [a, a + Ho], [b, b + Wo], [t * Co, (t + 1) * Co]);
      y = y ? y.add(v) : v;
    }
  }
  Z.dispose();
  return y as JArray;
}

/** Transposed conv as x · W'' then tap slices dilated, shifted and summed; see the module comment. */
function convTranspose2dOutputs(x: JArray, w: JArray, s: number, p: number): JArray {
  const [N, H, W, C] = x.shape;
  const [kh, kw, , Co] = w.shape;
  const Ho = convTransposeOutSize(H, kh, s, p);
  const Wo = convTransposeOutSize(W, kw, s, p);
  const Z = cotangentBarrier(
    np.dot(x.reshape([N * H * W, C]), w.transpose([2, 0, 1, 3]).reshape([C, kh * kw * Co])),
  ).reshape([N, H, W, kh, kw, Co]);
  // before cropping p, the output has s(H − 1) + kh rows; tap a of input row i lands on s·(i + ⌊a/s⌋) + a mod s
  const Hq = Math.ceil((s * (H - 1) + kh) / s);
  const Wq = Math.ceil((s * (W - 1) + kw) / s);
  let y: JArray | null = null;
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      const [qa, ra, qb, rb] = [Math.floor(a / s), a % s, Math.floor(b / s), b % s];
      const v = np
        .pad(Z.ref.slice([], [], [], a, b, []), [
          [0, 0],
          [qa, Hq - H - qa],
          [qb, Wq - W - qb],
          [0, 0],
        ])
        .reshape([N, Hq, 1, Wq, 1, Co]);
      const dilated = np.pad(v, [
        [0, 0],
        [0, 0],
        [ra, s - 1 - ra],
        [0, 0],
        [rb, s - 1 - rb],
        [0, 0],
      ]);
      y = y ? y.add(dilated) : dilated;
    }
  }
  Z.dispose();
  return (y as JArray).reshape([N, Hq * s, Wq * s, Co]).slice([], [p, p + Ho], [p, p + Wo], []);
}

/** Output size of a convolution along one axis: ⌊(n + 2p − k)/s⌋ + 1. */
export const convOutSize = (n: number, k: number, s: number, p: number): number =>
  Math.floor((n + 2 * p - k) / s) + 1;
/** Output size of a transposed convolution along one axis: s(n − 1) + k − 2p. */
export const convTransposeOutSize = (n: number, k: number, s: number, p: number): number =>
  s * (n - 1) + k - 2 * p;

function check(x: JArray, w: JArray, what: string): void {
  if (x.ndim !== 4 || w.ndim !== 4 || x.shape[3] !== w.shape[2]) {
    const sx = JSON.stringify(x.shape);
    const sw = JSON.stringify(w.shape);
    x.dispose();
    w.dispose();
    throw new Error(`${what}: x must be [N, H, W, C] and w [kh, kw, C, C_out]; got x ${sx}, w ${sw}`);
  }
}

/** conv via im2col; see the module comment. */
function conv2dIm2col(x: JArray, w: JArray, s: number, p: number): JArray {
  const [N, H, W, C] = x.shape;
  const [kh, kw, , Co] = w.shape;
  const Ho = convOutSize(H, kh, s, p);
  const Wo = convOutSize(W, kw, s, p);
  // pad so that every strided view [a, a + s·Ho) fits
  const extraH = Math.max(0, kh - 1 + s * Ho - (H + 2 * p));
  const extraW = Math.max(0, kw - 1 + s * Wo - (W + 2 * p));
  const xp =
    p > 0 || extraH > 0 || extraW > 0
      ? np.pad(x, [
          [0, 0],
          [p, p + extraH],
          [p, p + extraW],
          [0, 0],
        ])
      : x;
  const views: JArray[] = [];
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      let v = xp.ref.slice([], [a, a + s * Ho], [b, b + s * Wo], []);
      if (s > 1) v = v.reshape([N, Ho, s, Wo, s, C]).slice([], [], 0, [], 0, []);
      views.push(v);
    }
  }
  xp.dispose();
  const patches = (views.length === 1 ? views[0] : np.stack(views, 3)).reshape([N * Ho * Wo, kh * kw * C]);
  return np.dot(patches, w.reshape([kh * kw * C, Co])).reshape([N, Ho, Wo, Co]);
}

/**
 * Transposed conv as s² stride-1 "phase" convolutions (sub-pixel form): output rows s·m + r receive tap a
 * (with a − p = s·q + r) from input row m − q, so phase (r_h, r_w) is an im2col product of the shifted
 * views of x with the phase's taps of W, and the phases are interleaved by one reshape. This does exactly
 * the transposed conv's multiply-adds, and its gradients are again im2col products (a col2im-first
 * formulation made jax-js's reverse pass ~100× slower).
 */
function convTranspose2dMatmul(x: JArray, w: JArray, s: number, p: number): JArray {
  const [N, H, W, C] = x.shape;
  const [kh, kw, , Co] = w.shape;
  const Ho = convTransposeOutSize(H, kh, s, p);
  const Wo = convTransposeOutSize(W, kw, s, p);
  const Mh = Math.ceil(Ho / s);
  const Mw = Math.ceil(Wo / s);
  const floorDiv = (a: number, b: number) => Math.floor(a / b);
  const taps = (k: number, r: number) => {
    const out: { a: number; q: number }[] = [];
    for (let a = 0; a < k; a++) {
      if ((((a - p) % s) + s) % s === r) out.push({ a, q: floorDiv(a - p, s) });
    }
    return out;
  };
  // one padded copy of x from which every shifted view b[m] = x[m − q] is a slice
  const qs = (k: number) => Array.from({ length: k }, (_, a) => floorDiv(a - p, s));
  const [qhMax, qhMin] = [Math.max(...qs(kh)), Math.min(...qs(kh))];
  const [qwMax, qwMin] = [Math.max(...qs(kw)), Math.min(...qs(kw))];
  const loH = Math.max(0, qhMax);
  const loW = Math.max(0, qwMax);
  const hiH = Math.max(0, Mh - qhMin - H);
  const hiW = Math.max(0, Mw - qwMin - W);
  const xp =
    loH || hiH || loW || hiW
      ? np.pad(x, [
          [0, 0],
          [loH, hiH],
          [loW, hiW],
          [0, 0],
        ])
      : x;
  const rows: JArray[] = [];
  for (let rh = 0; rh < s; rh++) {
    const row: JArray[] = [];
    for (let rw = 0; rw < s; rw++) {
      const th = taps(kh, rh);
      const tw = taps(kw, rw);
      if (th.length === 0 || tw.length === 0) {
        row.push(np.zeros([N, Mh, Mw, Co], { dtype: x.dtype }));
        continue;
      }
      const views: JArray[] = [];
      const kernels: JArray[] = [];
      for (const { a, q: qa } of th) {
        for (const { a: b, q: qb } of tw) {
          views.push(xp.ref.slice([], [loH - qa, loH - qa + Mh], [loW - qb, loW - qb + Mw], []));
          kernels.push(w.ref.slice(a, b));
        }
      }
      const T = views.length;
      const patches = (T === 1 ? views[0] : np.stack(views, 3)).reshape([N * Mh * Mw, T * C]);
      const kern = (T === 1 ? kernels[0] : np.stack(kernels, 0)).reshape([T * C, Co]);
      row.push(np.dot(patches, kern).reshape([N, Mh, Mw, Co]));
    }
    rows.push(s === 1 ? row[0] : np.stack(row, 3)); // [N, Mh, Mw, s, Co]
  }
  xp.dispose();
  w.dispose();
  const y = s === 1 ? rows[0] : np.stack(rows, 2).reshape([N, Mh * s, Mw * s, Co]);
  return Mh * s === Ho && Mw * s === Wo ? y : y.slice([], [0, Ho], [0, Wo], []);
}

/** conv via jax-js's `lax.conv` (NCHW / OIHW inside). */
function conv2dLax(x: JArray, w: JArray, s: number, p: number): JArray {
  const y = lax.convGeneralDilated(
    x.transpose([0, 3, 1, 2]),
    w.transpose([3, 2, 0, 1]),
    [s, s],
    [
      [p, p],
      [p, p],
    ],
  );
  return y.transpose([0, 2, 3, 1]);
}

/**
 * Transposed conv via `lax.convGeneralDilated`: dilate x by s, pad by k − 1 − p, and correlate with the
 * spatially flipped kernel with in/out channels swapped (the textbook identity for conv's adjoint).
 */
function convTranspose2dLax(x: JArray, w: JArray, s: number, p: number): JArray {
  const [kh, kw] = w.shape;
  const wf = np.flip(np.flip(w, 0), 1).transpose([3, 2, 0, 1]); // [Co, C, kh, kw]
  const y = lax.convGeneralDilated(
    x.transpose([0, 3, 1, 2]),
    wf,
    [1, 1],
    [
      [kh - 1 - p, kh - 1 - p],
      [kw - 1 - p, kw - 1 - p],
    ],
    { lhsDilation: [s, s] },
  );
  return y.transpose([0, 2, 3, 1]);
}

/** 2-D convolution (cross-correlation, as in PyTorch/JAX) of x [N, H, W, C] with w [kh, kw, C, C_out]; consumes both. */
export function conv2d(x: JArray, w: JArray, opts: ConvOptions = {}): JArray {
  check(x, w, "conv2d");
  const s = opts.stride ?? 1;
  const p = opts.padding ?? 0;
  if ((opts.impl ?? "im2col") === "lax") return conv2dLax(x, w, s, p);
  const form = opts.form ?? matmulForm("conv", x.shape[3], w.shape[3]);
  return form === "outputs" ? conv2dOutputs(x, w, s, p) : conv2dIm2col(x, w, s, p);
}

/** Transposed convolution (PyTorch's ConvTranspose2d weights as [kh, kw, C_in, C_out]); consumes both. */
export function convTranspose2d(x: JArray, w: JArray, opts: ConvOptions = {}): JArray {
  check(x, w, "convTranspose2d");
  const s = opts.stride ?? 1;
  const p = opts.padding ?? 0;
  if ((opts.impl ?? "im2col") === "lax") return convTranspose2dLax(x, w, s, p);
  const form = opts.form ?? matmulForm("convTranspose", x.shape[3], w.shape[3]);
  return form === "outputs" ? convTranspose2dOutputs(x, w, s, p) : convTranspose2dMatmul(x, w, s, p);
}
