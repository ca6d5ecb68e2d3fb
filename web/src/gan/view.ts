/**
 * GAN view: train a GAN on 2-D data in the page. Data (a built-in 2-D set, drawn points, an uploaded CSV),
 * objective, method, optimizer, step sizes and k_G : k_D come from the experiment spec; the view shows real
 * vs generated samples over D's heat map with −∇ₓL_G arrows on some generated points, G's image of a latent
 * grid, the loss curves with the log 2 / 2 log 2 lines, modes covered / % high quality, and the model
 * overview (model-overview.ts). GAN Lab's controls: the networks' width, depth and latent dimension (spec
 * fields: a change starts a new session), Step D alone / Step G alone, and the steps per picture. Training
 * runs in the worker (worker.ts).
 */
import { isToy2d, TOY_2D_NAMES } from "../../../src/data/toy2d/index.ts";
import { isProbabilityObjective } from "../../../src/objectives/registry.ts";
import { hasParam, methodModules, paramDefault, paramNames } from "../../../src/methods/registry.ts";
import { methodParamControl, methodParamFlags } from "../method-controls.ts";
import { specParamNames } from "../../../src/spec/method-choice.ts";
import { OPTIMIZERS } from "../../../src/methods/spec.ts";
import {
  OBJECTIVES,
  overrideSpec,
  parseSpec,
  SPEC_METHODS,
  type ExperimentInput,
  type ExperimentSpec,
} from "../../../src/spec/experiment.ts";
import type { EvalRow } from "../../../src/train/trainer.ts";
import { drawColorBar, heatValueOf, Plot } from "../plot.ts";
import type { LabState, Layers } from "../share.ts";
import { button, el, fmt, numberInput, select, showIf, slider, type Control } from "../ui.ts";
import { drawCurves, drawMesh, drawSamples } from "./draw.ts";
import { ModelOverview } from "./model-overview.ts";
import type { Dataset } from "../../../src/data/dataset.ts";
import { TrainingClient, type SessionView } from "./client.ts";
import { dataBox, datasetOf, GRID_N, labMethod, parseCsv, type LiveRow } from "./session.ts";

/** Method parameters the GAN view's own sliders set (k_G : k_D, consensus γ, unroll k) or leaves fixed. */
const GD_PARAMS: readonly string[] = ["steps", "first", "reuseFake", "unroll", "gamma"];

const DATA_SOURCES = [...TOY_2D_NAMES, "draw", "csv"] as const;
type DataSource = (typeof DATA_SOURCES)[number];
const LOG2 = Math.LN2;
const WIDTHS = ["8", "16", "32", "64", "128", "256", "512"] as const;
const SPEEDS = ["auto", "1", "2", "5", "10", "50"] as const;

/** Frame clock: frames per second over the last second, and an adaptive number of steps per frame. */
export class FrameClock {
  private times: number[] = [];
  msPerStep = 20;
  tick(now: number): void {
    this.times.push(now);
    while (this.times.length > 0 && now - this.times[0] > 1000) this.times.shift();
  }
  reset(): void {
    this.times = [];
  }
  fps(): number {
    if (this.times.length < 2) return 0;
    return ((this.times.length - 1) * 1000) / (this.times[this.times.length - 1] - this.times[0]);
  }
  /** Steps for this frame: about `budgetMs` of training, at least 1. */
  steps(budgetMs: number): number {
    return Math.max(1, Math.min(50, Math.floor(budgetMs / Math.max(this.msPerStep, 0.05))));
  }
  observe(steps: number, ms: number): void {
    if (steps > 0) this.msPerStep = 0.7 * this.msPerStep + 0.3 * (ms / steps);
  }
}

