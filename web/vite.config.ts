/** Builds the saddle lab (web/) into web/dist: `npm run build`. The page imports the library from ../src. */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = path.dirname(fileURLToPath(import.meta.url));
const shim = path.join(here, "src/shims/node.ts");
const webgpuShim = path.join(here, "src/shims/webgpu.ts");
const pngShim = path.join(here, "src/shims/pngjs.ts");

export default defineConfig({
  root: here,
  base: "./",
  logLevel: "warn",
  build: {
    outDir: path.join(here, "dist"),
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    chunkSizeWarningLimit: 4096,
  },
  resolve: {
    alias: [
      { find: /^node:(fs|path|child_process|module|zlib|os)$/, replacement: shim },
      { find: /^webgpu$/, replacement: webgpuShim },
      { find: /^pngjs$/, replacement: pngShim },
    ],
  },
});
