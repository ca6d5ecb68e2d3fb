/**
 * DCGAN generator and discriminator (Radford, Metz & Chintala 2016) on flat image vectors, with the
 * conditional variants of the Purdue lecture's conditional GAN (G(z | y), D(x | y) by concatenating the
 * one-hot label y), optional batch normalisation in G and spectral normalisation in D (Miyato et al. 2018,
 * the SN-GAN of Farnia & Ozdaglar's proximal-training experiment).
 *
 *   G: [z, y] → fc → h₀×w₀×c₀ (h₀ = H/2^L) → [BN] → ReLU → L transposed convs (4×4, stride 2, pad 1),
 *      ReLU between ([BN] before each), the last to C channels → tanh  → flat [H·W·C (, y)]
 *   D: x → [x ‖ y broadcast over H×W] → L convs (4×4, stride 2, pad 1), [BN after all but the first],
 *      leaky ReLU 0.2 → flatten [‖ y] [‖ s] → fc → 1
 *
 * A conditional pair concatenates y at every layer, as the DCGAN authors' conditional MNIST model does
 * (`conv_cond_concat`): y broadcast over H×W as extra channels before each of G's transposed convs and
 * D's first conv, and y beside D's flattened features before its fc. With y only in G's first fc (one-hot
 * rows of a 0.02-std matrix beside 64 Gaussian inputs), a measured mnist-cgan run ignored the label: after
 * 1,000 steps every grid row was the same image and 13 % of samples had the requested label.
 *
 * REFERENCE.md's benchmark pair is gWidths [128, 64], dWidths [64, 128], latent 64 on 28×28×1:
 * "z 64 → fc 128·7·7 → convT 64 → convT 1; D conv 64 → conv 128 → fc".
 *
 * Batch norm (Ioffe & Szegedy 2015) uses the batch's statistics, BN(h) = γ (h − μ_B)/√(σ²_B + 10⁻⁵) + β
 * per channel, in training and in sampling alike (no running averages: the model stays a pure function).
 * In D (`dBatchNorm`) the statistics are those of the batch D is called on: the objectives call D on the
 * real and the fake batch separately (src/games/gan.ts), as Radford et al.'s reference code does.
 * Spectral normalisation divides each weight, as a matrix W [fan_in, fan_out], by σ(W) estimated with
 * SN_ITERATIONS power iterations from a fixed start, σ ≈ vᵀWu with u, v held constant under
 * differentiation (stop-gradient), as in Miyato et al.'s Algorithm 1; the estimate is recomputed each call
 * instead of carrying u between steps, so the model has no hidden state (resume stays exact).
 *
 * Conditional labels ride in the latent vector: a conditional G takes z of size latentDim + classes and
 * uses y = onehot(argmax z_tail) for the last `classes` coordinates — with z_tail ∼ N(0, I) the argmax is
 * uniform over the classes, so the GAN game draws labels with its ordinary latent noise, and a caller picks
 * label c by setting z_tail = onehot(c). G returns [image, y] so that D sees the requested label beside the
 * image, exactly like real labeled samples [x, onehot(label)] (src/data/images.ts).
 *
 * Minibatch standard deviation (`dMinibatchStd`; Karras, Aila, Laine & Lehtinen 2018, "Progressive growing of
 * GANs", §3): s = mean over features f of √(Var_batch(h_f) + 10⁻⁸), the batch's spread of D's last feature map,
 * one number per batch appended to every sample's features, so that D can tell a batch with too little
 * variety (a collapsing G) from a real one.
 *
 * InfoGAN (`codes`; Chen, Duan, Houthooft, Schulman, Sutskever & Abbeel 2016): G's label slots carry a
 * categorical code c drawn with the noise instead of a data label, and D's fc has 1 + K outputs, the score and
 * the K logits of Q(c | x), sharing D's convolutions as in the paper (which adds one more fc for Q).
 *
 * Parameters: a list of {w, b} layers (src/models/network.ts); BN layers store γ in w and β in b.
 */
