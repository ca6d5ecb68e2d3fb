/**
 * A GAN as a two-player game (Gidel, lecture 13, "GANs Objectives": min_θ max_φ of an objective over a
 * generator G_θ and a discriminator D_φ; the Purdue lecture, "Computing the GAN equilibrium"). Player 0 is
 * the generator G, player 1 the discriminator D; both are MLPs (src/models/mlp.ts), D outputs one logit
 * (or critic score) per sample, and the losses come from an objective (src/objectives/):
 *
 *   L_D = objective.dLoss(D(x), D(G(z))) [+ R1 (γ/2)E‖∇ₓD(x)‖²] [+ R2 (γ/2)E‖∇ₓD(G(z))‖²]
 *         [+ λE(‖∇ₓD(x̂)‖ − 1)², x̂ = εx + (1 − ε)G(z)],
 *   L_G = objective.gLoss(D(G(z))),
 *
 * InfoGAN (`info`: Chen et al. 2016, "InfoGAN: interpretable representation learning by information
 * maximizing GANs"): the last K latent coordinates carry a categorical code c = onehot(argmax z_tail), uniform
 * over K values; D returns [score, logits of Q(c | x)] and both players add λ times the cross-entropy of Q on
 * the generated batch, −λ E log Q(c | G(z, c)) (the variational lower bound L_I of I(c; G(z, c)) is
 * H(c) + E log Q(c | G(z, c)), so both minimise −λ L_I up to the constant H(c) = log K):
 *
 *   L_D += −λ E log Q(c | G(z, c)),   L_G += −λ E log Q(c | G(z, c)).
 *
 * x a minibatch of the data, z ∼ N(0, I) latent noise, ε ∼ U(0, 1) per sample. The game is stochastic:
 * `loss(i, G, D, key)` draws the batch from `key`, so both players' losses at one key see the same
 * x, z, ε, and every method passes a fresh key per field evaluation. WGAN's weight clipping is the game's
 * `clip` on D. Every method of src/methods trains it unchanged.
 *
 * Replicas (`replicas: R > 1`): R independent GANs trained by one jitted step. Every parameter leaf carries a
 * leading replica axis (src/models/mlp.ts: w [R, in, out], b [R, 1, out]); replica r starts exactly where
 * `gan({ ...opts, seed: seed + r })` starts. At a key k, replica r's batch (x, z, ε) is the batch that an
 * R = 1 game draws at the key k_r = random.split(k, R)[r] (the "replica keys" of k; at R = 1 the only replica
 * key is k itself), so replica r at key k computes exactly what a single game does at k_r. `loss` returns the
 * SUM over replicas of each replica's loss: replica r's gradient is its own game's gradient, untouched by the
 * other replicas, and every method (all of them act leafwise or through sums over players' losses) trains
 * the R games independently. Penalties are per replica; clipping is elementwise.
 *
 * This module assembles the game from its parts: the batch of a key (src/games/gan-batch.ts), the penalties
 * (src/games/gan-penalties.ts), InfoGAN's head (src/games/infogan.ts) and the two networks (MLPs of
 * src/models/mlp.ts by default, or e.g. DCGAN's of src/models/dcgan.ts).
 */
import {
  grad,
  jit,
  numpy as np,
  nn,
  random,
  tree,
  valueAndGrad,
  vjp,
  type Array as JArray,
} from "@jax-js/jax";
import { dtypeOf, type DTypeName } from "../engine/device.ts";
import { UsageError } from "../engine/errors.ts";
import { keyFor } from "../engine/rng.ts";
import * as T from "../engine/tree.ts";
import { scalarLike } from "../engine/tree.ts";
import {
  DEFAULT_DISCRIMINATOR,
  DEFAULT_GENERATOR,
  mlpInitReplicas,
  mlpNetwork,
  mlpReplica,
  mlpSizes,
  type InitScheme,
  type MlpConfig,
  type MlpParams,
} from "../models/mlp.ts";
import type { GanNetworks } from "../models/network.ts";
import { batchMean } from "../objectives/objective.ts";
import type { Critic } from "../objectives/penalties.ts";
import { DEFAULT_OBJECTIVE } from "../objectives/index.ts";
import {
  objectiveFor,
  type Objective,
  type ObjectiveName,
  type ObjectiveOptions,
} from "../objectives/registry.ts";
import { ganDraws, type Sampler } from "./gan-batch.ts";
import { addPenalties, checkPenalties, penaltyText, type GanPenalties } from "./gan-penalties.ts";
import type { Game, Joint, Player, SharedDraw } from "./game.ts";
import { infoHead } from "./infogan.ts";

