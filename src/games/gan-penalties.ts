/**
 * The penalties a GAN adds to the discriminator's loss (src/games/gan.ts), each off when its weight is 0:
 *
 *   L_D += (γ₁/2) E‖∇ₓD(x)‖²          R1 on real data (Mescheder et al. 2018, src/objectives/penalties.ts)
 *        + (γ₂/2) E‖∇ₓD(G(z))‖²       R2 on generated samples
 *        + λ E(‖∇ₓD(x̂)‖ − 1)²         gradient penalty, x̂ = εx + (1 − ε)G(z) (src/objectives/wgan-gp.ts)
 *
 * One function applies them, for the single game and the replicated one alike.
 */
import type { Array as JArray } from "@jax-js/jax";
import { UsageError } from "../engine/errors.ts";
import { r1Penalty, r2Penalty, type Critic } from "../objectives/penalties.ts";
import { gradientPenalty, interpolate } from "../objectives/wgan-gp.ts";

/** Penalties added to L_D; each is off when absent or 0. */
export interface GanPenalties {
  /** R1 weight γ: (γ/2)E‖∇ₓD(x)‖² on real data (Mescheder et al. 2018). */
  r1?: number;
  /** R2 weight γ: (γ/2)E‖∇ₓD(G(z))‖² on generated samples. */
  r2?: number;
  /** Gradient-penalty weight λ of λE(‖∇ₓD(x̂)‖ − 1)²: the objective's own λ (WGAN-GP), or added to any other objective. */
  gpLambda?: number;
}

function nonNegative(flag: string, v: number | undefined): number {
  const x = v ?? 0;
  if (!Number.isFinite(x) || x < 0) throw new UsageError(`--${flag}: must be a number ≥ 0, got '${v}'`);
  return x;
}

/** The weights of `p` with absent ones 0; a negative or non-finite weight is a UsageError naming its flag. */
export function checkPenalties(p: GanPenalties | undefined): Required<GanPenalties> {
  return {
    r1: nonNegative("r1", p?.r1),
    r2: nonNegative("r2", p?.r2),
    gpLambda: nonNegative("gp-lambda", p?.gpLambda),
  };
}

/**
 * l + the penalties in effect, on D's `critic`, real samples, generated samples and ε (the gradient penalty's
 * weights, present iff it is on); consumes l and e, borrows real and fake.
 */
export function addPenalties(
  l: JArray,
  p: Required<GanPenalties>,
  critic: Critic,
  real: JArray,
  fake: JArray,
  e: JArray | undefined,
): JArray {
  if (p.r1 > 0) l = l.add(r1Penalty(critic, real.ref, p.r1));
  if (p.r2 > 0) l = l.add(r2Penalty(critic, fake.ref, p.r2));
  if (e) l = l.add(gradientPenalty(critic, interpolate(real.ref, fake.ref, e), p.gpLambda));
  return l;
}

/** "R1 γ = …, R2 γ = …, GP λ = …" for the penalties in effect (an objective that owns a GP λ states it itself). */
export function penaltyText(p: Required<GanPenalties>, objectiveOwnsGp: boolean): string {
  const pens = [p.r1 > 0 ? `R1 γ = ${p.r1}` : "", p.r2 > 0 ? `R2 γ = ${p.r2}` : ""];
  if (p.gpLambda > 0 && !objectiveOwnsGp) pens.push(`GP λ = ${p.gpLambda}`);
  return pens.filter(Boolean).join(", ");
}
