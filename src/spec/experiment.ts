/**
 * The experiment spec: one zod schema for everything a GAN run needs (data, models, objective, method,
 * optimizer, steps, batch, seed, evaluation, device, replicas). The CLI's flags, a `--spec file.json` and the
 * web lab all produce it; `parseSpec` validates it before anything is written, and a bad value becomes one
 * line naming the field, the value and what is allowed.
 */
import fs from "node:fs";
import { z } from "zod";
import { rangeOf, type ParamRange } from "./schema-info.ts";
import { DEFAULT_DATASET } from "../data/toy2d/index.ts";
import { DEVICES, DTYPES } from "../engine/device.ts";
import { UsageError } from "../engine/errors.ts";
import { DEFAULT_GAN_METHOD, MIXED_LIMIT_METHOD } from "../methods/index.ts";
import { MIXED_METHOD_NAMES } from "../methods/mirror-gan.ts";
import { defaultSteps, findMethod, hasParam, paramDefault, paramNames } from "../methods/registry.ts";
import {
  COMMON_DEFAULTS,
  METHOD_NAMES,
  OPTIMIZERS,
  type MethodName,
  type MethodSpec,
} from "../methods/spec.ts";
import { DEFAULT_OBJECTIVE, OBJECTIVE_NAMES } from "../objectives/index.ts";
import { objectiveParamDefault } from "../objectives/registry.ts";

/**
 * Mixed-strategy methods (src/methods/mirror-gan.ts; Hsieh, Liu & Cevher 2019): they train the particle game
 * of src/games/mixed-gan.ts, not the pure GAN.
 */
export const MIXED_SPEC_METHODS = MIXED_METHOD_NAMES;
/**
 * The spec method of proximal training (Farnia & Ozdaglar, "GANs may have no Nash equilibria"): the listed
 * method DEFAULT_GAN_METHOD on V_λ^prox; the one place its name is spelled.
 */
export const PROXIMAL_TRAINING = "proximal";
/**
 * Every `method` a spec may name: the method list's names (src/methods/index.ts), the mixed methods, and
 * "proximal" = proximal training (Farnia & Ozdaglar): DEFAULT_GAN_METHOD (alternating GDA) on V_λ^prox
 * (needs `proxLambda`).
 */
export const SPEC_METHODS = [...METHOD_NAMES, ...MIXED_SPEC_METHODS, PROXIMAL_TRAINING] as const;
export type SpecMethod = (typeof SPEC_METHODS)[number];
export const PROX_NORMS = ["euclidean", "sobolev"] as const;

/** The objective list's names (src/objectives/index.ts). */
export const OBJECTIVES = OBJECTIVE_NAMES;
export const ACTIVATIONS = ["relu", "leaky-relu", "tanh", "elu"] as const;
/** Network families (src/models): MLPs for 2-D data, DCGAN for images. */
export const MODELS = ["mlp", "dcgan"] as const;

/**
 * A run name: one folder name under the runs folder. Not "." or "..", no path separators, not hidden
 * (no leading '.'), not an option lookalike (no leading '-').
 */
export const RUN_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,79}$/;
export const RUN_NAME_RULE =
  "letters, digits, '.', '_' and '-', starting with a letter, digit or '_', at most 80 characters";

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const net = z
  .object({
    hidden: z.array(int(1, 4096)).max(8).default([128, 128]),
    activation: z.enum(ACTIVATIONS).default("relu"),
  })
  .strict();

