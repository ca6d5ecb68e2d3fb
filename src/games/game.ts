/**
 * A two-player differentiable game: each player i has a parameter pytree and a loss L_i(x, y) it minimises
 * (general-sum; zero-sum is the case L_1 = −L_0). Player 0 is the "min" player θ (the generator in a GAN),
 * player 1 the "max" player φ (the discriminator), whose loss in a zero-sum game is −L.
 *
 * Nash equilibrium (Mitliagkas, "Some results on GAN dynamics"):
 *   θ* ∈ argmin_θ L^(θ)(θ, φ*),  φ* ∈ argmin_φ L^(φ)(θ*, φ).
 */
import type { Array as JArray } from "@jax-js/jax";
import type { z } from "zod";
import type { DTypeName } from "../engine/device.ts";
import type { Joint } from "../engine/joint.ts";
import type { Params } from "../engine/tree.ts";

export type { Joint };
export type Player = 0 | 1;

/** What `Game.sharedDraw` returns: player 1's gradient now, player 0's once player 1 has moved. */
export interface SharedDraw {
  /** ∇_y L^(y)(x, y) on the draw. */
  grad1: Params;
  /** ∇_x L^(x)(x, y₂) on the same draw, at player 1's next parameters y₂ (consumed); call it once. */
  grad0(y2: Params): Params;
}

export interface Game {
  /** Registry name, e.g. "bilinear". */
  readonly name: string;
  /** One line for humans, with the formula. */
  readonly description: string;
  /** Display names of the two players, e.g. ["theta", "phi"]. */
  readonly players: readonly [string, string];
  readonly dtype: DTypeName;
  readonly zeroSum: boolean;
  /**
   * Player i's loss (a scalar array); consumes x, y and key. `key` draws the minibatch and noise of a
   * stochastic game (a GAN); deterministic games receive none.
   */
  loss(i: Player, x: Params, y: Params, key?: JArray): JArray;
  /** True when `loss` needs a key (minibatches, latent noise): methods then pass one per evaluation. */
  readonly stochastic?: boolean;
  /** The starting point (fresh arrays). */
  init(): Joint;
  /** A known stationary point ω* (fresh arrays), used for distances and local analysis. */
  equilibrium?(): Joint;
  /**
   * Feasible box of each player, |w| ≤ c (WGAN weight clipping); methods add the projection to that
   * player's base update. `null` = unconstrained.
   */
  readonly clip?: readonly [number | null, number | null];
  /**
   * Player i's exact best response to the other player (optional; the follower's reaction map of a
   * Stackelberg game, Farnia & Ozdaglar): for i = 1, φ*(θ) ∈ argmin_φ L^(φ)(θ, φ) with θ = x; for i = 0,
   * θ*(φ) ∈ argmin_θ L^(θ)(θ, φ) with φ = y. Player i's own current parameters (y for i = 1, x for i = 0)
   * are passed as a warm start and for their shapes; returns player i's new parameters. Consumes x, y and
   * key. Must be traceable (the best-response method calls it inside `jit`). Example: on
   * θᵀAφ + ½θᵀPθ − ½φᵀQφ with Q ≻ 0, φ*(θ) = Q⁻¹Aᵀθ.
   */
  bestResponse?(i: Player, x: Params, y: Params, key?: JArray): Params;
  /**
   * Player 1's gradient and then player 0's on ONE draw of a stochastic game, player 0's at player 1's
   * updated parameters, with player 0's forward pass run once (optional). For a GAN: G(z) is computed once
   * with its VJP; D's gradient treats it as data, and G's gradient is D₂'s loss gradient at G(z) pulled
   * back through that VJP — PyTorch's DCGAN loop (`fake = netG(noise)`, D steps on `fake.detach()`, then
   * G on `netD(fake)`). Consumes x, y and key. Traceable (methods call it inside `jit`).
   */
  sharedDraw?(x: Params, y: Params, key: JArray): SharedDraw;
}

// ---------------------------------------------------------------- game modules

/** What a game module's `create` receives: its parsed parameters and the options every built-in game reads. */
export interface GameBuild<P> {
  params: P;
  /** Size of each player (`--dim`); absent: the game's default. A game with a fixed `dim` gets none. */
  dim?: number;
  /** Seed of drawn game data (`--seed`, e.g. bilinear's matrix A). */
  seed: number;
  dtype: DTypeName;
  /** Starting point [θ₀, φ₀] (the web lab's click); absent: the game's default. */
  init?: [number[], number[]];
}

/** The web lab's control for one of a game's parameters (a slider for a number, a menu for choices). */
export interface GameControl<P> {
  /** A key of the module's `params`. */
  param: keyof P & string;
  label: string;
  /** A number's slider range and step (the values the schema allows may reach further). */
  slider?: { min: number; max: number; step: number };
  /** The value the lab starts with, when not the schema's default. */
  start?: unknown;
  /** Shown only while this holds for the game's current parameters (e.g. a clip bound only when it clips). */
  visible?(params: P): boolean;
}

/**
 * A built-in game as one self-describing module: its name, parameters (a zod schema with defaults, ranges
 * and a `.describe()` help text each: the CLI flags `--<param>` of dynamics/analyze), builder, formula text
 * and citation. src/games/index.ts lists the modules; `makeGame`, the CLI's `--game` choices and game
 * flags, and the web lab's game menu and controls derive from that list.
 */
export interface GameModule<N extends string = string, P extends object = object> {
  readonly name: N;
  /** The paper or lecture the game is from. */
  readonly citation: string;
  /** The game in one line, in the lectures' notation. */
  readonly formula: string;
  /** The game's own parameters (a z.object; keys are camelCase flag names: `p` → `--p`). */
  readonly params: z.ZodType<P>;
  create(b: GameBuild<P>): Game;
  /** The size of each player when it is fixed (the Dirac-GAN's 1): `--dim` must equal it. */
  readonly dim?: number;
  /** True when the vector field is linear in ω (its linearisation at ω* holds everywhere). */
  readonly linear?: boolean;
  /**
   * The web lab's controls, for a game with one parameter per player (the dynamics view draws the (θ, φ)
   * plane); games that list them are the lab's games.
   */
  readonly lab?: readonly GameControl<P>[];
}

/** Type-checks a module (its params type inferred from the schema). */
export const defineGame = <N extends string, P extends object>(m: GameModule<N, P>): GameModule<N, P> => m;
