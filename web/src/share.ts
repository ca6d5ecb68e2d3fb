/**
 * The lab's shareable state as a link: the experiment spec (src/spec/experiment.ts, the CLI's schema, only
 * its non-default fields), the dynamics view's state (with its zoom and the clicked trajectories' starts),
 * the open view, the compare view's second method, the GAN picture's hidden layers, and the points of drawn
 * or uploaded data. Decoding validates everything; a bad field becomes one message
 * naming it (the spec's is parseSpec's one-line UsageError) and the defaults are used instead.
 */
import { DEFAULT_DATASET, isToy2d } from "../../src/data/toy2d/index.ts";
import { extragradientMethod } from "../../src/methods/extragradient.ts";
import { METHOD_NAMES, type MethodName } from "../../src/methods/spec.ts";

/** The compare view's default second method. */
const METHOD_B: MethodName = extragradientMethod.name;
import {
  ExperimentSchema,
  parseSpec,
  type ExperimentInput,
  type ExperimentSpec,
} from "../../src/spec/experiment.ts";
import { DynStateSchema, defaultDynState, type DynState } from "./dynamics/model.ts";

export const VIEWS = ["dynamics", "gan", "compare"] as const;
export type ViewName = (typeof VIEWS)[number];

/** The GAN picture's layers, each shown or hidden. */
export const LAYERS = ["heat", "real", "fake", "arrows", "modes"] as const;
export type LayerName = (typeof LAYERS)[number];
export type Layers = Record<LayerName, boolean>;
export const defaultLayers = (): Layers => ({
  heat: true,
  real: true,
  fake: true,
  arrows: true,
  modes: true,
});

/** The dynamics view's half-width of the field's box, its default and range. */
export const ZOOM = { min: 0.5, max: 10, default: 2.5 } as const;
export const MAX_TRAJECTORIES = 8;

export interface LabState {
  view: ViewName;
  spec: ExperimentSpec;
  dyn: DynState;
  /** Compare view: the second method (the first is spec.method). */
  methodB: MethodName;
  /** Points of drawn/uploaded data (spec.data names the CSV file they would be saved as). */
  points: number[][] | null;
  /** GAN picture: which layers are shown. */
  layers: Layers;
  /** Dynamics view: the field's half-width and the starts of the clicked trajectories (oldest first). */
  zoom: number;
  starts: [number, number][];
}

export const MAX_LINK_POINTS = 2000;

export const defaultSpec = (): ExperimentSpec => parseSpec({});

/** The fields of `value` that differ from `defaults` (deep compare by JSON). */
function changed<T extends object>(value: T, defaults: T): Partial<T> {
  const out: Partial<T> = {};
  for (const k of Object.keys(value) as (keyof T)[]) {
    if (JSON.stringify(value[k]) !== JSON.stringify(defaults[k])) out[k] = value[k];
  }
  return out;
}

/** A compact text for points: "x,y;x,y" with 4 decimals. */
export function encodePoints(points: readonly (readonly number[])[]): string {
  return points
    .slice(0, MAX_LINK_POINTS)
    .map((p) => p.map((x) => Number(x.toFixed(4))).join(","))
    .join(";");
}

export function decodePoints(text: string): number[][] {
  const rows = text.split(";").filter((r) => r !== "");
  const pts = rows.map((r, i) => {
    const p = r.split(",").map(Number);
    if (p.length < 1 || p.some((x) => !Number.isFinite(x)))
      throw new Error(`point ${i + 1} '${r}' is not a list of numbers`);
    return p;
  });
  if (pts.length === 0) throw new Error("no points");
  const dim = pts[0].length;
  if (pts.some((p) => p.length !== dim)) throw new Error("points of different dimensions");
  return pts;
}

/**
 * A spec's changed fields, the method as its name alone when its params are its defaults, else as its name
 * and the params that differ from them.
 */
function changedSpec(spec: ExperimentSpec): Partial<ExperimentInput> {
  const out: Partial<ExperimentInput> = changed(spec, defaultSpec());
  if (out.method === undefined) return out;
  const { name } = spec.method;
  const own = changed(spec.method, parseSpec({ method: name }).method);
  out.method = Object.keys(own).length === 0 ? name : { name, ...own };
  return out;
}

