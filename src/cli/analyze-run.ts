/**
 * `saddle analyze --run DIR` and `saddle analyze --path-angle A B` (hooked in by src/cli/analyze.ts): the
 * landscape of a trained run at a checkpoint, matrix-free (src/analysis/landscape.ts: Krylov–Schur for the
 * game Jacobian, Lanczos for each player's Hessian), over training (`--every K`), from the dense spectrum
 * (`--dense`), or the path-angle between two checkpoints (src/analysis/path-angle.ts; Berard et al., ICLR 2020).
 * Every operator is evaluated on one fixed batch: `--batch` samples drawn from the run's data key.
 */
import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import {
  denseLandscape,
  landscape,
  type LandscapeOptions,
  type LandscapeReport,
} from "../analysis/landscape.ts";
import { WHICH, type Which } from "../analysis/krylov-schur.ts";
import { pathAngle } from "../analysis/path-angle.ts";
import { pointOperators } from "../analysis/point-operators.ts";
import { useDevice } from "../engine/device.ts";
import { UsageError } from "../engine/errors.ts";
import { keyFor } from "../engine/rng.ts";
import * as T from "../engine/tree.ts";
import type { Joint } from "../games/game.ts";
import { pathAnglePlot } from "../report/landscape-plots.ts";
import { eigenPlot } from "../report/plots.ts";
import { writePlot } from "../report/render.ts";
import { RunDir, type Checkpoint } from "../runs/run-dir.ts";
import { loadTree } from "../runs/serialize.ts";
import type { ExperimentSpec } from "../spec/experiment.ts";
import { buildGame, type GanGame } from "../train/build.ts";
import { specDataset } from "../train/image-build.ts";
import { checkOutputPath, parseChoice, parseNumber } from "./args.ts";
import { str, type RawFlags } from "./common.ts";
import { fmt, fmtComplex, printJson, printPairs, printTable } from "./output.ts";
import { activity } from "./progress.ts";

/**
 * Default fixed batch of image (DCGAN) runs: jax-js 0.1.25 materialises the forward-over-reverse product of
 * the mnist-dcgan preset in one wasm buffer that passes its 4 GiB limit above about 40 samples.
 */
export const IMAGE_BATCH = 16;

/** The flags of the run modes, on `saddle analyze`. */
export function addRunLandscapeFlags(cmd: Command): Command {
  return cmd
    .option(
      "--run <dir>",
      "instead: the landscape of a trained run (game Jacobian top-k, each player's Hessian)",
    )
    .option("--step <n>", "--run: the checkpoint step (default: the latest)")
    .option("--top <k>", "--run: how many game-Jacobian eigenvalues (default 10)")
    .option("--which <w>", "--run: magnitude | real | imag: largest |λ|, Re λ or |Im λ| (default magnitude)")
    .option("--hessian-k <k>", "--run: top-k and bottom-k of each player's Hessian (default: --top)")
    .option(
      "--batch <n>",
      `--run: size of the fixed batch (default: the run's batch; ${IMAGE_BATCH} for image models)`,
    )
    .option("--tol <t>", "--run: relative residual tolerance (default 1e-10 in float64, 1e-4 in float32)")
    .option(
      "--krylov <m>",
      "--run: Krylov dimension before a restart (default max(2k + 1, 20); real, imag: max(4k + 1, 40))",
    )
    .option("--max-restarts <r>", "--run: restarts before giving up (default 300)")
    .option("--no-stability", "--run: skip the leftmost eigenvalue of ∇v (the stability half of the type)")
    .option("--dense", "--run: the full spectrum from the dense Jacobian (≤ 2000 parameters), same JSON")
    .option("--every <K>", "--run: analyse every K-th checkpoint and plot how the top eigenvalues move")
    .option("--path-angle <ends...>", "instead: path-angle between two checkpoints RUN@STEP RUN@STEP")
    .option("--points <n>", "--path-angle: number of α values in [−0.1, 1.1] (default 100)")
    .addHelpText(
      "after",
      `
Trained runs (docs/landscape.md):
  saddle analyze --run runs/mnist-dcgan --top 20 --hessian-k 5 --plot eig.png
  saddle analyze --run runs/ring --every 2 --top 6 --which imag --json
  saddle analyze --path-angle runs/ring@500 runs/ring@2000 --points 100 --plot path.png`,
    );
}