export type { Sampler } from "./gan-batch.ts";
export type { GanPenalties } from "./gan-penalties.ts";

export interface GanOptions {
  data: Sampler;
  /** Generator hidden layers (default 128, 128, ReLU); maps latentDim → data.dim. */
  generator?: MlpConfig;
  /** Discriminator hidden layers (default 128, 128, ReLU); maps data.dim → 1. */
  discriminator?: MlpConfig;
  /** Dimension of z ∼ N(0, I) (default 2). */
  latentDim?: number;
  /** Objective name (default DEFAULT_OBJECTIVE, non-saturating; src/objectives/index.ts). */
  objective?: ObjectiveName;
  /** The objective's options (WGAN clip c). */
  objectiveOptions?: ObjectiveOptions;
  penalties?: GanPenalties;
  /** Minibatch size of one loss evaluation, for real and generated samples alike (default 256). */
  batch?: number;
  /** Seed of the initial parameters (default 0). */
  seed?: number;
  /** Parameter dtype (default float32). */
  dtype?: DTypeName;
  /** Weight initialisation (default "he": He uniform). */
  init?: InitScheme;
  /**
   * Number R of independent GANs trained together (default 1: no replica axis, today's shapes). R > 1 adds
   * a leading replica axis to every parameter leaf; replica r is seeded with seed + r.
   */
  replicas?: number;
  /**
   * Networks other than MLPs (e.g. DCGAN for images, src/models/dcgan.ts); when set, `generator`,
   * `discriminator` and `init` are ignored. Replicas must then be 1.
   */
  networks?: GanNetworks;
  /**
   * InfoGAN: K categorical code values in the last K latent coordinates (`latentDim` includes them), D's
   * networks with 1 + K outputs, and the weight λ of the mutual-information term (needs `networks`).
   */
  info?: { codes: number; lambda: number };
}

/** Numbers describing the GAN at one point, on one batch. */
export interface GanEvaluation {
  lossD: number;
  lossG: number;
  /** E σ(D(x)) for "probability" objectives (minimax, non-saturating), E D(x) for the others. */
  meanDReal: number;
  /** E σ(D(G(z))), or E D(G(z)). */
  meanDFake: number;
  /** ‖∇_G L_G‖ and ‖∇_D L_D‖: the two blocks of the vector field. */
  gradNormG: number;
  gradNormD: number;
}

export interface GanGame extends Game {
  readonly players: readonly ["G", "D"];
  readonly stochastic: true;
  readonly objective: Objective;
  readonly latentDim: number;
  readonly dataDim: number;
  readonly batch: number;
  /** The penalty weights in effect (0 = off). */
  readonly penalties: Required<GanPenalties>;
  /** Number of independent replicas R (1 = no replica axis). */
  readonly replicas: number;
  /** Player i's loss; with R > 1 the sum over replicas of each replica's loss at its replica key. */
  loss(i: Player, G: MlpParams, D: MlpParams, key?: JArray): JArray;
  init(): [MlpParams, MlpParams];
  /**
   * n generated samples G(z), [n, dim], z drawn from key (consumed); borrows G. Jitted per n. With R > 1:
   * [R, n, dim], replica r's samples being those an R = 1 game generates from replica r's key.
   */
  generate(G: MlpParams, key: JArray, n: number): JArray;
  /**
   * D's outputs (logits / scores) on x [n, dim] → [n, 1]; borrows D, consumes x. Jitted. With R > 1:
   * x [n, dim] (shown to every replica) or [R, n, dim] → [R, n, 1].
   */
  discriminate(D: MlpParams, x: JArray): JArray;
  /**
   * Losses, D's mean outputs and gradient norms on one batch of n drawn from key (consumed); borrows w.
   * R = 1 only (a replicated game throws: use `evaluateReplicas`).
   */
  evaluate(w: Joint, key: JArray, n: number): GanEvaluation;
  /**
   * One evaluation per replica: entry r is `evaluate` of replica r's parameters at replica r's key
   * (key consumed; w borrowed). At R = 1, `[evaluate(w, key, n)]`.
   */
  evaluateReplicas(w: Joint, key: JArray, n: number): GanEvaluation[];
  /** Replica r's parameters as an R = 1 game's Joint (fresh arrays); borrows w. At R = 1, r = 0: w's refs. */
  replicaParams(w: Joint, r: number): Joint;
}

