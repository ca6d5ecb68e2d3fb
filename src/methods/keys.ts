/**
 * Keys of one method step. A stochastic game (a GAN: minibatches, latent noise) needs a fresh key for each
 * evaluation of its vector field; a deterministic game needs none. A step's keys travel through `jit` as a
 * pytree: `[]` for deterministic games, `[key]` for stochastic ones.
 */
import { random, type Array as JArray } from "@jax-js/jax";

export type StepKeys = JArray[];

/** The jit-friendly form of an optional key; consumes it. */
export const stepKeys = (key?: JArray): StepKeys => (key ? [key] : []);

/** n evaluation keys from the step's keys (all undefined for a deterministic game); consumes `keys`. */
export function splitKeys(keys: StepKeys, n: number): (JArray | undefined)[] {
  if (keys.length === 0) return new Array<undefined>(n).fill(undefined);
  if (n === 1) return [keys[0]];
  const ks = random.split(keys[0], n);
  const out = Array.from({ length: n }, (_, i) => ks.ref.slice(i));
  ks.dispose();
  return out;
}
