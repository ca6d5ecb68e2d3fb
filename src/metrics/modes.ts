/**
 * Mode metrics of generated samples against a mixture's modes: the 2-D mixture protocol of VEEGAN
 * (Srivastava et al. 2017) and PacGAN (Lin et al. 2018), as stated in REFERENCE.md ("Benchmarks from
 * the literature": "a sample is high quality within 3σ of its nearest mode; report modes covered, % high
 * quality and reverse KL of the mode histogram").
 *
 * Exactly:
 * - each generated sample is assigned to its nearest mode centre (Euclidean distance; ties go to the first);
 * - a sample is **high quality** if its distance to that centre is ≤ 3σ;
 * - a mode is **covered** if at least one high-quality sample is assigned to it;
 * - **reverse KL** = KL(p_gen ‖ p_true) = Σ_k p_gen(k) log(p_gen(k) / p_true(k)) of the mode histogram, where
 *   p_gen(k) = (high-quality samples assigned to mode k) / (all high-quality samples), modes with zero count
 *   contributing 0, and p_true(k) = 1/K uniform over the K modes; with no high-quality sample it is +Infinity.
 *
 * A sample with a non-finite coordinate (a diverged generator) is never high quality.
 */

export interface ModeMetrics {
  /** Number of covered modes (0..modes). */
  modesCovered: number;
  /** Number of modes K. */
  modes: number;
  /** High-quality samples / all samples, in 0..1 (0 for no samples). */
  highQualityFraction: number;
  /** KL(p_gen ‖ p_true) of the high-quality mode histogram; +Infinity with no high-quality sample. */
  reverseKL: number;
  /** High-quality samples assigned to each mode, in the order of `centers`. */
  counts: number[];
}

/** The mode metrics of `samples` ([n][dim]) for the mixture `modes` (centres [K][dim], common σ). Pure JS. */
export function modeMetrics(
  samples: readonly (readonly number[])[],
  modes: { readonly centers: readonly (readonly number[])[]; readonly sigma: number },
): ModeMetrics {
  const { centers, sigma } = modes;
  const K = centers.length;
  if (K === 0) throw new Error("modeMetrics: no modes");
  const dim = centers[0].length;
  const flat = Float64Array.from(centers.flat());
  const radius2 = (3 * sigma) ** 2;
  const counts: number[] = new Array<number>(K).fill(0);
  let hq = 0;
  for (const x of samples) {
    if (x.length !== dim)
      throw new Error(`modeMetrics: a sample has ${x.length} coordinates, expected ${dim}`);
    let best = -1;
    let bestD = Infinity;
    for (let k = 0; k < K; k++) {
      let d = 0;
      for (let j = 0; j < dim; j++) {
        const t = x[j] - flat[k * dim + j];
        d += t * t;
      }
      if (d < bestD) {
        bestD = d;
        best = k;
      }
    }
    if (best >= 0 && bestD <= radius2) {
      counts[best]++;
      hq++;
    }
  }
  let reverseKL = Infinity;
  if (hq > 0) {
    reverseKL = 0;
    for (const c of counts) if (c > 0) reverseKL += (c / hq) * Math.log((c / hq) * K);
  }
  return {
    modesCovered: counts.filter((c) => c > 0).length,
    modes: K,
    highQualityFraction: samples.length > 0 ? hq / samples.length : 0,
    reverseKL,
    counts,
  };
}
