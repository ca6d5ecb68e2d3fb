/** RNG keys in one place: every random draw in saddle starts from `keyFor(seed, stream)`. */
import { random, type Array as JArray } from "@jax-js/jax";

/** Named streams, so that drawing a game matrix never shares numbers with drawing an initial point. */
export const STREAMS = { game: 1, init: 2, data: 3, noise: 4 } as const;
export type Stream = keyof typeof STREAMS;

/** A fresh key for (seed, stream); consumed by the random function that uses it. */
export function keyFor(seed: number, stream: Stream): JArray {
  return random.split(random.key(seed), 8).slice(STREAMS[stream]);
}