/** True when the flags ask for a run mode. */
export function isRunLandscape(flags: RawFlags): boolean {
  return flags.run !== undefined || flags.pathAngle !== undefined;
}

interface LoadedRun {
  dir: string;
  run: RunDir;
  spec: ExperimentSpec;
}

function openRun(dir: string, flag: string): LoadedRun {
  const { run, spec } = RunDir.open(dir, flag);
  if (spec.replicas > 1)
    throw new UsageError(`${flag}: '${dir}' has ${spec.replicas} replicas; only 1 is supported`);
  return { dir, run, spec };
}

function readCheckpoint(r: LoadedRun, step: number | undefined, flag: string): Checkpoint {
  const steps = r.run.checkpointSteps();
  const s = step ?? steps[steps.length - 1];
  if (!steps.includes(s)) {
    throw new UsageError(
      `${flag}: run '${r.dir}' has no checkpoint at step ${s}; it has steps ${steps.join(", ")}`,
    );
  }
  const file = path.join(r.run.checkpointDir, `step-${String(s).padStart(9, "0")}.json`);
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as Checkpoint;
  } catch (e) {
    throw new UsageError(`${flag}: checkpoint '${file}' is unreadable: ${(e as Error).message}`);
  }
}

function gameOf(r: LoadedRun, batch: number | undefined): { game: GanGame; batch: number } {
  const b = batch ?? (r.spec.model === "dcgan" ? Math.min(IMAGE_BATCH, r.spec.batch) : r.spec.batch);
  return { game: buildGame({ ...r.spec, batch: b }, specDataset(r.spec)), batch: b };
}

/** "DIR@STEP" (or "DIR": the latest checkpoint). */
function parseEnd(raw: string): { dir: string; step: number | undefined } {
  const at = raw.lastIndexOf("@");
  if (at <= 0) return { dir: raw, step: undefined };
  return {
    dir: raw.slice(0, at),
    step: parseNumber("--path-angle", raw.slice(at + 1), { integer: true, min: 0 }),
  };
}

interface Parsed {
  k: number;
  which: Which;
  hessianK: number;
  batch?: number;
  tol?: number;
  m?: number;
  maxRestarts?: number;
  step?: number;
  every?: number;
  points: number;
  plot?: string;
  json: boolean;
}

function parseFlags(flags: RawFlags): Parsed {
  const opt = (flag: string, key: string, rule: Parameters<typeof parseNumber>[2]) => {
    const raw = str(flags, key);
    return raw === undefined ? undefined : parseNumber(flag, raw, rule);
  };
  const int1 = { integer: true, min: 1 };
  const k = opt("--top", "top", int1) ?? 10;
  const plot = str(flags, "plot");
  if (plot !== undefined) checkOutputPath("--plot", plot, [".png", ".svg"]);
  return {
    k,
    which: parseChoice("--which", str(flags, "which") ?? "magnitude", WHICH),
    hessianK: opt("--hessian-k", "hessianK", int1) ?? k,
    batch: opt("--batch", "batch", int1),
    tol: opt("--tol", "tol", { above: 0, max: 0.5 }),
    m: opt("--krylov", "krylov", { integer: true, min: 3 }),
    maxRestarts: opt("--max-restarts", "maxRestarts", { integer: true, min: 0 }),
    step: opt("--step", "step", { integer: true, min: 0 }),
    every: opt("--every", "every", int1),
    points: opt("--points", "points", { integer: true, min: 2, max: 100000 }) ?? 100,
    plot,
    json: flags.json === true,
  };
}

