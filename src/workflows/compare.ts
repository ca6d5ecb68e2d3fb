/**
 * The compare workflow: train one spec with several methods over several seeds and tabulate the outcome
 * (modes covered, % high quality, reverse KL, diverged count, wall time; mean ± std over seeds), with a
 * markdown report that links each run's samples.png. `saddle compare` and the claims suites call it.
 *
 * A method is a name (`alternating`, `extragradient`, …), an alias (`alt-gda`, `sim-gda`,
 * `negative-momentum` = alternating with β = −0.5, Gidel et al. 2019) or a name with overrides,
 * `alternating:momentum=-0.3:kD=2` (numbers, `true` / `false`, or text).
 */
import fs from "node:fs";
import path from "node:path";
import { UsageError } from "../engine/errors.ts";
import {
  dropUnfitReuseFake,
  overrideSpec,
  parseSpec,
  toRunName,
  type ExperimentInput,
  type ExperimentSpec,
} from "../spec/experiment.ts";
import {
  localRunner,
  type PlannedRun,
  type RunOutcome,
  type RunnerOptions,
  type SweepRunner,
} from "../sweeps/runner.ts";
import { alternatingMethod } from "../methods/alternating.ts";
import { simultaneousMethod } from "../methods/simultaneous.ts";

export const METHOD_ALIASES: Record<string, ExperimentInput> = {
  "sim-gda": { method: simultaneousMethod.name },
  "alt-gda": { method: alternatingMethod.name },
  "negative-momentum": { method: alternatingMethod.name, momentum: -0.5 },
  "positive-momentum": { method: alternatingMethod.name, momentum: 0.5 },
};

/** One entry of --methods as spec overrides; validated later by parseSpec. */
export function parseMethodEntry(entry: string): { label: string; overrides: Record<string, unknown> } {
  const [head, ...rest] = entry.split(":");
  const overrides: Record<string, unknown> = { ...(METHOD_ALIASES[head] ?? { method: head }) };
  for (const kv of rest) {
    const m = /^([A-Za-z0-9]+)=(.+)$/.exec(kv);
    if (!m) throw new UsageError(`--methods: '${entry}': expected name:field=value, got '${kv}'`);
    const n = Number(m[2]);
    const bool = m[2] === "true" ? true : m[2] === "false" ? false : undefined;
    overrides[m[1]] = bool ?? (Number.isFinite(n) && m[2].trim() !== "" ? n : m[2]);
  }
  return { label: entry, overrides };
}

/**
 * The spec of one --methods entry: the base with the entry's overrides. An entry that changes the loop so that
 * G can no longer reuse D's fake batch drops the base's `reuseFake` (e.g. a preset's) unless it sets it itself.
 */
export function entrySpec(base: ExperimentSpec, entry: ReturnType<typeof parseMethodEntry>): ExperimentSpec {
  const input = overrideSpec(base, entry.overrides);
  return parseSpec(
    "reuseFake" in entry.overrides ? input : dropUnfitReuseFake(input),
    `--methods '${entry.label}'`,
  );
}

interface Stat {
  mean: number;
  std: number;
  n: number;
}
function stat(xs: number[]): Stat | null {
  const v = xs.filter(Number.isFinite);
  if (v.length === 0) return null;
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) : 0;
  return { mean, std, n: v.length };
}
const pm = (s: Stat | null, digits = 3, scale = 1): string =>
  s === null ? "—" : `${(s.mean * scale).toFixed(digits)} ± ${(s.std * scale).toFixed(digits)}`;

export interface CompareRow {
  method: string;
  spec: ExperimentInput;
  seeds: number;
  diverged: number;
  interrupted: number;
  /** Queued runs that failed (bad input on the worker, or crashes past the retries); absent when none. */
  failed?: number;
  modesCovered: Stat | null;
  highQualityPercent: Stat | null;
  reverseKL: Stat | null;
  /** Image runs (src/train/image-eval.ts): classifier IS, FID, and label accuracy of conditional runs. */
  image?: boolean;
  inceptionScore?: Stat | null;
  fid?: Stat | null;
  labelAccuracyPercent?: Stat | null;
  wallSeconds: Stat | null;
  runs: {
    seed: number;
    runDir: string;
    status: string;
    divergence: RunOutcome["divergence"];
    /** A failed run's one-line error. */
    error?: string;
  }[];
}

/** Every (method, seed) run of a comparison as a validated spec; every combination is checked before any trains. */
export function planSweep(
  base: ExperimentSpec,
  methods: string[],
  seeds: number,
): {
  entries: (ReturnType<typeof parseMethodEntry> & { spec: ExperimentSpec })[];
  runs: PlannedRun[];
} {
  const entries = methods.map(parseMethodEntry).map((e) => ({ ...e, spec: entrySpec(base, e) }));
  const runs: PlannedRun[] = [];
  entries.forEach((e, entry) => {
    for (let seed = 0; seed < seeds; seed++) {
      runs.push({
        entry,
        label: e.label,
        seed,
        spec: { ...e.spec, seed, name: `${toRunName(e.label, 80 - `-s${seed}`.length)}-s${seed}` },
      });
    }
  });
  return { entries, runs };
}