import { lax, nn, numpy as np, random, type Array as JArray } from "@jax-js/jax";
import { convTranspose2d, conv2d, type ConvImpl } from "../engine/conv.ts";
import { dtypeOf, type DTypeName } from "../engine/device.ts";
import { UsageError } from "../engine/errors.ts";
import { scalarLike } from "../engine/tree.ts";
import { LEAKY_SLOPE, type Layer } from "./mlp.ts";
import type { GanNetworks, Network } from "./network.ts";

export interface DcganConfig {
  height: number;
  width: number;
  channels: number;
  /** Noise dimension (the latent vector is latentDim + classes long for a conditional G). */
  latentDim: number;
  /** Number of classes of a conditional GAN; 0 = unconditional. */
  classes: number;
  /** G's feature-map channels from the smallest map up, one per transposed conv, e.g. [128, 64]. */
  gWidths: number[];
  /** D's conv channels, e.g. [64, 128]. */
  dWidths: number[];
  /** Batch norm in G (after the fc and every transposed conv but the last). */
  batchNorm: boolean;
  /** Batch norm in D after every conv but the first, as in Radford et al.'s DCGAN discriminator. */
  dBatchNorm?: boolean;
  /** Minibatch standard deviation (Karras et al. 2018) as one more input to D's fc. */
  dMinibatchStd?: boolean;
  /**
   * InfoGAN (Chen et al. 2016): a categorical latent code of `codes` values. G reads c = onehot(argmax of the
   * latent's last `codes` coordinates), as a conditional G reads its label, but returns the image alone; D
   * gets `codes` more outputs, the logits of Q(c | x) (src/games/gan.ts adds the mutual-information term).
   * Not with `classes`.
   */
  codes?: number;
  spectralNorm: boolean;
  impl: ConvImpl;
}

/** REFERENCE.md's benchmark pair on 28×28×1. */
export const REFERENCE_DCGAN: DcganConfig = {
  height: 28,
  width: 28,
  channels: 1,
  latentDim: 64,
  classes: 0,
  gWidths: [128, 64],
  dWidths: [64, 128],
  batchNorm: false,
  spectralNorm: false,
  impl: "im2col",
};

/** Power iterations per spectral-norm estimate. */
export const SN_ITERATIONS = 5;
const BN_EPS = 1e-5;
const INIT_STD = 0.02;
const K = 4;

/** Throws a UsageError when the image side cannot be halved `stages` times exactly. */
export function checkImageSize(cfg: DcganConfig): void {
  const f = 2 ** Math.max(cfg.gWidths.length, cfg.dWidths.length);
  for (const [what, n] of [
    ["height", cfg.height],
    ["width", cfg.width],
  ] as const) {
    if (n % f !== 0 || n / f < 1) {
      throw new UsageError(
        `--image-size: the DCGAN halves the image ${Math.log2(f)} times, so its ${what} must be a multiple of ${f}; got ${n}`,
      );
    }
  }
}

const normal = (key: JArray, shape: number[], dtype: DTypeName): JArray =>
  random
    .normal(key, shape)
    .astype(dtypeOf(dtype))
    .mul(np.full([], INIT_STD, { dtype: dtypeOf(dtype) }));
const zeros = (n: number, dtype: DTypeName): JArray => np.zeros([n], { dtype: dtypeOf(dtype) });
const ones = (n: number, dtype: DTypeName): JArray => np.ones([n], { dtype: dtypeOf(dtype) });

/** [h ‖ y broadcast over H×W]: a one-hot label [n, classes] as extra channels of h [n, H, W, c]; consumes both. */
function withLabelChannels(h: JArray, y: JArray, classes: number): JArray {
  const [n, H, W] = h.shape;
  return np.concatenate([h, np.broadcastTo(y.reshape([n, 1, 1, classes]), [n, H, W, classes])], 3);
}

/** Batch norm over all axes but the last (channels); consumes h and the layer. */
function batchNorm(h: JArray, layer: Layer): JArray {
  const axes = Array.from({ length: h.ndim - 1 }, (_, i) => i);
  const count = h.size / h.shape[h.ndim - 1];
  const mean = np.sum(h.ref, axes, { keepdims: true }).div(scalarLike(h, count));
  const c = h.sub(mean);
  const v = np.sum(c.ref.mul(c.ref), axes, { keepdims: true }).div(scalarLike(c, count));
  return c
    .div(np.sqrt(v.add(scalarLike(v, BN_EPS))))
    .mul(layer.w)
    .add(layer.b);
}

