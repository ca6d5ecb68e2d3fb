/**
 * Compare view: two methods trained side by side on the same data, seed and spec (the GAN view's), the
 * second differing only in its method. Same initial parameters and the same key chain, so any difference
 * is the method's.
 */
import { DEFAULT_GAN_METHOD } from "../../../src/methods/index.ts";
import { METHOD_NAMES, type MethodName } from "../../../src/methods/spec.ts";
import { overrideSpec, parseSpec, type ExperimentSpec } from "../../../src/spec/experiment.ts";
import type { EvalRow } from "../../../src/train/trainer.ts";
import { drawCurves, drawSamples } from "../gan/draw.ts";
import type { Dataset } from "../../../src/data/dataset.ts";
import { TrainingClient } from "../gan/client.ts";
import { dataBox, datasetOf, labMethod, type LiveRow } from "../gan/session.ts";
import { FrameClock, isProbability } from "../gan/view.ts";
import { Plot } from "../plot.ts";
import type { LabState } from "../share.ts";
import { button, el, fmt, select } from "../ui.ts";

interface Side {
  label: "A" | "B";
  plot: Plot;
  stats: HTMLElement;
  caption: HTMLElement;
  real: number[][];
}

const asLabMethod = (m: string): MethodName =>
  (METHOD_NAMES as readonly string[]).includes(m) ? (m as MethodName) : DEFAULT_GAN_METHOD;

const COLORS = { A: "#1f77b4", B: "#d62728" };

export class CompareView {
  readonly root: HTMLElement;
  active = false;
  private sides: Side[] = [];
  private client: TrainingClient | null = null;
  private started = false;
  private data: Dataset | null = null;
  private dirty = true;
  private readonly clock = new FrameClock();
  private modesPlot!: Plot;
  private lossPlot!: Plot;
  private readonly runButton: HTMLButtonElement;
  private readonly selA;
  private readonly selB;
  private readonly lossCaption = el("figcaption", { id: "cmp-loss-caption" });

  constructor(
    private readonly state: LabState,
    private readonly onChange: () => void,
    private readonly onError: (msg: string) => void,
    private readonly onInfo: (msg: string) => void = () => {},
  ) {
    this.root = el("section", {
      id: "view-compare",
      class: "view",
      role: "tabpanel",
      "aria-labelledby": "tab-compare",
    });
    this.runButton = button("Run", () => this.toggle(), { id: "cmp-run", "aria-pressed": "false" });
    this.selA = select(
      "method A (the GAN view's method)",
      METHOD_NAMES,
      asLabMethod(state.spec.method.name),
      (v) => this.setMethods(v, this.state.methodB),
      "cmp-method-a",
    );
    this.selB = select(
      "method B",
      METHOD_NAMES,
      state.methodB,
      (v) => this.setMethods(this.state.spec.method.name, v),
      "cmp-method-b",
    );
    this.build();
  }

  specA(): ExperimentSpec {
    return this.state.spec;
  }
  specB(): ExperimentSpec {
    return parseSpec({ ...this.state.spec, method: this.state.methodB }, "spec");
  }

  /** Both sides' CLI evaluation rows, tagged with the method. */
  metricsRows(): (EvalRow & { method: string })[] {
    return (this.client?.sessions ?? []).flatMap((v) =>
      v.rows.map((r) => ({ method: v.spec.method.name, ...r })),
    );
  }

  /** Both sides' live rows, tagged with the method. */
  liveRows(): (LiveRow & { method: string })[] {
    return (this.client?.sessions ?? []).flatMap((v) =>
      v.live.map((r) => ({ method: v.spec.method.name, ...r })),
    );
  }

  private setMethods(a: string, b: MethodName): void {
    const before = this.state.spec.method.name;
    this.state.spec = parseSpec(overrideSpec(this.state.spec, { method: a }), "spec");
    if (a !== before)
      this.onInfo(
        `Method A is the GAN view's method: the GAN view now trains with '${a}' too (it was '${before}').`,
      );
    this.state.methodB = b;
    this.reset();
    this.onChange();
  }

  private reset(): void {
    if (this.running) this.client?.run(false);
    this.started = false;
    this.clock.reset();
    this.dirty = true;
    this.syncRunButton();
  }

  private build(): void {
    const aside = el(
      "aside",
      { class: "controls", "aria-label": "compare controls" },
      el(
        "div",
        { class: "buttons" },
        button("Step", () => this.stepAll(1), { id: "cmp-step" }),
        this.runButton,
        button("Reset", () => this.reset(), { id: "cmp-reset" }),
      ),
      this.selA.row,
      this.selB.row,
      el("p", {
        class: "note",
        text: "Data, objective, optimizer, step sizes, batch and seed are the GAN view's spec; both runs start from the same parameters and draw the same minibatches.",
      }),
    );
    const panels = el("div", { class: "compare-panels" });
    for (const label of ["A", "B"] as const) {
      const canvas = el("canvas", {
        id: `cmp-main-${label}`,
        role: "img",
        "aria-label": `method ${label}: real and generated samples over D`,
      });
      const stats = el("dl", { class: "stats", id: `cmp-stats-${label}` });
      const caption = el("figcaption", { text: `method ${label}` });
      panels.append(el("figure", { class: "cmp-panel" }, caption, canvas, stats));
      this.sides.push({
        label,
        plot: new Plot(canvas, { x: [-2.6, 2.6], y: [-2.6, 2.6] }),
        stats,
        caption,
        real: [],
      });
    }
    const modesCanvas = el("canvas", {
      id: "cmp-modes",
      role: "img",
      "aria-label": "modes covered over steps, both methods",
    });
    const lossCanvas = el("canvas", {
      id: "cmp-loss",
      role: "img",
      "aria-label": "discriminator loss over steps, both methods",
    });
    const charts = el(
      "div",
      { class: "compare-charts" },
      el(
        "figure",
        {},
        modesCanvas,
        el("figcaption", {
          text: "Modes covered (A blue, B red): a mode counts when at least one of the generated samples lies within 3σ of its centre, the rule of saddle train's modesCovered (src/metrics/modes.ts).",
        }),
      ),
      el("figure", {}, lossCanvas, this.lossCaption),
    );
    this.root.append(aside, el("div", { class: "plots compare" }, panels, charts));
    this.modesPlot = new Plot(modesCanvas, { x: [0, 1], y: [0, 8] });
    this.lossPlot = new Plot(lossCanvas, { x: [0, 1], y: [0, 2] });
  }