/** The query string (with '?') for a lab state. */
export function encodeState(s: LabState): string {
  const q = new URLSearchParams();
  q.set("view", s.view);
  const spec = changedSpec(s.spec);
  if (Object.keys(spec).length > 0) q.set("spec", JSON.stringify(spec));
  const dyn = changed(s.dyn, defaultDynState());
  if (Object.keys(dyn).length > 0) q.set("dyn", JSON.stringify(dyn));
  if (s.methodB !== METHOD_B) q.set("methodB", s.methodB);
  if (s.points && !isToy2d(s.spec.data)) q.set("points", encodePoints(s.points));
  const hidden = LAYERS.filter((k) => !s.layers[k]);
  if (hidden.length > 0) q.set("hide", hidden.join(","));
  if (s.zoom !== ZOOM.default) q.set("zoom", String(Number(s.zoom.toFixed(4))));
  if (s.starts.length > 0) q.set("traj", encodePoints(s.starts));
  return `?${q.toString()}`;
}

/** Decodes a query string; every invalid part is reported in `errors` and replaced by its default. */
export function decodeState(search: string): LabState & { errors: string[] } {
  const q = new URLSearchParams(search);
  const errors: string[] = [];
  const json = (name: string): unknown => {
    const raw = q.get(name);
    if (raw === null) return {};
    try {
      return JSON.parse(raw);
    } catch (e) {
      errors.push(`link parameter '${name}' is not valid JSON: ${(e as Error).message}`);
      return {};
    }
  };
  let spec = defaultSpec();
  try {
    spec = parseSpec(json("spec"), "spec in the link");
  } catch (e) {
    errors.push((e as Error).message);
  }
  let dyn = defaultDynState();
  const d = DynStateSchema.safeParse(json("dyn"));
  if (d.success) dyn = d.data;
  else {
    const issue = d.error.issues[0];
    errors.push(
      `dynamics state in the link: field '${issue.path.join(".") || issue.code}': ${issue.message}`,
    );
  }
  const viewRaw = q.get("view") ?? "dynamics";
  const view = (VIEWS as readonly string[]).includes(viewRaw) ? (viewRaw as ViewName) : "dynamics";
  if (view !== viewRaw) errors.push(`link parameter 'view' = '${viewRaw}': allowed: ${VIEWS.join(", ")}`);
  const mb = q.get("methodB") ?? METHOD_B;
  const methodB = (METHOD_NAMES as readonly string[]).includes(mb) ? (mb as MethodName) : METHOD_B;
  if (methodB !== mb) errors.push(`link parameter 'methodB' = '${mb}': allowed: ${METHOD_NAMES.join(", ")}`);
  let points: number[][] | null = null;
  const pr = q.get("points");
  if (pr !== null) {
    try {
      points = decodePoints(pr);
    } catch (e) {
      errors.push(`link parameter 'points': ${(e as Error).message}`);
    }
  }
  const layers = defaultLayers();
  const hide = q.get("hide");
  if (hide !== null) {
    for (const k of hide.split(",").filter((x) => x !== "")) {
      if ((LAYERS as readonly string[]).includes(k)) layers[k as LayerName] = false;
      else errors.push(`link parameter 'hide' = '${k}': allowed: ${LAYERS.join(", ")}`);
    }
  }
  let zoom: number = ZOOM.default;
  const zr = q.get("zoom");
  if (zr !== null) {
    const z = Number(zr);
    if (zr !== "" && Number.isFinite(z) && z >= ZOOM.min && z <= ZOOM.max) zoom = z;
    else errors.push(`link parameter 'zoom' = '${zr}': allowed: a number from ${ZOOM.min} to ${ZOOM.max}`);
  }
  let starts: [number, number][] = [];
  const tr = q.get("traj");
  if (tr !== null) {
    try {
      const pts = decodePoints(tr);
      if (pts[0].length !== 2) throw new Error(`starts have ${pts[0].length} coordinates, expected 2 (θ, φ)`);
      if (pts.length > MAX_TRAJECTORIES)
        throw new Error(`${pts.length} starts; at most ${MAX_TRAJECTORIES} trajectories`);
      starts = pts.map((p) => [p[0], p[1]]);
    } catch (e) {
      errors.push(`link parameter 'traj': ${(e as Error).message}`);
    }
  }
  if (!isToy2d(spec.data) && points === null) {
    errors.push(
      `spec in the link: data '${spec.data}' is a file the link does not carry; using ${DEFAULT_DATASET}`,
    );
    spec = { ...spec, data: DEFAULT_DATASET };
  }
  return { view, spec, dyn, methodB, points, layers, zoom, starts, errors };
}

/** The spec as a file `saddle train --spec` reads (every field, defaults included). */
export function specFileText(spec: ExperimentSpec): string {
  return `${JSON.stringify(ExperimentSchema.parse(spec), null, 2)}\n`;
}