/** One checkpoint's report (game built once per call). */
async function analyseAt(
  r: LoadedRun,
  ck: Checkpoint,
  p: Parsed,
  dense: boolean,
  stability: boolean,
): Promise<LandscapeReport & { run: string; step: number; batch: number; dtype: string; seconds: number }> {
  const t0 = performance.now();
  const { game, batch } = gameOf(r, p.batch);
  const w = loadTree(game.init(), ck.params) as Joint;
  const ops = pointOperators(game, w, keyFor(r.spec.seed, "data"));
  T.dispose(w);
  const opts: LandscapeOptions = {
    k: p.k,
    which: p.which,
    hessianK: p.hessianK,
    tol: p.tol,
    m: p.m,
    maxRestarts: p.maxRestarts,
    noStability: !stability,
    onProduct: (part, n) => bar.count(part, n),
  };
  const bar = activity(`analyze ${path.basename(r.dir)}@${ck.step}`, "products");
  try {
    const rep = await (dense ? denseLandscape : landscape)(ops, ["G", "D"], game.dtype, opts);
    return {
      run: r.dir,
      step: ck.step,
      batch,
      dtype: game.dtype,
      ...rep,
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    bar.done();
    ops.dispose();
  }
}

function printReport(rep: Awaited<ReturnType<typeof analyseAt>>): void {
  printPairs([
    ["run", `${rep.run} (step ${rep.step})`],
    ["parameters", `${rep.n} (G ${rep.sizes[0]}, D ${rep.sizes[1]}), ${rep.dtype}`],
    ["batch", `${rep.batch} samples fixed by the run's data key`],
    [
      "losses",
      `L_G ${fmt(rep.field.losses[0])}, L_D ${fmt(rep.field.losses[1])}; ‖v‖ ${fmt(rep.field.norm)}`,
    ],
    ["type", rep.type.verdict],
    ...rep.type.reasons.map((s): [string, string] => ["", s]),
  ]);
  const g = rep.game;
  process.stdout.write(
    `\n∇v: top ${g.k} by ${g.which} (${g.method}, ${g.products} products, ${g.restarts} restarts, ${fmt(g.seconds, 3)} s)\n`,
  );
  printTable(
    ["#", "λ", "|λ|", "residual", ""],
    g.eigenvalues.map((z, i) => [
      String(i + 1),
      fmtComplex(z),
      fmt(Math.hypot(z.re, z.im)),
      fmt(z.residual),
      z.converged ? "" : "not converged",
    ]),
  );
  if (rep.leftmost) {
    const z = rep.leftmost;
    process.stdout.write(`leftmost λ (min Re): ${fmtComplex(z)}  residual ${fmt(z.residual)}\n`);
  }
  for (const h of rep.hessians) {
    process.stdout.write(
      `\nplayer ${h.player}'s Hessian (${h.n} parameters; ${h.method}, ${h.products} products, ${fmt(h.seconds, 3)} s)\n`,
    );
    printTable(
      ["#", "top", "residual", "bottom", "residual"],
      h.top.map((t, i) => [
        String(i + 1),
        fmt(t.value),
        fmt(t.residual),
        fmt(h.bottom[i]?.value),
        fmt(h.bottom[i]?.residual),
      ]),
    );
  }
  process.stdout.write(`\ntime ${fmt(rep.seconds, 3)} s\n`);
}

export async function runLandscapeCommand(flags: RawFlags): Promise<number> {
  const p = parseFlags(flags);
  const stability = flags.stability !== false;
  const ends = flags.pathAngle as unknown as string[] | undefined;
  if (ends !== undefined) return runPathAngle(ends, p);
  const dir = str(flags, "run") as string;
  if (flags.dense === true && p.every !== undefined) throw new UsageError("--dense: not with --every");
  const r = openRun(dir, "--run");
  await useDevice(r.spec.device);
  if (p.every !== undefined) {
    const steps = r.run.checkpointSteps().filter((_, i) => i % (p.every as number) === 0);
    const reports = [];
    for (const s of steps)
      reports.push(await analyseAt(r, readCheckpoint(r, s, "--every"), p, false, stability));
    if (p.plot) {
      await writePlot(
        p.plot,
        eigenPlot({
          groups: reports.map((x) => ({ name: `step ${x.step}`, eigenvalues: x.game.eigenvalues })),
          title: `${path.basename(dir)}: top-${p.k} eigenvalues of ∇v (${p.which}) over training`,
          unitCircle: false,
        }),
      );
    }
    if (p.json) printJson({ run: dir, every: p.every, reports });
    else {
      printTable(
        ["step", "top |λ|", "max |Im λ|", "min Re λ", "min eig H_G", "min eig H_D", "type"],
        reports.map((x) => [
          String(x.step),
          fmt(Math.max(...x.game.eigenvalues.map((z) => Math.hypot(z.re, z.im)))),
          fmt(Math.max(...x.game.eigenvalues.map((z) => Math.abs(z.im)))),
          x.leftmost ? fmt(x.leftmost.re) : "—",
          fmt(x.hessians[0].bottom[0].value),
          fmt(x.hessians[1].bottom[0].value),
          x.type.kind,
        ]),
      );
      if (p.plot) process.stdout.write(`\nplot: ${p.plot}\n`);
    }
    return 0;
  }
  const rep = await analyseAt(r, readCheckpoint(r, p.step, "--step"), p, flags.dense === true, stability);
  if (p.plot) {
    await writePlot(
      p.plot,
      eigenPlot({
        groups: [
          { name: `∇v top-${rep.game.k} (${rep.game.which})`, eigenvalues: rep.game.eigenvalues },
          ...rep.hessians.map((h) => ({
            name: `H_${h.player} top/bottom-${h.k}`,
            eigenvalues: [...h.top, ...h.bottom].map((e) => ({ re: e.value, im: 0 })),
          })),
        ],
        title: `${path.basename(dir)} step ${rep.step}: eigenvalues (batch ${rep.batch})`,
        unitCircle: false,
      }),
    );
  }
  if (p.json) printJson(rep);
  else {
    printReport(rep);
    if (p.plot) process.stdout.write(`plot: ${p.plot}\n`);
  }
  return 0;
}

async function runPathAngle(ends: string[], p: Parsed): Promise<number> {
  if (ends.length !== 2) {
    throw new UsageError(`--path-angle: expected two checkpoints RUN@STEP RUN@STEP, got ${ends.length}`);
  }
  const [a, b] = ends.map(parseEnd);
  const ra = openRun(a.dir, "--path-angle");
  const rb = b.dir === a.dir ? ra : openRun(b.dir, "--path-angle");
  const cka = readCheckpoint(ra, a.step, "--path-angle");
  const ckb = readCheckpoint(rb, b.step, "--path-angle");
  await useDevice(ra.spec.device);
  const { game, batch } = gameOf(ra, p.batch);
  const wa = loadTree(game.init(), cka.params) as Joint;
  let wb: Joint;
  try {
    wb = loadTree(game.init(), ckb.params) as Joint;
  } catch (e) {
    T.dispose(wa);
    throw new UsageError(
      `--path-angle: '${b.dir}' does not hold the same networks as '${a.dir}': ${(e as Error).message}`,
    );
  }
  const t0 = performance.now();
  const points = await pathAngle(game, wa, wb, { points: p.points, key: keyFor(ra.spec.seed, "data") });
  T.dispose(wa);
  T.dispose(wb);
  const result = {
    from: { run: a.dir, step: cka.step },
    to: { run: b.dir, step: ckb.step },
    batch,
    direction: "ω_A − ω_B",
    points,
    seconds: (performance.now() - t0) / 1000,
  };
  if (p.plot) {
    await writePlot(
      p.plot,
      pathAnglePlot({
        points,
        players: ["G", "D"],
        title: `path-angle: ${path.basename(a.dir)}@${cka.step} → ${path.basename(b.dir)}@${ckb.step}`,
      }),
    );
  }
  if (p.json) {
    printJson(result);
    return 0;
  }
  printPairs([
    ["from", `${a.dir} step ${cka.step} (α = 0)`],
    ["to", `${b.dir} step ${ckb.step} (α = 1)`],
    ["batch", `${batch} samples fixed by the run's data key`],
  ]);
  const every = Math.max(1, Math.floor(points.length / 12));
  printTable(
    ["α", "cos ∠(v, ω_A − ω_B)", "‖v‖", "L_G", "L_D"],
    points
      .filter((_, i) => i % every === 0 || i === points.length - 1)
      .map((q) => [
        fmt(q.alpha, 3),
        fmt(q.cos, 4),
        fmt(q.fieldNorm, 4),
        fmt(q.losses[0], 5),
        fmt(q.losses[1], 5),
      ]),
  );
  if (p.plot) process.stdout.write(`\nplot: ${p.plot}\n`);
  return 0;
}
