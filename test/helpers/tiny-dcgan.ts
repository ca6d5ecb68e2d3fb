/** The tests' tiny DCGAN: 8×8 grey images, latent 3, G widths (4, 2), D widths (2, 4), no normalisation. */
import type { DcganConfig } from "../../src/models/dcgan.ts";

export const TINY_DCGAN: DcganConfig = {
  height: 8,
  width: 8,
  channels: 1,
  latentDim: 3,
  classes: 0,
  gWidths: [4, 2],
  dWidths: [2, 4],
  batchNorm: false,
  spectralNorm: false,
  impl: "im2col",
};
