/**
 * Side-effect import for benchmarks: gives jax-js its wasm worker pool (src/engine/wasm-threads.ts) before
 * anything imports jax-js, as bin/saddle.js does for the CLI. Import it first. `--threads N` sizes the pool
 * (default: every core); a bench still runs single-threaded unless it realises arrays asynchronously. Also
 * keeps jax-js's kernel hashes, as the launcher does (src/engine/kernel-hash-memo.ts).
 */
import { installKernelHashMemo } from "../src/engine/kernel-hash-memo.ts";
import { installWasmThreads, poolSizeFromArgv } from "../src/engine/wasm-threads.ts";

installWasmThreads(poolSizeFromArgv(process.argv.slice(2)));
await installKernelHashMemo();