export class GanView {
  readonly root: HTMLElement;
  active = false;
  private client: TrainingClient | null = null;
  private started = false;
  private data: Dataset | null = null;
  private dirty = true;
  private readonly clock = new FrameClock();
  private mainPlot!: Plot;
  private meshPlot!: Plot;
  private lossPlot!: Plot;
  private barPlot!: Plot;
  private mainCaption!: HTMLElement;
  private lossCaption!: HTMLElement;
  /** The heat map's value range in the last picture (null: not drawn). */
  private heat: [number, number] | null = null;
  private real: number[][] = [];
  private source: DataSource;
  private cursor: [number, number] = [0, 0];
  private drawing = false;
  private readonly stats = el("dl", { class: "stats", id: "gan-stats" });
  private readonly runButton: HTMLButtonElement;
  private controls: Record<string, Control<number> | Control<string> | Control<unknown>> = {};
  /** The method-parameter controls' keys (`buildMethodControls`). */
  private readonly methodKeys: string[] = [];
  private layerBoxes: Partial<Record<keyof Layers, HTMLInputElement>> = {};
  private rows: Record<string, HTMLElement> = {};
  private readonly overview = new ModelOverview();
  private net: Record<string, Control<string> | Control<number>> = {};
  private speed = 0;

  constructor(
    private readonly state: LabState,
    private readonly onChange: () => void,
    private readonly onError: (msg: string) => void,
    private readonly onLayers: () => void = onChange,
  ) {
    this.root = el("section", {
      id: "view-gan",
      class: "view",
      role: "tabpanel",
      "aria-labelledby": "tab-gan",
    });
    this.source = sourceOf(state.spec);
    this.runButton = button("Run", () => this.toggle(), { id: "gan-run", "aria-pressed": "false" });
    this.build();
  }

  get spec(): ExperimentSpec {
    return this.state.spec;
  }

  metricsRows(): EvalRow[] {
    return this.view?.rows ?? [];
  }

  /** The live rows behind the curves (losses on one fixed batch, modes of the drawn samples). */
  liveRows(): LiveRow[] {
    return this.view?.live ?? [];
  }

  /** Applies a change to the spec (validated); the session restarts. */
  private update(patch: ExperimentInput): void {
    try {
      this.state.spec = parseSpec(overrideSpec(this.state.spec, patch), "spec");
    } catch (e) {
      this.onError((e as Error).message);
      return;
    }
    this.restart();
    this.onChange();
  }

  private restart(): void {
    if (this.running) this.client?.run(false);
    this.started = false;
    this.data = null;
    this.dirty = true;
    this.syncRunButton();
    this.clock.reset();
    this.heat = null;
    this.refreshData();
    this.syncVisibility();
    this.overview.update(this.spec);
  }

  /** The data of the current spec and the pictures' boxes (before training starts: nothing stale). */
  private refreshData(): void {
    const data = this.dataset();
    this.real = data ? data.preview(1000) : (this.state.points ?? []);
    const box =
      this.source === "draw" || !data
        ? { x: [-3, 3] as [number, number], y: [-3, 3] as [number, number] }
        : dataBox(data);
    this.mainPlot.box = this.mainPlot.fitAspect(box);
    this.meshPlot.box = this.meshPlot.fitAspect(box);
  }

  /** The picture's layers (shown or hidden); restored from the link. */
  private get layers(): Layers {
    return this.state.layers;
  }

