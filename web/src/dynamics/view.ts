/**
 * Dynamics view: a 2-parameter game's vector field (the flow −v), trajectories started by clicking (or with
 * the keyboard: arrows move the cursor, Enter starts one), the eigenvalues of the method's linearised update
 * at ω* in the complex plane with the unit circle, and the predicted vs measured rate. The numbers are
 * computed in a worker (web/src/dynamics/worker.ts): a control that moves sends the newest state there and
 * the page keeps drawing; results replace the picture as they arrive.
 */
import { formatComplex, modulus } from "../../../src/analysis/spectrum.ts";
import type { FieldSample } from "../../../src/dynamics/field-grid.ts";
import { gameModule, gameParams, labGames } from "../../../src/games/registry.ts";
import { hasParam } from "../../../src/methods/registry.ts";
import { OPTIMIZERS } from "../../../src/methods/spec.ts";
import { drawCurves, type Series } from "../gan/draw.ts";
import type { Box } from "../../../src/dynamics/field-grid.ts";
import { Plot } from "../plot.ts";
import { MAX_TRAJECTORIES, ZOOM, type LabState } from "../share.ts";
import { el, fmt, select, showIf, slider, button, type Control } from "../ui.ts";
import { methodParamControl, methodParamFlags } from "../method-controls.ts";
import {
  DYN_GAMES,
  DYN_METHODS,
  DynStateSchema,
  gameParamsOfState,
  stepsOfState,
  OTHER_METHOD_PARAMS,
  type Analysis,
  type DynState,
  type Trajectory,
} from "./model.ts";
import type { DynRequest, FromDynWorker } from "./protocol.ts";

/** A game parameter's slider when its module gives none. */
const SLIDER = { min: -1, max: 1, step: 0.01 };
const COLORS = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];
/** The verdict's tolerance (src/dynamics/verdict.ts): rates within 1 ± TOL count as cycling. */
const TOL = 1e-3;

/** One row of the dynamics view's metrics download: a trajectory's iterate at one step. */
export interface DynMetricsRow {
  trajectory: number;
  step: number;
  theta: number;
  phi: number;
  distance: number;
}

export class DynamicsView {
  readonly root: HTMLElement;
  private analysis: Analysis | null = null;
  private field: FieldSample[] = [];
  /** The box the field was sampled on (the request's). */
  private fieldBox: Box | null = null;
  /** Trajectories of the current request, by start index (undefined: not computed yet). */
  private trajectories: (Trajectory | undefined)[] = [];
  /** The previous request's trajectories, drawn faded until the current ones arrive. */
  private stale: Trajectory[] = [];
  private cursor: [number, number] = [1, 1];
  private dirty = true;
  private needRequest = true;
  private readonly worker: Worker;
  private requestId = 0;
  /** Milliseconds the worker spent on the last trajectory (shown; proximal point is slow). */
  private lastMs = 0;
  private fieldPlot!: Plot;
  private eigPlot!: Plot;
  private distPlot!: Plot;
  private readonly stats = el("dl", { class: "stats", id: "dyn-stats" });
  private readonly eigList = el("ul", { class: "eig-list", id: "dyn-eig-list", "aria-live": "polite" });
  private readonly trajCount = el("span", { id: "dyn-traj-count", text: "0" });
  private readonly distCaption = el("figcaption", { id: "dyn-dist-caption" });
  private controls: Record<string, Control<number> | Control<string> | Control<unknown>> = {};
  private zoomControl!: Control<number>;
  private rows: Record<string, HTMLElement> = {};
  /** The keys of the game parameters' controls (`buildGameControls`). */
  private readonly gameKeys: string[] = [];
  /** The other method parameters' control keys (`buildMethodControls`). */
  private readonly methodKeys: string[] = [];
  active = false;

  constructor(
    private readonly lab: LabState,
    private readonly onChange: () => void,
    private readonly onError: (msg: string) => void,
  ) {
    this.worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
    this.worker.onmessage = (e: MessageEvent<FromDynWorker>) => this.receive(e.data);
    this.worker.onerror = (e) => this.onError(`dynamics worker: ${e.message}`);
    this.root = el("section", {
      id: "view-dynamics",
      class: "view",
      role: "tabpanel",
      "aria-labelledby": "tab-dynamics",
    });
    this.build();
  }