const ExperimentFields = z
  .object({
    /** Run directory name under runs/ (default: made from data, objective, method, seed). */
    name: z.string().regex(RUN_NAME, RUN_NAME_RULE).optional(),
    /** A built-in 2-D set (the list src/data/toy2d/index.ts), a CSV file of points, or image data. */
    data: z.string().min(1).default(DEFAULT_DATASET),
    latentDim: int(1, 1024).default(2),
    generator: net.default({ hidden: [128, 128], activation: "relu" }),
    discriminator: net.default({ hidden: [128, 128], activation: "relu" }),
    objective: z.enum(OBJECTIVES).default(DEFAULT_OBJECTIVE),
    /** WGAN weight clipping bound c (the wasserstein objective's `clip`). */
    clip: z
      .number()
      .positive()
      .max(100)
      .default(objectiveParamDefault("clip") as number),
    /** WGAN-GP penalty weight λ (the wgan-gp objective's `gpLambda`). */
    gpLambda: z
      .number()
      .min(0)
      .max(1e4)
      .default(objectiveParamDefault("gpLambda") as number),
    /** Zero-centred gradient penalties on real (R1) and generated (R2) points, weight γ. */
    r1: z.number().min(0).max(1e4).default(0),
    r2: z.number().min(0).max(1e4).default(0),
    method: z.enum(SPEC_METHODS).default(DEFAULT_GAN_METHOD),
    /**
     * Alternating: steps of [G, D] per round (k_G : k_D); best-response: G steps after k_D inner D steps.
     * Absent: the method's default (its module's `steps`, src/methods), filled in by the schema.
     */
    kG: int(1, 100).optional(),
    kD: int(1, 100).optional(),
    /** Alternating: who moves first in a round. */
    first: z.enum(["G", "D"]).default("D"),
    /**
     * Alternating, D first, kG = 1: G's step reuses the generated batch of D's last step (one G forward pass
     * per round, as PyTorch's DCGAN example; src/methods/alternating.ts).
     */
    reuseFake: z.boolean().default(false),
    momentum: z.number().gt(-1).lt(1).default(COMMON_DEFAULTS.momentum),
    /** Unrolled GANs: D's SGD steps that G's gradient is differentiated through (k). */
    unroll: int(1, 100).default(paramDefault("unroll") as number),
    /**
     * Proximal training (Farnia & Ozdaglar): train on V_λ^prox(G, D) = max_D̃ V(G, D̃) − λ‖D − D̃‖² with this
     * λ > 0 (any method of the registry; method "proximal" = alternating). Unset = train on V itself.
     */
    proxLambda: z.number().positive().max(1e6).optional(),
    /** Inner gradient-ascent steps and step size of the D̃ maximisation, and the norm on D. */
    proxInnerSteps: int(0, 1000).default(10),
    proxInnerLr: z.number().positive().max(10).default(0.01),
    proxNorm: z.enum(PROX_NORMS).default("euclidean"),
    /** Mixed methods: particles K per player (K = 1 is the paper's single-sample practical algorithm). */
    particles: int(1, 64).default(4),
    /** Mixed methods: SGLD temperature τ (noise √(2γτ)ξ), inner SGLD steps K_in and damping β ∈ (0, 1]. */
    temperature: z.number().min(0).max(10).default(1e-4),
    sgldSteps: int(1, 100).default(1),
    averaging: z.number().gt(0).max(1).default(1),
    /**
     * Exponential moving average of G's parameters, Ḡ ← β Ḡ + (1 − β) G after every step (src/train/ema.ts):
     * samples, grids and sample metrics come from Ḡ. 0 = off.
     */
    ema: z.number().min(0).lt(1).default(0),
    /**
     * Fraction of the run at its end over which both learning rates fall linearly to 0 (src/optim/transform.ts,
     * `linearDecay`); 0 = constant rates. With 0.5 and 9000 steps: constant to step 4500, then linear.
     */
    lrDecay: z.number().min(0).lt(1).default(0),
    /** Consensus weight γ. */
    gamma: z
      .number()
      .min(0)
      .max(1e4)
      .default(paramDefault("gamma") as number),
    /**
     * The method's own hyper-parameters that have no field of their own here, by its module's names
     * (src/methods; e.g. proximal point's { tol }), checked against the module's schema. The method fields
     * above (kG, kD, first, reuseFake, unroll, gamma) are not given here.
     */
    methodParams: z.record(z.string(), z.unknown()).optional(),
    optimizer: z.enum(OPTIMIZERS).default("adam"),
    lrG: z.number().positive().max(10).default(1e-3),
    lrD: z.number().positive().max(10).default(1e-3),
    /**
     * Adam's (β₁, β₂); β₁ may be negative (Gidel et al., AISTATS 2019: Adam with β₁ = −0.5 under alternating
     * updates, the negative-momentum talk's image experiments).
     */
    betas: z.tuple([z.number().gt(-1).lt(1), z.number().min(0).lt(1)]).default([0.5, 0.999]),
    steps: int(1, 10_000_000).default(2000),
    batch: int(1, 65_536).default(256),
    seed: int(0, 2 ** 31 - 1).default(0),
    evalEvery: int(1, 10_000_000).default(500),
    evalSamples: int(10, 100_000).default(2500),
    checkpointEvery: int(1, 10_000_000).default(500),
    keepCheckpoints: int(1, 1000).default(3),
    replicas: int(1, 256).default(1),
    device: z.enum(DEVICES).default("wasm"),
    dtype: z.enum(DTYPES).default("float32"),
    /** Network family: "mlp" (2-D data) or "dcgan" (image data; src/models/dcgan.ts). */
    model: z.enum(MODELS).default("mlp"),
    /** DCGAN: G's and D's channel widths, batch norm in G (and in D), spectral normalisation in D. */
    dcgan: z
      .object({
        g: z.array(int(1, 2048)).min(1).max(6).default([128, 64]),
        d: z.array(int(1, 2048)).min(1).max(6).default([64, 128]),
        batchNorm: z.boolean().default(false),
        dBatchNorm: z.boolean().default(false),
        dMinibatchStd: z.boolean().default(false),
        spectralNorm: z.boolean().default(false),
      })
      .strict()
      .default({
        g: [128, 64],
        d: [64, 128],
        batchNorm: false,
        dBatchNorm: false,
        dMinibatchStd: false,
        spectralNorm: false,
      }),
    /** Conditional GAN G(z | y), D(x | y) on the data's labels (image data). */
    conditional: z.boolean().default(false),
    /**
     * InfoGAN (src/games/gan.ts): K categorical code values in G's latent (0 = off) and the weight λ of the
     * mutual-information term −λ E log Q(c | G(z, c)) both players add (DCGAN only; not with `conditional`).
     */
    infoCodes: int(0, 100).default(0),
    infoLambda: z.number().min(0).max(100).default(1),
    /** Square side images are resized to (default: the data's own, 28 for MNIST; 32 for a PNG folder). */
    imageSize: int(4, 512).optional(),
    /** Convolutions: "auto" = im2col (matmul) on wasm/cpu and jax-js's lax.conv on webgpu. */
    conv: z.enum(["auto", "im2col", "lax"]).default("auto"),
    /** Image runs: classifier Inception Score, FID and (conditional) label accuracy at each evaluation. */
    imageMetrics: z.boolean().default(true),
  })
  .strict();

