/**
 * What kind of point ω = (θ, φ) is, for the game's local analysis.
 *
 * Stationary: v(ω) = [∇_θ L^(θ); ∇_φ L^(φ)] = 0. Local Nash (Gidel, lecture 13; Mitliagkas, "Some results on
 * GAN dynamics": θ* ∈ argmin_θ L^(θ)(θ, φ*), φ* ∈ argmin_φ L^(φ)(θ*, φ)), second-order test on each player's
 * own Hessian, the diagonal blocks of J = ∇v(ω):
 *   strict local Nash            v = 0, ∇²_θθ L^(θ) ≻ 0 and ∇²_φφ L^(φ) ≻ 0;
 *   degenerate candidate         v = 0, both ⪰ 0, one singular (second-order test inconclusive);
 *   not a local Nash             a player's Hessian has a negative eigenvalue (that player can improve).
 * Local stability of simultaneous gradient dynamics ω − ηv for small η: every Re λ(J) > 0, since
 * λ(∇F_η) = 1 − ηλ(J) (Mitliagkas). Mescheder's gradient-flow eigenvalues are those of −J.
 */
import type { Game, Joint } from "../games/game.ts";
import * as Jt from "../engine/joint.ts";
import { fieldAt, jacobian, type Matrix } from "./jacobian.ts";
import { eigenvalues, negate, sortByRealPart, symmetricEigenvalues, type Complex } from "./spectrum.ts";

export type PointKind =
  | "strict-local-nash"
  | "degenerate-nash-candidate"
  | "not-local-nash"
  | "not-stationary";

export interface PointClassification {
  kind: PointKind;
  /** One line, e.g. "strict local Nash" or "not a local Nash: player theta's Hessian has a negative eigenvalue -1". */
  verdict: string;
  /** ‖v(ω)‖₂ and the tolerance it was compared with. */
  fieldNorm: number;
  stationary: boolean;
  /** [n_θ, n_φ]. */
  sizes: [number, number];
  players: [string, string];
  /** Each player's own Hessian, ∇²_θθ L^(θ) and ∇²_φφ L^(φ) (the diagonal blocks of ∇v). */
  hessians: [Matrix, Matrix];
  /** Smallest eigenvalue of the symmetric part of each player's Hessian. */
  minHessianEigenvalues: [number, number];
  /** ∇v(ω), rows/columns θ then φ. */
  jacobian: Matrix;
  /** Eigenvalues of ∇v (descent convention), sorted by decreasing real part. */
  jacobianEigenvalues: Complex[];
  /** Eigenvalues of −∇v (Mescheder's gradient-flow convention). */
  flowEigenvalues: Complex[];
  /** All Re λ(∇v) > 0: simultaneous gradient descent with small η converges locally. */
  locallyStable: boolean;
  reasons: string[];
}

export interface ClassifyOptions {
  /** ‖v‖ at or below this counts as stationary (default 1e-8). */
  tol?: number;
  /** Eigenvalues within this of 0 count as 0 (default 1e-9). */
  eigTol?: number;
}

/** The block of m with rows and columns in [a, b). */
const block = (m: Matrix, a: number, b: number): Matrix => m.slice(a, b).map((row) => row.slice(a, b));

const fmt = (x: number): string => String(Number(x.toPrecision(6)));

/** Classify ω; borrows w. */
export function classifyPoint(game: Game, w: Joint, opts: ClassifyOptions = {}): PointClassification {
  const tol = opts.tol ?? 1e-8;
  const eigTol = opts.eigTol ?? 1e-9;
  const sizes = Jt.layoutOf(w).sizes;
  const players: [string, string] = [game.players[0], game.players[1]];
  const v = fieldAt(game, w);
  const fieldNorm = Math.hypot(...v);
  const stationary = fieldNorm <= tol;
  const J = jacobian(game, w);
  const n = sizes[0] + sizes[1];
  const hessians: [Matrix, Matrix] = [block(J, 0, sizes[0]), block(J, sizes[0], n)];
  const minEig = (h: Matrix): number => (h.length === 0 ? Infinity : symmetricEigenvalues(h)[0]);
  const minHessianEigenvalues: [number, number] = [minEig(hessians[0]), minEig(hessians[1])];
  const jEig = sortByRealPart(eigenvalues(J));
  const locallyStable = jEig.every((z) => z.re > eigTol);
  const reasons: string[] = [];

  reasons.push(
    stationary
      ? `stationary: ‖v(ω)‖ = ${fmt(fieldNorm)} ≤ ${tol}`
      : `not stationary: ‖v(ω)‖ = ${fmt(fieldNorm)} > ${tol}, so no player is at a critical point of its own loss`,
  );
  players.forEach((p, i) => {
    reasons.push(
      `player ${p}'s own Hessian ∇²L^(${p}) has smallest eigenvalue ${fmt(minHessianEigenvalues[i])}`,
    );
  });

  const negative = [0, 1].filter((i) => minHessianEigenvalues[i] < -eigTol);
  const positive = [0, 1].filter((i) => minHessianEigenvalues[i] > eigTol);
  let kind: PointKind;
  let verdict: string;
  if (!stationary) {
    kind = "not-stationary";
    verdict = `not stationary (‖v‖ = ${fmt(fieldNorm)})`;
  } else if (negative.length > 0) {
    const i = negative[0];
    kind = "not-local-nash";
    verdict = `not a local Nash: player ${players[i]}'s Hessian has a negative eigenvalue ${fmt(minHessianEigenvalues[i])}`;
    for (const k of negative) {
      reasons.push(
        `player ${players[k]} can lower its own loss by moving along a negative-curvature direction`,
      );
    }
  } else if (positive.length === 2) {
    kind = "strict-local-nash";
    verdict = "strict local Nash";
    reasons.push(
      "both players' Hessians are positive definite: each is at a strict local minimum of its own loss",
    );
  } else {
    kind = "degenerate-nash-candidate";
    verdict = "local Nash candidate (degenerate)";
    const singular = [0, 1].filter((i) => !positive.includes(i)).map((i) => players[i]);
    reasons.push(
      `both Hessians are positive semi-definite but ${singular.join(" and ")}'s is singular: the second-order test is inconclusive`,
    );
    if (game.zeroSum) {
      reasons.push(
        "for a convex-concave zero-sum game such as θ·φ, a stationary point is still a Nash equilibrium " +
          "(each player's loss is convex in its own variable, so first-order stationarity suffices)",
      );
    }
  }

  if (locallyStable) {
    reasons.push("locally stable for simultaneous gradient descent with small η: every Re λ(∇v) > 0");
  } else {
    const minRe = jEig.length > 0 ? jEig[jEig.length - 1].re : NaN;
    reasons.push(`not locally stable for simultaneous gradient descent: min Re λ(∇v) = ${fmt(minRe)} ≤ 0`);
    if (jEig.some((z) => Math.abs(z.re) <= eigTol && Math.abs(z.im) > eigTol)) {
      reasons.push("∇v has purely imaginary eigenvalues: rotation, |1 − ηλ| = √(1 + η²|λ|²) > 1 for every η");
    }
  }

  return {
    kind,
    verdict,
    fieldNorm,
    stationary,
    sizes,
    players,
    hessians,
    minHessianEigenvalues,
    jacobian: J,
    jacobianEigenvalues: jEig,
    flowEigenvalues: negate(jEig),
    locallyStable,
    reasons,
  };
}
