#!/usr/bin/env node
// Launcher: runs the TypeScript CLI through tsx, so `npm install && npx saddle ...` needs no build step.
import { register as registerHooks } from "node:module";
import { register } from "tsx/esm/api";

register();
// A game file outside this folder still finds @jax-js/jax (bin/resolve-from-saddle.mjs).
registerHooks("./resolve-from-saddle.mjs", import.meta.url);
// SADDLE_WEBGPU=swiftshader: Vulkan must point at Chromium's SwiftShader before Node starts, so re-run once in a
// child with that environment (src/engine/swiftshader.ts).
const { relaunchForSwiftShader } = await import("../src/engine/swiftshader-launch.ts");
const relaunched = await relaunchForSwiftShader();
if (relaunched !== null) process.exit(relaunched);
// jax-js picks its wasm worker pool when it is first imported: give it one (used only by runs with
// --threads > 1; see src/engine/wasm-threads.ts) before anything imports it.
const { installWasmThreads, poolSizeFromArgv } = await import("../src/engine/wasm-threads.ts");
installWasmThreads(poolSizeFromArgv(process.argv.slice(2)));
// jax-js re-hashes every kernel of a jitted program on each call; keep the hashes (src/engine/kernel-hash-memo.ts).
const { installKernelHashMemo } = await import("../src/engine/kernel-hash-memo.ts");
await installKernelHashMemo();
// `saddle … | head` closes stdout early: exit quietly instead of printing an EPIPE stack trace.
const { exitQuietlyOnClosedPipe } = await import("../src/cli/output.ts");
exitQuietlyOnClosedPipe();
const { main } = await import("../src/cli/main.ts");
const { webgpuInUse } = await import("../src/engine/device.ts");
process.exitCode = await main(process.argv.slice(2));
// Dawn (--device webgpu in Node) keeps the event loop alive after the command is done.
// Exit once stdout is flushed (a pipe is written asynchronously).
if (webgpuInUse()) process.stdout.write("", () => process.exit());
