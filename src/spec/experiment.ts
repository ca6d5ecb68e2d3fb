/**
 * The experiment spec: one zod schema for everything a GAN run needs (data, models, objective, method,
 * optimizer, steps, batch, seed, evaluation, device, replicas). The CLI's flags, a `--spec file.json` and the
 * web lab all produce it; `parseSpec` validates it before anything is written, and a bad value becomes one
 * line naming the field, the value and what is allowed.
 */
import fs from "node:fs";
import { z } from "zod";
import { DEVICES, DTYPES } from "../engine/device.ts";
import { UsageError } from "../engine/errors.ts";
import { METHOD_NAMES, OPTIMIZERS, type MethodSpec } from "../methods/spec.ts";

export const OBJECTIVES = [
  "minimax",
  "non-saturating",
  "wasserstein",
  "wgan-gp",
  "hinge",
  "least-squares",
] as const;
export const ACTIVATIONS = ["relu", "leaky-relu", "tanh", "elu"] as const;

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const net = z
  .object({
    hidden: z.array(int(1, 4096)).max(8).default([128, 128]),
    activation: z.enum(ACTIVATIONS).default("relu"),
  })
  .strict();

export const ExperimentSchema = z
  .object({
    /** Run directory name under runs/ (default: made from data, objective, method, seed). */
    name: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,80}$/, "letters, digits, '.', '_' and '-' only, at most 80")
      .optional(),
    /** "ring", "grid" or a path to a CSV file of points. */
    data: z.string().min(1).default("ring"),
    latentDim: int(1, 1024).default(2),
    generator: net.default({ hidden: [128, 128], activation: "relu" }),
    discriminator: net.default({ hidden: [128, 128], activation: "relu" }),
    objective: z.enum(OBJECTIVES).default("non-saturating"),
    /** WGAN weight clipping bound c (objective "wasserstein"). */
    clip: z.number().positive().max(100).default(0.01),
    /** WGAN-GP penalty weight λ. */
    gpLambda: z.number().min(0).max(1e4).default(10),
    /** Zero-centred gradient penalties on real (R1) and generated (R2) points, weight γ. */
    r1: z.number().min(0).max(1e4).default(0),
    r2: z.number().min(0).max(1e4).default(0),
    method: z.enum(METHOD_NAMES).default("alternating"),
    /** Alternating: steps of [G, D] per round (k_G : k_D). */
    kG: int(1, 100).default(1),
    kD: int(1, 100).default(1),
    /** Alternating: who moves first in a round. */
    first: z.enum(["G", "D"]).default("D"),
    momentum: z.number().gt(-1).lt(1).default(0),
    /** Unrolled GANs: D's SGD steps that G's gradient is differentiated through (k). */
    unroll: int(1, 100).default(5),
    /** Consensus weight γ. */
    gamma: z.number().min(0).max(1e4).default(1),
    optimizer: z.enum(OPTIMIZERS).default("adam"),
    lrG: z.number().positive().max(10).default(1e-3),
    lrD: z.number().positive().max(10).default(1e-3),
    betas: z.tuple([z.number().min(0).lt(1), z.number().min(0).lt(1)]).default([0.5, 0.999]),
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
  })
  .strict();

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
      `${where}: unknown field '${issue.keys.join("', '")}'; allowed: ${Object.keys(ExperimentSchema.shape).join(", ")}`,
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

/** The MethodSpec (players [G, D]) of an experiment. */
export function methodSpecOf(spec: ExperimentSpec): MethodSpec {
  return {
    name: spec.method,
    lr: [spec.lrG, spec.lrD],
    optimizer: [spec.optimizer, spec.optimizer],
    betas: spec.betas,
    momentum: spec.momentum,
    gamma: spec.gamma,
    steps: [spec.kG, spec.kD],
    first: spec.first === "G" ? 0 : 1,
    tol: spec.dtype === "float64" ? 1e-10 : 1e-5,
    maxInner: 20,
    unroll: spec.unroll,
  };
}

/** A default run name: data, objective, method, seed. */
export function defaultRunName(spec: ExperimentSpec): string {
  const data = spec.data
    .replace(/^.*\//, "")
    .replace(/\.csv$/i, "")
    .replace(/[^A-Za-z0-9._-]/g, "_");
  return `${data}-${spec.objective}-${spec.method}-s${spec.seed}`;
}
