/**
 * A mixed-strategy GAN with particles (Hsieh, Liu & Cevher, "Finding Mixed Nash Equilibria of Generative
 * Adversarial Networks", ICML 2019). Instead of one generator θ and one discriminator w, each player plays a
 * probability measure over its parameter space, here an empirical measure of K particles:
 *
 *   ν = (1/K) Σ_i δ_{θ_i}  (generator),     μ = (1/K) Σ_j δ_{w_j}  (discriminator).
 *
 * The paper's WGAN payoff is bi-affine in (ν, μ):  min_ν max_μ ⟨μ, g⟩ − ⟨μ, Gν⟩  with g(w) = E_{x∼P_real} D_w(x)
 * and (Gν)(w) = E_{θ∼ν} E_{x∼P_θ} D_w(x). For particles it is the WGAN objective of
 *
 * - the mixture generator: a fake sample comes from G_{θ_i}, i uniform over the particles. A batch holds
 *   EQUAL SHARES: every G particle maps its own ⌈n/K⌉ latent draws (stratified sampling of the mixture:
 *   unbiased, lower variance than choosing i at random per sample, and every particle gets a gradient in
 *   every step). The generated batch therefore has K·⌈n/K⌉ ≥ n samples;
 * - the averaged critic D_μ(x) = (1/K) Σ_j D_{w_j}(x).
 *
 * Every objective of src/objectives applies to (D_μ, mixture fakes) exactly as src/games/gan.ts applies it to
 * (D, G(z)): L_D = dLoss(D_μ(x), D_μ(x̃)) [+ R1/R2/GP on the critic D_μ], L_G = gLoss(D_μ(x̃)). For
 * "wasserstein" (the paper's setting) this is exactly ⟨μ, g⟩ − ⟨μ, Gν⟩ on the minibatch; for the other
 * objectives (e.g. "non-saturating") the payoff is no longer bi-affine in (ν, μ) (the loss is nonlinear in
 * D_μ): it is the natural "ensemble" extension, outside the paper's theory. For "probability" objectives
 * D_μ is the averaged LOGIT and σ(D_μ) the reported probability.
 *
 * Gradient scale. A mean over particles gives particle i the gradient (1/K)·(its own gradient), where "its
 * own gradient" is the gradient of the particle's payoff against the opponent's whole mixture (for WGAN: the
 * gradient of the first variation, ∇_w[g − Gν](w_j), which is what the paper's SGLD steps follow). So that
 * each particle's SGLD step uses that full per-particle gradient, `loss(i, …)` returns K × the mixed payoff:
 * the same convention as gan.ts's replicas (whose `loss` is the SUM over replicas). Every method of
 * src/methods therefore moves every particle at the step size it would have alone; `payoff(i, …)` and
 * `evaluate` report the unscaled mixed payoff (comparable with a plain GAN's losses).
 *
 * Parameters: every leaf carries a leading particle axis K (src/models/mlp.ts's replica layout, w [K, in,
 * out], b [K, 1, out]; batched matmuls), also at K = 1. Particle k starts where `gan({ ...opts, seed: seed +
 * k })` starts (the replica seeds). At key k the batch is drawn as gan.ts draws it (real x from split(k, 3)[0],
 * z from [1] as one N(0, I) draw of [K·m, latent] rows, particle i taking rows i·m … i·m + m − 1, GP's ε from
 * [2]), so at K = 1 the game computes exactly what `gan(opts)` computes at the same key.
 *
 * The game is a `GanGame` with replicas = 1 semantics, so the trainer's evaluation and samples.png work on it:
 * `generate` returns n mixture samples [n, dim] (interleaved: sample s comes from particle s mod K),
 * `discriminate` the averaged critic [n, 1], `evaluate` the mixed losses.
 */
