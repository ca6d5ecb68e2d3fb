/**
 * Classifier-based Inception Score (Salimans et al. 2016) with a data set's own classifier in place of
 * Inception-v3 (src/metrics/classifier.ts):
 *
 *   IS = exp( E_x KL( p(y | x) ‖ p(y) ) ),  p(y) = E_x p(y | x),
 *
 * between 1 (every sample gets the same prediction) and the number of classes (confident and uniform
 * over classes). Computed over all given samples at once (no splits).
 *
 * Its two parts tell a low score's cause: log IS = H(p(y)) − E_x H(p(y | x)), the entropy of the predicted
 * class mix (diversity; at most log k) minus the mean entropy of one sample's prediction (ambiguity; 0 when
 * every sample is classified with certainty).
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

export interface InceptionParts {
  /** H(p(y)) in nats: the predicted class mix (log k when uniform). */
  marginalEntropy: number;
  /** E_x H(p(y | x)) in nats: how ambiguous one sample's prediction is. */
  meanEntropy: number;
  /** How many samples have each class as their most likely one. */
  counts: number[];
}

/** H(p(y)), E_x H(p(y | x)) and the argmax counts of n rows of length k; exp(first − second) = IS. */
export function inceptionParts(probs: ArrayLike<number>, n: number, k: number): InceptionParts {
  if (n < 1) throw new Error("inceptionParts: no samples");
  const marginal = new Array<number>(k).fill(0);
  const counts = new Array<number>(k).fill(0);
  let meanEntropy = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 0; j < k; j++) {
      const p = probs[i * k + j];
      marginal[j] += p / n;
      if (p > 0) meanEntropy -= (p * Math.log(p)) / n;
      if (p > probs[i * k + best]) best = j;
    }
    counts[best]++;
  }
  const marginalEntropy = -marginal.reduce((s, p) => s + (p > 0 ? p * Math.log(p) : 0), 0);
  return { marginalEntropy, meanEntropy, counts };
}
