/**
 * Child process for test/wasm-threads.test.ts: installs the pool before jax-js loads (as bin/saddle.js does),
 * then prints the worker messages after an asynchronously realised matmul and after a synchronous one.
 */
import { installWasmThreads, wasmThreadMessages } from "../../src/engine/wasm-threads.ts";

installWasmThreads(2);
const { blockUntilReady, numpy: np, random } = await import("@jax-js/jax");
const a = random.normal(random.key(0), [256, 256]);
const b = await blockUntilReady(np.dot(a.ref, a.ref));
const afterAsync = wasmThreadMessages();
const c = np.dot(a, b.ref).dataSync();
const afterSync = wasmThreadMessages();
b.dispose();
console.log(JSON.stringify({ afterAsync, afterSync, finite: Number.isFinite(c[0] as number) }));