  private build(): void {
    const s = this.spec;
    const c = this.controls;
    c.source = select("data", DATA_SOURCES, this.source, (v) => this.setSource(v), "gan-data");
    const file = el("input", { type: "file", id: "gan-csv", accept: ".csv,text/csv,text/plain" });
    file.addEventListener("change", () => void this.upload(file));
    const fileRow = el(
      "div",
      { class: "control" },
      el("label", { for: "gan-csv", text: "CSV file (x,y)" }),
      file,
    );
    const clearPts = button(
      "Clear points",
      () => {
        this.state.points = [];
        this.restart();
        this.onChange();
      },
      { id: "gan-clear-points" },
    );
    c.objective = select(
      "objective",
      OBJECTIVES,
      s.objective,
      (v) => this.update({ objective: v }),
      "gan-objective",
    );
    c.method = select("method", SPEC_METHODS, s.method.name, (v) => this.update({ method: v }), "gan-method");
    c.optimizer = select(
      "optimizer",
      OPTIMIZERS,
      s.optimizer,
      (v) => this.update({ optimizer: v }),
      "gan-optimizer",
    );
    c.lrG = slider(
      "lr G",
      { id: "gan-lr-g", min: 1e-5, max: 0.1, step: 0.01, value: s.lrG, log: true },
      (v) => this.update({ lrG: v }),
    );
    c.lrD = slider(
      "lr D",
      { id: "gan-lr-d", min: 1e-5, max: 0.1, step: 0.01, value: s.lrD, log: true },
      (v) => this.update({ lrD: v }),
    );
    const p = s.method;
    const steps = Array.isArray(p.steps) ? (p.steps as number[]) : [1, 1];
    c.kG = slider("k_G", { id: "gan-kg", min: 1, max: 10, step: 1, value: steps[0] }, (v) =>
      this.update({ kG: v }),
    );
    c.kD = slider("k_D", { id: "gan-kd", min: 1, max: 10, step: 1, value: steps[1] }, (v) =>
      this.update({ kD: v }),
    );
    c.momentum = slider(
      "momentum β",
      { id: "gan-momentum", min: -0.9, max: 0.9, step: 0.05, value: s.momentum },
      (v) => this.update({ momentum: v }),
    );
    c.gamma = slider(
      "consensus γ",
      { id: "gan-gamma", min: 0, max: 10, step: 0.1, value: Number(p.gamma ?? 1) },
      (v) => this.update({ gamma: v }),
    );
    c.unroll = slider(
      "unroll k",
      { id: "gan-unroll", min: 1, max: 10, step: 1, value: Number(p.unroll ?? 1) },
      (v) => this.update({ unroll: v }),
    );
    const methodRows = this.buildMethodControls().map((k) => c[k].row);
    c.r1 = slider("R1 γ", { id: "gan-r1", min: 0, max: 10, step: 0.1, value: s.r1 }, (v) =>
      this.update({ r1: v }),
    );
    c.batch = numberInput("batch", { id: "gan-batch", min: 1, max: 4096, step: 1, value: s.batch }, (v) =>
      this.update({ batch: v }),
    );
    c.steps = numberInput(
      "steps",
      { id: "gan-steps", min: 1, max: 10_000_000, step: 100, value: s.steps },
      (v) => this.update({ steps: v }),
    );
    c.seed = numberInput("seed", { id: "gan-seed", min: 0, max: 2 ** 31 - 1, step: 1, value: s.seed }, (v) =>
      this.update({ seed: v }),
    );
    // network shape: the spec's MLPs (uniform widths); a change rebuilds the model in a new session
    const n = this.net;
    const widthOf = (h: number[]) => String(h[0] ?? 128);
    const widthSel = (who: "generator" | "discriminator", id: string) =>
      select(
        `${who === "generator" ? "G" : "D"} width`,
        WIDTHS.includes(widthOf(s[who].hidden) as (typeof WIDTHS)[number])
          ? WIDTHS
          : [...WIDTHS, widthOf(s[who].hidden)],
        widthOf(s[who].hidden),
        (v) =>
          this.update({ [who]: { ...this.spec[who], hidden: this.spec[who].hidden.map(() => Number(v)) } }),
        id,
      );
    const depthIn = (who: "generator" | "discriminator", id: string) =>
      numberInput(
        `${who === "generator" ? "G" : "D"} hidden layers`,
        { id, min: 1, max: 8, step: 1, value: s[who].hidden.length },
        (v) =>
          this.update({
            [who]: { ...this.spec[who], hidden: new Array<number>(v).fill(this.spec[who].hidden[0] ?? 128) },
          }),
      );
    n.gWidth = widthSel("generator", "gan-g-width");
    n.gDepth = depthIn("generator", "gan-g-depth");
    n.dWidth = widthSel("discriminator", "gan-d-width");
    n.dDepth = depthIn("discriminator", "gan-d-depth");
    n.latent = numberInput(
      "latent dim k",
      { id: "gan-latent-dim", min: 1, max: 64, step: 1, value: s.latentDim },
      (v) => this.update({ latentDim: v }),
    );
    const speedSel = select(
      "speed (steps per picture)",
      SPEEDS,
      "auto",
      (v) => {
        this.speed = v === "auto" ? 0 : Number(v);
        this.client?.speed(this.speed);
      },
      "gan-speed",
    );
    for (const [k, ctl] of Object.entries(c)) this.rows[k] = ctl.row;
    this.rows.file = fileRow;
    this.rows.clearPts = clearPts;

    const layerNames: [keyof Layers, string][] = [
      ["heat", "D heat map"],
      ["real", "real samples"],
      ["fake", "generated samples"],
      ["arrows", "−∇ₓL_G arrows"],
      ["modes", "mode circles (3σ)"],
    ];
    const layerRows = layerNames.map(([k, text]) => {
      const box = el("input", { type: "checkbox", id: `gan-show-${k}`, checked: this.layers[k] });
      box.addEventListener("change", () => {
        this.state.layers = { ...this.state.layers, [k]: box.checked };
        this.dirty = true;
        this.onLayers();
      });
      this.layerBoxes[k] = box;
      return el("div", { class: "control check" }, box, el("label", { for: `gan-show-${k}`, text }));
    });

    const aside = el(
      "aside",
      { class: "controls", "aria-label": "GAN controls" },
      el(
        "div",
        { class: "buttons" },
        button("Step", () => this.stepOnce(), { id: "gan-step" }),
        this.runButton,
        button("Reset", () => this.restart(), { id: "gan-reset" }),
      ),
      el(
        "div",
        { class: "buttons" },
        button("Step D alone", () => this.stepPlayer(1), { id: "gan-step-d" }),
        button("Step G alone", () => this.stepPlayer(0), { id: "gan-step-g" }),
      ),
      speedSel.row,
      el("h2", { text: "Data" }),
      c.source.row,
      fileRow,
      clearPts,
      el("h2", { text: "Game" }),
      c.objective.row,
      c.r1.row,
      el("h2", { text: "Method" }),
      c.method.row,
      c.optimizer.row,
      c.lrG.row,
      c.lrD.row,
      c.kG.row,
      c.kD.row,
      c.momentum.row,
      c.gamma.row,
      c.unroll.row,
      ...methodRows,
      c.batch.row,
      c.steps.row,
      c.seed.row,
      el("h2", { text: "Networks" }),
      n.gWidth.row,
      n.gDepth.row,
      n.dWidth.row,
      n.dDepth.row,
      n.latent.row,
      el("h2", { text: "Show" }),
      ...layerRows,
    );
    const mainCanvas = el("canvas", {
      id: "gan-main",
      tabindex: 0,
      role: "img",
      "aria-label":
        "Real (green) and generated (purple) samples over the discriminator's heat map (red: D says real)",
    });
    const meshCanvas = el("canvas", {
      id: "gan-latent",
      role: "img",
      "aria-label": "The generator's image of a grid in latent space",
    });
    const barCanvas = el("canvas", {
      id: "gan-colorbar",
      role: "img",
      "aria-label": "Colour bar of the discriminator's heat map",
    });
    this.mainCaption = el("figcaption", { id: "gan-main-caption" });
    this.lossCaption = el("figcaption", { id: "gan-loss-caption" });
    const lossCanvas = el("canvas", {
      id: "gan-loss",
      role: "img",
      "aria-label": "Loss curves with the log 2 and 2 log 2 lines",
    });
    const plots = el(
      "div",
      { class: "plots" },
      el("figure", { class: "plot-main" }, mainCanvas, barCanvas, this.mainCaption),
      el(
        "div",
        { class: "side" },
        this.stats,
        el("figure", {}, lossCanvas, this.lossCaption),
        this.overview.root,
        el(
          "figure",
          {},
          meshCanvas,
          el("figcaption", { text: "G's image of a latent grid (z₁ lines blue, z₂ lines red)" }),
        ),
      ),
    );
    this.root.append(aside, plots);
    this.mainPlot = new Plot(mainCanvas, { x: [-2.6, 2.6], y: [-2.6, 2.6] });
    this.meshPlot = new Plot(meshCanvas, { x: [-2.6, 2.6], y: [-2.6, 2.6] });
    this.lossPlot = new Plot(lossCanvas, { x: [0, 1], y: [0, 2] });
    this.barPlot = new Plot(barCanvas, { x: [0, 1], y: [0, 1] });
    this.refreshData();
    this.overview.update(this.spec);

    const toData = (e: PointerEvent): [number, number] => {
      const r = mainCanvas.getBoundingClientRect();
      return this.mainPlot.toData(e.clientX - r.left, e.clientY - r.top);
    };
    mainCanvas.addEventListener("pointerdown", (e) => {
      if (this.source !== "draw") return;
      this.drawing = true;
      this.addPoints(toData(e), 8);
    });
    mainCanvas.addEventListener("pointermove", (e) => {
      if (this.drawing) this.addPoints(toData(e), 2);
    });
    const stop = () => {
      if (!this.drawing) return;
      this.drawing = false;
      this.restart();
      this.onChange();
    };
    mainCanvas.addEventListener("pointerup", stop);
    mainCanvas.addEventListener("pointerleave", stop);
    mainCanvas.addEventListener("keydown", (e) => {
      if (e.key === " " && this.source !== "draw") {
        this.toggle();
        e.preventDefault();
        return;
      }
      if (this.source !== "draw") return;
      const step = (this.mainPlot.box.x[1] - this.mainPlot.box.x[0]) / 30;
      const moves: Record<string, [number, number]> = {
        ArrowLeft: [-step, 0],
        ArrowRight: [step, 0],
        ArrowUp: [0, step],
        ArrowDown: [0, -step],
      };
      if (moves[e.key]) {
        this.cursor = [this.cursor[0] + moves[e.key][0], this.cursor[1] + moves[e.key][1]];
        this.dirty = true;
        e.preventDefault();
      } else if (e.key === "Enter") {
        this.addPoints(this.cursor, 20);
        this.restart();
        this.onChange();
        e.preventDefault();
      }
    });
    this.syncVisibility();
  }

