/**
 * A multilayer perceptron as a pytree of layers, {w: [in, out], b: [out]}[]:
 *
 *   h₀ = x,  h_{k+1} = a(h_k W_k + b_k) for hidden layers,  out = h_L W_L + b_L  (last layer linear).
 *
 * The GAN benchmark pair of the 2-D mixture experiments (REFERENCE.md: "MLP GAN: G 2→128→128→2,
 * D 2→128→128→1") is the default. Layers use `np.dot` directly (a `vmap` of it is ~10× slower on wasm).
 *
 * Replicas (R independent networks trained in one jitted step, `mlpInitReplicas`): every leaf carries a
 * leading replica axis, {w: [R, in, out], b: [R, 1, out]}[], and `mlpApply` maps x [R, n, in] → [R, n, out]
 * with one batched `np.matmul` per layer (REFERENCE.md "Replicas": an explicit replica axis is ~10× faster
 * than a `vmap` of np.dot on wasm). Unreplicated parameters keep the np.dot path, which is faster at R = 1.
 */
import { numpy as np, random, tree, type Array as JArray } from "@jax-js/jax";
import { dtypeOf, type DTypeName } from "../engine/device.ts";
import { scalarLike } from "../engine/tree.ts";
import type { Network } from "./network.ts";

export const ACTIVATIONS = ["relu", "leaky-relu", "tanh", "elu"] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** Weight initialisations: uniform or normal, scaled by fan-in (He) or fan-in + fan-out (Glorot). */
export const INIT_SCHEMES = ["he", "he-normal", "glorot", "glorot-normal"] as const;
export type InitScheme = (typeof INIT_SCHEMES)[number];

/** One layer (a type alias, not an interface, so that it is a jax-js pytree `JsTree<Array>`). */
export type Layer = {
  /** [fan_in, fan_out]; replicated: [R, fan_in, fan_out] */
  w: JArray;
  /** [fan_out]; replicated: [R, 1, fan_out] */
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

/**
 * R replicated MLPs, {w: [R, n_in, n_out], b: [R, 1, n_out]}[]: replica r is exactly `mlpInit(keys[r],
 * sizes, dtype, init)` (same numbers, with the replica axis in front). `keys` is a stacked key array [R, 2],
 * a list of R keys (all consumed), or R integer seeds (replica r then uses `random.key(seeds[r])`).
 * A GAN with `replicas: R` and seed s passes the keys of seeds s, s + 1, …, s + R − 1 (src/games/gan.ts).
 */
export function mlpInitReplicas(
  keys: JArray | JArray[] | number[],
  sizes: number[],
  dtype: DTypeName = "float32",
  init: InitScheme = "he",
): MlpParams {
  let list: JArray[];
  if (Array.isArray(keys)) {
    list = keys.map((k) => (typeof k === "number" ? random.key(k) : k));
  } else {
    const R = keys.shape[0];
    list = Array.from({ length: R }, (_, r) => keys.ref.slice(r));
    keys.dispose();
  }
  if (list.length < 1) throw new Error("mlpInitReplicas: needs at least one key");
  const per = list.map((k) => mlpInit(k, sizes, dtype, init));
  return per[0].map(
    (_, k): Layer => ({
      w: np.stack(per.map((p) => p[k].w)),
      b: np.stack(per.map((p) => p[k].b)).reshape([per.length, 1, sizes[k + 1]]),
    }),
  );
}

/** True when the parameters carry a leading replica axis (w is [R, in, out]); borrows. */
export const isReplicated = (params: MlpParams): boolean => params.length > 0 && params[0].w.ndim === 3;

/** The number of replicas R of replicated parameters, 1 for unreplicated ones; borrows. */
export const mlpReplicas = (params: MlpParams): number => (isReplicated(params) ? params[0].w.shape[0] : 1);

/**
 * Replica r of replicated parameters as an unreplicated MLP ({w: [in, out], b: [out]}); borrows params.
 * Unreplicated parameters are returned as fresh references (r must be 0).
 */
export function mlpReplica(params: MlpParams, r: number): MlpParams {
  const R = mlpReplicas(params);
  if (!Number.isInteger(r) || r < 0 || r >= R) throw new Error(`mlpReplica: replica ${r} of ${R}`);
  if (!isReplicated(params)) return tree.ref(params);
  return params.map((l) => ({ w: l.w.ref.slice(r), b: l.b.ref.slice(r).reshape([l.b.shape[2]]) }));
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

/**
 * MLP output for a batch x [n, n₀] → [n, n_L]; consumes params and x (traceable). Replicated parameters
 * (w [R, in, out]) take x [R, n, n₀] → [R, n, n_L] (replica r's network on x[r]); an x [n, n₀] is then
 * broadcast to every replica.
 */
export function mlpApply(params: MlpParams, x: JArray, activation: Activation): JArray {
  const replicated = isReplicated(params);
  let h = x;
  if (replicated && h.ndim === 2) h = np.broadcastTo(h, [params[0].w.shape[0], ...h.shape]);
  params.forEach((layer, k) => {
    h = (replicated ? np.matmul(h, layer.w) : np.dot(h, layer.w)).add(layer.b);
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

/**
 * An MLP as a GAN player's network (src/models/network.ts): layer sizes nIn → hidden → nOut, drawn with the
 * `init` scheme (default He), forward map `mlpApply` with the config's activation; arch "2→128→128→1 relu".
 */
export function mlpNetwork(config: MlpConfig, nIn: number, nOut: number, init?: InitScheme): Network {
  const sizes = mlpSizes(nIn, config, nOut);
  return {
    arch: `${sizes.join("→")} ${config.activation}`,
    init: (key, dtype) => mlpInit(key, sizes, dtype, init),
    apply: (params, x) => mlpApply(params, x, config.activation),
  };
}