  private get state(): DynState {
    return this.lab.dyn;
  }

  private get zoom(): number {
    return this.lab.zoom;
  }

  /** The state changed elsewhere (a loaded link or spec): show it. */
  setState(): void {
    this.syncControls();
    this.zoomControl.set(this.zoom);
    this.needRequest = true;
  }

  private update(patch: Partial<DynState>): void {
    const r = DynStateSchema.safeParse({ ...this.state, ...patch });
    if (!r.success) {
      this.onError(r.error.issues[0].message);
      return;
    }
    this.lab.dyn = r.data;
    this.syncVisibility();
    this.needRequest = true;
    this.onChange();
  }

  /** The rows of the metrics download: every iterate of every trajectory. */
  metricsRows(): DynMetricsRow[] {
    return this.done().flatMap((t, i) =>
      t.points.map((p, step) => ({
        trajectory: i + 1,
        step,
        theta: p[0],
        phi: p[1],
        distance: t.distances[step],
      })),
    );
  }

  /** The current request's trajectories computed so far, in order (stops at the first missing one). */
  private done(): Trajectory[] {
    const out: Trajectory[] = [];
    for (const t of this.trajectories) {
      if (!t) break;
      out.push(t);
    }
    return out;
  }

  private request(): void {
    this.needRequest = false;
    const box = this.fieldPlot.fitAspect({ x: [-this.zoom, this.zoom], y: [-this.zoom, this.zoom] });
    const id = ++this.requestId;
    const done = this.done();
    if (done.length > 0) this.stale = done;
    this.trajectories = this.lab.starts.map(() => undefined);
    const m: DynRequest = { kind: "compute", id, state: this.state, box, starts: this.lab.starts };
    this.worker.postMessage(m);
    this.dirty = true;
  }

  private receive(m: FromDynWorker): void {
    if (m.id !== this.requestId) return; // superseded
    if (m.kind === "error") {
      this.onError(`dynamics: ${m.message}`);
      return;
    }
    if (m.kind === "analysis") {
      this.analysis = m.analysis;
      this.field = m.field;
      this.fieldBox = this.fieldPlot.fitAspect({ x: [-this.zoom, this.zoom], y: [-this.zoom, this.zoom] });
    } else {
      this.trajectories[m.index] = m.trajectory;
      this.lastMs = m.ms;
      if (this.done().length === this.trajectories.length) this.stale = [];
    }
    this.dirty = true;
  }

