/**
 * Browser stand-ins for the few Node built-ins that library modules import for their file and device
 * helpers (src/spec/experiment.ts reads spec files, src/data/csv.ts reads CSV files, src/data/registry.ts and
 * src/data/png-folder.ts look for image datasets, src/engine/device.ts
 * looks for a Vulkan loader and the `webgpu` package). The lab never calls those helpers — it parses specs
 * and CSV text in memory and uses the browser's own WebGPU — so each stand-in throws if it is ever reached.
 * web/vite.config.ts aliases `node:fs`, `node:path`, `node:child_process`, `node:module`, `node:zlib` and
 * `node:os` here (and `webgpu` to webgpu.ts).
 */
const unavailable = (name: string) => (): never => {
  throw new Error(`saddle lab: ${name} is not available in the browser`);
};

export const readFileSync = unavailable("fs.readFileSync");
export const existsSync = unavailable("fs.existsSync");
export const statSync = unavailable("fs.statSync");
export const readdirSync = unavailable("fs.readdirSync");
export const execFileSync = unavailable("child_process.execFileSync");
export const createRequire = unavailable("module.createRequire");
export const gunzipSync = unavailable("zlib.gunzipSync");
export const homedir = unavailable("os.homedir");
export const basename = (p: string): string => p.replace(/^.*[\\/]/, "");

export default {
  readFileSync,
  existsSync,
  statSync,
  readdirSync,
  writeFileSync: unavailable("fs.writeFileSync"),
  homedir,
  basename,
  join: (...parts: string[]): string => parts.join("/"),
};
