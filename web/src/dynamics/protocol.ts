/** Messages between the dynamics view and its worker (web/src/dynamics/worker.ts). */
import type { Box, FieldSample } from "../../../src/dynamics/field-grid.ts";
import type { Analysis, DynState, Trajectory } from "./model.ts";

/** A request: the latest replaces any older one still being computed. */
export interface DynRequest {
  kind: "compute";
  id: number;
  state: DynState;
  box: Box;
  starts: [number, number][];
}

export type FromDynWorker =
  /** The analysis and the field for request `id` (the trajectories follow one by one). */
  | { kind: "analysis"; id: number; analysis: Analysis; field: FieldSample[] }
  | { kind: "trajectory"; id: number; index: number; trajectory: Trajectory; ms: number }
  | { kind: "error"; id: number; message: string };
