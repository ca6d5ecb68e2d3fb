/** RNG keys in one place: every random draw in saddle starts from `keyFor(seed, stream)`. */
import { jit, random, type Array as JArray } from "@jax-js/jax";

/** Named streams, so that drawing a game matrix never shares numbers with drawing an initial point. */
export const STREAMS = { game: 1, init: 2, data: 3, noise: 4 } as const;
export type Stream = keyof typeof STREAMS;

/** A fresh key for (seed, stream); consumed by the random function that uses it. */
export function keyFor(seed: number, stream: Stream): JArray {
  return random.split(random.key(seed), 8).slice(STREAMS[stream]);
}

const splitTwoJit = jit((key: JArray) => {
  const ks = random.split(key, 2);
  return [ks.ref.slice(0), ks.slice(1)];
});

/**
 * A stream's next key: `[k′, k_step] = random.split(k, 2)`, the stream carrying on with k′ and the step drawing
 * from k_step (consumes k). Jitted: one call dispatches the split as one compiled program instead of the
 * eager ops' kernels (same Threefry numbers, integer arithmetic).
 */
export function splitNext(key: JArray): [next: JArray, step: JArray] {
  return splitTwoJit(key) as [JArray, JArray];
}

/**
 * The per-step keys of one stream: each `next()` returns k_step of `splitNext` and carries the stream on (the
 * trainer's key chain, for loops that keep no checkpoint of the stream, e.g. the benches); `dispose` frees it.
 */
export function keyStream(seed: number, stream: Stream): { next(): JArray; dispose(): void } {
  let key = keyFor(seed, stream);
  return {
    next: () => {
      const [k, step] = splitNext(key);
      key = k;
      return step;
    },
    dispose: () => key.dispose(),
  };
}
