/**
 * The saddle lab: a thin view over the library. Three views (dynamics, GAN, compare) share one state that
 * travels in the link (src/share.ts); the engine runs in the page (WebGPU when available, wasm otherwise).
 */
import "./style.css";
import { initLabDevice } from "./device.ts";
import { DynamicsView } from "./dynamics/view.ts";
import { GanView } from "./gan/view.ts";
import { CompareView } from "./compare/view.ts";
import { decodeState, encodeState, specFileText, VIEWS, type LabState, type ViewName } from "./share.ts";
import { button, el } from "./ui.ts";
import { metricsJsonl, pointsCsv } from "./gan/session.ts";
import { parseSpec } from "../../src/spec/experiment.ts";
import { DEFAULT_DATASET, isToy2d } from "../../src/data/toy2d/index.ts";
import { LECTURE, lectureStep } from "./lecture.ts";
import { LectureBar } from "./lecture-bar.ts";

interface LabWindow {
  __lab?: {
    ready: boolean;
    device: string;
    errors: string[];
    state: () => LabState;
    /** The longest per-frame work of the views so far (ms); `reset` starts over. */
    frameWorkMs: (reset?: boolean) => number;
    /** For checks: the GAN picture's D read back from its pixels, and D evaluated by the worker. */
    gan: Pick<GanView, "heatValueAt" | "toData" | "probe" | "heatGrid">;
  };
}

/** A "Load spec" file picker: a spec downloaded from the lab, or a CLI run's spec.json. */
function loadSpecControl(onLoad: (text: string, name: string) => void): HTMLElement {
  const input = el("input", {
    type: "file",
    id: "load-spec",
    accept: ".json,application/json",
    class: "visually-hidden",
  });
  input.addEventListener("change", () => {
    const f = input.files?.[0];
    if (!f) return;
    void f.text().then((t) => {
      onLoad(t, f.name);
      input.value = "";
    });
  });
  return el("label", { class: "file-button", for: "load-spec", text: "Load spec…" }, input);
}

