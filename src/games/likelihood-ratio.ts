/**
 * The likelihood-ratio view of the non-saturating GAN (the Purdue lecture "Computing the GAN equilibrium",
 * REFERENCE.md "Likelihood-ratio view"), on a finite space of n points y_0 < … < y_{n−1} with a reference
 * distribution p_r. Every expectation E[·] is over Y ~ p_r; the generated samples are Ỹ ~ p_R = R·p_r, so
 * E[h(Ỹ)] = E[h(Y) R(Y)] (slide "Reparameterize Loss Functions").
 *
 *   generator       R ∈ Ω_g = {R : R > 0, E[R] = 1}   (R = p_R / p_r, the likelihood ratio)
 *   discriminator   f ∈ Ω_d = {f : 0 < f < 1}          (f(y) = P{Class = real | y})
 *   g(R, f) = E[−log f(Ỹ)] = E[−R log f]                                     (slide "Reparameterized Loss Functions")
 *   d(R, f) = E[−log f(Y)] + E[−log(1 − f(Ỹ))] = E[−log f] + E[−R log(1 − f)]
 *   best response   f*(R) = argmin_f d(R, f) = 1/(1 + R)                     (slide "Bayes Discriminator")
 *   C(R) = E[(1 + R) log(1 + R)]                                             (slide "GLGD Convergence")
 *
 * Coordinates: R and f are vectors of their values at the n points, and every gradient here is the
 * Euclidean (counting-measure) gradient in those coordinates, e.g. ∂g/∂R_i = −p_r(i) log f_i. This is the
 * convention the seed's projection fixes: P₀ d(y) = d(y) − (E[d(Y)] / E[p_r(Y)]) p_r(y) (slide "Algorithm 2:
 * GLGD") is, on a finite space, v − (⟨p_r, v⟩ / ⟨p_r, p_r⟩) p_r: the Euclidean orthogonal projection onto the
 * tangent space {h : E[h] = Σ p_r h = 0} of the constraint E[R] = 1, whose Euclidean normal is p_r.
 *
 * Positivity: the lecture says the projection onto the valid set "is not an issue in practice" and gives no
 * rule for R > 0. `project` is the exact Euclidean projection onto {E[R] = 1, R ≥ ε} (ε = 1e-12 unless told),
 * computed by sorting the KKT breakpoints. Where no coordinate reaches ε it is the affine projection
 * R − ((E[R] − 1)/E[p_r]) p_r, so from a feasible R, project(R − αv) = R − α P₀ v exactly: the seed's step.
 *
 * Points with p_r(i) = 0 are allowed: p_R(i) = R_i p_r(i) = 0 there whatever R_i is, they enter no loss, and
 * every norm over R (`distanceToOne`) is taken over the support {i : p_r(i) > 0}.
 *
 * The Wasserstein view (slides "Wasserstein Fundamentals", "Wasserstein GAN") needs a metric: the points sit
 * on the line at `points` (default 0, 1, …, n−1; strictly increasing), with |y_i − y_j| as the distance.
 *   W(p_r ‖ p_R) = inf_γ Σ |y_i − y_j| γ_ij = sup_{‖φ‖_L ≤ 1} E[φ(Y)] − E[φ(Ỹ)] = Σ_k Δ_k |F_R(k) − F_r(k)|,
 * Δ_k = y_{k+1} − y_k and F the cumulative distributions; the critic attaining it has slopes
 * (φ_{k+1} − φ_k)/Δ_k = sign(F_R(k) − F_r(k)) and φ_0 = 0.
 *   g_w(R, φ) = E[−φ(Ỹ)] = −E[Rφ],   d_w(R, φ) = E[φ(Ỹ)] − E[φ(Y)] = E[Rφ] − E[φ]
 * (the slide writes the second term E[f(Y_R)]; Y ~ p_r is meant, else d_w ≡ 0), so min_φ d_w(R, φ) = −W.
 *
 * Pure JS (Float64Array): n is small and every operation is O(n) or O(n log n).
 */
import { UsageError } from "../engine/errors.ts";

type Vec = ArrayLike<number>;

export interface Feasibility {
  /** E[R] = Σ p_r(i) R_i. */
  mean: number;
  /** min R_i over the support of p_r. */
  min: number;
  /** |E[R] − 1| ≤ tol and min R > 0. */
  feasible: boolean;
}

export interface LikelihoodRatioGame {
  name: "likelihood-ratio";
  description: string;
  n: number;
  /** The reference distribution p_r. */
  pr: Float64Array;
  /** The points' positions on the line (the metric of the Wasserstein view). */
  points: Float64Array;
  /** Indices i with p_r(i) > 0. */
  support: number[];
  /** E[p_r(Y)] = Σ p_r(i)²: the normaliser of P₀. */
  prSquared: number;

