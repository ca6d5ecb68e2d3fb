/**
 * Threads for jax-js's wasm backend in Node.
 *
 * jax-js 0.1.25 splits each wasm kernel over a pool of Web Workers sharing one `WebAssembly.Memory` when
 * `SharedArrayBuffer` and `Worker` exist (dist/backend-*.js, `WasmWorkerPool`); Node has the first but not the
 * browser's `Worker`, so in Node jax-js runs every kernel on the main thread. This module supplies a `Worker`
 * over `node:worker_threads` for the one way jax-js uses it: `new Worker(URL.createObjectURL(blob), { type:
 * "module" })` on a script that reads `self.onmessage` and calls `postMessage`. It must run before the wasm
 * backend is created (before `init`), and only then: the pool is chosen when the backend is constructed.
 *
 * jax-js uses the pool only for arrays realised asynchronously (`await blockUntilReady(x)`, `await x.data()`):
 * a synchronous read (`dataSync`, `js`) compiles and runs its kernels on the main thread as before. So the
 * launcher (bin/saddle.js) installs the pool for every command and each caller chooses: the trainer awaits
 * every step when it runs with threads > 1 (src/train/trainer.ts) and reads synchronously otherwise. A
 * synchronous read of an array whose asynchronous work is still running throws ("cannot read synchronously
 * from a slot with async work"): await first.
 *
 * Splitting a kernel over threads does not change its arithmetic (each thread computes whole output elements),
 * so a run is bit-identical with and without threads (test/wasm-threads.test.ts).
 */
import { availableParallelism } from "node:os";
import { Worker as NodeWorker } from "node:worker_threads";

/** Source text of each blob created through `Blob`, by its object URL (jax-js's worker script is one string). */
const blobText = new WeakMap<Blob, string>();
const urlText = new Map<string, string>();

/** Prelude run in each worker thread: the browser's `self`, `onmessage` and `postMessage` over `parentPort`. */
const PRELUDE = `
const { parentPort } = require("node:worker_threads");
globalThis.self = globalThis;
globalThis.postMessage = (m) => parentPort.postMessage(m);
parentPort.on("message", (m) => { if (typeof self.onmessage === "function") self.onmessage({ data: m }); });
`;

type Handler = ((e: { data: unknown }) => void) | null;
type ErrorHandler = ((e: { message: string }) => void) | null;

/** The subset of the browser's `Worker` jax-js uses: `onmessage`, `onerror`, `postMessage`, `terminate`. */
class ThreadWorker {
  onmessage: Handler = null;
  onerror: ErrorHandler = null;
  readonly #thread: NodeWorker;
  #outstanding = 0;

  constructor(url: string | URL) {
    const text = urlText.get(String(url));
    if (text === undefined) throw new Error(`wasm threads: no script for worker URL ${String(url)}`);
    this.#thread = new NodeWorker(PRELUDE + text, { eval: true });
    this.#thread.unref(); // an idle pool must not keep the process alive
    this.#thread.on("message", (data: unknown) => {
      if (--this.#outstanding === 0) this.#thread.unref();
      this.onmessage?.({ data });
    });
    this.#thread.on("error", (err: Error) => this.onerror?.({ message: err.message }));
  }

  /** jax-js answers every message with exactly one reply; the thread holds the process open while one is due. */
  postMessage(message: unknown): void {
    posted++;
    if (this.#outstanding++ === 0) this.#thread.ref();
    this.#thread.postMessage(message);
  }

  terminate(): void {
    void this.#thread.terminate();
  }
}

let installed = 0;
/** Messages sent to the pool's threads so far (the proof that jax-js used it). */
let posted = 0;

/** How many messages jax-js has sent to the worker threads (init and kernel dispatches). */
export function wasmThreadMessages(): number {
  return posted;
}

/** The pool size installed (0: none; jax-js runs every kernel on the main thread). */
export function wasmPoolSize(): number {
  return installed;
}

/**
 * The pool size for a command line: N from `--threads N` (or `--threads=N`) when N is an integer ≥ 1, otherwise
 * the machine's available parallelism. Read by the launcher before jax-js is imported; the command's own
 * parser validates the flag.
 */
export function poolSizeFromArgv(argv: readonly string[]): number {
  let raw: string | undefined;
  argv.forEach((a, i) => {
    if (a === "--threads") raw = argv[i + 1];
    else if (a.startsWith("--threads=")) raw = a.slice("--threads=".length);
  });
  const n = Number(raw);
  return raw !== undefined && Number.isInteger(n) && n >= 1 ? n : availableParallelism();
}

/**
 * Threads for one training run: `auto` uses the whole pool for convolutional (DCGAN) models on wasm, whose
 * kernels are large enough to split (0.47 → 0.35 s per step of the mnist-dcgan preset on 2 cores), and 1 for
 * MLPs, whose small kernels get slower split (REFERENCE.md: 12 → 18 ms at width 128, batch 256). An integer is
 * capped at the pool size; any device but wasm gets 1.
 */
export function resolveThreads(requested: number | "auto", model: string, device: string): number {
  if (device !== "wasm" || installed < 2) return 1;
  if (requested === "auto") return model === "dcgan" ? installed : 1;
  return Math.max(1, Math.min(requested, installed));
}

/**
 * Give jax-js `threads` wasm worker threads (≥ 2 to have any effect; 1 or 0 leaves the backend single-threaded).
 * Returns the number installed. Call once, before the wasm backend is initialised.
 */
export function installWasmThreads(threads: number): number {
  if (threads < 2 || installed > 0) return installed;
  const g = globalThis as {
    Worker?: unknown;
    Blob: typeof Blob;
    navigator?: { hardwareConcurrency?: number };
  };
  if (g.Worker !== undefined) return 0; // a real Worker (browser, Deno): jax-js already has its pool
  const NativeBlob = g.Blob;
  class TextBlob extends NativeBlob {
    constructor(...args: ConstructorParameters<typeof Blob>) {
      super(...args);
      const parts = args[0];
      if (parts?.every((p) => typeof p === "string")) blobText.set(this, parts.join(""));
    }
  }
  g.Blob = TextBlob;
  const create = URL.createObjectURL.bind(URL);
  const revoke = URL.revokeObjectURL.bind(URL);
  URL.createObjectURL = (obj: Blob): string => {
    const url = create(obj);
    const text = blobText.get(obj);
    if (text !== undefined) urlText.set(url, text);
    return url;
  };
  URL.revokeObjectURL = (url: string): void => {
    urlText.delete(url);
    revoke(url);
  };
  g.Worker = ThreadWorker;
  // jax-js sizes its pool from navigator.hardwareConcurrency (4 when absent).
  const nav = g.navigator;
  if (nav === undefined) {
    Object.defineProperty(globalThis, "navigator", {
      value: { hardwareConcurrency: threads },
      configurable: true,
      writable: true,
    });
  } else {
    Object.defineProperty(nav, "hardwareConcurrency", { value: threads, configurable: true });
  }
  installed = threads;
  return threads;
}
