/**
 * Device set-up for @jax-js/jax: the only module that knows how the engine is initialised.
 *
 * Devices: `wasm` (default, fast on CPU), `cpu` (reference interpreter), `webgpu` (in Node through the optional
 * `webgpu` package, Dawn bindings; in the browser natively). In Node, `webgpu` uses the machine's Vulkan driver;
 * without a GPU, `SADDLE_WEBGPU=swiftshader` points Vulkan at Chromium's SwiftShader (src/engine/swiftshader.ts).
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { defaultDevice, init, numpy as np } from "@jax-js/jax";
import { UsageError } from "./errors.ts";
import { noAdapterHint, swiftShaderActive } from "./swiftshader.ts";

export type DeviceName = "wasm" | "cpu" | "webgpu";
export const DEVICES: readonly DeviceName[] = ["wasm", "cpu", "webgpu"];
export type DTypeName = "float32" | "float64";
export const DTYPES: readonly DTypeName[] = ["float32", "float64"];
/** Machine epsilon of a dtype: 2⁻⁵² for float64, 2⁻²³ for float32. */
export const machineEpsilon = (dtype: DTypeName): number => (dtype === "float64" ? 2 ** -52 : 2 ** -23);

let current: DeviceName | undefined;

/** Whether this process initialised the engine on WebGPU (Dawn keeps Node's event loop alive: exit explicitly). */
export const webgpuInUse = (): boolean => current === "webgpu";

/** What jax-js throws when a synchronous read (dataSync, js) meets WebGPU outside a browser. */
const SYNC_READ = "cannot read data from WebGPU synchronously";

/**
 * The one-line message for jax-js's synchronous-read failure on WebGPU in Node, or null for any other error.
 * jax-js reads WebGPU buffers synchronously through an OffscreenCanvas, a browser API that Node lacks; the
 * commands that read results synchronously (analysis, dynamics, train's checks and checkpoints) stop there.
 */
export function webgpuSyncReadMessage(err: unknown): string | null {
  const msg = err instanceof Error ? err.message : String(err);
  if (!msg.includes(SYNC_READ)) return null;
  return (
    "--device: 'webgpu' in Node cannot read results synchronously (jax-js reads WebGPU through OffscreenCanvas, " +
    "a browser API), which this command needs; use --device wasm, or WebGPU in the lab (saddle serve, in a browser)"
  );
}

/** On Linux, Dawn needs the Vulkan loader; without it there is no adapter (and Dawn would print a warning). */
function linuxHasVulkanLoader(): boolean {
  if (process.platform !== "linux") return true;
  if (swiftShaderActive()) return true;
  try {
    const out = execFileSync("ldconfig", ["-p"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    if (out.includes("libvulkan.so.1")) return true;
  } catch {
    // no ldconfig: fall back to the usual folders
  }
  const dirs = [
    ...(process.env.LD_LIBRARY_PATH ?? "").split(":").filter((d) => d !== ""),
    "/usr/lib/x86_64-linux-gnu",
    "/usr/lib/aarch64-linux-gnu",
    "/usr/lib64",
    "/usr/lib",
    "/usr/local/lib",
  ];
  return dirs.some((d) => existsSync(`${d}/libvulkan.so.1`));
}

/** Make the WebGPU API visible to jax-js in Node, via the `webgpu` package (Dawn). Throws UsageError when absent. */
async function installNodeWebGPU(): Promise<void> {
  const g = globalThis as { navigator?: { gpu?: unknown } };
  if (g.navigator?.gpu) return; // browser, or already installed
  let mod: { create: (opts: string[]) => unknown; globals: Record<string, unknown> };
  try {
    mod = (await import("webgpu")) as typeof mod;
  } catch {
    throw new UsageError(
      "--device: 'webgpu' needs the optional npm package 'webgpu' (Dawn), which is not installed; use --device wasm",
    );
  }
  Object.assign(globalThis, mod.globals);
  Object.defineProperty(globalThis, "navigator", {
    value: { gpu: mod.create([]), userAgent: "node" },
    configurable: true,
  });
}

/** Initialise the engine on `device` (idempotent). A missing GPU is a UsageError with one line naming it. */
export async function useDevice(device: DeviceName = "wasm"): Promise<DeviceName> {
  if (current === device) return device;
  if (!DEVICES.includes(device)) {
    throw new UsageError(`--device: unknown device '${String(device)}'; allowed: ${DEVICES.join(", ")}`);
  }
  if (device === "webgpu") {
    const browser = (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu !== undefined;
    if (!browser && !linuxHasVulkanLoader()) {
      throw new UsageError(
        `--device: 'webgpu' found no GPU adapter on this machine (no Vulkan loader libvulkan.so.1); ${noAdapterHint()}`,
      );
    }
    await installNodeWebGPU();
    const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<unknown> } } }).navigator
      ?.gpu;
    const adapter = gpu ? await gpu.requestAdapter().catch(() => null) : null;
    if (!adapter) {
      throw new UsageError(
        `--device: 'webgpu' found no GPU adapter on this machine (no Vulkan driver); ${noAdapterHint()}`,
      );
    }
  }
  // WebGPU also brings up wasm: in Node, results are read on wasm copies (src/engine/host.ts)
  const ok = device === "webgpu" ? await init(device, "wasm") : await init(device);
  if (!ok.includes(device)) {
    throw new UsageError(`--device: '${device}' could not be initialised here; available: ${ok.join(", ")}`);
  }
  defaultDevice(device);
  current = device;
  return device;
}

/** The jax-js dtype for a dtype name. */
export function dtypeOf(name: DTypeName): np.DType {
  return name === "float64" ? np.float64 : np.float32;
}
