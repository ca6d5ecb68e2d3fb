/**
 * InfoGAN's head (Chen et al. 2016, "InfoGAN: interpretable representation learning by information
 * maximizing GANs"): the last K latent coordinates carry a categorical code c = onehot(argmax z_tail), D
 * returns [score, logits of Q(c | x)], and both players add
 *
 *   −λ E log Q(c | G(z, c))
 *
 * (the variational lower bound L_I of I(c; G(z, c)) is H(c) + E log Q(c | G(z, c)), so both minimise −λ L_I
 * up to the constant H(c) = log K). Without codes (K = 0) D's output is the score alone.
 */
import { nn, numpy as np, type Array as JArray } from "@jax-js/jax";
import { dtypeOf, type DTypeName } from "../engine/device.ts";
import { scalarLike } from "../engine/tree.ts";

export interface InfoHead {
  /** Number K of code values (0: no InfoGAN). */
  readonly codes: number;
  /** D's score column [n, 1] of its output; consumes out. */
  score(out: JArray): JArray;
  /** −λ E log Q(c | G(z, c)) from D's output on G(z) and z; consumes both. */
  loss(out: JArray, z: JArray): JArray;
}

export function infoHead(codes: number, lambda: number, latentDim: number, dtype: DTypeName): InfoHead {
  const dt = dtypeOf(dtype);
  const K = codes;
  return {
    codes: K,
    score: (out) => (K > 0 ? out.slice([], [0, 1]) : out),
    loss: (out, z) => {
      const c = nn.oneHot(np.argmax(z.slice([], [latentDim - K, latentDim]), 1), K).astype(dt);
      const logq = nn.logSoftmax(out.slice([], [1, 1 + K]), -1);
      const ll = np.mean(np.sum(c.mul(logq), 1));
      return ll.mul(scalarLike(ll, -lambda));
    },
  };
}