  /** g(R, f) = E[−R log f] (with 0 · log 0 = 0 where R_i = 0). */
  g(R: Vec, f: Vec): number;
  /** d(R, f) = E[−log f] + E[−R log(1 − f)] (0 · log 0 = 0 where R_i = 0). */
  d(R: Vec, f: Vec): number;
  /** ∂g/∂R_i = −p_r(i) log f_i. */
  gradGR(R: Vec, f: Vec): Float64Array;
  /** ∂d/∂f_i = p_r(i) (−1/f_i + R_i/(1 − f_i)); zero exactly at f = 1/(1+R). */
  gradDF(R: Vec, f: Vec): Float64Array;
  /** f*(R) = 1/(1 + R). */
  bestResponse(R: Vec): Float64Array;
  /** g and d at the best response f*(R): E[R log(1+R)] and E[(1+R) log(1+R) − R log R]. */
  lossesAtBest(R: Vec): { g: number; d: number };
  /** C(R) = E[(1 + R) log(1 + R)]. */
  C(R: Vec): number;
  /** ∂C/∂R_i = p_r(i) (log(1 + R_i) + 1). */
  gradC(R: Vec): Float64Array;
  /** p_R = R · p_r. */
  pR(R: Vec): Float64Array;
  /** KL(p_R ‖ p_r) = E[R log R] (the slide "A Useful Relationships" prints E[−R log R]: a sign slip). */
  klGenerated(R: Vec): number;
  /** KL((p_R + p_r)/2 ‖ p_r) = E[((1+R)/2) log((1+R)/2)]. */
  klMixture(R: Vec): number;
  /** JSD(p_R ‖ p_r) = ½ KL(p_R ‖ p̄) + ½ KL(p_r ‖ p̄), p̄ = (p_R + p_r)/2 (natural log). */
  jsd(R: Vec): number;
  /** E[R] and min R on the support; feasible when |E[R] − 1| ≤ tol (default 1e-9) and min R > 0. */
  feasibility(R: Vec, tol?: number): Feasibility;
  /** The seed's P₀: v − (E[v]/E[p_r]) p_r = v − (⟨p_r, v⟩/⟨p_r, p_r⟩) p_r. */
  projectTangent(v: Vec): Float64Array;
  /** Exact Euclidean projection onto {E[R] = 1, R ≥ eps} (eps default 1e-12, must be in [0, 1)). */
  project(R: Vec, eps?: number): Float64Array;
  /** max_{i in support} |R_i − 1|. */
  distanceToOne(R: Vec): number;

  /** W(p_r ‖ p_R) = Σ_k Δ_k |F_R(k) − F_r(k)| (closed form on the line). */
  wasserstein(R: Vec): number;
  /** The primal W: the monotone (north-west corner) coupling's cost Σ |y_i − y_j| γ_ij, optimal on a line. */
  wassersteinCoupling(R: Vec): number;
  /** A 1-Lipschitz critic attaining the sup: φ_0 = 0, slopes sign(F_R(k) − F_r(k)). */
  optimalCritic(R: Vec): Float64Array;
  /** g_w(R, φ) = −E[Rφ]. */
  gw(R: Vec, phi: Vec): number;
  /** d_w(R, φ) = E[Rφ] − E[φ]. */
  dw(R: Vec, phi: Vec): number;
  /** ∂g_w/∂R_i = −p_r(i) φ_i. */
  gradGwR(R: Vec, phi: Vec): Float64Array;
}

export interface LikelihoodRatioOptions {
  /** The reference distribution: non-empty, every entry ≥ 0, summing to 1 within 1e-9. */
  pr: number[];
  /** Positions on the line for the Wasserstein view (default 0, 1, …, n−1); strictly increasing. */
  points?: number[];
}

const SUM_TOL = 1e-9;

function validatePr(pr: unknown): number[] {
  if (!Array.isArray(pr) || pr.length === 0) {
    throw new UsageError(
      `--pr: must be a non-empty list of probabilities (e.g. 0.5,0.3,0.2), got ${JSON.stringify(pr) ?? String(pr)}`,
    );
  }
  pr.forEach((p, i) => {
    if (typeof p !== "number" || !Number.isFinite(p) || p < 0) {
      throw new UsageError(
        `--pr: entry ${i} is '${String(p)}'; every entry must be a finite number ≥ 0 (a probability)`,
      );
    }
  });
  const sum = (pr as number[]).reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > SUM_TOL) {
    throw new UsageError(`--pr: entries sum to ${sum}; a distribution must sum to 1 (within ${SUM_TOL})`);
  }
  return pr as number[];
}

