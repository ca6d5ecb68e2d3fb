/**
 * `saddle analyze`: the local picture at a point (default: the game's known stationary point ω*):
 * the Jacobian ∇v and its complex eigenvalues, the type of the point (local Nash or which condition fails),
 * and every method's predicted local rate, ρ(∇F_η(ω*)) (Mitliagkas, "Eigen-analysis"; Gidel et al. 2019).
 */
import { Command } from "commander";
import { classifyPoint } from "../analysis/equilibrium.ts";
import { jacobian } from "../analysis/jacobian.ts";
import { predictedRate } from "../analysis/operators.ts";
import { eigenvalues } from "../analysis/spectrum.ts";
import { numpy as np } from "@jax-js/jax";
import { dtypeOf, useDevice } from "../engine/device.ts";
import { UsageError } from "../engine/errors.ts";
import * as J from "../engine/joint.ts";
import type { Game, Joint } from "../games/game.ts";
import { describeMethod, methodModules } from "../methods/registry.ts";
import type { MethodSpec } from "../methods/spec.ts";
import { eigenPlot } from "../report/plots.ts";
import { writePlot } from "../report/render.ts";
import { checkOutputPath, parseNumber, parseNumberList } from "./args.ts";
import {
  addGameFlags,
  loadGame,
  methodFlags,
  readGameFlags,
  readMethodFlag,
  str,
  type RawFlags,
} from "./common.ts";
import { runNashGap } from "./nash-gap.ts";
import { addRunLandscapeFlags, isRunLandscape, runLandscapeCommand } from "./analyze-run.ts";
import { fmt, fmtComplex, printJson, printPairs, printTable } from "./output.ts";

export function analyzeCommand(): Command {
  const cmd = new Command("analyze")
    .description("Jacobian eigenvalues, equilibrium type and every method's predicted rate at a point")
    .option("--lr <eta>", "step size η for the predicted rates (> 0)", "0.1")
    .option("--momentum <beta>", "β for the momentum rows (|β| < 1)", "-0.1")
    .option("--point <list>", "analyse at this point (θ then φ, comma-separated) instead of ω*")
    .option(
      "--plot <file>",
      "eigenvalues of each method's update operator with the unit circle (.png or .svg)",
    )
    .option(
      "--nash-gap <run>",
      "instead: Farnia & Ozdaglar's check on a trained run directory (fix D, keep training G, and vice versa)",
    )
    .option("--steps <k>", "--nash-gap: steps of each player against the fixed other (default 200)")
    .option("--prox <lambda>", "--nash-gap: also under the proximal objective V_λ^prox (λ > 0)")
    .option("--json", "print one JSON object");
  for (const f of rowFlags()) cmd.option(`${f.flag} ${f.arg}`, f.help, f.default);
  addGameFlags(cmd);
  addRunLandscapeFlags(cmd);
  cmd.addHelpText(
    "after",
    `
Eigenvalues are reported in two conventions: of ∇v (v = the players' loss gradients; a method
converges locally when its operator's eigenvalues lie inside the unit circle) and of the
gradient flow −∇v (Mescheder et al.: stable when all real parts are < 0).

Examples:
  saddle analyze --game dirac --objective non-saturating --gp 0.3 --lr 0.1
  saddle analyze --game bilinear --lr 0.5 --momentum -0.1 --plot eig.png --json`,
  );
  return cmd;
}

/** The method flags that set analyze's rows (each module's `analyze.flags`, e.g. consensus's --gamma). */
function rowFlags() {
  const wanted = new Set(methodModules().flatMap((m) => m.analyze?.flags ?? []));
  return methodFlags().filter((f) => wanted.has(f.flag));
}

/**
 * The rows of the predicted-rate table: every method module with `analyze` rows, in the list's order, then
 * the momentum rows (β) of those that analyse momentum; `params` holds the row flags' values (e.g. γ).
 */
export function methodRows(
  lr: number,
  beta: number,
  params: Record<string, unknown> = {},
): { label: string; spec: MethodSpec }[] {
  const base = { lr: [lr, lr] as [number, number] };
  const rows: { label: string; spec: MethodSpec }[] = [];
  const listed = methodModules().filter((m) => m.analyze);
  for (const m of listed) {
    const own = Object.fromEntries(
      rowFlags()
        .filter((f) => m.analyze?.flags?.includes(f.flag))
        .map((f) => [f.param, params[f.param]]),
    );
    const spec = { name: m.name, ...own, ...base } as MethodSpec;
    rows.push({ label: m.analyze?.label?.(m.params.parse(spec) as Record<string, unknown>) ?? m.name, spec });
  }
  for (const m of listed.filter((x) => x.analyze?.momentum)) {
    rows.push({
      label: `${m.name} β=${beta}`,
      spec: { name: m.name, momentum: beta, ...base } as MethodSpec,
    });
  }
  return rows;
}

