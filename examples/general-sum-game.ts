/**
 * A general-sum quadratic game, written as a user would: each player has its own loss matrix, and
 * constants are plain JS numbers (`.div(2)`, `.mul(0.5)`) in float64. With dθ = θ − θ*, dφ = φ − φ*,
 *
 *   L^(θ)(θ, φ) = ½ dθᵀA dθ + dθᵀB dφ + 0.3‖dφ‖²
 *   L^(φ)(θ, φ) = ½ dφᵀD dφ + 0.5 dφᵀC dθ − 0.25‖dθ‖²       (C/2 is φ's coupling: C ≠ −Bᵀ, not zero-sum)
 *
 * so v = [A dθ + B dφ; D dφ + ½C dθ], the Jacobian is J = [[A, B], [½C, D]] everywhere, ω* = (θ*, φ*)
 * and each method's predicted rate at η is a function of Sp(J) (1 − ηλ for simultaneous GDA,
 * 1 − ηλ + η²λ² for extragradient, 1/(1 + ηλ) for the proximal point).
 *
 *   npx saddle analyze --game ./examples/general-sum-game.ts --lr 0.2
 *   npx saddle dynamics --game ./examples/general-sum-game.ts --method extragradient --lr 0.2 --steps 300
 */
import { numpy as np, type Array as JArray } from "@jax-js/jax";
import type { Game } from "../src/games/game.ts";

export const A = [
  [2, 0.5],
  [0.5, 1],
];
export const B = [
  [1, 0],
  [0.5, -1],
];
export const C = [
  [-1, 0.6],
  [0.4, 1.6],
];
export const D = [
  [1.5, -0.2],
  [-0.2, 0.7],
];
export const THETA_STAR = [1, -1];
export const PHI_STAR = [0.5, 2];

const f64 = { dtype: np.float64 };
const mat = (m: number[][]): JArray => np.array(m, f64);
/** xᵀMy for vectors x, y (consumes both). */
const bilinearForm = (x: JArray, m: number[][], y: JArray): JArray => np.sum(x.mul(np.dot(mat(m), y)));

const game: Game = {
  name: "general-sum-quadratic",
  description: "½dθᵀAdθ + dθᵀBdφ + 0.3‖dφ‖² vs ½dφᵀDdφ + ½dφᵀCdθ − ¼‖dθ‖², θ, φ ∈ R²",
  players: ["theta", "phi"],
  dtype: "float64",
  zeroSum: false,
  loss: (i, x, y) => {
    const dTheta = (x as JArray).sub(np.array(THETA_STAR, f64));
    const dPhi = (y as JArray).sub(np.array(PHI_STAR, f64));
    if (i === 0) {
      return bilinearForm(dTheta.ref, A, dTheta.ref)
        .div(2)
        .add(bilinearForm(dTheta, B, dPhi.ref))
        .add(np.sum(dPhi.ref.mul(dPhi)).mul(0.3));
    }
    return bilinearForm(dPhi.ref, D, dPhi.ref)
      .mul(0.5)
      .add(bilinearForm(dPhi, C, dTheta.ref).mul(0.5))
      .sub(np.sum(dTheta.ref.mul(dTheta)).div(4));
  },
  init: () => [np.array([0, 0], f64), np.array([0, 0], f64)],
  equilibrium: () => [np.array(THETA_STAR, f64), np.array(PHI_STAR, f64)],
};

export default game;