function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function start(): Promise<void> {
  const app = document.getElementById("app")!;
  const decoded = decodeState(location.search);
  const state: LabState = {
    view: decoded.view,
    spec: decoded.spec,
    dyn: decoded.dyn,
    methodB: decoded.methodB,
    points: decoded.points,
    layers: decoded.layers,
    zoom: decoded.zoom,
    starts: decoded.starts,
  };

  // lecture mode: `lecture=<id>` in the link names a step of web/src/lecture.ts
  const lectureId = new URLSearchParams(location.search).get("lecture");
  const step = lectureStep(lectureId);
  if (lectureId !== null && !step)
    decoded.errors.push(
      `link parameter 'lecture' = '${lectureId}': allowed: ${LECTURE.map((s) => s.id).join(", ")}`,
    );
  const lecture = new LectureBar(step);

  const message = el("div", { id: "message", role: "alert", class: "message", hidden: true });
  const showMessage = (text: string, kind: "error" | "info" = "error") => {
    message.hidden = text === "";
    message.className = `message ${kind}`;
    message.textContent = text;
  };
  const deviceBadge = el("span", { id: "device", class: "badge", text: "device: starting…" });
  const linkField = el("input", {
    id: "share-link",
    type: "text",
    readonly: true,
    "aria-label": "link to this lab state",
    value: "",
  });

  const tabs = el("nav", { class: "tabs", role: "tablist", "aria-label": "views" });
  const main = el("main", { id: "views" });
  const header = el(
    "header",
    {},
    el("h1", {}, el("span", { class: "logo", text: "saddle" }), " lab"),
    tabs,
    el("div", { class: "header-right" }, lecture.menu, deviceBadge),
  );
  const footer = el("footer", { class: "share", "aria-label": "share" });
  app.append(header, lecture.root, message, main, footer);

  const device = await initLabDevice();
  deviceBadge.textContent = `device: ${device}`;
  deviceBadge.dataset.device = device;

  const updateLink = () => {
    const query = encodeState(state) + (step ? `&lecture=${step.id}` : "");
    linkField.value = `${location.origin}${location.pathname}${query}`;
    history.replaceState(null, "", query);
    lecture.update(state);
  };
  const onError = (msg: string) => showMessage(msg);

  const dynamics = new DynamicsView(state, () => updateLink(), onError);
  // The GAN and compare views share the spec: a change in one restarts the other.
  const gan: GanView = new GanView(
    state,
    () => {
      compare.specChanged();
      updateLink();
    },
    onError,
    () => updateLink(), // a layer shown or hidden: only the link changes
  );
  const compare: CompareView = new CompareView(
    state,
    () => {
      gan.specChanged();
      updateLink();
    },
    onError,
    (msg) => showMessage(msg, "info"),
  );
  const views: Record<ViewName, { root: HTMLElement; active: boolean; frame(): void; deactivate?(): void }> =
    {
      dynamics,
      gan,
      compare,
    };
  const tabButtons = new Map<ViewName, HTMLButtonElement>();
  const titles: Record<ViewName, string> = { dynamics: "Dynamics", gan: "GAN", compare: "Compare" };
  const select = (v: ViewName, focus = false) => {
    state.view = v;
    for (const name of VIEWS) {
      const on = name === v;
      const b = tabButtons.get(name)!;
      b.setAttribute("aria-selected", String(on));
      b.tabIndex = on ? 0 : -1;
      views[name].root.hidden = !on;
      if (!on && views[name].active) views[name].deactivate?.();
      views[name].active = on;
      if (on && focus) b.focus();
    }
    updateLink();
  };
  for (const name of VIEWS) {
    const b = button(titles[name], () => select(name), {
      id: `tab-${name}`,
      role: "tab",
      "aria-controls": `view-${name}`,
    });
    b.addEventListener("keydown", (e) => {
      const i = VIEWS.indexOf(name);
      if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
        const j = (i + (e.key === "ArrowRight" ? 1 : VIEWS.length - 1)) % VIEWS.length;
        select(VIEWS[j], true);
        e.preventDefault();
      }
    });
    tabButtons.set(name, b);
    tabs.append(b);
    main.append(views[name].root);
  }

  footer.append(
    el("label", { for: "share-link", text: "Link" }),
    linkField,
    button(
      "Copy link",
      () => {
        updateLink();
        linkField.select();
        const done = () => showMessage("Link copied.", "info");
        navigator.clipboard
          ?.writeText(linkField.value)
          .then(done, () => showMessage("Link selected: press Ctrl+C to copy.", "info"));
      },
      { id: "copy-link" },
    ),
    button(
      "Download spec",
      () => {
        const spec = state.view === "compare" ? compare.specA() : state.spec;
        download(`${spec.name ?? "lab"}-spec.json`, specFileText(spec), "application/json");
      },
      { id: "download-spec" },
    ),
    button(
      "Download metrics",
      () => {
        if (state.view === "dynamics") {
          const rows = dynamics.metricsRows();
          if (rows.length === 0) {
            showMessage(
              "No trajectory yet: click the field to start one, then download its iterates.",
              "info",
            );
            return;
          }
          download("dynamics-trajectories.jsonl", metricsJsonl(rows), "application/x-ndjson");
          return;
        }
        const rows = state.view === "compare" ? compare.metricsRows() : gan.metricsRows();
        if (rows.length > 0) {
          download("metrics.jsonl", metricsJsonl(rows), "application/x-ndjson");
          return;
        }
        // Before the first evaluation step (spec.evalEvery) there are only the live rows of the curves.
        const live = state.view === "compare" ? compare.liveRows() : gan.liveRows();
        if (live.length === 0) {
          showMessage("Nothing trained yet: press Step or Run first.", "info");
          return;
        }
        download("live-metrics.jsonl", metricsJsonl(live), "application/x-ndjson");
        showMessage(
          `No evaluation yet (the spec evaluates every ${state.spec.evalEvery} steps, as saddle train does): ` +
            "downloaded the live rows of the curves instead (losses on one batch, modes of the drawn samples).",
          "info",
        );
      },
      { id: "download-metrics" },
    ),
    loadSpecControl((text, name) => {
      try {
        const spec = parseSpec(JSON.parse(text) as unknown, name);
        if (!isToy2d(spec.data) && !state.points) {
          state.spec = { ...spec, data: DEFAULT_DATASET };
          showMessage(
            `${name}: data '${spec.data}' is a file: loaded the spec on ${DEFAULT_DATASET}; choose "csv" and upload the file to train on it.`,
            "info",
          );
        } else {
          state.spec = spec;
          showMessage(`Loaded ${name}.`, "info");
        }
        gan.specChanged();
        compare.specChanged();
        select("gan");
      } catch (e) {
        showMessage(e instanceof SyntaxError ? `${name}: not JSON: ${e.message}` : (e as Error).message);
      }
    }),
    button(
      "Download data CSV",
      () => {
        if (state.points)
          download(
            state.spec.data.endsWith(".csv") ? state.spec.data : "points.csv",
            pointsCsv(state.points),
            "text/csv",
          );
        else showMessage(`Data '${state.spec.data}' is built in: saddle train knows it by name.`, "info");
      },
      { id: "download-data" },
    ),
  );

  select(state.view);
  if (decoded.errors.length > 0)
    showMessage(`Invalid link, defaults used instead: ${decoded.errors.join("; ")}`);

  // the longest time the views' own per-frame work took (drawing, requests): checks compare it with the
  // longest gap between frames, which also counts the browser's and the machine's own delays
  let frameWorkMs = 0;
  const loop = () => {
    const t0 = performance.now();
    for (const name of VIEWS) {
      try {
        views[name].frame();
      } catch (e) {
        showMessage(`${name}: ${(e as Error).message}`);
      }
    }
    frameWorkMs = Math.max(frameWorkMs, performance.now() - t0);
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
  (window as LabWindow).__lab = {
    ready: true,
    device,
    errors: decoded.errors,
    state: () => state,
    frameWorkMs: (reset = false) => {
      const m = frameWorkMs;
      if (reset) frameWorkMs = 0;
      return m;
    },
    gan: {
      heatValueAt: (x, y) => gan.heatValueAt(x, y),
      toData: (x, y) => gan.toData(x, y),
      probe: (pts) => gan.probe(pts),
      heatGrid: () => gan.heatGrid(),
    },
  };
  document.body.dataset.ready = "true";
}

start().catch((e: unknown) => {
  const app = document.getElementById("app");
  if (app) app.textContent = `saddle lab failed to start: ${(e as Error).message}`;
  console.error(e);
});
