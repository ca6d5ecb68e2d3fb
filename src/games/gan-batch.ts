/**
 * The minibatch of one GAN loss evaluation (src/games/gan.ts): from one key k, split(k, 3) = [x key, z key,
 * ε key] gives real samples x [n, d] from the data, latent noise z ∼ N(0, I) [n, latentDim] and the
 * interpolation weights ε ∼ U(0, 1) [n, 1] of the gradient penalty. Both players' losses at one key see the
 * same x, z, ε.
 *
 * Replicas (R > 1): replica r's batch is the batch of its replica key k_r = split(k, R)[r], stacked on a
 * leading axis, [R, n, ·]; one vmapped draw gives the same numbers as R separate draws (Threefry counts from
 * 0 per key) in one set of kernels.
 */
import { random, vmap, type Array as JArray } from "@jax-js/jax";
import { dtypeOf, type DTypeName } from "../engine/device.ts";

/** A data distribution to sample minibatches from (src/data's datasets satisfy it). */
export interface Sampler {
  /** Dimension of one sample. */
  readonly dim: number;
  /** n samples, [n, dim], drawn from `key` (consumed); traceable (used inside `jit`). */
  sample(key: JArray, n: number, dtype?: DTypeName): JArray;
}

/** One batch: x when real samples were asked for, ε when the penalty's weights were. */
export interface GanBatch {
  x: JArray | undefined;
  z: JArray;
  e: JArray | undefined;
}

export interface GanDraws {
  /** The replica keys of `key` (consumed): [key] at R = 1, random.split(key, R) otherwise. */
  replicaKeys(key: JArray): JArray[];
  /** The batch of one key: real x [n, d] (if `real`), z [n, k], ε [n, 1] (if `eps`); consumes key. */
  draw(key: JArray, n: number, real: boolean, eps: boolean): GanBatch;
  /** The replicated batch: replica r's slice is `draw(k_r, …)`, x [R, n, d], z [R, n, k], ε [R, n, 1]. */
  drawReplicas(key: JArray, n: number, real: boolean, eps: boolean): GanBatch;
}

export function ganDraws(data: Sampler, latentDim: number, dtype: DTypeName, R: number): GanDraws {
  const dt = dtypeOf(dtype);
  const replicaKeys = (key: JArray): JArray[] => {
    if (R === 1) return [key];
    const ks = random.split(key, R);
    const out = Array.from({ length: R }, (_, r) => ks.ref.slice(r));
    ks.dispose();
    return out;
  };
  const draw = (key: JArray, n: number, real: boolean, eps: boolean): GanBatch => {
    const ks = random.split(key, 3);
    const z = random.normal(ks.ref.slice(1), [n, latentDim]).astype(dt);
    const x = real ? data.sample(ks.ref.slice(0), n, dtype).astype(dt) : undefined;
    const e = eps ? random.uniform(ks.ref.slice(2), [n, 1]).astype(dt) : undefined;
    ks.dispose();
    return { x, z, e };
  };
  const drawReplicas = (key: JArray, n: number, real: boolean, eps: boolean): GanBatch => {
    const one = (k: JArray): JArray[] => {
      const d = draw(k, n, real, eps);
      return [d.z, ...(d.x ? [d.x] : []), ...(d.e ? [d.e] : [])];
    };
    const out = vmap(one)(random.split(key, R)) as JArray[];
    let i = 1;
    const x = real ? out[i++] : undefined;
    const e = eps ? out[i++] : undefined;
    return { x, z: out[0], e };
  };
  return { replicaKeys, draw, drawReplicas };
}
