/**
 * A network a GAN player can be: parameters as a list of {w, b} layers (the pytree shape of src/models/mlp.ts,
 * so checkpoints, optimizers and methods treat every model alike) and a traceable forward map. The MLPs of
 * the 2-D runs are the default (src/games/gan.ts); image GANs pass DCGAN networks (src/models/dcgan.ts).
 */
import type { Array as JArray } from "@jax-js/jax";
import type { DTypeName } from "../engine/device.ts";
import type { MlpParams } from "./mlp.ts";

export interface Network {
  /** One line for humans, e.g. "z64 → fc 7×7×128 → convT 64 → convT 1, tanh". */
  readonly arch: string;
  /** Fresh parameters drawn from `key` (consumed). */
  init(key: JArray, dtype: DTypeName): MlpParams;
  /** The forward map on a batch [n, in] → [n, out]; consumes params and x; traceable. */
  apply(params: MlpParams, x: JArray): JArray;
}

/** A generator / discriminator pair, G: latent → data, D: data → one score per sample. */
export interface GanNetworks {
  generator: Network;
  discriminator: Network;
}
