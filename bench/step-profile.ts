/**
 * Deterministic cost counts of one training step (kernels and routines dispatched per step, grouped by size)
 * plus CPU time, for the MLP GAN round of bench/gan.bench.ts. Uses jax-js's profiler (one
 * `performance.measure` per dispatch).
 * Usage: npm run bench:profile -- [--replicas R] [--steps N] [--top K] [--width W] [--cpuprof FILE]
 *        [--device wasm|webgpu] [--json]
 *
 * On webgpu it also counts, per step, the command encoders created and the `queue.submit` calls with the
 * command buffers they carry (the per-kernel submission cost of issue 17; on SwiftShader without a GPU:
 * `SADDLE_WEBGPU=swiftshader npm run bench:profile -- --device webgpu`).
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { PerformanceObserver, type PerformanceEntry } from "node:perf_hooks";
import { getWebGPUDevice, profiler } from "@jax-js/jax";
import { ring } from "../src/data/toy2d/ring.ts";
import { useDevice } from "../src/engine/device.ts";
import { keyStream } from "../src/engine/rng.ts";
import * as T from "../src/engine/tree.ts";
import { gan } from "../src/games/gan.ts";
import type { Joint } from "../src/games/game.ts";
import { createMethod } from "../src/methods/registry.ts";
import { stepDigest } from "../src/train/step-digest.ts";
import { referenceMethod } from "./reference-method.ts";

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : dflt;
};
// SADDLE_WEBGPU=swiftshader: re-run once with Vulkan pointed at Chromium's SwiftShader (as bin/saddle.js does)
const { relaunchForSwiftShader } = await import("../src/engine/swiftshader-launch.ts");
const relaunched = await relaunchForSwiftShader();
if (relaunched !== null) process.exit(relaunched);

const R = Number(arg("replicas", "1"));
const steps = Number(arg("steps", "20"));
const top = Number(arg("top", "0"));
const device = arg("device", "wasm") === "webgpu" ? "webgpu" : "wasm";
const json = process.argv.includes("--json");
await useDevice(device);

/** GPU work per step on webgpu: command encoders, queue.submit calls and the command buffers submitted. */
const gpu = { encoders: 0, submits: 0, buffers: 0 };
if (device === "webgpu") {
  const dev = getWebGPUDevice();
  const encode = dev.createCommandEncoder.bind(dev);
  dev.createCommandEncoder = (d?: GPUCommandEncoderDescriptor) => {
    gpu.encoders++;
    return encode(d);
  };
  const submit = dev.queue.submit.bind(dev.queue);
  dev.queue.submit = (cbs: Iterable<GPUCommandBuffer>) => {
    const list = [...cbs];
    gpu.submits++;
    gpu.buffers += list.length;
    return submit(list);
  };
}

interface Entry {
  name: string;
  duration: number;
  size: number;
  exp: string;
}
const entries: Entry[] = [];
const obs = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const d = (e as PerformanceEntry & { detail?: unknown }).detail as
      | { devtools?: { properties?: [string, string][] } }
      | undefined;
    const props = Object.fromEntries(d?.devtools?.properties ?? []);
    entries.push({
      name: e.name,
      duration: e.duration,
      size: Number(props.size ?? 0),
      exp: `${props.exp ?? props.inputShapes ?? ""}${props.reduction ? ` red ${props.reduction}` : ""}`,
    });
  }
  performance.clearMeasures();
});
obs.observe({ entryTypes: ["measure"] });