  /** The spec changed elsewhere (GAN view): start over. */
  specChanged(): void {
    this.selA.set(asLabMethod(this.state.spec.method.name));
    this.selB.set(this.state.methodB);
    this.reset();
  }

  private ensure(): boolean {
    if (this.started) return true;
    let specs: ExperimentSpec[];
    try {
      specs = [this.specA(), this.specB()];
      specs.forEach((sp) => labMethod(sp));
      const data = datasetOf(specs[0], this.state.points);
      this.data = data;
      for (const side of this.sides) {
        side.real = data.preview(800);
        side.plot.box = side.plot.fitAspect(dataBox(data));
      }
    } catch (e) {
      this.onError((e as Error).message);
      return false;
    }
    if (!this.client) {
      this.client = new TrainingClient();
      this.client.onReport = () => {
        this.dirty = true;
        this.syncRunButton();
      };
      this.client.onError = (m) => this.onError(m);
    }
    this.client.start(specs, this.state.points);
    this.sides.forEach((side, i) => (side.caption.textContent = `${side.label}: ${specs[i].method.name}`));
    this.started = true;
    return true;
  }

  private get running(): boolean {
    return this.client?.running ?? false;
  }

  private stepAll(n: number): void {
    if (!this.ensure()) return;
    this.client!.step(n);
  }

  toggle(): void {
    if (!this.ensure()) return;
    this.client!.run(!this.running);
    this.clock.reset();
    this.syncRunButton();
  }

  deactivate(): void {
    if (this.running) this.client!.run(false);
    this.syncRunButton();
  }

  private syncRunButton(): void {
    this.runButton.textContent = this.running ? "Pause" : "Run";
    this.runButton.setAttribute("aria-pressed", String(this.running));
  }

  frame(now = performance.now()): void {
    if (!this.active) return;
    const resized = [...this.sides.map((s) => s.plot), this.modesPlot, this.lossPlot]
      .map((p) => p.resize())
      .some((x) => x);
    if (this.running) this.clock.tick(now);
    if (!this.dirty && !resized) return;
    this.dirty = false;
    const views = this.started ? (this.client?.sessions ?? []) : [];
    this.sides.forEach((side, i) => {
      const v = views[i];
      const r = v?.latest ?? null;
      if (this.data && v) {
        drawSamples(side.plot, r?.snap ?? null, {
          real: side.real,
          data: this.data,
          probability: isProbability(v.spec),
          layers: { ...this.state.layers, arrows: false },
          heatBox: r?.box ?? null,
        });
      } else {
        side.plot.clear();
        side.plot.label("Press Run or Step", 10, 20);
      }
      const m = r?.snap.modes;
      const last = v?.live[v.live.length - 1];
      const rows: [string, string][] = [
        ["step", String(r?.step ?? 0)],
        ["modes covered", m ? `${m.modesCovered} / ${m.modes}` : "—"],
        ["% high quality", m ? `${fmt(100 * m.highQualityFraction, 3)}%` : "—"],
        ["L_D / L_G", last ? `${fmt(last.lossD)} / ${fmt(last.lossG)}` : "—"],
        [
          "status",
          !r
            ? "—"
            : r.diverged
              ? `diverged at step ${r.diverged.step}`
              : r.done
                ? "finished"
                : this.running
                  ? "running"
                  : "paused",
        ],
      ];
      side.stats.replaceChildren(
        ...rows.flatMap(([k, val]) => [el("dt", { text: k }), el("dd", { text: val })]),
      );
      side.stats.dataset.step = String(r?.step ?? 0);
    });
    const series = (pick: (r: LiveRow) => number | undefined) =>
      this.sides.map((side, i) => ({
        name: `${side.label} ${views[i]?.spec.method.name ?? ""}`,
        color: COLORS[side.label],
        points: (views[i]?.live ?? []).map((r) => [r.step, pick(r) ?? NaN] as [number, number]),
      }));
    const K = this.data?.modes?.centers.length ?? 0;
    drawCurves(
      this.modesPlot,
      series((r) => r.modesCovered),
      [],
      K > 0 ? `modes covered (of ${K})` : "modes covered (this data has no modes)",
      [0, Math.max(1, K)],
    );
    const logLine = isProbability(this.state.spec);
    drawCurves(
      this.lossPlot,
      series((r) => r.lossD),
      logLine ? [{ y: 2 * Math.LN2, label: "2 log 2" }] : [],
      "L_D",
    );
    this.lossCaption.textContent = logLine
      ? "L_D on one fixed batch (A blue, B red); dashed: 2 log 2, its value at the equilibrium."
      : `L_D on one fixed batch (A blue, B red); the ${this.state.spec.objective} objective has no fixed equilibrium value.`;
  }
}