import { jit, numpy as np, nn, random, tree, valueAndGrad, type Array as JArray } from "@jax-js/jax";
import { dtypeOf } from "../engine/device.ts";
import { UsageError } from "../engine/errors.ts";
import { keyFor } from "../engine/rng.ts";
import * as T from "../engine/tree.ts";
import { scalarLike } from "../engine/tree.ts";
import {
  DEFAULT_DISCRIMINATOR,
  DEFAULT_GENERATOR,
  mlpApply,
  mlpInitReplicas,
  mlpReplica,
  mlpSizes,
  type MlpConfig,
  type MlpParams,
} from "../models/mlp.ts";
import { batchMean } from "../objectives/objective.ts";
import { r1Penalty, r2Penalty, type Critic } from "../objectives/penalties.ts";
import { DEFAULT_OBJECTIVE } from "../objectives/index.ts";
import { objectiveFor } from "../objectives/registry.ts";
import { gradientPenalty, interpolate } from "../objectives/wgan-gp.ts";
import type { GanEvaluation, GanGame, GanOptions } from "./gan.ts";
import { checkPenalties, penaltyText } from "./gan-penalties.ts";
import type { Joint, Player } from "./game.ts";

export interface MixedGanOptions extends GanOptions {
  /** Number K of particles of each player's empirical measure (≥ 1). `replicas` must be absent or 1. */
  particles: number;
}

export interface MixedGanGame extends GanGame {
  /** Number K of particles per player. */
  readonly particles: number;
  /**
   * Player i's loss scaled by K (each particle's gradient is its full per-particle gradient, see the file
   * comment); consumes G, D and key.
   */
  loss(i: Player, G: MlpParams, D: MlpParams, key?: JArray): JArray;
  /** The unscaled mixed payoff L_i(ν, μ) on the batch of `key`; consumes G, D and key. */
  payoff(i: Player, G: MlpParams, D: MlpParams, key: JArray): JArray;
  /** n samples of each G particle, [K, n, dim] (z drawn from key, consumed); borrows G. Jitted per n. */
  generateParticles(G: MlpParams, key: JArray, n: number): JArray;
  /** Each D particle's output on x [n, dim] → [K, n, 1]; borrows D, consumes x. Jitted. */
  discriminateParticles(D: MlpParams, x: JArray): JArray;
  /** Particle k of both players as a plain (unreplicated) GAN's Joint (fresh arrays); borrows w. */
  particleParams(w: Joint, k: number): Joint;
}

/** The mean over a leading particle axis, [K, …] → […], as Σ / K with a typed K (exact in float64). */
export function particleMean(t: JArray): JArray {
  const K = t.shape[0];
  const s = np.sum(t, 0);
  return K === 1 ? s : s.div(scalarLike(s, K));
}

/**
 * Per-particle batches [K, m, d] → one batch [K·m, d] in which sample s comes from particle s mod K (row
 * ⌊s/K⌋ of its block), so that any prefix of n samples holds ⌈n/K⌉ or ⌊n/K⌋ samples of every particle.
 */
export function interleaveParticles(t: JArray): JArray {
  const [K, m, d] = t.shape;
  return K === 1 ? t.reshape([m, d]) : t.transpose([1, 0, 2]).reshape([K * m, d]);
}

function positiveInt(flag: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new UsageError(`--${flag}: must be an integer ≥ 1, got '${v}'`);
  return v;
}

