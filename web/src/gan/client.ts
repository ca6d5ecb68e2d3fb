/**
 * The page's side of the training worker: starts sessions, runs/pauses/steps them, and keeps the latest
 * report of each session plus every live row and CLI evaluation row received (for the curves and the
 * metrics download).
 */
import type { ExperimentSpec } from "../../../src/spec/experiment.ts";
import type { EvalRow } from "../../../src/train/trainer.ts";
import type { FromWorker, SessionReport, ToWorker } from "./protocol.ts";
import type { LiveRow } from "./session.ts";

export interface SessionView {
  spec: ExperimentSpec;
  latest: SessionReport | null;
  live: LiveRow[];
  rows: EvalRow[];
}

export class TrainingClient {
  private readonly worker: Worker;
  private gen = 0;
  sessions: SessionView[] = [];
  running = false;
  stepsPerSecond = 0;
  device = "…";
  /** Reports received for the current sessions. */
  reports = 0;
  onReport: () => void = () => {};
  onError: (msg: string) => void = () => {};
  onDevice: (d: string) => void = () => {};
  private readonly probes = new Map<number, (v: number[]) => void>();
  private probeId = 0;

  constructor() {
    this.worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
    this.worker.onerror = (e) => this.onError(`training worker: ${e.message}`);
  }

  private send(m: ToWorker): void {
    this.worker.postMessage(m);
  }

  private receive(m: FromWorker): void {
    if (m.kind === "device") {
      this.device = m.device;
      this.onDevice(m.device);
      return;
    }
    if (m.kind === "probe") {
      this.probes.get(m.id)?.(m.values);
      this.probes.delete(m.id);
      return;
    }
    if (m.gen !== this.gen) return; // a report of sessions since replaced
    if (m.kind === "error") {
      this.running = false;
      this.onError(m.message);
      this.onReport();
      return;
    }
    m.items.forEach((it, i) => {
      const s = this.sessions[i];
      if (!s) return;
      s.latest = it;
      const last = s.live[s.live.length - 1];
      if (!last || last.step !== it.live.step) s.live.push(it.live);
      s.rows.push(...it.rows);
    });
    this.running = m.running;
    this.stepsPerSecond = m.stepsPerSecond;
    this.reports++;
    this.onReport();
  }

  /** Replaces the sessions (training restarts from the specs' initial parameters). */
  start(specs: ExperimentSpec[], points: number[][] | null): void {
    this.gen++;
    this.running = false;
    this.reports = 0;
    this.stepsPerSecond = 0;
    this.sessions = specs.map((spec) => ({ spec, latest: null, live: [], rows: [] }));
    this.send({ kind: "start", gen: this.gen, specs, points });
  }

  run(on: boolean): void {
    this.running = on;
    this.send({ kind: "run", on });
  }

  /** Training steps per picture while running (0 = as many as fit in about 150 ms). */
  speed(steps: number): void {
    this.send({ kind: "speed", steps });
  }

  /** n steps of one player alone (0 = G, 1 = D). */
  stepPlayer(player: 0 | 1, n = 1): void {
    this.send({ kind: "stepPlayer", player, n });
  }

  step(n = 1): void {
    this.send({ kind: "step", n });
  }

  /** D's output at `points` in session `session` (σ(D) for probability objectives, the score otherwise). */
  probe(points: number[][], session = 0): Promise<number[]> {
    const id = ++this.probeId;
    return new Promise((resolve) => {
      this.probes.set(id, resolve);
      this.send({ kind: "probe", id, session, points });
    });
  }
}
