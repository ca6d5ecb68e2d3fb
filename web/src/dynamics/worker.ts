/**
 * The dynamics view's worker: the analysis at ω*, the vector field and the trajectories are computed here,
 * off the page's main thread, so dragging a slider never stalls drawing (proximal point and unrolled take
 * seconds per set of trajectories). Each request supersedes the previous one: between two trajectories the
 * worker yields to its message queue and drops work for a request that a newer one has replaced. Results
 * for an unchanged state (game, method, box, start) are reused.
 */
import { useDevice } from "../../../src/engine/device.ts";
import type { FieldSample } from "../../../src/dynamics/field-grid.ts";
import { DynamicsModel, gameParamsOfState, type Trajectory } from "./model.ts";
import type { DynRequest, FromDynWorker } from "./protocol.ts";

const post = (m: FromDynWorker) =>
  (self as unknown as { postMessage(m: FromDynWorker): void }).postMessage(m);
const ready = useDevice("wasm"); // float64 2-parameter games: wasm always

let latest = 0;
let model: DynamicsModel | null = null;
let modelKey = "";
let field: FieldSample[] = [];
let fieldKey = "";
const trajectories = new Map<string, Trajectory>();

const yieldToQueue = () => new Promise<void>((r) => setTimeout(r, 0));

async function compute(m: DynRequest): Promise<void> {
  await ready;
  await yieldToQueue(); // let a burst of slider events collapse to the newest
  if (m.id !== latest) return;
  const key = JSON.stringify(m.state);
  if (!model || modelKey !== key) {
    model = new DynamicsModel(m.state);
    modelKey = key;
    trajectories.clear();
  }
  const s = m.state;
  const fk = JSON.stringify([m.box, s.game, gameParamsOfState(s)]);
  if (fk !== fieldKey) {
    field = model.field(m.box, 21);
    fieldKey = fk;
  }
  post({ kind: "analysis", id: m.id, analysis: model.analyse(), field });
  for (let i = 0; i < m.starts.length; i++) {
    if (m.id !== latest) return;
    const tk = JSON.stringify(m.starts[i]);
    const t0 = performance.now();
    let t = trajectories.get(tk);
    if (!t) {
      t = model.trajectory(m.starts[i]);
      trajectories.set(tk, t);
    }
    post({ kind: "trajectory", id: m.id, index: i, trajectory: t, ms: performance.now() - t0 });
    await yieldToQueue();
  }
}

self.onmessage = (e: MessageEvent<DynRequest>) => {
  const m = e.data;
  latest = m.id;
  compute(m).catch((err: unknown) => post({ kind: "error", id: m.id, message: (err as Error).message }));
};