function validatePoints(points: unknown, n: number): number[] {
  if (!Array.isArray(points) || points.length !== n) {
    throw new UsageError(
      `--points: must list one position per point of --pr (${n}), got ${JSON.stringify(points) ?? String(points)}`,
    );
  }
  points.forEach((x, i) => {
    if (typeof x !== "number" || !Number.isFinite(x)) {
      throw new UsageError(`--points: entry ${i} is '${String(x)}'; positions must be finite numbers`);
    }
    if (i > 0 && !(x > (points[i - 1] as number))) {
      throw new UsageError(
        `--points: positions must be strictly increasing, but entry ${i} (${x}) ≤ entry ${i - 1} (${points[i - 1]})`,
      );
    }
  });
  return points as number[];
}

/** x log x with 0 log 0 = 0. */
const xlogx = (x: number): number => (x === 0 ? 0 : x * Math.log(x));

/** Builds the finite likelihood-ratio game; throws a UsageError naming `--pr` (or `--points`) on bad input. */
export function likelihoodRatioGame(options: LikelihoodRatioOptions): LikelihoodRatioGame {
  const prList = validatePr(options?.pr);
  const n = prList.length;
  const pr = Float64Array.from(prList);
  const points = Float64Array.from(
    options.points === undefined ? Array.from({ length: n }, (_, i) => i) : validatePoints(options.points, n),
  );
  const support: number[] = [];
  for (let i = 0; i < n; i++) if (pr[i] > 0) support.push(i);
  let prSquared = 0;
  for (let i = 0; i < n; i++) prSquared += pr[i] * pr[i];

  const check = (v: Vec, what: string): void => {
    if (v.length !== n)
      throw new UsageError(`${what}: must have ${n} entries (one per point), got ${v.length}`);
  };
  /** E[h] = Σ p_r(i) h_i over the support. */
  const E = (h: (i: number) => number): number => {
    let s = 0;
    for (const i of support) s += pr[i] * h(i);
    return s;
  };
  const cdfGap = (R: Vec): Float64Array => {
    // gap[k] = F_R(k) − F_r(k) for k = 0 … n−2
    const gap = new Float64Array(Math.max(0, n - 1));
    let acc = 0;
    for (let k = 0; k < n - 1; k++) {
      acc += pr[k] * R[k] - pr[k];
      gap[k] = acc;
    }
    return gap;
  };

  const game: LikelihoodRatioGame = {
    name: "likelihood-ratio",
    description: `likelihood-ratio game on ${n} points: min_R E[−R log f], min_f E[−log f] + E[−R log(1−f)], E[R] = 1, R > 0`,
    n,
    pr,
    points,
    support,
    prSquared,

    g(R, f) {
      check(R, "R");
      check(f, "f");
      return E((i) => (R[i] === 0 ? 0 : -R[i] * Math.log(f[i])));
    },
    d(R, f) {
      check(R, "R");
      check(f, "f");
      return E((i) => -Math.log(f[i]) + (R[i] === 0 ? 0 : -R[i] * Math.log1p(-f[i])));
    },
    gradGR(R, f) {
      check(R, "R");
      check(f, "f");
      const out = new Float64Array(n);
      for (const i of support) out[i] = -pr[i] * Math.log(f[i]);
      return out;
    },
    gradDF(R, f) {
      check(R, "R");
      check(f, "f");
      const out = new Float64Array(n);
      for (const i of support) out[i] = pr[i] * (-1 / f[i] + R[i] / (1 - f[i]));
      return out;
    },
    bestResponse(R) {
      check(R, "R");
      return Float64Array.from({ length: n }, (_, i) => 1 / (1 + R[i]));
    },
    lossesAtBest(R) {
      check(R, "R");
      // −log f* = log(1+R); −R log(1 − f*) = −R log(R/(1+R)) = R log(1+R) − R log R.
      return {
        g: E((i) => R[i] * Math.log1p(R[i])),
        d: E((i) => (1 + R[i]) * Math.log1p(R[i]) - xlogx(R[i])),
      };
    },
    C(R) {
      check(R, "R");
      return E((i) => (1 + R[i]) * Math.log1p(R[i]));
    },
    gradC(R) {
      check(R, "R");
      const out = new Float64Array(n);
      for (const i of support) out[i] = pr[i] * (Math.log1p(R[i]) + 1);
      return out;
    },
    pR(R) {
      check(R, "R");
      return Float64Array.from({ length: n }, (_, i) => pr[i] * R[i]);
    },
    klGenerated(R) {
      check(R, "R");
      return E((i) => xlogx(R[i]));
    },
    klMixture(R) {
      check(R, "R");
      return E((i) => xlogx((1 + R[i]) / 2));
    },
    jsd(R) {
      check(R, "R");
      // KL(p_R ‖ p̄) = E[R log(2R/(1+R))], KL(p_r ‖ p̄) = E[log(2/(1+R))].
      const a = E((i) => (R[i] === 0 ? 0 : R[i] * Math.log((2 * R[i]) / (1 + R[i]))));
      const b = E((i) => Math.log(2 / (1 + R[i])));
      return 0.5 * a + 0.5 * b;
    },
    feasibility(R, tol = 1e-9) {
      check(R, "R");
      const mean = E((i) => R[i]);
      let min = Infinity;
      for (const i of support) min = Math.min(min, R[i]);
      return { mean, min, feasible: Math.abs(mean - 1) <= tol && min > 0 };
    },
    projectTangent(v) {
      check(v, "v");
      let dot = 0;
      for (let i = 0; i < n; i++) dot += pr[i] * v[i];
      const c = dot / prSquared;
      return Float64Array.from({ length: n }, (_, i) => v[i] - c * pr[i]);
    },
    project(Rt, eps = 1e-12) {
      check(Rt, "R");
      if (!(eps >= 0 && eps < 1)) throw new UsageError(`eps: must be in [0, 1), got ${eps}`);
      // KKT: R_i = max(ε, R̃_i − λ p_i); φ(λ) = Σ p_i R_i(λ) is continuous, non-increasing and piecewise
      // linear, with breakpoint b_i = (R̃_i − ε)/p_i where coordinate i reaches ε. Solve φ(λ) = 1 exactly.
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = Math.max(eps, Rt[i]); // off-support coordinates: only R ≥ ε
      const idx = [...support].sort((a, b) => (Rt[b] - eps) / pr[b] - (Rt[a] - eps) / pr[a]);
      const bp = (i: number) => (Rt[i] - eps) / pr[i];
      // Walk breakpoints from the largest: with the first k coordinates free (b_i > λ) and the rest at ε,
      // φ(λ) = A − λB + ε(1 − P), A = Σ_free p_i R̃_i, B = Σ_free p_i², P = Σ_free p_i.
      let A = 0;
      let B = 0;
      let P = 0;
      let lambda = NaN;
      for (let k = 0; k < idx.length; k++) {
        const i = idx[k];
        A += pr[i] * Rt[i];
        B += pr[i] * pr[i];
        P += pr[i];
        const lam = (A + eps * (1 - P) - 1) / B;
        const next = k + 1 < idx.length ? bp(idx[k + 1]) : -Infinity;
        // valid when next ≤ λ ≤ b_{idx[k]} (coordinates k+1… clipped, 0…k free)
        if (lam >= next) {
          lambda = Math.min(lam, bp(i));
          for (let j = 0; j <= k; j++) out[idx[j]] = Rt[idx[j]] - lambda * pr[idx[j]];
          for (let j = k + 1; j < idx.length; j++) out[idx[j]] = eps;
          break;
        }
      }
      if (Number.isNaN(lambda)) throw new Error("likelihood-ratio projection: no breakpoint interval found");
      return out;
    },
    distanceToOne(R) {
      check(R, "R");
      let m = 0;
      for (const i of support) m = Math.max(m, Math.abs(R[i] - 1));
      return m;
    },

    wasserstein(R) {
      check(R, "R");
      const gap = cdfGap(R);
      let w = 0;
      for (let k = 0; k < n - 1; k++) w += (points[k + 1] - points[k]) * Math.abs(gap[k]);
      return w;
    },
    wassersteinCoupling(R) {
      check(R, "R");
      // North-west corner rule: move p_r's mass to p_R's in order; optimal for |x − y| on a line.
      const a = Float64Array.from(pr);
      const b = game.pR(R);
      let i = 0;
      let j = 0;
      let cost = 0;
      while (i < n && j < n) {
        const m = Math.min(a[i], b[j]);
        cost += m * Math.abs(points[i] - points[j]);
        a[i] -= m;
        b[j] -= m;
        if (a[i] <= b[j]) i++;
        else j++;
      }
      return cost;
    },
    optimalCritic(R) {
      check(R, "R");
      const gap = cdfGap(R);
      const phi = new Float64Array(n);
      for (let k = 0; k < n - 1; k++) phi[k + 1] = phi[k] + (points[k + 1] - points[k]) * Math.sign(gap[k]);
      return phi;
    },
    gw(R, phi) {
      check(R, "R");
      check(phi, "φ");
      return -E((i) => R[i] * phi[i]);
    },
    dw(R, phi) {
      check(R, "R");
      check(phi, "φ");
      return E((i) => R[i] * phi[i] - phi[i]);
    },
    gradGwR(R, phi) {
      check(R, "R");
      check(phi, "φ");
      const out = new Float64Array(n);
      for (const i of support) out[i] = -pr[i] * phi[i];
      return out;
    },
  };
  return game;
}
