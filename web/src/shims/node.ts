/**
 * Browser stand-ins for the few Node built-ins that library modules import for their file and device
 * helpers (src/spec/experiment.ts reads spec files, src/data/csv.ts reads CSV files, src/engine/device.ts
 * looks for a Vulkan loader and the `webgpu` package). The lab never calls those helpers — it parses specs
 * and CSV text in memory and uses the browser's own WebGPU — so each stand-in throws if it is ever reached.
 * web/vite.config.ts aliases `node:fs`, `node:path` and `node:child_process` here (and `webgpu` to webgpu.ts).
 */
const unavailable = (name: string) => (): never => {
  throw new Error(`saddle lab: ${name} is not available in the browser`);
};

export const readFileSync = unavailable("fs.readFileSync");
export const existsSync = unavailable("fs.existsSync");
export const execFileSync = unavailable("child_process.execFileSync");
export const basename = (p: string): string => p.replace(/^.*[\\/]/, "");

export default {
  readFileSync,
  existsSync,
  writeFileSync: unavailable("fs.writeFileSync"),
  basename,
  join: (...parts: string[]): string => parts.join("/"),
};