  /** The shared spec changed elsewhere (compare view): show it and start over. */
  specChanged(): void {
    this.syncControls();
    this.restart();
  }

  /** Restores the controls from the (shared) spec. */
  syncControls(): void {
    const m = this.spec.method;
    const steps = Array.isArray(m.steps) ? (m.steps as unknown[]) : [];
    // the method's name and params on the controls named after the spec's flat fields (kG, kD, gamma, unroll)
    const values: Record<string, unknown> = {
      ...this.spec,
      method: m.name,
      kG: steps[0],
      kD: steps[1],
      gamma: m.gamma,
      unroll: m.unroll,
      ...Object.fromEntries(this.methodKeys.map((k) => [k, m[k] ?? paramDefault(k)])),
    };
    for (const [k, ctl] of Object.entries(this.controls)) {
      const v = values[k];
      if (v !== undefined) (ctl as Control<unknown>).set(v);
    }
    this.source = sourceOf(this.spec);
    (this.controls.source as Control<string>).set(this.source);
    const s = this.spec;
    (this.net.gWidth as Control<string>).set(String(s.generator.hidden[0] ?? 128));
    (this.net.gDepth as Control<number>).set(s.generator.hidden.length);
    (this.net.dWidth as Control<string>).set(String(s.discriminator.hidden[0] ?? 128));
    (this.net.dDepth as Control<number>).set(s.discriminator.hidden.length);
    (this.net.latent as Control<number>).set(s.latentDim);
    this.syncLayers();
    this.syncVisibility();
  }

