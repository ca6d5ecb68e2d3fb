/**
 * The landscape of a trained DCGAN at scale (Berard et al., ICLR 2020): the top-20 eigenvalues of the game
 * Jacobian ∇v (largest |λ|, Krylov–Schur), its leftmost eigenvalue, and each player's top-5 and bottom-5
 * Hessian eigenvalues (thick-restart Lanczos), all from Jacobian-vector products on one fixed batch, timed.
 * Printed, never asserted; the target is ≤ 10 minutes on the project's 2-core machine.
 * Usage: npm run bench:landscape -- --run runs/<mnist-dcgan run> [--step N] [--batch 16] [--top 20] [--hessian-k 5]
 * (train one first: `npx saddle train --preset mnist-dcgan --steps 1000 --out runs`).
 */
import "./install-threads.ts"; // first: jax-js picks its worker pool when it is imported
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
const args = ["analyze", "--run", run, "--top", arg("top") ?? "20", "--hessian-k", arg("hessian-k") ?? "5"];
for (const f of ["step", "batch", "tol", "plot"]) {
  const v = arg(f);
  if (v !== undefined) args.push(`--${f}`, v);
}
const t0 = performance.now();
const code = await main(args);
process.stdout.write(
  `\nbench:landscape: ${((performance.now() - t0) / 1000).toFixed(1)} s wall (saddle ${args.join(" ")})\n`,
);
process.exitCode = code;