/** The range of a numeric field, for messages about flags (src/cli/args.ts's NumberRule). */
export type FieldRange = ParamRange;

/** The range the schema allows for a numeric spec field, e.g. steps → integer in [1, 10000000]; {} otherwise. */
export function fieldRange(field: string): FieldRange {
  let t: unknown = (ExperimentFields.shape as Record<string, unknown>)[field];
  while (t instanceof z.ZodDefault || t instanceof z.ZodOptional) t = t.unwrap();
  return t instanceof z.ZodType ? rangeOf(t) : {};
}

/** The loop fields that `reuseFake` needs, as a spec or a spec input holds them (absent = the default). */
interface LoopFields {
  method?: unknown;
  proxLambda?: unknown;
  first?: unknown;
  kG?: unknown;
  replicas?: unknown;
}

/**
 * Whether G can reuse D's fake batch in this loop: a method with a `reuseFake` parameter (alternating; no
 * proxLambda), first D, kG 1, replicas 1.
 */
export function reuseFakeFits(s: LoopFields): boolean {
  const method = String(s.method ?? DEFAULT_GAN_METHOD);
  return (
    hasParam(method, "reuseFake") &&
    s.proxLambda === undefined &&
    (s.first ?? "D") === "D" &&
    Number(s.kG ?? defaultSteps(method as MethodName)[0]) === 1 &&
    Number(s.replicas ?? 1) === 1
  );
}