/** The table rows of a comparison from its runs' outcomes (local or queued alike). */
export function compareRows(
  entries: ReturnType<typeof planSweep>["entries"],
  runs: PlannedRun[],
  outcomes: RunOutcome[],
): CompareRow[] {
  return entries.map((e, i) => {
    const mine = outcomes.filter((_, k) => runs[k].entry === i);
    const ok = mine.filter((s) => s.status === "completed" && s.metrics);
    const failed = mine.filter((s) => s.status === "failed").length;
    return {
      method: e.label,
      spec: e.overrides as ExperimentInput,
      seeds: mine.length,
      diverged: mine.filter((s) => s.status === "diverged").length,
      interrupted: mine.filter((s) => s.status === "interrupted").length,
      ...(failed > 0 ? { failed } : {}),
      modesCovered: stat(ok.map((s) => s.metrics?.modesCovered ?? NaN)),
      highQualityPercent: stat(ok.map((s) => 100 * (s.metrics?.highQuality ?? NaN))),
      reverseKL: stat(ok.map((s) => s.metrics?.reverseKL ?? NaN)),
      image: e.spec.model === "dcgan",
      inceptionScore: stat(ok.map((s) => s.metrics?.inceptionScore ?? NaN)),
      fid: stat(ok.map((s) => s.metrics?.fid ?? NaN)),
      labelAccuracyPercent: stat(ok.map((s) => 100 * (s.metrics?.labelAccuracy ?? NaN))),
      wallSeconds: stat(mine.map((s) => s.wallSeconds)),
      runs: mine.map((s) => ({
        seed: s.spec.seed,
        runDir: s.runDir,
        status: s.status,
        divergence: s.divergence,
        ...(s.error !== undefined ? { error: s.error } : {}),
      })),
    };
  });
}

/**
 * Train every (method, seed) and summarise; used by `compare` and `reproduce mixtures`. The runner trains the
 * runs: in this process by default, or over workers (`--queue`, src/sweeps/submit.ts).
 */
export async function compareMethods(
  base: ExperimentSpec,
  methods: string[],
  seeds: number,
  out: string,
  opts: RunnerOptions & { runner?: SweepRunner },
): Promise<CompareRow[]> {
  const { entries, runs } = planSweep(base, methods, seeds);
  const outcomes = await (opts.runner ?? localRunner)(runs, path.join(out, "runs"), opts);
  return compareRows(entries, runs, outcomes);
}

export function tableCells(rows: CompareRow[]): { header: string[]; cells: string[][] } {
  const t = imageOrModeCells(rows);
  if (!rows.some((r) => r.failed)) return t;
  return {
    header: [...t.header.slice(0, -1), "failed", ...t.header.slice(-1)],
    cells: t.cells.map((c, i) => [
      ...c.slice(0, -1),
      `${rows[i].failed ?? 0}/${rows[i].seeds}`,
      ...c.slice(-1),
    ]),
  };
}

function imageOrModeCells(rows: CompareRow[]): { header: string[]; cells: string[][] } {
  if (rows.some((r) => r.image)) {
    const labels = rows.some((r) => r.labelAccuracyPercent);
    return {
      header: ["method", "IS", "FID", ...(labels ? ["% label accuracy"] : []), "diverged", "wall s"],
      cells: rows.map((r) => [
        r.method,
        pm(r.inceptionScore ?? null, 2),
        pm(r.fid ?? null, 2),
        ...(labels ? [pm(r.labelAccuracyPercent ?? null, 1)] : []),
        `${r.diverged}/${r.seeds}`,
        pm(r.wallSeconds, 1),
      ]),
    };
  }
  return {
    header: ["method", "modes", "% high quality", "reverse KL", "diverged", "wall s"],
    cells: rows.map((r) => [
      r.method,
      pm(r.modesCovered, 2),
      pm(r.highQualityPercent, 1),
      pm(r.reverseKL, 3),
      `${r.diverged}/${r.seeds}`,
      pm(r.wallSeconds, 1),
    ]),
  };
}

export function markdownReport(base: ExperimentSpec, rows: CompareRow[], out: string, title: string): string {
  const { header, cells } = tableCells(rows);
  const lines = [
    `# ${title}`,
    "",
    `Data \`${base.data}\`, objective \`${base.objective}\`, ${base.steps} steps, batch ${base.batch}, optimizer ${base.optimizer} (lrG ${base.lrG}, lrD ${base.lrD}), ${rows[0]?.seeds ?? 0} seeds; mean ± std over seeds that completed.`,
    rows.some((r) => r.image)
      ? `Classifier Inception Score and FID of ${base.evalSamples} generated images against the test set (saddle's own classifier's penultimate features; src/train/image-eval.ts).`
      : "Mode metrics on 2,500 generated samples (VEEGAN/PacGAN protocol: high quality = within 3σ of the nearest mode; a mode is covered when at least one high-quality sample is nearest to it; reverse KL of the high-quality mode histogram against uniform).",
    "",
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...cells.map((c) => `| ${c.join(" | ")} |`),
    "",
  ];
  for (const r of rows) {
    lines.push(`## ${r.method}`, "");
    for (const run of r.runs) {
      const rel = path.relative(out, path.join(run.runDir, "samples.png"));
      const note =
        run.status === "completed"
          ? ""
          : ` — ${run.status}${run.divergence ? ` at step ${run.divergence.step} (${run.divergence.player})` : ""}${run.error ? `: ${run.error}` : ""}`;
      lines.push(
        fs.existsSync(path.join(run.runDir, "samples.png"))
          ? `![${r.method} seed ${run.seed}](${rel})${note}`
          : `seed ${run.seed}${note}`,
      );
    }
    lines.push("");
  }
  return lines.join("\n");
}
