/**
 * `saddle analyze` on random bilinear games θᵀAφ (A ~ N(0, 1/n), drawn from the seed as the game does), for
 * every dim in [--min-dim, --max-dim] × seeds 0 … --seeds − 1: the time of each whole call (Jacobian, its
 * eigenvalues, the point's classification, every method's update operator and its spectrum), as wall-clock
 * and as this process's CPU time (the one that means something on a shared, loaded machine), and the error
 * of the printed eigenvalues of ∇v = [[0, A], [−Aᵀ, 0]] against their closed form ±iσ_k(A) (σ from
 * ml-matrix's SVD, an independent algorithm). Printed; exits 1 if a call took ≥ 10 s of CPU or an
 * error exceeded 1e-9, so a regression to a hanging or inaccurate eigensolver shows.
 * Usage: npm run bench:eigen [-- --min-dim 2 --max-dim 40 --seeds 50]
 */
import { Matrix, SingularValueDecomposition } from "ml-matrix";
import type { Complex } from "../src/analysis/spectrum.ts";
import { main } from "../src/cli/main.ts";
import { drawMatrix } from "../src/games/bilinear.ts";

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? Number(process.argv[i + 1]) : dflt;
};
const minDim = arg("min-dim", 2);
const maxDim = arg("max-dim", 40);
const seeds = arg("seeds", 50);
const TIME_LIMIT_MS = 10_000;
const ERROR_LIMIT = 1e-9;

/** Runs `saddle analyze … --json` in this process and returns its parsed stdout and exit code. */
async function analyze(
  dim: number,
  seed: number,
): Promise<{ code: number; out: { eigenvalues: Complex[] } }> {
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((s: string | Uint8Array) => {
    chunks.push(String(s));
    return true;
  }) as typeof process.stdout.write;
  try {
    const argv = ["analyze", "--game", "bilinear", "--dim", String(dim), "--seed", String(seed), "--json"];
    const code = await main(argv);
    return { code, out: JSON.parse(chunks.join("")) as { eigenvalues: Complex[] } };
  } finally {
    process.stdout.write = write;
  }
}

/** max |λ − μ| over the sorted-by-imaginary-part matching of the computed λ and the closed form ±iσ_k. */
function error(eigs: Complex[], sigma: number[]): number {
  const want = sigma.flatMap((s) => [s, -s]).sort((a, b) => a - b);
  const got = [...eigs].sort((a, b) => a.im - b.im);
  if (got.length !== want.length) return Infinity;
  return got.reduce((m, z, i) => Math.max(m, Math.hypot(z.re, z.im - want[i])), 0);
}

console.log(`saddle analyze --game bilinear, dims ${minDim}–${maxDim} × seeds 0–${seeds - 1}`);
console.log("dim  calls  max wall ms  max CPU ms  mean CPU ms  max |λ − (±iσ)|");
let worstMs = 0;
let worstCpu = 0;
let worstCpuAt = "";
let worstErr = 0;
let worstAt = "";
let failures = 0;
for (let dim = minDim; dim <= maxDim; dim++) {
  let maxMs = 0;
  let maxCpu = 0;
  let sumCpu = 0;
  let maxErr = 0;
  for (let seed = 0; seed < seeds; seed++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const { code, out } = await analyze(dim, seed);
    const c1 = process.cpuUsage(c0);
    const ms = performance.now() - t0;
    const cpu = (c1.user + c1.system) / 1000;
    const sigma = new SingularValueDecomposition(new Matrix(drawMatrix(dim, seed))).diagonal;
    const err = code === 0 ? error(out.eigenvalues, sigma) : Infinity;
    if (cpu >= TIME_LIMIT_MS || !(err <= ERROR_LIMIT)) failures++;
    maxMs = Math.max(maxMs, ms);
    maxCpu = Math.max(maxCpu, cpu);
    sumCpu += cpu;
    if (cpu > worstCpu) {
      worstCpu = cpu;
      worstCpuAt = `dim ${dim} seed ${seed}`;
    }
    if (err > maxErr) maxErr = err;
    if (ms > worstMs) {
      worstMs = ms;
      worstAt = `dim ${dim} seed ${seed}`;
    }
    worstErr = Math.max(worstErr, err);
  }
  console.log(
    `${String(dim).padStart(3)}  ${String(seeds).padStart(5)}  ${maxMs.toFixed(1).padStart(11)}  ` +
      `${maxCpu.toFixed(1).padStart(10)}  ${(sumCpu / seeds).toFixed(1).padStart(11)}  ${maxErr.toExponential(2)}`,
  );
}
console.log(
  `\nall ${(maxDim - minDim + 1) * seeds} calls: max wall ${worstMs.toFixed(1)} ms (${worstAt}), ` +
    `max CPU ${worstCpu.toFixed(1)} ms (${worstCpuAt}), max eigenvalue error ${worstErr.toExponential(2)}; ` +
    `${failures} over ${TIME_LIMIT_MS / 1000} s CPU or ${ERROR_LIMIT}`,
);
process.exitCode = failures === 0 ? 0 : 1;
