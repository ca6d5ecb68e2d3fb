/**
 * Path-angle (Berard et al., "A closer look at the optimization landscapes of GANs", ICLR 2020, §4.1): along
 * the straight line through two points ω_A (an earlier checkpoint) and ω_B (a later one),
 *
 *   ω_α = (1 − α) ω_A + α ω_B,   α ∈ [−0.1, 1.1],
 *
 * the cosine between the game's vector field and the path,
 *
 *   cos(α) = ⟨v(ω_α), ω_A − ω_B⟩ / (‖v(ω_α)‖ ‖ω_A − ω_B‖),
 *
 * with the direction ω_A − ω_B of the authors' code (facebookresearch/GAN-optimization-landscape,
 * `compute_path_stats`). For a minimisation whose minimum is ω_B, cos > 0 before α = 1 and < 0 after: one sign
 * change (attraction). A rotation around ω_B keeps cos near 0 except for a bump near α = 1 (the field turns
 * around the point); both together, the GAN picture, give the bump and the sign change. Each point also gives
 * the projection ⟨v, ω_A − ω_B⟩/‖ω_A − ω_B‖, ‖v‖ and both players' losses, all on one fixed batch.
 */
import * as J from "../engine/joint.ts";
import * as T from "../engine/tree.ts";
import type { Game, Joint } from "../games/game.ts";
import type { Array as JArray } from "@jax-js/jax";
import { fieldEvaluator } from "./point-operators.ts";

export interface PathPoint {
  alpha: number;
  /** cos ∠(v(ω_α), ω_A − ω_B). */
  cos: number;
  /** ⟨v(ω_α), ω_A − ω_B⟩ / ‖ω_A − ω_B‖. */
  projection: number;
  /** ‖v(ω_α)‖ and its two blocks [‖∇_θL^(θ)‖, ‖∇_φL^(φ)‖]. */
  fieldNorm: number;
  fieldNorms: [number, number];
  /** [L^(θ)(ω_α), L^(φ)(ω_α)]. */
  losses: [number, number];
}

export interface PathAngleOptions {
  /** Number of α values (default 100). */
  points?: number;
  /** The α range (default [−0.1, 1.1]). */
  from?: number;
  to?: number;
  /** The fixed batch of a stochastic game (consumed). */
  key?: JArray;
}

/** The α grid: `points` evenly spaced values from `from` to `to` (numpy's linspace). */
export function linspace(from: number, to: number, points: number): number[] {
  if (points === 1) return [from];
  const snap = 1e-12 * (Math.abs(from) + Math.abs(to));
  return Array.from({ length: points }, (_, i) => {
    const x = from + ((to - from) * i) / (points - 1);
    return Math.abs(x) < snap ? 0 : x;
  });
}

/** Path-angle statistics between wA and wB (both borrowed; same layout). */
export async function pathAngle(
  game: Game,
  wA: Joint,
  wB: Joint,
  opts: PathAngleOptions = {},
): Promise<PathPoint[]> {
  const layout = J.layoutOf(wA);
  const a = J.toFloat64(T.ref(wA));
  const b = J.toFloat64(T.ref(wB));
  if (a.length !== b.length)
    throw new Error(`pathAngle: the two points have ${a.length} and ${b.length} parameters`);
  const d = a.map((x, i) => x - b[i]);
  const dn = Math.sqrt(d.reduce((s, x) => s + x * x, 0));
  const n0 = layout.sizes[0];
  const evaluator = fieldEvaluator(game, layout, game.stochastic ? opts.key : undefined);
  if (!game.stochastic) opts.key?.dispose();
  const out: PathPoint[] = [];
  try {
    for (const alpha of linspace(opts.from ?? -0.1, opts.to ?? 1.1, opts.points ?? 100)) {
      const x = a.map((ai, i) => (1 - alpha) * ai + alpha * b[i]);
      const { v, losses } = await evaluator.at(x);
      let vd = 0;
      let g0 = 0;
      let g1 = 0;
      for (let i = 0; i < v.length; i++) {
        vd += v[i] * d[i];
        if (i < n0) g0 += v[i] * v[i];
        else g1 += v[i] * v[i];
      }
      const vn = Math.sqrt(g0 + g1);
      out.push({
        alpha,
        cos: vn === 0 || dn === 0 ? 0 : vd / (vn * dn),
        projection: dn === 0 ? 0 : vd / dn,
        fieldNorm: vn,
        fieldNorms: [Math.sqrt(g0), Math.sqrt(g1)],
        losses,
      });
    }
  } finally {
    evaluator.dispose();
  }
  return out;
}