  /**
   * One control per method parameter the sliders above do not set (lookahead's inner method, k and α, …),
   * from the modules' flags (web/src/method-controls.ts); parameters without a default stay the library's.
   * Returns their keys (the parameters' names).
   */
  private buildMethodControls(): string[] {
    const m = this.spec.method;
    const others = methodModules()
      .flatMap((x) => paramNames(x))
      .filter((k) => !GD_PARAMS.includes(k));
    for (const f of methodParamFlags(others)) {
      const value = m[f.param] ?? paramDefault(f.param);
      if (value === undefined || this.controls[f.param]) continue;
      const set = (v: unknown) => {
        const cur = this.spec.method;
        // a new inner method (a wrapper's) starts from its own defaults: the old inner's params go
        const own = "method" in f.value ? specParamNames(cur.name) : Object.keys(cur);
        const kept = Object.fromEntries(Object.entries(cur).filter(([k]) => own.includes(k)));
        this.update({ method: { ...kept, name: cur.name, [f.param]: v } });
      };
      const ctl = methodParamControl(f, value, set, "gan");
      if (ctl) {
        this.controls[f.param] = ctl;
        this.methodKeys.push(f.param);
      }
    }
    return this.methodKeys;
  }

  private syncVisibility(): void {
    const m = this.spec.method.name;
    const r = this.rows;
    showIf(r.kG, hasParam(m, "steps"));
    showIf(r.kD, hasParam(m, "steps"));
    showIf(r.gamma, hasParam(m, "gamma"));
    showIf(r.unroll, hasParam(m, "unroll"));
    for (const k of this.methodKeys) showIf(r[k], hasParam(m, k));
    showIf(r.file, this.source === "csv");
    showIf(r.clearPts, this.source === "draw");
  }

