/**
 * A custom quadratic game in one parameter per player, chosen by its Jacobian (the web lab's "build your
 * own" game: put the eigenvalues of ∇v anywhere and watch each method react):
 *
 *   L^(θ)(θ, φ) = ½aθ² + bθφ,   L^(φ)(θ, φ) = ½dφ² + cθφ,
 *
 * so v(ω) = (aθ + bφ, cθ + dφ) = Jω with J = [[a, b], [c, d]], and ω* = 0 is its stationary point. With
 * c = −b it is the zero-sum game ½aθ² + bθφ − ½dφ² (b = 1, a = d = 0: the bilinear θφ); otherwise it is
 * general-sum. The eigenvalues of J are ((a + d) ± √((a − d)² + 4bc))/2: complex (rotation) when bc < −(a − d)²/4.
 */
import { numpy as np, type Array as JArray } from "@jax-js/jax";
import { z } from "zod";
import { dtypeOf, type DTypeName } from "../engine/device.ts";
import type { Params } from "../engine/tree.ts";
import { defineGame, type Game, type GameControl, type Joint, type Player } from "./game.ts";

export interface QuadraticOptions {
  /** J = [[a, b], [c, d]] (default [[0, 1], [−1, 0]], the bilinear θφ). */
  a?: number;
  b?: number;
  c?: number;
  d?: number;
  dtype?: DTypeName;
  /** Starting point [θ0, φ0] (default [1, 1]). */
  init?: [number, number];
}

export function quadratic(opts: QuadraticOptions = {}): Game & { jacobian: number[][] } {
  const { a = 0, b = 1, c = -1, d = 0 } = opts;
  const dtype = opts.dtype ?? "float64";
  const dt = dtypeOf(dtype);
  // Coefficients as typed scalars of the game's dtype.
  const k = (x: number): JArray => np.full([], x, { dtype: dt });
  /** ½s·own² + t·own·other; consumes own and other. */
  const loss = (own: JArray, other: JArray, s: number, t: number): JArray =>
    np.sum(own.ref.mul(own.ref).mul(k(s / 2))).add(np.sum(own.mul(other).mul(k(t))));
  const init = opts.init ?? [1, 1];
  return {
    name: "quadratic",
    description: `quadratic game L^(θ) = ½(${a})θ² + (${b})θφ, L^(φ) = ½(${d})φ² + (${c})θφ; ∇v = [[${a}, ${b}], [${c}, ${d}]]`,
    players: ["theta", "phi"],
    dtype,
    zeroSum: c === -b,
    jacobian: [
      [a, b],
      [c, d],
    ],
    loss: (i: Player, x: Params, y: Params) =>
      i === 0 ? loss(x as JArray, y as JArray, a, b) : loss(y as JArray, x as JArray, d, c),
    init: (): Joint => [np.array([init[0]], { dtype: dt }), np.array([init[1]], { dtype: dt })],
    equilibrium: (): Joint => [np.zeros([1], { dtype: dt }), np.zeros([1], { dtype: dt })],
  };
}

const entry = (d: number, where: string) => z.number().default(d).describe(`∇v = [[a, b], [c, d]]: ${where}`);
const jSlider = (k: "a" | "b" | "c" | "d"): GameControl<Record<typeof k, number>> => ({
  param: k,
  label: `J ${k}`,
  slider: { min: -3, max: 3, step: 0.05 },
});

export const quadraticGame = defineGame({
  name: "quadratic",
  citation: "saddle's lab: a game chosen by its Jacobian",
  formula: "L^(θ) = ½aθ² + bθφ, L^(φ) = ½dφ² + cθφ: v(ω) = Jω with J = [[a, b], [c, d]]",
  dim: 1,
  linear: true,
  params: z.object({
    a: entry(0, "a, θ's own curvature"),
    b: entry(1, "b, θ's coupling to φ"),
    c: entry(-1, "c, φ's coupling to θ"),
    d: entry(0, "d, φ's own curvature"),
  }),
  create: ({ params, dtype, init }) =>
    quadratic({ ...params, dtype, init: init && [init[0][0], init[1][0]] }),
  lab: [jSlider("a"), jSlider("b"), jSlider("c"), jSlider("d")],
});
