/**
 * A multilayer perceptron as a pytree of layers, {w: [in, out], b: [out]}[]:
 *
 *   h₀ = x,  h_{k+1} = a(h_k W_k + b_k) for hidden layers,  out = h_L W_L + b_L  (last layer linear).
 *
 * The GAN benchmark pair of the 2-D mixture experiments (REFERENCE.md: "MLP GAN: G 2→128→128→2,
 * D 2→128→128→1") is the default. Layers use `np.dot` directly (a `vmap` of it is ~10× slower on wasm).
 */
import { numpy as np, random, tree, type Array as JArray } from "@jax-js/jax";
import { dtypeOf, type DTypeName } from "../engine/device.ts";
import { scalarLike } from "../engine/tree.ts";

export const ACTIVATIONS = ["relu", "leaky-relu", "tanh", "elu"] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** Weight initialisations: uniform or normal, scaled by fan-in (He) or fan-in + fan-out (Glorot). */
export const INIT_SCHEMES = ["he", "he-normal", "glorot", "glorot-normal"] as const;
export type InitScheme = (typeof INIT_SCHEMES)[number];

/** One layer (a type alias, not an interface, so that it is a jax-js pytree `JsTree<Array>`). */
export type Layer = {
  /** [fan_in, fan_out] */
  w: JArray;
  /** [fan_out] */
  b: JArray;
};
export type MlpParams = Layer[];

/** Hidden widths and activation of an MLP; input and output sizes come from its use (G: latent → data). */
export interface MlpConfig {
  hidden: number[];
  activation: Activation;
}

/** REFERENCE.md's benchmark generator: 2 → 128 → 128 → 2, ReLU. */
export const DEFAULT_GENERATOR: MlpConfig = { hidden: [128, 128], activation: "relu" };
/** REFERENCE.md's benchmark discriminator: 2 → 128 → 128 → 1, ReLU. */
export const DEFAULT_DISCRIMINATOR: MlpConfig = { hidden: [128, 128], activation: "relu" };

/** Slope of leaky ReLU on negative inputs (DCGAN's 0.2). */
export const LEAKY_SLOPE = 0.2;

/**
 * Parameters for layer sizes [n₀, n₁, …, n_L] drawn from `key` (consumed); biases are 0. Weights:
 * - "he" (default): U(−√(6/n_in), √(6/n_in)), He et al. 2015, uniform variant (variance 2/n_in);
 * - "he-normal": N(0, 2/n_in);
 * - "glorot": U(−√(6/(n_in + n_out)), +…), Glorot & Bengio 2010 (variance 2/(n_in + n_out));
 * - "glorot-normal": N(0, 2/(n_in + n_out)).
 */
export function mlpInit(
  key: JArray,
  sizes: number[],
  dtype: DTypeName = "float32",
  init: InitScheme = "he",
): MlpParams {
  if (sizes.length < 2 || sizes.some((n) => !Number.isInteger(n) || n < 1)) {
    key.dispose();
    throw new Error(`mlpInit: layer sizes must be ≥ 2 positive integers, got [${sizes.join(", ")}]`);
  }
  const dt = dtypeOf(dtype);
  const nLayers = sizes.length - 1;
  const keys = random.split(key, nLayers);
  const layers = Array.from({ length: nLayers }, (_, k): Layer => {
    const [nIn, nOut] = [sizes[k], sizes[k + 1]];
    const variance = init.startsWith("he") ? 2 / nIn : 2 / (nIn + nOut);
    const kk = keys.ref.slice(k);
    const w = init.endsWith("normal")
      ? random
          .normal(kk, [nIn, nOut])
          .astype(dt)
          .mul(np.full([], Math.sqrt(variance), { dtype: dt }))
      : random
          .uniform(kk, [nIn, nOut], { minval: -1, maxval: 1 })
          .astype(dt)
          .mul(np.full([], Math.sqrt(3 * variance), { dtype: dt }));
    return { w, b: np.zeros([nOut], { dtype: dt }) };
  });
  keys.dispose();
  return layers;
}

/** a(x) for one activation; consumes x. ELU uses e^{min(x,0)} so that its gradient is finite for large x. */
export function activate(x: JArray, activation: Activation): JArray {
  switch (activation) {
    case "relu":
      return np.maximum(x, 0);
    case "leaky-relu":
      return np.maximum(x.ref, x.mul(scalarLike(x, LEAKY_SLOPE)));
    case "tanh":
      return np.tanh(x);
    case "elu": {
      const neg = np.exp(np.minimum(x.ref, 0)).sub(1);
      return np.where(np.less(x.ref, 0), neg, x);
    }
    default:
      throw new Error(`unknown activation '${String(activation)}'; allowed: ${ACTIVATIONS.join(", ")}`);
  }
}

/** MLP output for a batch x [n, n₀] → [n, n_L]; consumes params and x (traceable). */
export function mlpApply(params: MlpParams, x: JArray, activation: Activation): JArray {
  let h = x;
  params.forEach((layer, k) => {
    h = np.dot(h, layer.w).add(layer.b);
    if (k < params.length - 1) h = activate(h, activation);
  });
  return h;
}

/** Layer sizes [n_in, …hidden, n_out] of a config. */
export const mlpSizes = (nIn: number, config: MlpConfig, nOut: number): number[] => [
  nIn,
  ...config.hidden,
  nOut,
];

/** Number of scalars in the parameters; borrows. */
export const mlpSize = (params: MlpParams): number =>
  tree.leaves<JArray>(params).reduce((n, x) => n + x.size, 0);