  private setSource(v: DataSource): void {
    this.source = v;
    if (isToy2d(v)) {
      this.state.points = null;
      this.update({ data: v });
    } else if (v === "draw") {
      this.state.points = [];
      this.update({ data: "drawn.csv" });
    } else {
      this.syncVisibility();
      this.onError("");
      if (!this.state.points || this.state.points.length === 0)
        this.onError("Choose a CSV file of points (two columns x,y).");
    }
  }

  private async upload(input: HTMLInputElement): Promise<void> {
    const f = input.files?.[0];
    if (!f) return;
    try {
      const table = parseCsv(await f.text(), f.name);
      if (table.dim !== 2) throw new Error(`'${f.name}' has ${table.dim} columns; the lab needs 2 (x, y)`);
      this.state.points = table.rows;
      const name = f.name.replace(/[^A-Za-z0-9._-]/g, "_").replace(/(\.csv)?$/i, ".csv");
      this.onError("");
      this.update({ data: name });
    } catch (e) {
      this.onError((e as Error).message);
    }
  }

  private addPoints(p: [number, number], n: number): void {
    const pts = (this.state.points ??= []);
    for (let i = 0; i < n; i++) {
      const r = 0.04 * Math.sqrt(-2 * Math.log(Math.random() + 1e-12));
      const a = 2 * Math.PI * Math.random();
      pts.push([Number((p[0] + r * Math.cos(a)).toFixed(4)), Number((p[1] + r * Math.sin(a)).toFixed(4))]);
    }
    this.cursor = p;
    this.real = pts;
    this.dirty = true;
  }

  /** The data of the current spec (pure JS: previews and modes for drawing). */
  private dataset(): Dataset | null {
    if (this.source === "csv" && (!this.state.points || this.state.points.length === 0)) return null;
    if (!isToy2d(this.spec.data) && (!this.state.points || this.state.points.length === 0)) return null;
    try {
      return datasetOf(this.spec, this.state.points);
    } catch (e) {
      this.onError((e as Error).message);
      return null;
    }
  }

  /** Starts the worker's session for the current spec, once. */
  private ensureStarted(): boolean {
    if (this.started) return true;
    const data = this.dataset();
    if (!data) return false;
    try {
      labMethod(this.spec);
    } catch (e) {
      this.onError((e as Error).message);
      return false;
    }
    this.client ??= this.makeClient();
    this.client.start([this.spec], this.state.points);
    this.data = data;
    this.refreshData();
    this.started = true;
    return true;
  }

  private makeClient(): TrainingClient {
    const c = new TrainingClient();
    if (this.speed > 0) c.speed(this.speed);
    c.onReport = () => {
      this.dirty = true;
      this.syncRunButton();
    };
    c.onError = (m) => this.onError(m);
    return c;
  }

  private get running(): boolean {
    return this.client?.running ?? false;
  }