function pointFrom(game: Game, values: number[] | undefined): Joint {
  const eq = game.equilibrium ? game.equilibrium() : game.init();
  if (values === undefined) return eq;
  const layout = J.layoutOf(eq);
  const n = layout.sizes[0] + layout.sizes[1];
  J.toFloat64(eq);
  if (values.length !== n) {
    throw new UsageError(
      `--point: got ${values.length} numbers; the game '${game.name}' has ${n} parameters (θ then φ)`,
    );
  }
  return J.unflatten(layout, np.array(values, { dtype: dtypeOf(game.dtype) }));
}

export async function runAnalyzeCommand(flags: RawFlags): Promise<number> {
  if (isRunLandscape(flags)) return runLandscapeCommand(flags);
  const run = str(flags, "nashGap");
  if (run !== undefined) {
    return runNashGap(run, {
      steps: str(flags, "steps"),
      prox: str(flags, "prox"),
      json: flags.json === true,
    });
  }
  const lr = parseNumber("--lr", str(flags, "lr"), { above: 0 });
  const beta = parseNumber("--momentum", str(flags, "momentum"), { above: -1, max: 0.999999 });
  const rowParams = Object.fromEntries(rowFlags().map((f) => [f.param, readMethodFlag(flags, f)]));
  const setup = readGameFlags(flags);
  const pointRaw = str(flags, "point");
  const point = pointRaw === undefined ? undefined : parseNumberList("--point", pointRaw);
  const plot = str(flags, "plot");
  if (plot !== undefined) checkOutputPath("--plot", plot, [".png", ".svg"]);

  await useDevice(setup.device);
  const game = await loadGame(setup);
  const w = pointFrom(game, point);
  const layout = J.layoutOf(w);
  const Jm = jacobian(game, w);
  const cls = classifyPoint(game, w);
  const at = J.toFloat64(w);
  const eigs = eigenvalues(Jm);
  const flow = eigs.map((z) => ({ re: -z.re, im: -z.im }));
  const rows = methodRows(lr, beta, rowParams).map(({ label, spec }) => {
    const p = predictedRate(spec, Jm, layout.sizes);
    return {
      method: label,
      spec,
      update: describeMethod(spec),
      ...p,
      converges: p.radius === null ? null : p.radius < 1,
    };
  });
  const result = {
    game: game.name,
    description: game.description,
    point: Array.from(at),
    lr,
    jacobian: Jm,
    eigenvalues: eigs,
    flowEigenvalues: flow,
    classification: cls,
    methods: rows.map((r) => ({
      method: r.method,
      update: r.update,
      radius: r.radius,
      converges: r.converges,
      eigenvalues: r.eigenvalues,
      ...(r.reason ? { reason: r.reason } : {}),
    })),
    plot,
  };
  if (plot !== undefined) {
    await writePlot(
      plot,
      eigenPlot({
        groups: rows
          .filter((r) => r.radius !== null)
          .map((r) => ({ name: r.method, eigenvalues: r.eigenvalues })),
        title: `${game.name}: eigenvalues of each update operator at η = ${lr}`,
        unitCircle: true,
      }),
    );
  }
  if (flags.json === true) {
    printJson(result);
    return 0;
  }
  const n = Jm.length;
  printPairs([
    ["game", `${game.name}: ${game.description}`],
    [
      "point",
      `(${Array.from(at)
        .map((x) => fmt(x))
        .join(", ")})`,
    ],
    [
      "eig ∇v",
      eigs
        .slice(0, 8)
        .map((z) => fmtComplex(z))
        .join(", ") + (n > 8 ? ", …" : ""),
    ],
    [
      "eig −∇v (flow)",
      flow
        .slice(0, 8)
        .map((z) => fmtComplex(z))
        .join(", ") + (n > 8 ? ", …" : ""),
    ],
    ["type", cls.verdict],
    ...cls.reasons.map((r): [string, string] => ["", r]),
  ]);
  process.stdout.write(`\npredicted local rate ρ at η = ${lr} (< 1 converges):\n`);
  printTable(
    ["method", "ρ", ""],
    rows.map((r) => [
      r.method,
      r.radius === null ? "—" : fmt(r.radius),
      r.radius === null
        ? (r.reason ?? "")
        : r.radius < 1 - 1e-9
          ? "converges"
          : r.radius > 1 + 1e-9
            ? "diverges"
            : "cycles",
    ]),
  );
  if (plot) process.stdout.write(`\nplot: ${plot}\n`);
  return 0;
}
