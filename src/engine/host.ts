/**
 * Reading results when the engine runs on WebGPU in Node. jax-js reads WebGPU buffers synchronously only
 * through a browser API (OffscreenCanvas), so in Node every read must be asynchronous. Code that reads many
 * values synchronously (evaluation, checkpoints, sample plots) runs instead on a host copy: the arrays are
 * moved to wasm with one asynchronous `devicePut`, and the work runs with wasm as jax-js's default device,
 * where `dataSync`/`js` work. On wasm and cpu both helpers are the identity.
 */
import { defaultDevice, devicePut, type Array as JArray, type JsTree } from "@jax-js/jax";
import { webgpuInUse } from "./device.ts";

/** Whether reads must be asynchronous (WebGPU outside a browser). */
export function readsAreAsync(): boolean {
  const browser = (globalThis as { document?: unknown }).document !== undefined;
  return webgpuInUse() && !browser;
}

/** `t` (consumed) as arrays on wasm, readable synchronously; `t` itself unless reads are asynchronous. */
export async function toHost<T extends JsTree<JArray>>(t: T): Promise<T> {
  if (!readsAreAsync()) return t;
  return (await devicePut(t, "wasm")) as unknown as T;
}

/**
 * Runs `f` with wasm as the default device (arrays it creates, keys and samples included, live on wasm),
 * then restores WebGPU; `f` itself unless reads are asynchronous.
 */
export function onHost<R>(f: () => R): R {
  if (!readsAreAsync()) return f();
  defaultDevice("wasm");
  try {
    return f();
  } finally {
    defaultDevice("webgpu");
  }
}

/** `onHost` for asynchronous work (wasm stays the default device until `f`'s promise settles). */
export async function onHostAsync<R>(f: () => Promise<R>): Promise<R> {
  if (!readsAreAsync()) return f();
  defaultDevice("wasm");
  try {
    return await f();
  } finally {
    defaultDevice("webgpu");
  }
}
