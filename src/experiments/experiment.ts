/**
 * One experiment of `saddle reproduce experiments` (issue 19): a lecture's empirical relation on a real GAN,
 * tested at a budget and thresholds fixed in this code before any run, over several seeds. A relation that
 * does not hold at the budget is a finding reported with its numbers (pass false), never a moved threshold.
 */
import { execFileSync } from "node:child_process";
import os from "node:os";

/** "full": the budget the results file and docs/experiments.md report; "quick": a tiny budget for `npm test`. */
export type BudgetMode = "full" | "quick";

/** One measured quantity of a claim: its value per seed (null: that seed diverged or gave no value), mean ± std. */
export interface Measured {
  label: string;
  perSeed: (number | null)[];
  mean: number | null;
  std: number | null;
}

/** What an experiment's run returns; the suite adds id, relation, budget, wall time, commit. */
export interface Outcome {
  seeds: number[];
  values: Measured[];
  /** The relation's test in words with its numbers (what was compared with what). */
  measured: string;
  pass: boolean;
  /** The literature's rows or other context printed beside the numbers. */
  detail?: string;
}

/** A stored claim result (one entry of results/experiments.json). */
export interface ClaimResult extends Outcome {
  id: string;
  relation: string;
  source: string;
  /** The threshold of the relation, fixed in code. */
  threshold: string;
  mode: BudgetMode;
  budget: string;
  wallSeconds: number;
  commit: string;
  hardware: string;
  finishedAt: string;
}

export interface RunContext {
  mode: BudgetMode;
  /** Called as the claim's work advances: done of total units (e.g. training steps). */
  tick(done: number, total: number): void;
}

export interface Experiment {
  id: string;
  relation: string;
  source: string;
  threshold: string;
  /** The budget in words, per mode (fixed in code). */
  budget: Record<BudgetMode, string>;
  run(ctx: RunContext): Promise<Outcome>;
}

/** Mean and sample standard deviation (n − 1) of the non-null values; nulls when there are none. */
export function measured(label: string, perSeed: (number | null)[]): Measured {
  const v = perSeed.filter((x): x is number => x !== null && Number.isFinite(x));
  if (v.length === 0) return { label, perSeed, mean: null, std: null };
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) : 0;
  return { label, perSeed, mean, std };
}

/** "m ± s" with `d` decimals, or "—". */
export function pm(m: Measured, d = 1): string {
  return m.mean === null || m.std === null ? "—" : `${m.mean.toFixed(d)} ± ${m.std.toFixed(d)}`;
}

/** The checked-out commit (git rev-parse HEAD), or "unknown" outside a git checkout. */
export function currentCommit(): string {
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], { stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim();
  } catch {
    return "unknown";
  }
}

/** The machine in words: CPU count and model. */
export function hardware(): string {
  const cpus = os.cpus();
  return `${cpus.length}-core CPU (${cpus[0]?.model.trim() ?? "unknown"}), wasm backend`;
}
