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
import { DEFAULT_GAN_METHOD, METHOD_NAMES } from "../methods/index.ts";
import { MIXED_METHOD_PARAMS } from "../methods/mirror-gan.ts";
import { defaultSteps, findMethod, hasParam } from "../methods/registry.ts";
import { COMMON_DEFAULTS, OPTIMIZERS, type MethodName, type MethodSpec } from "../methods/spec.ts";
import {
  FLAT_METHOD_FIELDS,
  foldMethodFields,
  innerOf,
  innerParamsSchema,
  isMixedName,
  isWrapper,
  PROXIMAL_TRAINING,
  registryMethod,
  SpecMethodSchema,
  specParamNames,
  SPEC_METHODS,
  type SpecMethod,
  type SpecMethodChoice,
} from "./method-choice.ts";
import { DEFAULT_OBJECTIVE, OBJECTIVE_NAMES } from "../objectives/index.ts";
import { objectiveParamDefault } from "../objectives/registry.ts";

export {
  FLAT_METHOD_FIELDS,
  foldMethodFields,
  MIXED_SPEC_METHODS,
  PROXIMAL_TRAINING,
  SPEC_METHODS,
  type SpecMethod,
  type SpecMethodChoice,
} from "./method-choice.ts";
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
    /**
     * The method and its hyper-parameters, a discriminated union on `name` (SpecMethodSchema): e.g.
     * alternating GDA's { name, steps: [1, 5], first: 1 }. A plain name takes the defaults.
     */
    method: SpecMethodSchema.default({ name: DEFAULT_GAN_METHOD }),
    momentum: z.number().gt(-1).lt(1).default(COMMON_DEFAULTS.momentum),
    /**
     * Proximal training (Farnia & Ozdaglar): train on V_λ^prox(G, D) = max_D̃ V(G, D̃) − λ‖D − D̃‖² with this
     * λ > 0 (any method of the registry; method "proximal" = alternating). Unset = train on V itself.
     */
    proxLambda: z.number().positive().max(1e6).optional(),
    /** Inner gradient-ascent steps and step size of the D̃ maximisation, and the norm on D. */
    proxInnerSteps: int(0, 1000).default(10),
    proxInnerLr: z.number().positive().max(10).default(0.01),
    proxNorm: z.enum(PROX_NORMS).default("euclidean"),
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
    /** Convolutions: "auto" = im2col (matmul) on every device (lax.conv's strided input gradient is wrong on webgpu). */
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

/** The loop fields that `reuseFake` needs, as a spec holds them. */
interface LoopFields {
  method: SpecMethodChoice;
  proxLambda?: number;
  replicas: number;
}

/**
 * Whether G can reuse D's fake batch in this loop: a method with a `reuseFake` parameter (alternating; no
 * proxLambda), first D (1), k_G = 1, replicas 1.
 */
export function reuseFakeFits(s: LoopFields): boolean {
  const m = s.method;
  return (
    hasParam(m.name, "reuseFake") &&
    s.proxLambda === undefined &&
    m.first === 1 &&
    Array.isArray(m.steps) &&
    m.steps[0] === 1 &&
    s.replicas === 1
  );
}

/**
 * A preset's `reuseFake` belongs to the preset's own loop: where flags, a spec file or a `compare` entry change
 * the loop so that it no longer fits, the input falls back to a fresh batch for G. An explicit
 * `--reuse-fake` where it cannot apply stays an error (the schema's check). Returns the input, changed.
 */
export function dropUnfitReuseFake(input: Record<string, unknown>): Record<string, unknown> {
  const folded = foldMethodFields(input) as Record<string, unknown>;
  const method = folded.method as Record<string, unknown> | undefined;
  if (method?.reuseFake !== true) return folded;
  const { reuseFake: _, ...rest } = method;
  if (!hasParam(String(method.name), "reuseFake")) return { ...folded, method: rest };
  const r = ExperimentChecked.safeParse(folded);
  if (r.success || !r.error.issues.some((i) => i.path.join(".") === "method.reuseFake")) return folded;
  return { ...folded, method: { ...rest, reuseFake: false } };
}