  toggle(): void {
    if (!this.ensureStarted()) return;
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

  /** One step of D alone (player 1) or G alone (player 0); pauses a running session first. */
  stepPlayer(player: 0 | 1): void {
    if (!this.ensureStarted()) return;
    if (this.running) this.client!.run(false);
    this.client!.stepPlayer(player, 1);
    this.syncRunButton();
  }

  stepOnce(): void {
    if (!this.ensureStarted()) return;
    this.client!.step(1);
  }

  frame(now = performance.now()): void {
    if (!this.active) return;
    const resized = [this.mainPlot, this.meshPlot, this.lossPlot, this.barPlot]
      .map((p) => p.resize())
      .some((x) => x);
    if (resized) this.refreshData();
    if (this.running) this.clock.tick(now);
    if (!this.dirty && !resized) return;
    this.dirty = false;
    this.draw();
  }

  private get view(): SessionView | null {
    return this.started ? (this.client?.sessions[0] ?? null) : null;
  }

  private draw(): void {
    const v = this.view;
    const snap = v?.latest?.snap ?? null;
    const probability = isProbability(this.spec);
    if (this.data && this.started) {
      this.heat = drawSamples(this.mainPlot, snap, {
        real: this.real,
        data: this.data,
        probability,
        layers: this.layers,
        heatBox: v?.latest?.box ?? null,
      });
    } else {
      this.heat = null;
      this.mainPlot.clear();
      this.mainPlot.axes();
      if (this.layers.real) this.mainPlot.points(this.real, 3, "rgba(20,120,60,0.6)");
      this.mainPlot.ticks();
      this.mainPlot.label(
        this.source === "draw"
          ? "Draw points here (drag; or arrows + Enter), then Run"
          : this.source === "csv"
            ? "Upload a CSV of points"
            : "Press Run (or Step) to train",
        10,
        20,
      );
    }
    if (this.heat)
      drawColorBar(
        this.barPlot,
        this.heat[0],
        this.heat[1],
        probability ? "fake" : "low",
        probability ? "real" : "high",
      );
    else {
      this.barPlot.clear();
      this.barPlot.label(
        this.layers.heat ? "D's colour bar appears with the first picture" : "D heat map hidden",
        8,
        14,
        "#777",
        "left",
        11,
      );
    }
    this.writeCaptions(probability);
    if (this.source === "draw" && document.activeElement === this.mainPlot.canvas) {
      this.mainPlot.circle(this.cursor[0], this.cursor[1], 0.08, "#000");
    }
    drawMesh(this.meshPlot, snap, this.real);
    this.meshPlot.canvas.dataset.data = this.spec.data;
    this.meshPlot.canvas.dataset.box = JSON.stringify(this.meshPlot.box);
    this.meshPlot.canvas.dataset.step = String(snap?.step ?? -1);
    const live = v?.live ?? [];
    drawCurves(
      this.lossPlot,
      [
        { name: "L_D", color: "#1f77b4", points: live.map((r) => [r.step, r.lossD]) },
        { name: "L_G", color: "#ff7f0e", points: live.map((r) => [r.step, r.lossG]) },
      ],
      this.logLines()
        ? [
            { y: 2 * LOG2, label: "2 log 2" },
            { y: LOG2, label: "log 2" },
          ]
        : [],
      "losses",
    );
    this.writeStats();
  }

  /** Whether the loss plot draws the 2 log 2 / log 2 lines (minimax / non-saturating only). */
  private logLines(): boolean {
    return hasLogLines(this.spec);
  }

  /** Captions that say what is drawn now (objective, layers, reference lines). */
  private writeCaptions(probability: boolean): void {
    const L = this.layers;
    const parts: string[] = [];
    const shown = [L.real && "real (green)", L.fake && "generated (purple)"].filter(Boolean).join(" vs ");
    if (shown) parts.push(`${shown.charAt(0).toUpperCase()}${shown.slice(1)} samples`);
    if (L.heat)
      parts.push(
        probability
          ? `heat map: D's probability σ(D(x)) that x is real (red = real, 1; blue = fake, 0), on the box D is evaluated over`
          : `heat map: the ${this.spec.objective} critic's score D(x), scaled to this picture's min..max (red = high: the real side; blue = low); scores have no fixed scale`,
      );
    if (L.arrows) parts.push("arrows: −∇ₓL_G, where G's loss pushes its samples");
    if (L.modes && this.data?.modes) parts.push("circles: the modes' 3σ");
    this.mainCaption.textContent = parts.length > 0 ? `${parts.join("; ")}.` : "All layers hidden.";
    this.lossCaption.textContent = this.logLines()
      ? "Losses on one fixed batch (L_D blue, L_G orange); dashed: 2 log 2 (L_D) and log 2 (L_G), their values at the equilibrium D = ½ (Purdue lecture)."
      : `Losses on one fixed batch (L_D blue, L_G orange); the ${this.spec.objective} objective has no fixed equilibrium value, so no reference line.`;
  }

  /**
   * The value of D the picture shows at canvas pixel (cx, cy): the pixel's colour read back and inverted
   * through the colour bar (null where no heat colour is drawn). For checking the picture against D.
   */
  heatValueAt(cx: number, cy: number): number | null {
    if (!this.heat) return null;
    const P = this.mainPlot;
    const scale = P.canvas.width / P.w;
    const [r, g, b] = P.ctx.getImageData(Math.round(cx * scale), Math.round(cy * scale), 1, 1).data;
    const t = heatValueOf(r, g, b);
    return t === null ? null : this.heat[0] + t * (this.heat[1] - this.heat[0]);
  }

  /** The square D's heat-map grid covers (the last report's), and its cells per side. */
  heatGrid(): { box: { x: [number, number]; y: [number, number] }; n: number } | null {
    const box = this.view?.latest?.box;
    return box ? { box, n: GRID_N } : null;
  }

  /** Canvas CSS pixel of the main picture → data coordinates. */
  toData(cx: number, cy: number): [number, number] {
    return this.mainPlot.toData(cx, cy);
  }

  /** D's output at data points, evaluated by the worker (as the heat map shows it). */
  probe(points: number[][]): Promise<number[]> {
    return this.client && this.started ? this.client.probe(points) : Promise.resolve([]);
  }

  /** Sets the layer checkboxes from the state (a restored link). */
  private syncLayers(): void {
    for (const [k, box] of Object.entries(this.layerBoxes)) box.checked = this.layers[k as keyof Layers];
  }

  private writeStats(): void {
    const v = this.view;
    const r = v?.latest ?? null;
    const last = r?.live ?? v?.live[v.live.length - 1];
    const m = r?.snap.modes;
    const step = r?.step ?? 0;
    const status = !this.started
      ? "not started"
      : r?.diverged
        ? `diverged at step ${r.diverged.step} (${r.diverged.player})`
        : r?.done
          ? "finished"
          : this.running
            ? "running"
            : "paused";
    const sps = this.started ? (this.client?.stepsPerSecond ?? 0) : 0;
    const fps = this.clock.fps();
    const rows: [string, string, string][] = [
      ["step", `${step}`, "gan-step-count"],
      ["status", status, "gan-status"],
      ["single steps G / D", `${r?.solo[0] ?? 0} / ${r?.solo[1] ?? 0}`, "gan-solo"],
      ["modes covered", m ? `${m.modesCovered} / ${m.modes}` : "—", "gan-modes"],
      ["% high quality", m ? `${fmt(100 * m.highQualityFraction, 3)}%` : "—", "gan-hq"],
      ["reverse KL", m ? fmt(m.reverseKL, 3) : "—", "gan-kl"],
      ["L_D / L_G", last ? `${fmt(last.lossD)} / ${fmt(last.lossG)}` : "—", "gan-losses"],
      ["steps/s", sps > 0 ? fmt(sps, 3) : "—", "gan-sps"],
      ["frames/s", this.running ? fmt(fps, 3) : "—", "gan-fps"],
      ["device", this.client ? `${this.client.device} (worker)` : "—", "gan-device"],
    ];
    this.stats.replaceChildren(
      ...rows.flatMap(([k, val, id]) => [el("dt", { text: k }), el("dd", { id, text: val })]),
    );
    this.stats.dataset.step = String(step);
    this.stats.dataset.modes = String(m?.modesCovered ?? 0);
    this.stats.dataset.fps = String(fps);
    this.stats.dataset.sps = String(sps);
    this.stats.dataset.reports = String(this.client?.reports ?? 0);
    this.stats.dataset.lossD = String(last?.lossD ?? "");
    this.stats.dataset.lossG = String(last?.lossG ?? "");
    this.stats.dataset.solo = (r?.solo ?? [0, 0]).join(",");
  }

  /** Frames per second while running (the page's frame rate; training runs in the worker). */
  fps(): number {
    return this.clock.fps();
  }
}

/** Whether D's output is a probability (σ of a logit) for this objective. */
export const isProbability = (spec: ExperimentSpec): boolean => isProbabilityObjective(spec.objective);
/** The Purdue lecture's log 2 / 2 log 2 lines apply to the minimax / non-saturating objectives. */
export const hasLogLines = isProbability;

function sourceOf(spec: ExperimentSpec): DataSource {
  if (isToy2d(spec.data)) return spec.data;
  return spec.data.startsWith("drawn") ? "draw" : "csv";
}
