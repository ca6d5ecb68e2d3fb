/**
 * Classifier-based Inception Score (Salimans et al. 2016) with a data set's own classifier in place of
 * Inception-v3 (src/metrics/classifier.ts):
 *
 *   IS = exp( E_x KL( p(y | x) ‖ p(y) ) ),  p(y) = E_x p(y | x),
 *
 * between 1 (every sample gets the same prediction) and the number of classes (confident and uniform
 * over classes). Computed over all given samples at once (no splits).
 */

/** IS of n class-probability rows of length k, given flat row-major. */
export function inceptionScore(probs: ArrayLike<number>, n: number, k: number): number {
  if (n < 1) throw new Error("inceptionScore: no samples");
  const marginal = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) marginal[j] += probs[i * k + j] / n;
  let kl = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const p = probs[i * k + j];
      if (p > 0) kl += p * (Math.log(p) - Math.log(marginal[j]));
    }
  }
  return Math.exp(kl / n);
}