const ExperimentChecked = ExperimentFields.superRefine((s, ctx) => {
  const name = s.method.name;
  const mixed = isMixedName(name);
  if (name === PROXIMAL_TRAINING && s.proxLambda === undefined) {
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
      message: `proximal training applies to the pure game, not to mixed method '${name}'`,
    });
  }
  if (mixed && s.replicas > 1) {
    ctx.addIssue({
      code: "custom",
      path: ["replicas"],
      message: `mixed method '${name}' uses a particle axis (particles); replicas must be 1`,
    });
  }
  if (s.lrDecay > 0 && (mixed || findMethod(name)?.usesBaseUpdates === false)) {
    ctx.addIssue({
      code: "custom",
      path: ["lrDecay"],
      message: `method '${name}' has no optimizer for the decay to scale; lrDecay applies to the gradient methods`,
    });
  }
  const part = innerPart(s.method);
  if (part) {
    const { inner, rest } = part;
    if (!innerListed(inner)) {
      ctx.addIssue({
        code: "custom",
        path: ["method", "inner"],
        message: `a listed method that wraps none; allowed: ${METHOD_NAMES.filter((n) => !isWrapper(n)).join(", ")}`,
      });
      return;
    }
    const r = innerParamsSchema(inner as MethodName).safeParse(rest);
    if (!r.success) {
      const issue = r.error.issues[0];
      ctx.addIssue({
        code: "custom",
        path: [
          "method",
          ...issue.path.map(String),
          ...(issue.code === "unrecognized_keys" ? issue.keys : []),
        ],
        message:
          issue.code === "unrecognized_keys"
            ? `neither '${name}' nor its inner method '${inner}' has this parameter`
            : issue.message,
      });
      return;
    }
  }
  const m = withInnerDefaults(s.method);
  if (Array.isArray(m.steps) && m.steps.some((k) => typeof k !== "number" || k < 1 || k > 100)) {
    ctx.addIssue({
      code: "custom",
      path: ["method", "steps"],
      message: "a GAN trains each player 1 to 100 times a round: [k_G, k_D], integers in [1, 100]",
    });
  }
  if (m.reuseFake === true && !reuseFakeFits({ ...s, method: m })) {
    const steps = Array.isArray(m.steps) ? m.steps : defaultSteps(registryMethod(name));
    ctx.addIssue({
      code: "custom",
      path: ["method", "reuseFake"],
      message: `G can reuse D's fake batch under method '${DEFAULT_GAN_METHOD}' (no proxLambda) with first 1 (D), steps [1, k_D] and replicas 1; got method '${name}'${s.proxLambda !== undefined ? " with proxLambda" : ""}, first ${String(m.first)}, steps [${steps.join(", ")}], replicas ${s.replicas}`,
    });
  }
  if (s.proxNorm === "sobolev" && s.replicas > 1) {
    ctx.addIssue({
      code: "custom",
      path: ["proxNorm"],
      message: "the Sobolev proximal norm is implemented for replicas = 1",
    });
  }
}).transform((s) => ({ ...s, method: withInnerDefaults(s.method) }));

/** A wrapper's inner method and the params that are not the wrapper's own (the inner's), or null. */
function innerPart(m: SpecMethodChoice): { inner: string; rest: Record<string, unknown> } | null {
  if (!isWrapper(m.name)) return null;
  const own = new Set(["name", ...specParamNames(m.name)]);
  return {
    inner: String(innerOf(m)),
    rest: Object.fromEntries(Object.entries(m).filter(([k]) => !own.has(k))),
  };
}

/** Whether a wrapper may run `inner`: a listed method that wraps none. */
const innerListed = (inner: string): boolean =>
  (METHOD_NAMES as readonly string[]).includes(inner) && !isWrapper(inner);

/** A wrapper's method with its inner method's params at their defaults (the method itself otherwise). */
function withInnerDefaults(m: SpecMethodChoice): SpecMethodChoice {
  const part = innerPart(m);
  if (!part || !innerListed(part.inner)) return m;
  const r = innerParamsSchema(part.inner as MethodName).safeParse(part.rest);
  return r.success ? { ...m, ...r.data } : m;
}

/**
 * The experiment schema: the flat method fields of older specs folded into `method` (foldMethodFields),
 * then every field checked.
 */
export const ExperimentSchema = z.preprocess(foldMethodFields, ExperimentChecked);