  private build(): void {
    const s = this.state;
    const c = this.controls;
    c.game = select("game", DYN_GAMES, s.game, (v) => this.update({ game: v }), "dyn-game");
    const gameRows = this.buildGameControls().map((k) => c[k].row);
    c.method = select("method", DYN_METHODS, s.method, (v) => this.update({ method: v }), "dyn-method");
    c.lr = slider(
      "step size η_θ",
      { id: "dyn-lr", min: 0.01, max: 2, step: 0.01, value: s.lr, log: true },
      (v) => this.update({ lr: v }),
    );
    c.lrPhi = slider(
      "step size η_φ",
      { id: "dyn-lr-phi", min: 0.01, max: 2, step: 0.01, value: s.lrPhi, log: true },
      (v) => this.update({ lrPhi: v }),
    );
    c.momentum = slider(
      "momentum β",
      { id: "dyn-momentum", min: -0.9, max: 0.9, step: 0.01, value: s.momentum },
      (v) => this.update({ momentum: v }),
    );
    c.gamma = slider("consensus γ", { id: "dyn-gamma", min: 0, max: 5, step: 0.05, value: s.gamma }, (v) =>
      this.update({ gamma: v }),
    );
    const [kTheta, kPhi] = stepsOfState(s);
    c.kTheta = slider("k_θ steps", { id: "dyn-k-theta", min: 1, max: 10, step: 1, value: kTheta }, (v) =>
      this.update({ kTheta: v }),
    );
    c.kPhi = slider("k_φ steps", { id: "dyn-k-phi", min: 1, max: 10, step: 1, value: kPhi }, (v) =>
      this.update({ kPhi: v }),
    );
    c.first = select(
      "first mover",
      ["theta", "phi"] as const,
      s.first,
      (v) => this.update({ first: v }),
      "dyn-first",
    );
    c.unroll = slider("unroll k", { id: "dyn-unroll", min: 1, max: 10, step: 1, value: s.unroll }, (v) =>
      this.update({ unroll: v }),
    );
    const methodRows = this.buildMethodControls().map((k) => c[k].row);
    c.optimizer = select(
      "optimizer",
      OPTIMIZERS,
      s.optimizer,
      (v) => this.update({ optimizer: v }),
      "dyn-optimizer",
    );
    c.steps = slider(
      "steps per trajectory",
      { id: "dyn-steps", min: 10, max: 1000, step: 10, value: s.steps },
      (v) => this.update({ steps: v }),
    );
    const zoom = slider(
      "view half-width",
      { id: "dyn-zoom", min: ZOOM.min, max: ZOOM.max, step: 0.1, value: this.zoom },
      (v) => {
        this.lab.zoom = v;
        this.needRequest = true;
        this.onChange();
      },
    );
    this.zoomControl = zoom;
    for (const [k, ctl] of Object.entries(c)) this.rows[k] = ctl.row;

    const aside = el(
      "aside",
      { class: "controls", "aria-label": "dynamics controls" },
      el("h2", { text: "Game" }),
      c.game.row,
      ...gameRows,
      el("h2", { text: "Method" }),
      c.method.row,
      c.lr.row,
      c.lrPhi.row,
      c.momentum.row,
      c.gamma.row,
      c.kTheta.row,
      c.kPhi.row,
      c.first.row,
      c.unroll.row,
      ...methodRows,
      c.optimizer.row,
      c.steps.row,
      zoom.row,
      el(
        "div",
        { class: "buttons" },
        button("Clear trajectories", () => this.clearTrajectories(), { id: "dyn-clear" }),
      ),
    );

    const fieldCanvas = el("canvas", {
      id: "dyn-field",
      tabindex: 0,
      role: "img",
      "aria-label":
        "Vector field of the game. Click, or move the cursor with the arrow keys and press Enter, to start a trajectory.",
    });
    const distCanvas = el("canvas", {
      id: "dyn-dist",
      role: "img",
      "aria-label": "Distance to the equilibrium over steps, measured and predicted",
    });
    const eigCanvas = el("canvas", {
      id: "dyn-eig",
      role: "img",
      "aria-label": "Eigenvalues of the update operator and the unit circle",
    });
    const plots = el(
      "div",
      { class: "plots" },
      el(
        "figure",
        { class: "plot-main" },
        fieldCanvas,
        el(
          "figcaption",
          {},
          "Flow −v(ω) over (θ, φ); ★ = ω*. Click to start a trajectory (keyboard: arrows + Enter). Trajectories: ",
          this.trajCount,
        ),
      ),
      el(
        "div",
        { class: "side" },
        el(
          "figure",
          {},
          eigCanvas,
          el("figcaption", {
            text: "Eigenvalues of the method's update operator at ω* (unit circle dashed)",
          }),
        ),
        this.eigList,
        this.stats,
        el("figure", {}, distCanvas, this.distCaption),
      ),
    );
    this.root.append(aside, plots);
    this.distPlot = new Plot(distCanvas, { x: [0, 1], y: [0, 1] });

    this.fieldPlot = new Plot(fieldCanvas, { x: [-2.5, 2.5], y: [-2.5, 2.5] });
    this.eigPlot = new Plot(eigCanvas, { x: [-1.5, 1.5], y: [-1.5, 1.5] });
    fieldCanvas.addEventListener("click", (e) => {
      const r = fieldCanvas.getBoundingClientRect();
      this.addTrajectory(this.fieldPlot.toData(e.clientX - r.left, e.clientY - r.top));
    });
    fieldCanvas.addEventListener("keydown", (e) => {
      const step = this.zoom / 20;
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
      } else if (e.key === "Enter" || e.key === " ") {
        this.addTrajectory(this.cursor);
        e.preventDefault();
      }
    });
    fieldCanvas.addEventListener("focus", () => (this.dirty = true));
    fieldCanvas.addEventListener("blur", () => (this.dirty = true));
    this.syncVisibility();
  }

  /**
   * One control per parameter of the lab's games (each game module's `lab` list, src/games): a menu for a
   * parameter with choices, a slider otherwise. Returns their keys, in list order.
   */
  private buildGameControls(): string[] {
    const s = this.state;
    for (const m of labGames()) {
      for (const ctl of m.lab ?? []) {
        if (this.controls[ctl.param]) continue; // a parameter two games share: one control
        const info = gameParams(m).find((p) => p.key === ctl.param);
        const id = `dyn-${ctl.param.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`)}`;
        const set = (v: unknown) => this.update({ [ctl.param]: v });
        this.controls[ctl.param] =
          info && "choice" in info.kind
            ? select(ctl.label, info.kind.choice, String(s[ctl.param]), set, id)
            : slider(ctl.label, { id, ...(ctl.slider ?? SLIDER), value: Number(s[ctl.param]) }, set);
        this.gameKeys.push(ctl.param);
      }
    }
    return this.gameKeys;
  }

  /**
   * One control per other method parameter (lookahead's inner method, k and α, …) from the modules' flags
   * (web/src/method-controls.ts); parameters without a default (proximal point's tol) stay the library's.
   * Returns their keys (the state's field names).
   */
  private buildMethodControls(): string[] {
    const s = this.state as Record<string, unknown>;
    for (const f of methodParamFlags(OTHER_METHOD_PARAMS)) {
      if (s[f.param] === undefined || this.controls[f.param]) continue;
      const ctl = methodParamControl(f, s[f.param], (v) => this.update({ [f.param]: v }), "dyn");
      if (ctl) {
        this.controls[f.param] = ctl;
        this.methodKeys.push(f.param);
      }
    }
    return this.methodKeys;
  }

  private syncControls(): void {
    for (const [k, ctl] of Object.entries(this.controls)) {
      const v = (this.state as Record<string, unknown>)[k];
      if (v !== undefined) (ctl as Control<unknown>).set(v);
    }
    this.syncVisibility();
  }

  private syncVisibility(): void {
    const s = this.state;
    const r = this.rows;
    const lab = gameModule(s.game).lab ?? [];
    const params = gameParamsOfState(s);
    for (const k of this.gameKeys) {
      const ctl = lab.find((c) => c.param === k);
      showIf(r[k], ctl !== undefined && (ctl.visible?.(params) ?? true));
    }
    showIf(r.gamma, hasParam(s.method, "gamma"));
    // k_θ, k_φ left at their defaults follow the method's (best-response's differ from alternating's)
    const [kTheta, kPhi] = stepsOfState(s);
    if (s.kTheta === undefined) (this.controls.kTheta as Control<number>).set(kTheta);
    if (s.kPhi === undefined) (this.controls.kPhi as Control<number>).set(kPhi);
    showIf(r.kTheta, hasParam(s.method, "steps"));
    showIf(r.kPhi, hasParam(s.method, "steps"));
    showIf(r.first, hasParam(s.method, "first"));
    showIf(r.unroll, hasParam(s.method, "unroll"));
    for (const k of this.methodKeys) showIf(r[k], hasParam(s.method, k));
  }

  addTrajectory(p: [number, number]): void {
    this.cursor = p;
    const starts = [
      ...this.lab.starts,
      [Number(p[0].toFixed(4)), Number(p[1].toFixed(4))] as [number, number],
    ];
    this.lab.starts = starts.slice(-MAX_TRAJECTORIES);
    this.needRequest = true;
    this.onChange();
  }

  clearTrajectories(): void {
    this.lab.starts = [];
    this.stale = [];
    this.needRequest = true;
    this.onChange();
  }

  /** Called every animation frame: sends the newest state to the worker after a change; draws. */
  frame(): void {
    if (!this.active) return;
    const resized = [this.fieldPlot, this.eigPlot, this.distPlot].map((p) => p.resize()).some((x) => x);
    if (resized) this.needRequest = true;
    if (this.needRequest) this.request();
    if (!this.dirty) return;
    this.dirty = false;
    this.draw();
  }

  private draw(): void {
    this.drawField();
    this.drawEigenvalues();
    this.drawDistance();
    this.writeStats();
  }

  private drawField(): void {
    const P = this.fieldPlot;
    P.box = this.fieldBox ?? P.fitAspect({ x: [-this.zoom, this.zoom], y: [-this.zoom, this.zoom] });
    P.clear("#fcfcfd");
    P.axes();
    P.ticks({ grid: true });
    const mags = this.field.map((f) => Math.hypot(f.u, f.v));
    const maxMag = Math.max(...mags, 1e-12);
    const cell = Math.min(P.w, P.h) / 24;
    this.field.forEach((f, i) => {
      const m = mags[i] / maxMag;
      const len = cell * (0.25 + 0.75 * Math.sqrt(m));
      const sx = (P.px(f.x + f.u) - P.px(f.x)) / (mags[i] || 1);
      const sy = (P.py(f.y + f.v) - P.py(f.y)) / (mags[i] || 1);
      const norm = Math.hypot(sx, sy) || 1;
      const shade = Math.round(190 - 120 * m);
      P.arrowPx(
        P.px(f.x),
        P.py(f.y),
        (sx / norm) * len,
        (sy / norm) * len,
        `rgb(${shade},${shade},${shade + 30})`,
      );
    });
    const done = this.done();
    this.stale.slice(done.length).forEach((t, j) => {
      const color = COLORS[(done.length + j) % COLORS.length];
      P.ctx.globalAlpha = 0.3;
      P.polyline(t.points, color, 1.2);
      P.ctx.globalAlpha = 1;
    });
    done.forEach((t, i) => {
      const color = COLORS[i % COLORS.length];
      P.polyline(t.points, color, 1.8);
      P.dot(t.start[0], t.start[1], 4, color);
    });
    // ω* (all built-in games here have it at the origin)
    P.label("★", P.px(0), P.py(0) + 5, "#000", "center");
    if (document.activeElement === P.canvas) {
      const x = P.px(this.cursor[0]);
      const y = P.py(this.cursor[1]);
      const c = P.ctx;
      c.strokeStyle = "#000";
      c.lineWidth = 1;
      c.beginPath();
      c.moveTo(x - 8, y);
      c.lineTo(x + 8, y);
      c.moveTo(x, y - 8);
      c.lineTo(x, y + 8);
      c.stroke();
      P.label(`(${fmt(this.cursor[0], 3)}, ${fmt(this.cursor[1], 3)})`, x + 10, y - 8);
    }
    P.label("θ →", P.w - 30, P.py(0) - 6, "#666");
    P.label("φ ↑", P.px(0) + 6, 14, "#666");
    const pending = this.trajectories.length - done.length;
    this.trajCount.textContent = `${done.length}${pending > 0 ? ` (computing ${pending}…)` : ""}`;
    P.canvas.dataset.trajectories = String(done.length);
    P.canvas.dataset.pending = String(pending);
  }

  private drawEigenvalues(): void {
    const P = this.eigPlot;
    const eig = this.analysis?.predicted.eigenvalues ?? [];
    const R = Math.max(1.3, ...eig.map((z) => modulus(z) * 1.15));
    P.box = P.fitAspect({ x: [-R, R], y: [-R, R] });
    P.clear();
    P.axes();
    P.ticks({ grid: true });
    P.circle(0, 0, 1, "#555", [5, 4]);
    for (const z of eig) {
      const m = modulus(z);
      P.dot(z.re, z.im, 5, m > 1 + 1e-9 ? "#d62728" : m < 1 - 1e-9 ? "#2ca02c" : "#777");
    }
    P.label("Re", P.w - 20, P.py(0) - 5, "#666");
    P.label("Im", P.px(0) + 5, 12, "#666");
    const text = eig.map((z) => formatComplex(z, 4));
    // set once the worker's analysis is in (checks wait for it)
    if (this.analysis) P.canvas.dataset.eigenvalues = JSON.stringify(eig.map((z) => [z.re, z.im]));
    this.eigList.replaceChildren(
      ...(eig.length > 0
        ? eig.map((z, i) => el("li", { text: `${text[i]}   |λ| = ${fmt(modulus(z), 5)}` }))
        : [el("li", { text: this.analysis?.predicted.reason ?? "" })]),
    );
  }

  private drawDistance(): void {
    const done = this.done();
    const last = done[done.length - 1];
    const color = COLORS[(done.length - 1) % COLORS.length];
    const rho = this.analysis?.predicted.radius ?? null;
    const series: Series[] = [];
    if (last) {
      const lg = (x: number) => Math.log10(Math.max(x, 1e-300));
      series.push({
        name: `measured (trajectory ${done.length})`,
        color,
        points: last.distances.map((d, t) => [t, lg(d)] as [number, number]),
      });
      if (rho !== null && rho > 0) {
        const d0 = lg(last.distances[0]);
        const n = last.distances.length;
        series.push({
          name: `predicted ρ = ${fmt(rho, 5)}`,
          color: "#555",
          dash: [5, 4],
          points: [
            [0, d0],
            [n - 1, d0 + (n - 1) * Math.log10(rho)],
          ],
        });
      }
    }
    drawCurves(this.distPlot, series, [], "log₁₀ ‖ω−ω*‖");
    this.distCaption.textContent = last
      ? `log₁₀ ‖ω_t − ω*‖ of the last trajectory (solid, in its colour on the field) and the predicted d₀ρᵗ (dashed grey).`
      : "Click the field to start a trajectory: its log₁₀ ‖ω_t − ω*‖ is drawn here beside the predicted d₀ρᵗ.";
  }

  private writeStats(): void {
    const a = this.analysis;
    const done = this.done();
    const last = done[done.length - 1];
    const rho = a?.predicted.radius ?? null;
    const n = this.state.steps;
    // the same rule as the verdict (src/dynamics/verdict.ts), so the two words agree when the rates do
    const word = (r: number | null) =>
      r === null
        ? ""
        : r < 1 - TOL
          ? ` (converges: ×${fmt(r ** n, 3)} in ${n} steps)`
          : r > 1 + TOL
            ? ` (diverges: ×${fmt(r ** n, 3)} in ${n} steps)`
            : ` (cycles: |ρ − 1| ≤ ${TOL})`;
    const rows: [string, string, string][] = [
      [
        "∇v at ω*",
        a ? `[[${a.J[0].map((x) => fmt(x)).join(", ")}], [${a.J[1].map((x) => fmt(x)).join(", ")}]]` : "—",
        "dyn-jac",
      ],
      ["eig ∇v", a ? a.jacobianEigenvalues.map((z) => formatComplex(z, 4)).join(", ") : "—", "dyn-jac-eig"],
      [
        "predicted ρ",
        rho === null ? `none: ${a?.predicted.reason ?? ""}` : `${fmt(rho, 6)}${word(rho)}`,
        "dyn-predicted",
      ],
      [
        "measured ρ",
        last
          ? `${fmt(last.rate, 6)} on the last trajectory (${last.distances.length - 1} steps)`
          : "click the field to start a trajectory",
        "dyn-measured",
      ],
      [
        "verdict",
        last ? last.verdict + (last.nonFinite ? ` (NaN/Inf at step ${last.nonFinite.step})` : "") : "—",
        "dyn-verdict",
      ],
    ];
    const predictedWord =
      rho === null ? null : rho < 1 - TOL ? "converges" : rho > 1 + TOL ? "diverges" : "cycles";
    if (last && predictedWord !== null && predictedWord !== last.verdict)
      rows.push([
        "why they differ",
        `ρ = ${fmt(rho, 6)} is the rate of the update linearised at ω*; the trajectory ` +
          `${last.rate === null ? "has no fitted rate" : `measured ρ = ${fmt(last.rate, 6)}`} over ${last.distances.length - 1} steps ` +
          `from ‖ω₀ − ω*‖ = ${fmt(last.distances[0], 3)}, where ${gameModule(this.state.game).linear ? "the iterates have not settled on the slowest mode yet" : "the game is not linear (the linearisation holds near ω* only)"}. ` +
          `The verdict uses the measured rate (cycles: within 1 ± ${TOL}); start closer to ω* or run more steps to see the predicted behaviour.`,
        "dyn-why",
      ]);
    this.stats.replaceChildren(
      ...rows.flatMap(([k, v, id]) => [el("dt", { text: k }), el("dd", { id, text: v })]),
    );
  }
}