/** W / σ(W) with σ from SN_ITERATIONS power iterations on W as [fan_in, fan_out]; consumes w. */
export function spectralNormalize(w: JArray): JArray {
  const shape = w.shape;
  const m = w.reshape([-1, shape[shape.length - 1]]);
  const [rows, cols] = m.shape;
  const W = lax.stopGradient(m.ref);
  let u = np.full([cols], 1 / Math.sqrt(cols), { dtype: m.dtype });
  let v: JArray = np.zeros([rows], { dtype: m.dtype });
  const normalize = (x: JArray) => x.ref.div(np.sqrt(np.sum(x.ref.mul(x))).add(scalarLike(x, 1e-12)));
  for (let i = 0; i < SN_ITERATIONS; i++) {
    v.dispose();
    v = normalize(np.dot(W.ref, u));
    u = normalize(np.dot(v.ref, W.ref));
  }
  W.dispose();
  const sigma = np.sum(np.dot(v, m.ref).mul(u));
  return m.div(sigma).reshape(shape);
}

/** The generator network of a config. */
export function dcganGenerator(cfg: DcganConfig): Network {
  checkImageSize(cfg);
  const L = cfg.gWidths.length;
  const h0 = cfg.height / 2 ** L;
  const w0 = cfg.width / 2 ** L;
  const c0 = cfg.gWidths[0];
  const codes = cfg.codes ?? 0;
  if (codes > 0 && cfg.classes > 0)
    throw new UsageError("--info-codes: not with --conditional (both use G's label slots)");
  const slots = cfg.classes + codes; // label or code slots at the end of the latent vector
  const zIn = cfg.latentDim + slots;
  const chans = [...cfg.gWidths, cfg.channels];
  const D = cfg.height * cfg.width * cfg.channels;
  const bn = cfg.batchNorm;
  return {
    arch:
      `z${cfg.latentDim}${cfg.classes ? ` + y${cfg.classes}` : ""}${codes ? ` + c${codes}` : ""} → fc ${h0}×${w0}×${c0}` +
      chans
        .slice(1)
        .map((c) => ` → convT ${c}`)
        .join("") +
      `, ${bn ? "BN, " : ""}ReLU, tanh`,
    init(key, dtype) {
      const nLayers = 1 + L;
      const ks = random.split(key, nLayers);
      const layers: Layer[] = [
        { w: normal(ks.ref.slice(0), [zIn, h0 * w0 * c0], dtype), b: zeros(h0 * w0 * c0, dtype) },
      ];
      if (bn) layers.push({ w: ones(c0, dtype), b: zeros(c0, dtype) });
      for (let s = 0; s < L; s++) {
        const cout = chans[s + 1];
        const cin = chans[s] + slots;
        layers.push({ w: normal(ks.ref.slice(1 + s), [K, K, cin, cout], dtype), b: zeros(cout, dtype) });
        if (bn && s < L - 1) layers.push({ w: ones(cout, dtype), b: zeros(cout, dtype) });
      }
      ks.dispose();
      return layers;
    },
    apply(params, z) {
      const n = z.shape[0];
      let input = z;
      let y: JArray | null = null;
      if (slots > 0) {
        const tail = z.ref.slice([], [cfg.latentDim, zIn]);
        y = lax.stopGradient(nn.oneHot(np.argmax(tail, 1), slots).astype(z.dtype));
        input = np.concatenate([z.slice([], [0, cfg.latentDim]), y.ref], 1);
      }
      let k = 0;
      const fc = params[k++];
      let h = np.dot(input, fc.w).add(fc.b).reshape([n, h0, w0, c0]);
      if (bn) h = batchNorm(h, params[k++]);
      h = np.maximum(h, 0);
      for (let s = 0; s < L; s++) {
        const layer = params[k++];
        if (y) h = withLabelChannels(h, y.ref, slots);
        h = convTranspose2d(h, layer.w, { stride: 2, padding: 1, impl: cfg.impl }).add(layer.b);
        if (s < L - 1) {
          if (bn) h = batchNorm(h, params[k++]);
          h = np.maximum(h, 0);
        }
      }
      const img = np.tanh(h).reshape([n, D]);
      if (y && codes > 0) y.dispose(); // InfoGAN: D must not see the code
      return y && codes === 0 ? np.concatenate([img, y], 1) : img;
    },
  };
}

