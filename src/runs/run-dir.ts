/**
 * A run directory, runs/<name>/:
 *   spec.json       the validated experiment spec (what `--resume` re-reads)
 *   metrics.jsonl   one JSON object per evaluation
 *   checkpoints/    step-<n>.json, written atomically, the last k kept
 *   samples.png     real vs generated points over the discriminator's contour
 *   summary.json    the final (or interrupted / diverged) state of the run
 */
import fs from "node:fs";
import path from "node:path";
import { UsageError } from "../engine/errors.ts";
import { readSpecFile, RUN_NAME, RUN_NAME_RULE, type ExperimentSpec } from "../spec/experiment.ts";
import { writeFileAtomic, writeJsonAtomic } from "./atomic.ts";
import { makeDirsFor, makeUniqueDir, errnoReason } from "./make-dir.ts";
import type { LeafRecord } from "../runs/serialize.ts";

export interface Checkpoint {
  step: number;
  params: LeafRecord[];
  state: LeafRecord[];
  noise: LeafRecord[];
  /** The moving average of G's parameters (spec field ema > 0; src/train/ema.ts). */
  ema?: LeafRecord[];
  /** Wall-clock seconds trained before this checkpoint (for the summary of resumed runs). */
  wallSeconds: number;
}

export class RunDir {
  constructor(readonly dir: string) {}

  get specPath(): string {
    return path.join(this.dir, "spec.json");
  }
  get metricsPath(): string {
    return path.join(this.dir, "metrics.jsonl");
  }
  get checkpointDir(): string {
    return path.join(this.dir, "checkpoints");
  }
  get samplesPath(): string {
    return path.join(this.dir, "samples.png");
  }
  get summaryPath(): string {
    return path.join(this.dir, "summary.json");
  }

  /**
   * A new run directory under `root` (made if missing); `name` is made unique with -2, -3, … if taken. A bad
   * name or a folder that cannot be made is a UsageError, and leaves nothing behind.
   */
  static create(root: string, name: string, spec: ExperimentSpec): RunDir {
    if (!RUN_NAME.test(name)) throw new UsageError(`--name: '${name}' is not a run name; allowed: ${RUN_NAME_RULE}`);
    makeDirsFor("--out", root);
    return RunDir.populate(makeUniqueDir("--out", root, name), spec);
  }

  /** A new run directory at exactly `dir` (a sweep worker's; src/sweeps/run-job.ts), replacing what is there. */
  static createAt(dir: string, spec: ExperimentSpec): RunDir {
    fs.rmSync(dir, { recursive: true, force: true });
    makeDirsFor("--store", dir);
    return RunDir.populate(dir, spec);
  }

  /** spec.json, an empty metrics.jsonl and checkpoints/ in the (new, empty) folder `dir`; removes it on failure. */
  private static populate(dir: string, spec: ExperimentSpec): RunDir {
    const run = new RunDir(dir);
    try {
      fs.mkdirSync(run.checkpointDir);
      writeJsonAtomic(run.specPath, spec);
      fs.writeFileSync(run.metricsPath, "");
    } catch (e) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw new UsageError(`--out: cannot write the run directory '${dir}': ${errnoReason(e)}`);
    }
    return run;
  }

  /** Rewrite spec.json (atomically), e.g. when `--resume --steps N` extends a run. */
  writeSpec(spec: ExperimentSpec): void {
    writeJsonAtomic(this.specPath, spec);
  }

  /** An existing run directory, for --resume: it must hold spec.json and at least one checkpoint. */
  static open(dir: string, flag = "--resume"): { run: RunDir; spec: ExperimentSpec } {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
      throw new UsageError(`${flag}: '${dir}' is not a run directory (no such folder)`);
    }
    const run = new RunDir(dir);
    if (!fs.existsSync(run.specPath)) throw new UsageError(`${flag}: '${dir}' has no spec.json`);
    const spec = readSpecFile(run.specPath);
    if (run.checkpointSteps().length === 0) throw new UsageError(`${flag}: '${dir}' has no checkpoints (checkpoints/step-N.json)`);
    return { run, spec };
  }

  checkpointSteps(): number[] {
    if (!fs.existsSync(this.checkpointDir)) return [];
    return fs
      .readdirSync(this.checkpointDir)
      .map((f) => /^step-(\d+)\.json$/.exec(f))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
  }

  writeCheckpoint(ck: Checkpoint, keep: number): void {
    writeFileAtomic(this.checkpointPath(ck.step), JSON.stringify(ck));
    const steps = this.checkpointSteps();
    for (const s of steps.slice(0, Math.max(0, steps.length - keep))) {
      fs.rmSync(this.checkpointPath(s), { force: true });
    }
  }

  /** The file of the checkpoint at `step`. */
  checkpointPath(step: number): string {
    return path.join(this.checkpointDir, `step-${String(step).padStart(9, "0")}.json`);
  }

  /** The checkpoint at `step` (one of `checkpointSteps()`); `flag` names the input in errors. */
  readCheckpoint(step: number, flag = "--resume"): Checkpoint {
    const file = this.checkpointPath(step);
    try {
      return JSON.parse(fs.readFileSync(file, "utf8")) as Checkpoint;
    } catch (e) {
      throw new UsageError(`${flag}: checkpoint '${file}' is unreadable: ${(e as Error).message}`);
    }
  }

  readLatestCheckpoint(): Checkpoint {
    const steps = this.checkpointSteps();
    return this.readCheckpoint(steps[steps.length - 1]);
  }

  appendMetrics(row: object): void {
    fs.appendFileSync(this.metricsPath, JSON.stringify(row) + "\n");
  }

  /** Keep only the metrics rows up to `step` (a resumed run rewrites what came after its checkpoint). */
  truncateMetrics(step: number): void {
    if (!fs.existsSync(this.metricsPath)) return;
    const rows = fs
      .readFileSync(this.metricsPath, "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "")
      .filter((l) => {
        try {
          return (JSON.parse(l) as { step: number }).step <= step;
        } catch {
          return false;
        }
      });
    writeFileAtomic(this.metricsPath, rows.map((l) => l + "\n").join(""));
  }

  readMetrics(): Record<string, unknown>[] {
    if (!fs.existsSync(this.metricsPath)) return [];
    return fs
      .readFileSync(this.metricsPath, "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  writeSummary(summary: object): void {
    writeJsonAtomic(this.summaryPath, summary);
  }
}
