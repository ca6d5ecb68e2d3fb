/**
 * The game's vector field, v(θ, φ) = [∇_θ L^(θ)(θ, φ); ∇_φ L^(φ)(θ, φ)] (Mitliagkas, "Some results on GAN
 * dynamics": "Game dynamics", a non-conservative field). Every method is built from it.
 * Each player's gradient is taken of a closure over the other player, so an outer `jvp` (the Jacobian)
 * differentiates through both (the mixed blocks ∂v_θ/∂φ; docs/jax-js-patch.md §3 fixed the positional form).
 */
import { grad, type Array as JArray } from "@jax-js/jax";
import { dispose, ref, type Params } from "../engine/tree.ts";
import type { Game, Joint } from "./game.ts";

/**
 * Returns v(x, y) as a Joint; the returned function consumes x, y and key. With a key (stochastic games)
 * both players' gradients use the same minibatch, so v is one sample of the field at ω.
 */
export function vectorField(game: Game): (x: Params, y: Params, key?: JArray) => Joint {
  return (x, y, key) => {
    const gx = grad((xx: Params) => game.loss(0, xx, ref(y), key?.ref))(ref(x)) as Params;
    const gy = grad((yy: Params) => game.loss(1, ref(x), yy, key))(y) as Params;
    dispose(x);
    return [gx, gy];
  };
}

/** Gradient of player i's own loss only; consumes x, y and key. */
export function playerGradient(game: Game, i: 0 | 1): (x: Params, y: Params, key?: JArray) => Params {
  return (x, y, key) => {
    if (i === 0) {
      const g = grad((xx: Params) => game.loss(0, xx, ref(y), key))(x) as Params;
      dispose(y);
      return g;
    }
    const g = grad((yy: Params) => game.loss(1, ref(x), yy, key))(y) as Params;
    dispose(x);
    return g;
  };
}
