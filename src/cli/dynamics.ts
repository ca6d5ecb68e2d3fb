/**
 * `saddle dynamics`: run one method on one game, and put the predicted local rate (spectral radius of the
 * method's linearised update at ω*, Mitliagkas: Bertsekas Prop. 4.4.1) beside the measured one (fitted slope
 * of log‖ω_t − ω*‖).
 */
import { Command } from "commander";
import { jacobian } from "../analysis/jacobian.ts";
import { predictedRate } from "../analysis/operators.ts";
import { measuredRate } from "../analysis/rate.ts";
import { useDevice } from "../engine/device.ts";
import { UsageError } from "../engine/errors.ts";
import * as J from "../engine/joint.ts";
import { createMethod, describeMethod } from "../methods/registry.ts";
import { runDynamics } from "../dynamics/run-dynamics.ts";
import { verdictOf, type Verdict } from "../dynamics/verdict.ts";
import { boxAround, sampleField } from "../dynamics/field-grid.ts";
import { distancePlot, trajectoryPlot } from "../report/plots.ts";
import { writePlot } from "../report/render.ts";
import { checkOutputPath, parseNumber } from "./args.ts";
import {
  addGameFlags,
  addMethodFlags,
  loadGame,
  readGameFlags,
  readMethodFlags,
  str,
  type RawFlags,
} from "./common.ts";
import { fmt, fmtComplex, printJson, printPairs } from "./output.ts";
import { progress } from "./progress.ts";

export function dynamicsCommand(): Command {
  const cmd = new Command("dynamics")
    .description("run a method on a game: predicted vs measured rate, final distance, divergence")
    .option("--steps <n>", "number of steps (1 … 10⁷)", "200")
    .option(
      "--plot <file>",
      "write a picture (.png or .svg): trajectory over the vector field for 2-parameter games, distance vs step otherwise",
    )
    .option("--json", "print one JSON object");
  addGameFlags(cmd);
  addMethodFlags(cmd, { lr: "0.1" });
  cmd.addHelpText(
    "after",
    `
Examples:
  saddle dynamics --game bilinear --method extragradient --lr 0.7071 --steps 200
  saddle dynamics --game bilinear --method alternating --lr 0.5 --momentum -0.1 --plot alt.png
  saddle dynamics --game dirac --objective non-saturating --gp 0.3 --method simultaneous --lr 0.1 --steps 500 --json`,
  );
  return cmd;
}

export interface DynamicsResult {
  game: string;
  description: string;
  method: ReturnType<typeof readMethodFlags>;
  update: string;
  predicted: { radius: number | null; eigenvalues: { re: number; im: number }[]; reason?: string };
  measured: { rate: number | null; from: number; to: number };
  initialDistance: number;
  finalDistance: number;
  verdict: Verdict;
  diverged: boolean;
  nonFinite: { step: number; player: string } | null;
  maxResidual: number | null;
  steps: number;
  stepsRun: number;
  wallMs: number;
  stepsPerSecond: number;
  final: { [player: string]: number[] };
  plot?: string;
}