/**
 * A preset's `reuseFake` belongs to the preset's own loop: where flags, a spec file or a `compare` entry change
 * the loop so that it no longer fits, the input falls back to a fresh batch for G (mutates `input`). An
 * explicit `--reuse-fake` where it cannot apply stays an error (the schema's check).
 */
export function dropUnfitReuseFake(input: Record<string, unknown>): void {
  if (input.reuseFake === true && !reuseFakeFits(input)) input.reuseFake = false;
}

/** Method hyper-parameters the spec holds as fields of their own (in G/D terms), not in `methodParams`. */
export const FLAT_METHOD_PARAMS = ["steps", "first", "reuseFake", "unroll", "gamma"] as const;

export const ExperimentSchema = ExperimentFields.superRefine((s, ctx) => {
  const mixed = (MIXED_SPEC_METHODS as readonly string[]).includes(s.method);
  if (s.method === PROXIMAL_TRAINING && s.proxLambda === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["proxLambda"],
      message: `method '${PROXIMAL_TRAINING}' needs proxLambda (--prox-lambda), a number > 0`,
    });
  }
  if (mixed && s.proxLambda !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["proxLambda"],
      message: `proximal training applies to the pure game, not to mixed method '${s.method}'`,
    });
  }
  if (mixed && s.replicas > 1) {
    ctx.addIssue({
      code: "custom",
      path: ["replicas"],
      message: `mixed method '${s.method}' uses a particle axis (particles); replicas must be 1`,
    });
  }
  if (s.lrDecay > 0 && (mixed || findMethod(s.method)?.usesBaseUpdates === false)) {
    ctx.addIssue({
      code: "custom",
      path: ["lrDecay"],
      message: `method '${s.method}' has no optimizer for the decay to scale; lrDecay applies to the gradient methods`,
    });
  }
  if (s.reuseFake && !reuseFakeFits(s)) {
    ctx.addIssue({
      code: "custom",
      path: ["reuseFake"],
      message: `G can reuse D's fake batch under method '${DEFAULT_GAN_METHOD}' (no proxLambda) with first D, kG 1 and replicas 1; got method '${s.method}'${s.proxLambda !== undefined ? " with proxLambda" : ""}, first ${s.first}, kG ${s.kG ?? defaultSteps(registryMethod(s.method))[0]}, replicas ${s.replicas}`,
    });
  }
  if (s.methodParams !== undefined) {
    const name = registryMethod(s.method);
    const m = findMethod(name);
    const flat = FLAT_METHOD_PARAMS as readonly string[];
    const own = m ? paramNames(m).filter((k) => !flat.includes(k)) : [];
    for (const key of Object.keys(s.methodParams)) {
      if (!own.includes(key)) {
        ctx.addIssue({
          code: "custom",
          path: ["methodParams", key],
          message: flat.includes(key)
            ? `'${key}' has its own spec field (kG, kD, first, reuseFake, unroll, gamma)`
            : `method '${name}' has no parameter '${key}' here; allowed: ${own.join(", ") || "none"}`,
        });
        return;
      }
    }
    const r = m?.params.safeParse(s.methodParams);
    if (r && !r.success) {
      const issue = r.error.issues[0];
      ctx.addIssue({
        code: "custom",
        path: ["methodParams", ...issue.path.map(String)],
        message: issue.message,
      });
    }
  }
  if (s.proxNorm === "sobolev" && s.replicas > 1) {
    ctx.addIssue({
      code: "custom",
      path: ["proxNorm"],
      message: "the Sobolev proximal norm is implemented for replicas = 1",
    });
  }
}).transform((s) => {
  // k_G, k_D absent: the default of the registry method the spec trains with (best-response's [1, 5]).
  const d = defaultSteps(registryMethod(s.method));
  return { ...s, kG: s.kG ?? d[0], kD: s.kD ?? d[1] };
});