export function mixedGan(opts: MixedGanOptions): MixedGanGame {
  const K = positiveInt("particles", opts.particles);
  if (opts.replicas !== undefined && opts.replicas !== 1) {
    throw new UsageError(
      `--replicas: a mixed-strategy GAN (--particles ${K}) trains one game; got replicas '${opts.replicas}'`,
    );
  }
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

  /** Every G particle on its own latent block z [K, m, k] → [K, m, dim]; consumes both. */
  const G = (params: MlpParams, z: JArray): JArray => mlpApply(params, z, gCfg.activation);
  /** Every D particle on x [n, dim] → [K, n, 1]; consumes both. */
  const Dparticles = (params: MlpParams, x: JArray): JArray => mlpApply(params, x, dCfg.activation);
  /** The averaged critic D_μ(x) = (1/K)Σ_j D_j(x), [n, 1]; consumes both. */
  const Dmix = (params: MlpParams, x: JArray): JArray => particleMean(Dparticles(params, x));
  /** K latent blocks of m rows each from key (consumed): one N(0, I) draw of [K·m, k] (= gan.ts's at K = 1). */
  const latent = (key: JArray, m: number): JArray =>
    random
      .normal(key, [K * m, latentDim])
      .astype(dt)
      .reshape([K, m, latentDim]);

  /** The batch of one key: real x [n, d] (if asked), z [K, ⌈n/K⌉, k], ε [n, 1] (if asked); consumes key. */
  const draw = (key: JArray, n: number, real: boolean, eps: boolean) => {
    const ks = random.split(key, 3);
    const z = latent(ks.ref.slice(1), Math.ceil(n / K));
    const x = real ? data.sample(ks.ref.slice(0), n, dtype).astype(dt) : undefined;
    const e = eps ? random.uniform(ks.ref.slice(2), [n, 1]).astype(dt) : undefined;
    ks.dispose();
    return { x, z, e };
  };

  /** The unscaled mixed payoff of player i on a batch of n; consumes Gp, Dp and key. */
  const payoffAt = (i: Player, Gp: MlpParams, Dp: MlpParams, key: JArray, n: number): JArray => {
    if (i === 0) {
      const { z } = draw(key, n, false, false);
      return objective.gLoss(Dmix(Dp, interleaveParticles(G(Gp, z))));
    }
    const { x, z, e } = draw(key, n, true, gp > 0);
    const real = x as JArray;
    const fake = interleaveParticles(G(Gp, z)); // [K·⌈n/K⌉, d]: equal shares of every particle
    const critic: Critic = (xx) => Dmix(tree.ref(Dp), xx);
    let l = objective.dLoss(critic(real.ref), critic(fake.ref));
    if (r1 > 0) l = l.add(r1Penalty(critic, real.ref, r1));
    if (r2 > 0) l = l.add(r2Penalty(critic, fake.ref, r2));
    // GP pairs the n real points with the first n interleaved fakes (as balanced over particles as n allows)
    if (e) l = l.add(gradientPenalty(critic, interpolate(real.ref, fake.ref.slice([0, n]), e), gp));
    real.dispose();
    fake.dispose();
    tree.dispose(Dp);
    return l;
  };
  const scaled = (l: JArray): JArray => (K === 1 ? l : l.mul(scalarLike(l, K)));
  const lossAt = (i: Player, Gp: MlpParams, Dp: MlpParams, key: JArray, n: number): JArray =>
    scaled(payoffAt(i, Gp, Dp, key, n));

  const generators = new Map<number, (Gp: MlpParams, key: JArray) => JArray>();
  const generate = (Gp: MlpParams, key: JArray, n: number): JArray => {
    let f = generators.get(n);
    if (!f) {
      const m = Math.ceil(n / K);
      f = jit((p: MlpParams, k: JArray) => {
        const all = interleaveParticles(G(p, latent(k, m)));
        return K * m === n ? all : all.slice([0, n]);
      });
      generators.set(n, f);
    }
    return f(tree.ref(Gp), key);
  };
  const particleGenerators = new Map<number, (Gp: MlpParams, key: JArray) => JArray>();
  const generateParticles = (Gp: MlpParams, key: JArray, n: number): JArray => {
    let f = particleGenerators.get(n);
    if (!f) {
      f = jit((p: MlpParams, k: JArray) => G(p, latent(k, n)));
      particleGenerators.set(n, f);
    }
    return f(tree.ref(Gp), key);
  };
  const discriminateJit = jit((p: MlpParams, x: JArray) => Dmix(p, x));
  const discriminateParticlesJit = jit((p: MlpParams, x: JArray) => Dparticles(p, x));

  type EvalFn = (Gp: MlpParams, Dp: MlpParams, key: JArray) => JArray;
  const evaluators = new Map<number, EvalFn>();
  const evaluator = (n: number): EvalFn => {
    let f = evaluators.get(n);
    if (!f) {
      const read = objective.output === "probability" ? (t: JArray) => nn.sigmoid(t) : (t: JArray) => t;
      const unscale = (l: JArray) => (K === 1 ? l : l.div(scalarLike(l, K)));
      f = jit((Gp: MlpParams, Dp: MlpParams, key: JArray) => {
        const [lD, gD] = valueAndGrad((DD: MlpParams) => lossAt(1, tree.ref(Gp), DD, key.ref, n))(
          tree.ref(Dp),
        );
        const [lG, gG] = valueAndGrad((GG: MlpParams) => lossAt(0, GG, tree.ref(Dp), key.ref, n))(
          tree.ref(Gp),
        );
        const { x, z } = draw(key, n, true, false);
        const fake = interleaveParticles(G(Gp, z));
        const mReal = batchMean(read(Dmix(tree.ref(Dp), x as JArray)));
        const mFake = batchMean(read(Dmix(Dp, fake)));
        const norm = (g: MlpParams) => np.sqrt(T.sqNorm(g)).astype(dt);
        return np.stack([
          unscale(lD),
          unscale(lG),
          mReal,
          mFake,
          norm(gG as MlpParams),
          norm(gD as MlpParams),
        ]);
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

  const penText = penaltyText({ r1, r2, gpLambda: gp }, objective.gpLambda !== undefined);
  const arch = (c: MlpConfig, nIn: number, nOut: number) =>
    `${mlpSizes(nIn, c, nOut).join("→")} ${c.activation}`;

  return {
    name: "mixed-gan",
    description:
      `mixed-strategy GAN ${objective.name} (${objective.formula}${penText ? `; ${penText}` : ""}) over ` +
      `${K} particles per player: ν = (1/K)Σδ_θi, μ = (1/K)Σδ_wj, D_μ = (1/K)ΣD_wj, fakes in equal shares; ` +
      `G ${arch(gCfg, latentDim, dataDim)}, D ${arch(dCfg, dataDim, 1)}, batch ${batch}, seeds ${seed}…${seed + K - 1}`,
    players: ["G", "D"],
    dtype,
    zeroSum: objective.zeroSum && r1 === 0 && r2 === 0 && gp === 0,
    stochastic: true,
    clip: objective.clip !== undefined ? [null, objective.clip] : undefined,
    objective,
    latentDim,
    dataDim,
    batch,
    penalties: { r1, r2, gpLambda: gp },
    replicas: 1,
    particles: K,
    loss: (i, Gp, Dp, key) => {
      if (!key) {
        tree.dispose([Gp, Dp]);
        throw new Error("mixed-gan: loss needs a key (the game is stochastic)");
      }
      return lossAt(i, Gp, Dp, key, batch);
    },
    payoff: (i, Gp, Dp, key) => payoffAt(i, Gp, Dp, key, batch),
    init: () => {
      // particle k: the keys gan({ seed: seed + k }).init() uses (its replica k)
      const ks = Array.from({ length: K }, (_, k) => random.split(keyFor(seed + k, "init"), 2));
      const gSizes = mlpSizes(latentDim, gCfg, dataDim);
      const dSizes = mlpSizes(dataDim, dCfg, 1);
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
    generateParticles,
    discriminate: (Dp, x) => discriminateJit(tree.ref(Dp), x),
    discriminateParticles: (Dp, x) => discriminateParticlesJit(tree.ref(Dp), x),
    evaluate,
    evaluateReplicas: (w, key, n) => [evaluate(w, key, n)],
    replicaParams: (w, r) => {
      if (r !== 0) throw new Error(`mixed-gan: replica ${r} of 1 (use particleParams for particles)`);
      return [tree.ref(w[0]), tree.ref(w[1])];
    },
    particleParams: (w, k) => [mlpReplica(w[0] as MlpParams, k), mlpReplica(w[1] as MlpParams, k)],
  };
}