export async function runDynamicsCommand(flags: RawFlags): Promise<number> {
  // Validate everything before any work or any file is written.
  const steps = parseNumber("--steps", str(flags, "steps"), { integer: true, min: 1, max: 10_000_000 });
  const setup = readGameFlags(flags);
  const spec = readMethodFlags(flags);
  const plot = str(flags, "plot");
  if (plot !== undefined) checkOutputPath("--plot", plot, [".png", ".svg"]);
  const json = flags.json === true;

  await useDevice(setup.device);
  const game = await loadGame(setup);
  if (!game.equilibrium)
    throw new UsageError(`--game: '${game.name}' has no known equilibrium to measure against`);
  const method = createMethod(game, spec);

  const eq = game.equilibrium();
  const layout = J.layoutOf(eq);
  const Jm = jacobian(game, eq);
  J.toFloat64(eq);
  const predicted = predictedRate(spec, Jm, layout.sizes);

  const bar = progress("dynamics", steps, !process.stderr.isTTY || steps < 5000);
  const twoD = layout.sizes[0] === 1 && layout.sizes[1] === 1;
  const rec = runDynamics(game, method, {
    steps,
    keepTrajectory: plot !== undefined && twoD,
    onStep: (t) => bar.tick(t),
  });
  bar.done();
  const fit = measuredRate(rec.distances);
  const d0 = rec.distances[0];
  const dT = rec.nonFinite ? Number.POSITIVE_INFINITY : rec.distances[rec.distances.length - 1];
  const verdict = verdictOf({ rate: fit.rate, d0, dT, nonFinite: rec.nonFinite !== null });

  const result: DynamicsResult = {
    game: game.name,
    description: game.description,
    method: spec,
    update: describeMethod(spec),
    predicted,
    measured: { rate: fit.rate, from: fit.from, to: fit.to - 1 },
    initialDistance: d0,
    finalDistance: dT,
    verdict,
    diverged: verdict === "diverges",
    nonFinite: rec.nonFinite,
    maxResidual: rec.maxResidual,
    steps,
    stepsRun: rec.stepsRun,
    wallMs: rec.wallMs,
    stepsPerSecond: (1000 * rec.stepsRun) / Math.max(rec.wallMs, 1e-9),
    final: {
      [game.players[0]]: rec.final.slice(0, layout.sizes[0]),
      [game.players[1]]: rec.final.slice(layout.sizes[0]),
    },
  };

  if (plot !== undefined) {
    const title = `${game.name} · ${spec.name}, η = ${spec.lr[0]}${spec.momentum ? `, β = ${spec.momentum}` : ""}`;
    if (twoD && rec.trajectory) {
      const pts = rec.trajectory.filter((p) => p.every(Number.isFinite));
      const field = sampleField(game, boxAround(pts));
      const star = J.toFloat64(game.equilibrium());
      await writePlot(
        plot,
        trajectoryPlot({
          field,
          trajectory: pts.map((p, i) => ({ step: i, x: p[0], y: p[1] })),
          equilibrium: { x: star[0], y: star[1] },
          title,
          xLabel: game.players[0],
          yLabel: game.players[1],
        }),
      );
    } else {
      await writePlot(
        plot,
        distancePlot({
          series: rec.distances.map((d, i) => ({ name: spec.name, step: i, distance: d })),
          title,
          predicted:
            predicted.radius === null
              ? undefined
              : [{ name: `predicted ρ = ${fmt(predicted.radius)}`, rate: predicted.radius, d0 }],
        }),
      );
    }
    result.plot = plot;
  }

  if (json) {
    printJson(result);
  } else {
    const eig = predicted.eigenvalues
      .slice(0, 4)
      .map((z) => fmtComplex(z))
      .join(", ");
    printPairs([
      ["game", `${game.name}: ${game.description}`],
      ["method", result.update],
      ["steps", `${rec.stepsRun} of ${steps} (${fmt(result.stepsPerSecond, 4)} steps/s)`],
      [
        "predicted ρ",
        predicted.radius === null
          ? `— (${predicted.reason ?? "no linear operator"})`
          : `${fmt(predicted.radius)}   spectral radius of the linearised update at ω*; eigenvalues ${eig}${predicted.eigenvalues.length > 4 ? ", …" : ""}`,
      ],
      [
        "measured ρ",
        fit.rate === null
          ? "— (too few finite points)"
          : `${fmt(fit.rate)}   fit of log‖ω_t − ω*‖ over steps ${fit.from}–${fit.to - 1}`,
      ],
      ["distance", `${fmt(d0)} → ${fmt(dT)}`],
      ...(rec.maxResidual !== null
        ? ([["inner residual", `max ${fmt(rec.maxResidual)}`]] as [string, string][])
        : []),
      [
        "verdict",
        verdict +
          (rec.nonFinite ? ` (non-finite ${rec.nonFinite.player} at step ${rec.nonFinite.step})` : ""),
      ],
      ...(plot ? ([["plot", plot]] as [string, string][]) : []),
    ]);
  }
  return 0;
}
