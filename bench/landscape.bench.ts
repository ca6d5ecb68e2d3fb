/**
 * The landscape of a trained DCGAN at scale (Berard et al., ICLR 2020): the top-20 eigenvalues of the game
 * Jacobian ∇v (largest |λ|, Krylov–Schur), its leftmost eigenvalue, and each player's top-5 and bottom-5
 * Hessian eigenvalues (thick-restart Lanczos), all from Jacobian-vector products on one fixed batch, timed.
 * Printed, never asserted; the target is ≤ 10 minutes on the project's 2-core machine.
 * Usage: npm run bench:landscape -- --run runs/<mnist-dcgan run> [--step N] [--batch 16] [--top 20]
 *        [--hessian-k 5] [--which magnitude|real|imag] [--plot eig.png] [--json]
 * (train one first: `npx saddle train --preset mnist-dcgan --steps 3000 --out runs`).
 * --json prints one object: the analysis report plus {bench: {wallSeconds, cpuSeconds, loadAverage, cores}}.
 */
import "./install-threads.ts"; // first: jax-js picks its worker pool when it is imported
import os from "node:os";
import { main } from "../src/cli/main.ts";

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const run = arg("run");
if (!run) {
  process.stderr.write("bench:landscape: --run <dir> (a trained run directory) is required\n");
  process.exit(2);
}
const json = process.argv.includes("--json");
const args = ["analyze", "--run", run, "--top", arg("top") ?? "20", "--hessian-k", arg("hessian-k") ?? "5"];
for (const f of ["step", "batch", "tol", "plot", "which"]) {
  const v = arg(f);
  if (v !== undefined) args.push(`--${f}`, v);
}
if (json) args.push("--json");

// With --json, the report is captured from stdout and printed once, with the timing added.
let captured = "";
const write = process.stdout.write.bind(process.stdout);
if (json) {
  process.stdout.write = ((chunk: string | Uint8Array): boolean => {
    captured += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    return true;
  }) as typeof process.stdout.write;
}
const load0 = os.loadavg()[0];
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const code = await main(args);
const wallSeconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6; // this process's main thread and its wasm workers
const bench = {
  wallSeconds,
  cpuSeconds,
  loadAverage: [load0, os.loadavg()[0]],
  cores: os.cpus().length,
  command: `saddle ${args.join(" ")}`,
};
if (json) {
  process.stdout.write = write;
  if (code === 0) {
    const report = JSON.parse(captured) as Record<string, unknown>;
    write(`${JSON.stringify({ ...report, bench })}\n`);
  } else write(captured);
} else {
  write(
    `\nbench:landscape: ${wallSeconds.toFixed(1)} s wall, ${cpuSeconds.toFixed(1)} s CPU on ${bench.cores} cores ` +
      `(load average ${load0.toFixed(1)} → ${bench.loadAverage[1].toFixed(1)}; ${bench.command})\n`,
  );
}
process.exitCode = code;
