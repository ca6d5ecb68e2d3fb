/**
 * Builds a runnable Method from its MethodSpec (src/methods/spec.ts). Each player's base update is
 *
 *   optimizer(η_i)  [→ heavyBall(β) when β ≠ 0]  [→ linearDecay when lrDecay > 0]  [→ clip(c_i) when the
 *   game boxes player i]
 *
 * (src/optim/transform.ts), so momentum, Adam and WGAN clipping compose with every explicit method of
 * Gidel's lecture 13 and Mitliagkas's "Some results on GAN dynamics".
 */
import { UsageError } from "../engine/errors.ts";
import type { Game, Player } from "../games/game.ts";
import {
  adam,
  chain,
  clip,
  heavyBall,
  linearDecay,
  rmsprop,
  sgd,
  type Transform,
} from "../optim/transform.ts";
import { alternating } from "./alternating.ts";
import { bestResponse } from "./best-response.ts";
import { consensus } from "./consensus.ts";
import { extragradient } from "./extragradient.ts";
import { gradNorm } from "./grad-norm.ts";
import type { BaseUpdates, Method, MethodContext } from "./method.ts";
import { optimistic } from "./optimistic.ts";
import { proximalPoint } from "./proximal-point.ts";
import { simultaneous } from "./simultaneous.ts";
import { unrolled } from "./unrolled.ts";
import {
  METHOD_DEFAULTS,
  METHOD_NAMES,
  methodParams,
  OPTIMIZERS,
  type MethodSpec,
  type OptimizerName,
  updatesPerRound,
} from "./spec.ts";

function optimizer(name: OptimizerName, lr: number, betas?: [number, number]): Transform {
  switch (name) {
    case "sgd":
      return sgd(lr);
    case "adam":
      return betas ? adam(lr, betas[0], betas[1]) : adam(lr);
    case "rmsprop":
      return betas ? rmsprop(lr, betas[1]) : rmsprop(lr);
    default:
      throw new UsageError(
        `--optimizer: unknown optimizer '${String(name)}'; allowed: ${OPTIMIZERS.join(", ")}`,
      );
  }
}

/** Player i's base update from the spec. */
export function baseUpdate(game: Game, spec: MethodSpec, i: Player): Transform {
  const params = methodParams(spec);
  const parts = [optimizer(params.optimizer[i], spec.lr[i], spec.betas)];
  const beta = params.momentum;
  if (beta !== 0) parts.push(heavyBall(beta));
  if (spec.lrDecay) {
    const total = spec.lrDecay.rounds * updatesPerRound(spec, i);
    parts.push(linearDecay(total, Math.round(total * (1 - spec.lrDecay.fraction))));
  }
  const c = game.clip?.[i];
  if (typeof c === "number") parts.push(clip(c));
  return parts.length === 1 ? parts[0] : chain(...parts);
}

/** Both players' base updates, [θ, φ]. */
export function baseUpdates(game: Game, spec: MethodSpec): BaseUpdates {
  return [baseUpdate(game, spec, 0), baseUpdate(game, spec, 1)];
}

export function createMethod(game: Game, spec: MethodSpec): Method {
  if (spec.name === "proximal-point") return proximalPoint(game, spec);
  if (!(METHOD_NAMES as readonly string[]).includes(spec.name)) {
    throw new UsageError(
      `--method: unknown method '${String(spec.name)}'; allowed: ${METHOD_NAMES.join(", ")}`,
    );
  }
  const ctx: MethodContext = { game, base: baseUpdates(game, spec) };
  const p = methodParams(spec);
  switch (spec.name) {
    case "simultaneous":
      return simultaneous(ctx);
    case "alternating":
      return alternating(ctx, { steps: p.steps, first: p.first, reuseFake: p.reuseFake });
    case "extragradient":
      return extragradient(ctx);
    case "optimistic":
      return optimistic(ctx);
    case "consensus":
      return consensus(ctx, p.gamma);
    case "grad-norm":
      return gradNorm(ctx);
    case "best-response":
      return bestResponse(ctx, { steps: p.steps });
    case "unrolled":
      return unrolled(ctx, { unroll: p.unroll, lrD: spec.lr[1] });
  }
}

/** 1e-10, 1e-5 (not 0.00001). */
const exp = (x: number): string => x.toExponential();

const FORMULAS: Record<MethodSpec["name"], (spec: MethodSpec) => string> = {
  simultaneous: () => "ω′ = ω − ηv(ω)",
  alternating: (s) => {
    const {
      steps: [k0, k1],
      first,
    } = methodParams(s);
    const who = ["θ", "φ"];
    const k = [k0, k1];
    const other = first === 0 ? 1 : 0;
    const reuse = s.reuseFake ? ` (θ's step reuses φ's last draw)` : "";
    return `${k[first]}× ${who[first]} −= η∇L, then ${k[other]}× ${who[other]} −= η∇L at the updated point${reuse}`;
  },
  extragradient: () => "ω½ = ω − ηv(ω), ω′ = ω − ηv(ω½)",
  optimistic: () => "ω′ = ω − 2ηv(ω) + ηv(ω₋)",
  "proximal-point": (s) => {
    const tol =
      s.tol === undefined
        ? `${exp(METHOD_DEFAULTS.tol.float64)}/${exp(METHOD_DEFAULTS.tol.float32)}`
        : exp(s.tol);
    return `ω′ = ω − ηv(ω′) (Newton until ‖ω′ − ω + ηv(ω′)‖ ≤ tol·‖ω′ − ω‖, tol ${tol}, ≤ ${methodParams(s).maxInner} iterations)`;
  },
  consensus: (s) => `ω′ = ω − η(v + γ∇vᵀv)(ω), γ = ${methodParams(s).gamma}`,
  "grad-norm": () => "ω′ = ω − η∇vᵀv(ω) (descent on ½‖v‖²)",
  "best-response": (s) => {
    const [kG, kD] = methodParams(s).steps;
    return `${kD}× φ −= η∇_φL^(φ)(θ, φ) (or φ = φ*(θ), the game's exact best response), then ${kG}× θ −= η∇_θL^(θ)(θ, φ)`;
  },
  unrolled: (s) =>
    `θ′ = θ − η d/dθ L^(θ)(θ, φ_k(θ)) through k = ${methodParams(s).unroll} SGD steps φ_{j+1} = φ_j − η_φ∇_φL^(φ)(θ, φ_j), then φ′ = φ − η∇_φL^(φ)(θ′, φ)`,
};

/** One line naming the method, its update formula and its hyper-parameters (for CLI output). */
export function describeMethod(spec: MethodSpec): string {
  const formula = FORMULAS[spec.name]?.(spec) ?? "?";
  const opt = methodParams(spec).optimizer;
  const optText = opt[0] === opt[1] ? opt[0] : `${opt[0]}/${opt[1]}`;
  const beta = spec.momentum ? `, momentum β = ${spec.momentum}` : "";
  return `${spec.name}: ${formula}; η = [${spec.lr.join(", ")}], ${optText}${beta}`;
}