/** s = mean_f √(Var_batch(h_f) + 10⁻⁸) of a [n, F] feature matrix, as a 0-d array; consumes h. */
export function minibatchStd(h: JArray): JArray {
  const mu = np.mean(h.ref, 0);
  const v = np.mean(np.square(h.sub(mu)), 0);
  return np.mean(np.sqrt(v.add(scalarLike(v, 1e-8))));
}

/** The discriminator network of a config. */
export function dcganDiscriminator(cfg: DcganConfig): Network {
  checkImageSize(cfg);
  const L = cfg.dWidths.length;
  const { height: H, width: W, channels: C, classes } = cfg;
  const D = H * W * C;
  const hL = H / 2 ** L;
  const wL = W / 2 ** L;
  const chans = [C + classes, ...cfg.dWidths];
  const flat = hL * wL * cfg.dWidths[L - 1];
  const sn = cfg.spectralNorm ? spectralNormalize : (w: JArray) => w;
  const bn = cfg.dBatchNorm === true;
  const mbstd = cfg.dMinibatchStd === true;
  const outs = 1 + (cfg.codes ?? 0);
  return {
    arch:
      `${H}×${W}×${C}${classes ? ` ‖ y${classes}` : ""}` +
      cfg.dWidths.map((c) => ` → conv ${c}`).join("") +
      `${mbstd ? " ‖ minibatch std" : ""} → fc ${outs === 1 ? "1" : `1 + Q ${outs - 1}`}, ${bn ? "BN, " : ""}leaky ReLU ${LEAKY_SLOPE}${cfg.spectralNorm ? ", spectral norm" : ""}`,
    init(key, dtype) {
      const ks = random.split(key, L + 1);
      const layers: Layer[] = [];
      for (let s = 0; s < L; s++) {
        layers.push({
          w: normal(ks.ref.slice(s), [K, K, chans[s], chans[s + 1]], dtype),
          b: zeros(chans[s + 1], dtype),
        });
        if (bn && s > 0) layers.push({ w: ones(chans[s + 1], dtype), b: zeros(chans[s + 1], dtype) });
      }
      layers.push({
        w: normal(ks.slice(L), [flat + classes + (mbstd ? 1 : 0), outs], dtype),
        b: zeros(outs, dtype),
      });
      return layers;
    },
    apply(params, x) {
      const n = x.shape[0];
      let h: JArray;
      let y: JArray | null = null;
      if (classes > 0) {
        y = x.ref.slice([], [D, D + classes]);
        h = withLabelChannels(x.slice([], [0, D]).reshape([n, H, W, C]), y.ref, classes);
      } else {
        h = x.reshape([n, H, W, C]);
      }
      let k = 0;
      for (let s = 0; s < L; s++) {
        const layer = params[k++];
        h = conv2d(h, sn(layer.w), { stride: 2, padding: 1, impl: cfg.impl }).add(layer.b);
        if (bn && s > 0) h = batchNorm(h, params[k++]);
        h = np.maximum(h.ref, h.mul(scalarLike(h, LEAKY_SLOPE)));
      }
      const fc = params[k];
      const parts = [h.reshape([n, flat])];
      if (y) parts.push(y);
      if (mbstd) parts.push(np.broadcastTo(minibatchStd(parts[0].ref).reshape([1, 1]), [n, 1]));
      const feats = parts.length === 1 ? parts[0] : np.concatenate(parts, 1);
      return np.dot(feats, sn(fc.w)).add(fc.b);
    },
  };
}

/** G and D of one config. */
export function dcgan(cfg: DcganConfig): GanNetworks {
  return { generator: dcganGenerator(cfg), discriminator: dcganDiscriminator(cfg) };
}
