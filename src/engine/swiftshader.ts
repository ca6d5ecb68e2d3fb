/**
 * SwiftShader for `--device webgpu` without a GPU: Chromium's Vulkan implementation on the CPU.
 *
 * Debian's `chromium` package ships `vk_swiftshader_icd.json`, `libvk_swiftshader.so` and a Vulkan loader
 * `libvulkan.so.1` in one folder (`/usr/lib/chromium`). Dawn (the `webgpu` npm package) opens the loader with
 * `dlopen("libvulkan.so.1")` and the loader reads `VK_ICD_FILENAMES`; both are read when the process starts,
 * so the environment
 *
 *   VK_ICD_FILENAMES=<folder>/vk_swiftshader_icd.json   LD_LIBRARY_PATH=<folder>:$LD_LIBRARY_PATH
 *
 * must be set before Node starts. `SADDLE_WEBGPU=swiftshader saddle …` does that: the launcher (bin/saddle.js,
 * through src/engine/swiftshader-launch.ts) re-runs itself once in a child process with this environment. The adapter is "google swiftshader":
 * correct and slow (for testing the WebGPU code, not for timing it).
 */
import { existsSync } from "node:fs";

/** Folders searched for the ICD file and its loader; `SADDLE_SWIFTSHADER_DIR` is tried first. */
export const SWIFTSHADER_DIRS: readonly string[] = [
  "/usr/lib/chromium",
  "/usr/lib64/chromium",
  "/usr/lib/chromium-browser",
  "/usr/lib64/chromium-browser",
];
export const ICD_FILE = "vk_swiftshader_icd.json";
/** The user switch: unset (use the machine's own Vulkan driver) or "swiftshader". */
export const WEBGPU_SWITCH = "SADDLE_WEBGPU";
export const WEBGPU_SWITCH_VALUES: readonly string[] = ["swiftshader"];

export interface SwiftShader {
  /** The folder holding the ICD file, libvk_swiftshader.so and libvulkan.so.1. */
  dir: string;
  icd: string;
}

/** Where SwiftShader is on this machine, or null (no chromium). */
export function findSwiftShader(env: NodeJS.ProcessEnv = process.env): SwiftShader | null {
  const dirs = [env.SADDLE_SWIFTSHADER_DIR, ...SWIFTSHADER_DIRS].filter((d): d is string => !!d);
  for (const dir of dirs) {
    const icd = `${dir}/${ICD_FILE}`;
    if (existsSync(icd) && existsSync(`${dir}/libvulkan.so.1`)) return { dir, icd };
  }
  return null;
}

/** `env` with Vulkan pointed at SwiftShader (VK_ICD_FILENAMES, and its folder first on LD_LIBRARY_PATH). */
export function swiftShaderEnv(ss: SwiftShader, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const ld = env.LD_LIBRARY_PATH ? `${ss.dir}:${env.LD_LIBRARY_PATH}` : ss.dir;
  return { ...env, VK_ICD_FILENAMES: ss.icd, LD_LIBRARY_PATH: ld };
}

/** Whether this process was started with Vulkan pointed at SwiftShader. */
export function swiftShaderActive(env: NodeJS.ProcessEnv = process.env): boolean {
  const icd = env.VK_ICD_FILENAMES ?? "";
  if (!icd.endsWith(ICD_FILE)) return false;
  const dir = icd.slice(0, icd.length - ICD_FILE.length - 1);
  return (env.LD_LIBRARY_PATH ?? "").split(":").includes(dir);
}

/** The hint appended to "no adapter" errors: how to get one. */
export function noAdapterHint(env: NodeJS.ProcessEnv = process.env): string {
  const ss = findSwiftShader(env);
  const testing = ss
    ? `or set ${WEBGPU_SWITCH}=swiftshader to use Chromium's SwiftShader in ${ss.dir} (CPU, for testing)`
    : `or install Debian's chromium and set ${WEBGPU_SWITCH}=swiftshader (SwiftShader on the CPU, for testing)`;
  return `install the GPU's Vulkan driver (libvulkan1 with mesa-vulkan-drivers or the NVIDIA driver), ${testing}; or use --device wasm`;
}
