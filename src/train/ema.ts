/**
 * An exponential moving average of the generator's parameters, the generator that evaluations score when
 * `ema` β > 0 (Yazıcı et al. 2019, "The unusual effectiveness of averaging in GAN training"):
 *
 *   Ḡ₀ = G₀,   Ḡ_t = β_t Ḡ_{t−1} + (1 − β_t) G_t,   β_t = min(β, (1 + t) / (10 + t)),
 *
 * with the warm-up of TensorFlow's ExponentialMovingAverage(num_updates) so that early evaluations are not
 * dominated by the initialisation. Averaging iterates is the classical remedy for gradient play that
 * rotates around a saddle point: on min_x max_y xy, alternating GDA (η = 0.1) circles the equilibrium at a
 * fixed distance while the uniform average of its iterates approaches it (|mean| ≈ 0.001 after 20,000
 * steps from (1, 1)); simultaneous GDA spirals out and its average with it, so averaging cannot rescue a
 * diverging method. With β < 1 the average forgets old iterates and tracks a moving target. Training itself is unchanged: the players still step on
 * G_t, only the samples, grids and sample metrics come from Ḡ_t.
 */
import { jit, tree, type Array as JArray } from "@jax-js/jax";
import { scalarLike } from "../engine/tree.ts";
import type { MlpParams } from "../models/mlp.ts";

/** β_t = min(β, (1 + t) / (10 + t)) for the t-th update (t = 1, 2, …). */
export function emaDecay(beta: number, t: number): number {
  return Math.min(beta, (1 + t) / (10 + t));
}

const update = jit((avg: MlpParams, g: MlpParams, decay: JArray): MlpParams => {
  const out = tree.map(
    (a: JArray, x: JArray) =>
      a.mul(decay.ref.astype(a.dtype)).add(x.mul(scalarLike(x, 1).sub(decay.ref.astype(x.dtype)))),
    avg,
    g,
  ) as MlpParams;
  decay.dispose();
  return out;
});

/** Ḡ_t from Ḡ_{t−1} (consumed) and G_t (consumed; pass a ref to keep it), with β_t = emaDecay(β, t). */
export function emaStep(avg: MlpParams, g: MlpParams, beta: number, t: number): MlpParams {
  return update(avg, g, scalarLike(avg[0].w, emaDecay(beta, t)));
}
