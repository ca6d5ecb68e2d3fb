/** Messages between the lab page and its training worker (src/gan/worker.ts). */
import type { ExperimentSpec } from "../../../src/spec/experiment.ts";
import type { EvalRow } from "../../../src/train/trainer.ts";
import type { LiveRow, ViewSnapshot } from "./session.ts";

export type ToWorker =
  /** (Re)creates one session per spec (same data points); `gen` tags every later report. */
  | { kind: "start"; gen: number; specs: ExperimentSpec[]; points: number[][] | null }
  | { kind: "run"; on: boolean }
  | { kind: "step"; n: number }
  /** n steps of one player alone (0 = G, 1 = D), the other's parameters kept. */
  | { kind: "stepPlayer"; player: 0 | 1; n: number }
  /** Training steps per picture while running (0 = about 150 ms of steps, the default). */
  | { kind: "speed"; steps: number }
  /** D's output (as the heat map shows it) at `points`, for session `session`; answered by "probe". */
  | { kind: "probe"; id: number; session: number; points: number[][] };

export interface SessionReport {
  snap: ViewSnapshot;
  live: LiveRow;
  /** CLI evaluation rows added since the previous report. */
  rows: EvalRow[];
  step: number;
  /** Single-player steps so far ("step G alone", "step D alone"), [G, D]. */
  solo: [number, number];
  /** The square D's heat-map grid covers (the session's data box). */
  box: { x: [number, number]; y: [number, number] };
  done: boolean;
  diverged: { step: number; player: string } | null;
}

export type FromWorker =
  | { kind: "device"; device: string }
  | {
      kind: "report";
      gen: number;
      items: SessionReport[];
      running: boolean;
      /** Training steps per second (all sessions, wall time while running, evaluation included). */
      stepsPerSecond: number;
    }
  | { kind: "probe"; id: number; values: number[] }
  | { kind: "error"; gen: number; message: string };
