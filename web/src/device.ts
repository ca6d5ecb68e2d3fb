/**
 * The lab's engine set-up: WebGPU when the browser offers an adapter, wasm otherwise (src/engine/device.ts
 * does the initialisation). The 2-parameter games of the dynamics view are float64 and tiny, so they always
 * run on wasm (`onWasm`); GAN training runs on the chosen device.
 */
import { defaultDevice } from "@jax-js/jax";
import { useDevice, type DeviceName } from "../../src/engine/device.ts";

let chosen: DeviceName = "wasm";

/** Initialises wasm, then WebGPU when available; returns the device GAN training uses. */
export async function initLabDevice(opts: { allowWebGPU?: boolean } = {}): Promise<DeviceName> {
  await useDevice("wasm");
  chosen = "wasm";
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (opts.allowWebGPU !== false && gpu) {
    try {
      const adapter = await gpu.requestAdapter();
      if (adapter) {
        await useDevice("webgpu");
        chosen = "webgpu";
      }
    } catch {
      chosen = "wasm";
    }
  }
  defaultDevice(chosen);
  return chosen;
}

/** The device GAN training uses. */
export const labDevice = (): DeviceName => chosen;

/** Runs `f` with wasm as the default device (synchronous work only), then restores the lab's device. */
export function onWasm<T>(f: () => T): T {
  if (chosen === "wasm") return f();
  defaultDevice("wasm");
  try {
    return f();
  } finally {
    defaultDevice(chosen);
  }
}