function positiveInt(flag: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new UsageError(`--${flag}: must be an integer ≥ 1, got '${v}'`);
  return v;
}

export function gan(opts: GanOptions): GanGame {
  const data = opts.data;
  const gCfg = opts.generator ?? DEFAULT_GENERATOR;
  const dCfg = opts.discriminator ?? DEFAULT_DISCRIMINATOR;
  const latentDim = positiveInt("latent-dim", opts.latentDim ?? 2);
  const batch = positiveInt("batch", opts.batch ?? 256);
  const dataDim = positiveInt("data dim", data.dim);
  const dtype = opts.dtype ?? "float32";
  const dt = dtypeOf(dtype);
  const seed = opts.seed ?? 0;
  const weights = checkPenalties(opts.penalties);
  const { r1, r2 } = weights;
  const gpOpt = weights.gpLambda;
  const objective = objectiveFor(opts.objective ?? DEFAULT_OBJECTIVE, {
    ...opts.objectiveOptions,
    ...(gpOpt > 0 ? { gpLambda: gpOpt } : {}),
  });
  const gp = objective.gpLambda ?? gpOpt;
  const penalties = { r1, r2, gpLambda: gp };
  const R = positiveInt("replicas", opts.replicas ?? 1);
  const { replicaKeys, draw, drawReplicas } = ganDraws(data, latentDim, dtype, R);

  const nets = opts.networks;
  if (nets && R > 1) throw new UsageError(`--replicas: ${R} replicas need MLP models; image models take 1`);
  const K = opts.info?.codes ?? 0;
  const lambdaI = opts.info?.lambda ?? 1;
  if (K > 0 && !nets) throw new UsageError("--info-codes: needs --model dcgan");
  const head = infoHead(K, lambdaI, latentDim, dtype);
  const score = head.score;
  const infoLoss = head.loss;
  /** The two networks: the given ones (DCGAN, …) or MLPs of the configs. */
  const networks: GanNetworks = nets ?? {
    generator: mlpNetwork(gCfg, latentDim, dataDim, opts.init),
    discriminator: mlpNetwork(dCfg, dataDim, 1, opts.init),
  };
  const G = (params: MlpParams, z: JArray): JArray => networks.generator.apply(params, z);
  const Dapply = (params: MlpParams, x: JArray): JArray => networks.discriminator.apply(params, x);
  /** D's score per sample, [n, 1]. */
  const Dscore = (params: MlpParams, x: JArray): JArray => score(Dapply(params, x));

  /** L_G on generated samples `fake` (plus InfoGAN's term, from its codes z; null without InfoGAN); consumes all. */
  const gLossOn = (Dp: MlpParams, fake: JArray, z: JArray | null): JArray => {
    if (!z) return objective.gLoss(Dapply(Dp, fake));
    const out = Dapply(Dp, fake);
    return objective.gLoss(score(out.ref)).add(infoLoss(out, z));
  };

  /** L_D on real x and generated `fake` [+ penalties] (z: InfoGAN's codes, or null); consumes all. */
  const dLossOn = (
    Dp: MlpParams,
    real: JArray,
    fake: JArray,
    z: JArray | null,
    e: JArray | undefined,
  ): JArray => {
    const critic: Critic = (xx) => Dscore(tree.ref(Dp), xx);
    let l: JArray;
    if (z) {
      const outFake = Dapply(tree.ref(Dp), fake.ref); // one D call for the score and Q
      l = objective.dLoss(critic(real.ref), score(outFake.ref)).add(infoLoss(outFake, z));
    } else {
      l = objective.dLoss(critic(real.ref), critic(fake.ref));
    }
    l = addPenalties(l, penalties, critic, real, fake, e);
    real.dispose();
    fake.dispose();
    tree.dispose(Dp);
    return l;
  };

  /** Player i's loss on a batch of n, unreplicated parameters; consumes Gp, Dp and key. */
  const lossAt = (i: Player, Gp: MlpParams, Dp: MlpParams, key: JArray, n: number): JArray => {
    const info = K > 0;
    if (i === 0) {
      const { z } = draw(key, n, false, false);
      return gLossOn(Dp, G(Gp, info ? z.ref : z), info ? z : null);
    }
    const { x, z, e } = draw(key, n, true, gp > 0);
    return dLossOn(Dp, x as JArray, G(Gp, info ? z.ref : z), info ? z : null, e);
  };

  /**
   * D's gradient on the batch of `key`, and G's gradient on the same generated batch at D's next parameters,
   * with G's forward pass run once (kept with its VJP) — see `Game.sharedDraw`. Consumes Gp, Dp and key.
   */
  const sharedDraw = (Gp: MlpParams, Dp: MlpParams, key: JArray): SharedDraw => {
    const info = K > 0;
    const { x, z, e } = draw(key, batch, true, gp > 0);
    const [fake, back] = vjp((GG: MlpParams) => G(GG, info ? z.ref : z), [Gp]);
    const grad1 = grad((DD: MlpParams) => dLossOn(DD, x as JArray, fake.ref, info ? z.ref : null, e))(
      Dp,
    ) as MlpParams;
    const grad0 = (D2: T.Params): T.Params => {
      const gFake = grad((f: JArray) => gLossOn(D2 as MlpParams, f, info ? z : null))(fake);
      const [gG] = back(gFake) as [MlpParams];
      back.dispose();
      return gG;
    };
    return { grad1, grad0 };
  };

  /**
   * Σ_r (replica r's loss on its batch of n), replicated parameters; consumes Gp, Dp and key. The objectives
   * and penalties are batch means of per-sample terms (src/objectives), so they are evaluated once on the
   * R·n samples flattened ([R·n, ·]) and multiplied by R: R · mean over R·n = Σ_r mean over replica r's n.
   * D's input gradients (R1, R2, GP) stay per sample, hence per replica.
   */
  const lossReplicas = (i: Player, Gp: MlpParams, Dp: MlpParams, key: JArray, n: number): JArray => {
    const flat = (t: JArray) => t.reshape([R * n, t.shape[2]]);
    const sumOver = (l: JArray) => l.mul(scalarLike(l, R));
    if (i === 0) {
      const { z } = drawReplicas(key, n, false, false);
      return sumOver(objective.gLoss(flat(Dapply(Dp, G(Gp, z)))));
    }
    const { x, z, e } = drawReplicas(key, n, true, gp > 0);
    const real = flat(x as JArray);
    const fake = flat(G(Gp, z));
    const critic: Critic = (xx) => flat(Dapply(tree.ref(Dp), xx.reshape([R, n, dataDim])));
    let l = objective.dLoss(critic(real.ref), critic(fake.ref));
    l = addPenalties(l, penalties, critic, real, fake, e && flat(e));
    real.dispose();
    fake.dispose();
    tree.dispose(Dp);
    return sumOver(l);
  };

  const generators = new Map<number, (Gp: MlpParams, key: JArray) => JArray>();
  const generate = (Gp: MlpParams, key: JArray, n: number): JArray => {
    let f = generators.get(n);
    if (!f) {
      const noise = (k: JArray) => random.normal(k, [n, latentDim]).astype(dt);
      f = jit((p: MlpParams, k: JArray) => G(p, R === 1 ? noise(k) : np.stack(replicaKeys(k).map(noise))));
      generators.set(n, f);
    }
    return f(tree.ref(Gp), key);
  };
  const discriminateJit = jit((p: MlpParams, x: JArray) => Dscore(p, x));

  type EvalFn = (Gp: MlpParams, Dp: MlpParams, key: JArray) => JArray;
  const evaluators = new Map<number, EvalFn>();
  const evaluator = (n: number): EvalFn => {
    let f = evaluators.get(n);
    if (!f) {
      const read = objective.output === "probability" ? (t: JArray) => nn.sigmoid(t) : (t: JArray) => t;
      f = jit((Gp: MlpParams, Dp: MlpParams, key: JArray) => {
        const [lD, gD] = valueAndGrad((DD: MlpParams) => lossAt(1, tree.ref(Gp), DD, key.ref, n))(
          tree.ref(Dp),
        );
        const [lG, gG] = valueAndGrad((GG: MlpParams) => lossAt(0, GG, tree.ref(Dp), key.ref, n))(
          tree.ref(Gp),
        );
        const { x, z } = draw(key, n, true, false);
        const fake = G(Gp, z);
        const mReal = batchMean(read(Dscore(tree.ref(Dp), x as JArray)));
        const mFake = batchMean(read(Dscore(Dp, fake)));
        const norm = (g: MlpParams) => np.sqrt(T.sqNorm(g)).astype(dt);
        return np.stack([lD, lG, mReal, mFake, norm(gG as MlpParams), norm(gD as MlpParams)]);
      });
      evaluators.set(n, f);
    }
    return f;
  };

  const evaluate = (w: Joint, key: JArray, n: number): GanEvaluation => {
    const v = evaluator(n)(tree.ref(w[0]) as MlpParams, tree.ref(w[1]) as MlpParams, key).js() as number[];
    const [lossD, lossG, meanDReal, meanDFake, gradNormG, gradNormD] = v;
    return { lossD, lossG, meanDReal, meanDFake, gradNormG, gradNormD };
  };
  const replicaParams = (w: Joint, r: number): Joint =>
    nets && r === 0
      ? [tree.ref(w[0]), tree.ref(w[1])]
      : [mlpReplica(w[0] as MlpParams, r), mlpReplica(w[1] as MlpParams, r)];

  const penText = penaltyText(penalties, objective.gpLambda !== undefined);

  return {
    name: "gan",
    description:
      `GAN ${objective.name} (${objective.formula}${penText ? `; ${penText}` : ""}); ` +
      `G ${networks.generator.arch}, D ${networks.discriminator.arch}, batch ${batch}` +
      (R > 1 ? `, ${R} replicas (seeds ${seed}…${seed + R - 1})` : "") +
      (K > 0 ? `; InfoGAN: ${K} codes, λ = ${lambdaI}` : ""),
    players: ["G", "D"],
    dtype,
    zeroSum: objective.zeroSum && r1 === 0 && r2 === 0 && gp === 0 && K === 0,
    stochastic: true,
    clip: objective.clip !== undefined ? [null, objective.clip] : undefined,
    objective,
    latentDim,
    dataDim,
    batch,
    penalties: { ...penalties },
    replicas: R,
    ...(R === 1
      ? {
          sharedDraw: (Gp: T.Params, Dp: T.Params, key: JArray) =>
            sharedDraw(Gp as MlpParams, Dp as MlpParams, key),
        }
      : {}),
    loss: (i, Gp, Dp, key) => {
      if (!key) {
        tree.dispose([Gp, Dp]);
        throw new Error("gan: loss needs a key (the game is stochastic)");
      }
      return R === 1 ? lossAt(i, Gp, Dp, key, batch) : lossReplicas(i, Gp, Dp, key, batch);
    },
    init: () => {
      if (R === 1) {
        const ks = random.split(keyFor(seed, "init"), 2);
        const { generator, discriminator } = networks;
        return [generator.init(ks.ref.slice(0), dtype), discriminator.init(ks.slice(1), dtype)];
      }
      const gSizes = mlpSizes(latentDim, gCfg, dataDim);
      const dSizes = mlpSizes(dataDim, dCfg, 1);
      // replica r: the keys gan({ seed: seed + r }).init() uses
      const ks = Array.from({ length: R }, (_, r) => random.split(keyFor(seed + r, "init"), 2));
      const Gp = mlpInitReplicas(
        ks.map((k) => k.ref.slice(0)),
        gSizes,
        dtype,
        opts.init,
      );
      const Dp = mlpInitReplicas(
        ks.map((k) => k.slice(1)),
        dSizes,
        dtype,
        opts.init,
      );
      return [Gp, Dp];
    },
    generate,
    discriminate: (Dp, x) => discriminateJit(tree.ref(Dp), x),
    evaluate: (w, key, n) => {
      if (R > 1) {
        key.dispose();
        throw new Error(`gan: evaluate is for one replica; this game has ${R}: use evaluateReplicas`);
      }
      return evaluate(w, key, n);
    },
    evaluateReplicas: (w, key, n) =>
      replicaKeys(key).map((k, r) => {
        const wr = replicaParams(w, r);
        const e = evaluate(wr, k, n);
        tree.dispose(wr);
        return e;
      }),
    replicaParams,
  };
}