export type ExperimentSpec = z.infer<typeof ExperimentChecked>;
/** A spec as a file, the CLI or the lab writes it: `method` a name or { name, …params }, or the flat form. */
export type ExperimentInput = Omit<z.input<typeof ExperimentChecked>, "method"> & {
  method?: SpecMethod | SpecMethodChoice;
} & { [K in (typeof FLAT_METHOD_FIELDS)[number]]?: unknown };

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let v: unknown = input;
  for (const k of path)
    v = v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/** The spec methods that take a parameter named `param` (e.g. gamma → consensus). */
function ownersOf(param: string): SpecMethod[] {
  const p = param === "kG" || param === "kD" ? "steps" : param; // the flat form's names of steps' elements
  return SPEC_METHODS.filter((n) => specParamNames(n).includes(p));
}

/** Validate a spec object; the first problem becomes one UsageError line. */
export function parseSpec(input: unknown, where = "spec"): ExperimentSpec {
  const folded = foldMethodFields(input);
  const r = ExperimentChecked.safeParse(folded);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue.path.map(String).join(".");
  if (issue.code === "unrecognized_keys") {
    const inMethod = field === "method";
    const name = String(valueAt(folded, ["method", "name"]));
    const allowed = inMethod
      ? ["name", ...specParamNames(name as SpecMethod)]
      : Object.keys(ExperimentFields.shape);
    const owners = inMethod ? ownersOf(issue.keys[0]) : [];
    const hint =
      owners.length > 0
        ? ` ('${issue.keys[0]}' is a parameter of ${owners.join(", ")}: name that method, e.g. --method ${owners[0]}, or in compare an entry ${owners[0]}:${issue.keys[0]}=…)`
        : "";
    throw new UsageError(
      `${where}: unknown field '${issue.keys.map((k) => (inMethod ? `method.${k}` : k)).join("', '")}'${inMethod ? ` for method '${name}'` : ""}; allowed: ${allowed.join(", ")}${hint}`,
    );
  }
  const got = JSON.stringify(valueAt(folded, issue.path));
  const message =
    issue.code === "invalid_union" && field === "method.name"
      ? `allowed: ${SPEC_METHODS.join(", ")}`
      : issue.message.replace(/^Invalid input: /, "");
  throw new UsageError(`${where}: field '${field}' = ${got ?? "missing"}: ${message}`);
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
 * `base` with `patch`'s fields over it, as spec input (flat method fields in `patch` allowed). A patch that
 * names the base's own method by name keeps the base's method params (a preset's `reuseFake`, k_D); one
 * that names another method starts from that method's defaults.
 */
export function overrideSpec(base: ExperimentSpec, patch: Record<string, unknown>): Record<string, unknown> {
  const same = patch.method === base.method.name;
  return { ...base, ...patch, ...(same ? { method: base.method } : {}) };
}

/** Whether the spec names a mixed-strategy (particle) method. */
export const isMixed = (spec: ExperimentSpec): boolean => isMixedName(spec.method.name);

/**
 * The MethodSpec (players [G, D]) of an experiment: the method's params as they are. "proximal" is
 * alternating GDA (applied to V_λ^prox by the trainer); a mixed method maps to MIXED_LIMIT_METHOD
 * (simultaneous GDA), its K_in = 1, τ = 0, β = 1 limit with SGD, which is what tools that need a registry
 * method (e.g. `analyze --nash-gap`'s base updates) use.
 */
export function methodSpecOf(spec: ExperimentSpec): MethodSpec {
  const { name, ...params } = spec.method;
  return {
    name: registryMethod(name),
    lr: [spec.lrG, spec.lrD],
    optimizer: [spec.optimizer, spec.optimizer],
    betas: spec.betas,
    momentum: spec.momentum,
    ...(isMixedName(name) ? {} : params),
    ...(spec.lrDecay > 0 ? { lrDecay: { rounds: spec.steps, fraction: spec.lrDecay } } : {}),
  };
}

/** A mixed method's params of a spec (particles, temperature, sgldSteps, averaging). */
export function mixedParamsOf(spec: ExperimentSpec): z.infer<typeof MIXED_METHOD_PARAMS> {
  return MIXED_METHOD_PARAMS.parse(
    Object.fromEntries(Object.entries(spec.method).filter(([k]) => k !== "name")),
  );
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
  const rest = `-${spec.objective}-${spec.method.name}-s${spec.seed}`;
  const data = spec.data.replace(/^.*\//, "").replace(/\.csv$/i, "");
  return `${toRunName(data, 80 - rest.length)}${rest}`;
}
