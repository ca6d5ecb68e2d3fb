/**
 * Counts the live buffers of the jax-js backend, for leak tests: wraps the backend's `malloc` (a new slot
 * is live) and `decRef` (after the real decRef, probe the slot with incRef/decRef; a SlotError means it was
 * freed). Install once, after `useDevice`; `liveArrays()` is the number of slots still allocated.
 */
// @ts-expect-error: jax-js's internal backend chunk ships no type declarations.
import { s as getBackendUntyped } from "../../node_modules/@jax-js/jax/dist/backend-CnjgxpXq.js";

interface SlotBackend {
  malloc(size: number, initialData?: Uint8Array): number;
  incRef(slot: number): void;
  decRef(slot: number): void;
}

const getBackend = getBackendUntyped as (device?: string) => SlotBackend;
const live = new Set<number>();
let installed: SlotBackend | null = null;

/** Start tracking the default backend's buffers (idempotent). */
export function trackLiveArrays(): void {
  const be = getBackend();
  if (installed === be) return;
  const malloc = be.malloc.bind(be);
  const incRef = be.incRef.bind(be);
  const decRef = be.decRef.bind(be);
  be.malloc = (size, initialData) => {
    const slot = malloc(size, initialData);
    live.add(slot);
    return slot;
  };
  be.decRef = (slot) => {
    decRef(slot);
    try {
      incRef(slot);
      decRef(slot);
    } catch {
      live.delete(slot);
    }
  };
  installed = be;
}

/** Number of tracked buffers not yet freed. */
export function liveArrays(): number {
  return live.size;
}
