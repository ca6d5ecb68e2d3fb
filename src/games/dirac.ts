/**
 * Dirac-GAN (Mescheder, Geiger & Nowozin 2018; Mitliagkas, "Some results on GAN dynamics"): the data is a
 * point mass at 0, the generator is G = θ (one point), the discriminator is linear, D(x) = ψx, and
 *
 *   L(θ, ψ) = f(ψθ) + f(0),  generator minimises, discriminator maximises
 *
 * (Mescheder et al.'s D scores fakes high: f(D(G(z))) + f(−D(x))). The losses are those of the objective
 * modules (src/objectives) on D's logit d(x) = −ψx, so that d is high on the data as they expect:
 * d(real) = 0, d(fake) = −ψθ, and L^(ψ) = L_D(0, −ψθ), L^(θ) = L_G(−ψθ). With f(t) = −softplus(−t):
 *
 * - minimax:         L^(θ) = f(ψθ),     L^(ψ) = −f(ψθ) − f(0)
 * - non-saturating:  L^(θ) = −f(−ψθ),   L^(ψ) = −f(ψθ) − f(0)
 * - wasserstein:     f(t) = t, ψ clipped to |ψ| ≤ c (weight clipping); "wgan" names it too
 * - least-squares: its losses on the same logits.
 *
 * Zero-centred gradient penalty (R1 at the data x = 0): L^(ψ) += (γ/2)‖∇ₓD(0)‖² = (γ/2)ψ². Not offered: an
 * objective whose L_D has a term in ∇ₓD elsewhere (wgan-gp; the game sees D's outputs only), and one with
 * kinks (hinge: at the start (1, 1) its margin is exactly 1, and the field's Jacobian does not exist).
 *
 * At (0, 0) the Jacobian of the gradient flow −v has eigenvalues ±f′(0)i = ±0.5i (pure rotation); the
 * penalty moves them to −γ/2 ± √(γ²/4 − f′(0)²).
 */
import { numpy as np, type Array as JArray } from "@jax-js/jax";
import { z } from "zod";
import { dtypeOf, type DTypeName } from "../engine/device.ts";
import { UsageError } from "../engine/errors.ts";
import type { Params } from "../engine/tree.ts";
import { minimaxObjective } from "../objectives/minimax.ts";
import { nonSaturatingObjective } from "../objectives/non-saturating.ts";
import { findObjective, objectiveFor, objectiveHasParam, objectiveModules } from "../objectives/registry.ts";
import { defineGame, type Game, type Joint, type Player } from "./game.ts";

/**
 * The objectives the Dirac-GAN takes: smooth ones (its analysis differentiates the field) whose losses are
 * functions of D's outputs only.
 */
export const DIRAC_OBJECTIVES = objectiveModules()
  .filter((m) => !m.inputGradient && m.smooth !== false)
  .map((m) => m.name) as unknown as readonly [string, ...string[]];
/** The aliases of those objectives, as "alias = name" (e.g. the Dirac-GAN's own name for wasserstein). */
const ALIASES = objectiveModules()
  .filter((m) => DIRAC_OBJECTIVES.includes(m.name))
  .flatMap((m) => (m.aliases ?? []).map((a) => `${a} = ${m.name}`));
/** An objective name (or an alias) of src/objectives. */
export type DiracObjective = string;

export interface DiracOptions {
  /** One of DIRAC_OBJECTIVES or an alias (default minimax). */
  objective?: DiracObjective;
  /** Zero-centred gradient penalty weight γ ≥ 0 (default 0). */
  gp?: number;
  /** Clipping bound c on ψ of a clipping objective (wasserstein; default 1). */
  clip?: number;
  dtype?: DTypeName;
  /** Starting point [θ0, ψ0] (default [1, 1]). */
  init?: [number, number];
}

/** The clipping bound on ψ by default (the Dirac-GAN's, not the lectures' 0.01 for networks). */
const DIRAC_CLIP = 1;

