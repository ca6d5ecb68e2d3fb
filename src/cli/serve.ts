/**
 * `saddle serve`: serves the built web lab (web/dist, made by `npm run build`) over HTTP.
 *
 * Safety: binds 127.0.0.1 unless `--host` is given explicitly; when bound to a loopback address it also
 * refuses requests whose Host header names another host (DNS rebinding). Only files inside the build folder
 * are served: the URL path is decoded, normalised and resolved against the folder, and anything that lands
 * outside it (`..`, encoded `%2e%2e`, backslashes, NUL bytes, symbolic links pointing out) is refused.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { UsageError } from "../engine/errors.ts";
import { str, type RawFlags } from "./common.ts";

/** The lab's build folder: web/dist at the package root. */
export const DEFAULT_BUILD_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../web/dist");
export const DEFAULT_PORT = 5178;
export const DEFAULT_HOST = "127.0.0.1";

const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".wasm": "application/wasm",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
};

export function serveCommand(): Command {
  return new Command("serve")
    .description("serve the web lab (build it first with `npm run build`) on 127.0.0.1")
    .option("--port <p>", "TCP port, 0–65535 (0 = any free port)", String(DEFAULT_PORT))
    .option("--host <h>", "address to bind; anything but loopback must be given explicitly", DEFAULT_HOST)
    .option("--dir <path>", "the build folder to serve (default: web/dist of this package)")
    .addHelpText(
      "after",
      `
The lab runs the library in the page (jax-js: WebGPU when the browser has it, wasm otherwise).
Only files inside the build folder are served.

Examples:
  npm run build && npx saddle serve
  npx saddle serve --port 8080
  npx saddle serve --host 0.0.0.0     # reachable from other machines: only when you ask for it`,
    );
}

/** Parses --port: an integer 0..65535. */
export function parsePort(raw: string): number {
  const t = raw.trim();
  const p = Number(t);
  if (!/^\d+$/.test(t) || !Number.isInteger(p) || p < 0 || p > 65535) {
    throw new UsageError(`--port: '${raw}' is not a port; allowed: an integer from 0 to 65535`);
  }
  return p;
}

/** Parses --host: a host name or IP address (no scheme, path or port). */
export function parseHost(raw: string): string {
  const h = raw.trim();
  if (h === "" || !/^[A-Za-z0-9.:_-]+$/.test(h) || h.length > 253) {
    throw new UsageError(
      `--host: '${raw}' is not a host; allowed: an IP address or host name such as 127.0.0.1`,
    );
  }
  return h;
}

/** The build folder, checked: it must hold index.html. */
export function checkBuildDir(dir: string): string {
  const root = path.resolve(dir);
  if (!fs.existsSync(path.join(root, "index.html"))) {
    throw new UsageError(
      `serve: no lab build in '${root}' (index.html missing); run \`npm run build\` first`,
    );
  }
  return fs.realpathSync(root);
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);
const isLoopback = (host: string): boolean => LOOPBACK_HOSTS.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);

/** The Host header's name without the port. */
function hostName(header: string | undefined): string {
  if (!header) return "";
  if (header.startsWith("[")) return header.slice(0, header.indexOf("]") + 1);
  return header.replace(/:\d+$/, "");
}

/**
 * The file a URL path names inside `root` (a real path), or null when the path is malformed or leaves the
 * folder. Directories map to their index.html.
 */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split("?")[0].split("#")[0]);
  } catch {
    return null;
  }
  if (decoded.includes("\0") || decoded.includes("\\") || !decoded.startsWith("/")) return null;
  if (decoded.split("/").some((seg) => seg === "..")) return null;
  let file = path.resolve(root, "." + path.posix.normalize(decoded));
  const within = (p: string) => p === root || p.startsWith(root + path.sep);
  if (!within(file)) return null;
  try {
    if (fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    const real = fs.realpathSync(file);
    return within(real) ? real : null;
  } catch {
    return file; // does not exist: 404 later, but it is inside
  }
}

export interface LabServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts the static server; resolves once it listens. Port/host errors are UsageErrors. */
export function startServer(opts: { dir: string; host?: string; port?: number }): Promise<LabServer> {
  const root = checkBuildDir(opts.dir);
  const host = opts.host ?? DEFAULT_HOST;
  const checkHostHeader = isLoopback(host);
  const server = http.createServer((req, res) => {
    const send = (code: number, text: string) => {
      res.writeHead(code, {
        "content-type": "text/plain; charset=utf-8",
        "x-content-type-options": "nosniff",
      });
      res.end(`${text}\n`);
    };
    if (req.method !== "GET" && req.method !== "HEAD") return send(405, "method not allowed");
    if (checkHostHeader && !isLoopback(hostName(req.headers.host))) return send(403, "forbidden host");
    const file = resolveInside(root, req.url ?? "/");
    if (file === null) return send(403, "forbidden path");
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) return send(404, "not found");
      res.writeHead(200, {
        "content-type": MIME[path.extname(file).toLowerCase()] ?? "application/octet-stream",
        "content-length": st.size,
        "cache-control": "no-cache",
        "x-content-type-options": "nosniff",
      });
      if (req.method === "HEAD") return res.end();
      fs.createReadStream(file).pipe(res);
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) => {
      const why =
        e.code === "EADDRINUSE"
          ? `port ${opts.port} is already in use`
          : e.code === "EACCES"
            ? `permission denied for port ${opts.port}`
            : e.code === "EADDRNOTAVAIL" || e.code === "ENOTFOUND"
              ? `address '${host}' is not available on this machine`
              : e.message;
      reject(new UsageError(`serve: cannot listen on ${host}:${opts.port}: ${why}`));
    });
    server.listen(opts.port ?? DEFAULT_PORT, host, () => {
      const port = (server.address() as AddressInfo).port;
      const shown = host.includes(":") ? `[${host}]` : host;
      resolve({
        url: `http://${shown}:${port}/`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

export async function runServeCommand(flags: RawFlags): Promise<number> {
  const port = parsePort(str(flags, "port") ?? String(DEFAULT_PORT));
  const host = parseHost(str(flags, "host") ?? DEFAULT_HOST);
  const dir = str(flags, "dir") ?? DEFAULT_BUILD_DIR;
  const srv = await startServer({ dir, host, port });
  process.stdout.write(`saddle lab: ${srv.url}  (serving ${path.resolve(dir)}; Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      void srv.close().then(resolve);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  return 0;
}
