/**
 * One player's own descent against a fixed opponent: K steps of player i's update on ∇_i L^(i)(x, y) with the
 * other player's parameters held fixed. A (local) Nash equilibrium θ* ∈ argmin_θ L^(θ)(θ, φ*) admits no such
 * improvement (Farnia & Ozdaglar, seed slide "Realizability in Standard GANs": "Fix the trained D and keep
 * optimizing G"); the run-level experiment around it is src/workflows/nash-gap.ts.
 */
import { jit, random, type Array as JArray } from "@jax-js/jax";
import { keyFor } from "../engine/rng.ts";
import * as T from "../engine/tree.ts";
import type { Game, Joint, Player } from "../games/game.ts";
import { playerGradient } from "../games/vector-field.ts";
import type { State, Transform } from "../optim/transform.ts";

/**
 * K steps of player i's base update with the other fixed; consumes w, returns the new point. The step is
 * jitted, and a scalar is read back every step (jax-js arrays are lazy: unread steps pile up work and memory).
 */
export function optimizePlayer(
  game: Game,
  i: Player,
  w: Joint,
  steps: number,
  update: Transform,
  seed: number,
): Joint {
  const g = playerGradient(game, i);
  const step = jit((pts: Joint, st: State, key: JArray) => {
    const grd = g(T.ref(pts[0]), T.ref(pts[1]), key);
    const [u, s2] = update.update(grd, st, pts[i]);
    const moved = T.add(pts[i], u);
    const out: Joint = i === 0 ? [moved, pts[1]] : [pts[0], moved];
    return [out, s2];
  });
  let pts: Joint = [w[0], w[1]];
  let st: State = update.init(pts[i]);
  let noise = keyFor(seed + 7919 * (i + 1), "noise");
  for (let t = 0; t < steps; t++) {
    const ks = random.split(noise, 2);
    noise = ks.ref.slice(0);
    [pts, st] = step(pts, st, ks.slice(1)) as [Joint, State];
    T.sqNorm(T.ref(pts[i])).dataSync();
  }
  step.dispose();
  noise.dispose();
  T.dispose(st);
  return pts;
}