export function dirac(opts: DiracOptions = {}): Game {
  const name = opts.objective ?? minimaxObjective.name;
  const m = findObjective(name);
  if (m && (m.inputGradient || m.smooth === false)) {
    const why = m.inputGradient ? "needs D's input gradient, which the game does not see" : "is not smooth";
    throw new UsageError(`--objective: '${name}' ${why}; the Dirac-GAN takes ${DIRAC_OBJECTIVES.join(", ")}`);
  }
  const objective = objectiveFor(name, { clip: opts.clip ?? DIRAC_CLIP });
  const gp = opts.gp ?? 0;
  const dtype = opts.dtype ?? "float64";
  const dt = dtypeOf(dtype);
  /** D's logit on the generated point, d(θ) = −ψθ, as a batch [1, 1]; consumes both. */
  const fakeLogit = (th: JArray, psi: JArray): JArray => psi.mul(th).neg().reshape([1, 1]);
  /** D's logit on the data point x = 0: −ψ·0 = 0 (constant in ψ). */
  const realLogit = (): JArray => np.zeros([1, 1], { dtype: dt });
  const lossD = (th: JArray, psi: JArray): JArray => {
    let l = objective.dLoss(realLogit(), fakeLogit(th, psi.ref));
    if (gp > 0) l = l.add(np.sum(psi.ref.mul(psi.ref)).mul(np.full([], gp / 2, { dtype: dt })));
    psi.dispose();
    return l;
  };
  const lossG = (th: JArray, psi: JArray): JArray => objective.gLoss(fakeLogit(th, psi));
  const init = opts.init ?? [1, 1];
  const pen = gp > 0 ? `, gradient penalty γ = ${gp}` : "";
  return {
    name: "dirac",
    description: `Dirac-GAN (data at 0, G = θ, D(x) = ψx), ${objective.name} objective${pen}`,
    players: ["theta", "psi"],
    dtype,
    zeroSum: objective.zeroSum && gp === 0,
    clip: objective.clip !== undefined ? [null, objective.clip] : undefined,
    loss: (i: Player, x: Params, y: Params) =>
      i === 0 ? lossG(x as JArray, y as JArray) : lossD(x as JArray, y as JArray),
    init: (): Joint => [np.array([init[0]], { dtype: dt }), np.array([init[1]], { dtype: dt })],
    equilibrium: (): Joint => [np.zeros([1], { dtype: dt }), np.zeros([1], { dtype: dt })],
  };
}

/** An objective's name for an alias (e.g. "wgan" → wasserstein); other values unchanged. */
const canonical = (v: unknown): unknown => (typeof v === "string" ? (findObjective(v)?.name ?? v) : v);

export const diracGame = defineGame({
  name: "dirac",
  citation: 'Mescheder, Geiger & Nowozin 2018, "Which training methods for GANs do actually converge?"',
  formula: "L(θ, ψ) = f(ψθ) + f(0): data at 0, G = θ, D(x) = ψx",
  dim: 1,
  params: z.object({
    objective: z
      .preprocess(canonical, z.enum(DIRAC_OBJECTIVES))
      .default(minimaxObjective.name)
      .describe(
        `GAN objective, ${DIRAC_OBJECTIVES.join(" | ")}${ALIASES.length > 0 ? ` (${ALIASES.join(", ")})` : ""}`,
      ),
    gp: z.number().min(0).default(0).describe("zero-centred gradient penalty γ ≥ 0"),
    clip: z
      .number()
      .positive()
      .default(DIRAC_CLIP)
      .describe("weight clipping bound c > 0 on ψ (objectives that clip)"),
  }),
  create: ({ params, dtype, init }) => dirac({ ...params, dtype, init: init && [init[0][0], init[1][0]] }),
  lab: [
    { param: "objective", label: "objective", start: nonSaturatingObjective.name },
    { param: "gp", label: "gradient penalty γ", slider: { min: 0, max: 2, step: 0.01 } },
    {
      param: "clip",
      label: "WGAN clip c",
      slider: { min: 0.05, max: 3, step: 0.05 },
      visible: (p) => objectiveHasParam(p.objective, "clip"),
    },
  ],
});