export type ExperimentSpec = z.infer<typeof ExperimentSchema>;
export type ExperimentInput = z.input<typeof ExperimentSchema>;

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let v: unknown = input;
  for (const k of path)
    v = v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/** Validate a spec object; the first problem becomes one UsageError line. */
export function parseSpec(input: unknown, where = "spec"): ExperimentSpec {
  const r = ExperimentSchema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue.path.map(String).join(".");
  if (issue.code === "unrecognized_keys") {
    throw new UsageError(
      `${where}: unknown field '${issue.keys.join("', '")}'; allowed: ${Object.keys(ExperimentFields.shape).join(", ")}`,
    );
  }
  const got = JSON.stringify(valueAt(input, issue.path));
  throw new UsageError(
    `${where}: field '${field}' = ${got ?? "missing"}: ${issue.message.replace(/^Invalid input: /, "")}`,
  );
}

/** Read and validate a spec file; unreadable files and invalid JSON are UsageErrors. */
export function readSpecFile(file: string): ExperimentSpec {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "it is a directory"
          : code === "EACCES"
            ? "permission denied"
            : String(code);
    throw new UsageError(`--spec: cannot read '${file}': ${why}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--spec: '${file}' is not valid JSON: ${(e as Error).message}`);
  }
  return parseSpec(json, `--spec '${file}'`);
}

/**
 * The listed method a spec method trains with: "proximal" → DEFAULT_GAN_METHOD (alternating), a mixed method
 * → MIXED_LIMIT_METHOD (simultaneous).
 */
function registryMethod(method: SpecMethod): MethodName {
  if (method === PROXIMAL_TRAINING) return DEFAULT_GAN_METHOD;
  if ((MIXED_SPEC_METHODS as readonly string[]).includes(method)) return MIXED_LIMIT_METHOD;
  return method as MethodName;
}

/** Whether the spec names a mixed-strategy (particle) method. */
export function isMixed(spec: ExperimentSpec): spec is ExperimentSpec & {
  method: (typeof MIXED_SPEC_METHODS)[number];
} {
  return (MIXED_SPEC_METHODS as readonly string[]).includes(spec.method);
}

/**
 * The MethodSpec (players [G, D]) of an experiment. "proximal" is alternating GDA (applied to V_λ^prox by
 * the trainer); a mixed method maps to MIXED_LIMIT_METHOD (simultaneous GDA), its K_in = 1, τ = 0, β = 1 limit with SGD, which is
 * what tools that need a registry method (e.g. `analyze --nash-gap`'s base updates) use.
 */
export function methodSpecOf(spec: ExperimentSpec): MethodSpec {
  const name = registryMethod(spec.method);
  return {
    name,
    lr: [spec.lrG, spec.lrD],
    optimizer: [spec.optimizer, spec.optimizer],
    betas: spec.betas,
    momentum: spec.momentum,
    gamma: spec.gamma,
    steps: [spec.kG, spec.kD],
    first: spec.first === "G" ? 0 : 1,
    ...(spec.reuseFake ? { reuseFake: true } : {}),
    unroll: spec.unroll,
    ...(spec.methodParams ?? {}),
    ...(spec.lrDecay > 0 ? { lrDecay: { rounds: spec.steps, fraction: spec.lrDecay } } : {}),
  };
}

/**
 * `text` made into a run name (RUN_NAME) of at most `max` characters: other characters become '_', leading
 * '.' and '-' are dropped, and the rest is cut to fit ("data" if nothing is left).
 */
export function toRunName(text: string, max = 80): string {
  const t = text.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^[.-]+/, "");
  return (t || "data").slice(0, Math.max(1, max));
}

/** A default run name: data, objective, method, seed (the data's part cut so that the name fits). */
export function defaultRunName(spec: ExperimentSpec): string {
  const rest = `-${spec.objective}-${spec.method}-s${spec.seed}`;
  const data = spec.data.replace(/^.*\//, "").replace(/\.csv$/i, "");
  return `${toRunName(data, 80 - rest.length)}${rest}`;
}