const game = gan({ data: ring(), batch: 256, objective: "non-saturating", replicas: R });
const method = createMethod(game, referenceMethod());
let w: Joint = game.init();
const keys = keyStream(0, "noise");
const next = keys.next;
let s = method.init(w, next());
/** n steps, each realised through one array as the trainer reads it (on webgpu: asynchronously). */
const run = async (n: number) => {
  for (let t = 0; t < n; t++) {
    [w, s] = method.step(w, s, next());
    const digest = stepDigest(w, s);
    if (device === "webgpu") await digest.data();
    else digest.dataSync();
  }
};
await run(5);
const cpuprof = arg("cpuprof", "");
const session = cpuprof ? new Session() : null;
if (session) {
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
}
const c0 = process.cpuUsage();
const w0 = performance.now();
Object.assign(gpu, { encoders: 0, submits: 0, buffers: 0 });
await run(steps);
const gpuPerStep = { ...gpu };
const plainWall = (performance.now() - w0) / steps;
const plainCpu = process.cpuUsage(c0);
if (session) {
  const { profile } = await session.post("Profiler.stop");
  writeFileSync(cpuprof, JSON.stringify(profile));
  session.disconnect();
}
await new Promise((r) => setTimeout(r, 10));
entries.length = 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
profiler.startTrace();
await run(steps);
profiler.stopTrace();
const wall = (performance.now() - t0) / steps;
const cpu = process.cpuUsage(cpu0);
await new Promise((r) => setTimeout(r, 10));
const per = entries.length / steps;
const inKernels = entries.reduce((a, e) => a + e.duration, 0) / steps;
const small = entries.filter((e) => e.size > 0 && e.size <= 6).length / steps;
const perStep = (x: number) => Number((x / steps).toFixed(2));
const result = {
  device,
  replicas: R,
  steps,
  dispatchesPerStep: Number(per.toFixed(1)),
  smallDispatchesPerStep: Number(small.toFixed(1)),
  profiledWallMs: Number(wall.toFixed(2)),
  inDispatchMs: Number(inKernels.toFixed(2)),
  wallMs: Number(plainWall.toFixed(2)),
  cpuMs: perStep((plainCpu.user + plainCpu.system) / 1000),
  ...(device === "webgpu"
    ? {
        encodersPerStep: perStep(gpuPerStep.encoders),
        submitsPerStep: perStep(gpuPerStep.submits),
        commandBuffersPerStep: perStep(gpuPerStep.buffers),
      }
    : {}),
};
if (json) console.log(JSON.stringify(result));
else
  console.log(
    `${device} R=${R}: ${per.toFixed(1)} dispatches/step (incl. the read-back's), ${small.toFixed(1)} on ≤ 6 elements; ` +
      `wall ${wall.toFixed(2)} ms/step (profiled), in dispatch ${inKernels.toFixed(2)} ms, ` +
      `cpu ${((cpu.user + cpu.system) / 1000 / steps).toFixed(2)} ms/step; untraced: wall ${plainWall.toFixed(2)} ms, ` +
      `cpu ${((plainCpu.user + plainCpu.system) / 1000 / steps).toFixed(2)} ms/step` +
      (device === "webgpu"
        ? `; per step ${result.encodersPerStep} command encoders, ${result.submitsPerStep} queue.submit calls carrying ${result.commandBuffersPerStep} command buffers`
        : ""),
  );
if (top > 0) {
  let minSum = 0;
  const groups = new Map<string, { n: number; ms: number; min: number }>();
  for (const e of entries) {
    const k = `${e.name} ${e.exp.slice(0, Number(arg("width", "160")))}`;
    const g = groups.get(k) ?? { n: 0, ms: 0, min: Infinity };
    g.n++;
    g.ms += e.duration;
    g.min = Math.min(g.min, e.duration);
    groups.set(k, g);
  }
  for (const g of groups.values()) minSum += (g.n / steps) * g.min;
  console.log(`sum over dispatches of each kind's fastest run: ${minSum.toFixed(2)} ms/step`);
  [...groups.entries()]
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, top)
    .forEach(([k, g]) =>
      console.log(
        `${(g.ms / steps).toFixed(3).padStart(8)} ms ${(g.n / steps).toFixed(1).padStart(5)}× (min ${(g.min * 1000).toFixed(0).padStart(5)} µs)  ${k}`,
      ),
    );
}
T.dispose(w);
T.dispose(s);
keys.dispose();
obs.disconnect();
