/**
 * The PyTorch CPU baseline the benches print beside saddle, run in the same bench process tree.
 *
 * Debian's python3-torch links the system BLAS through the alternatives system: with `libopenblas0-pthread`
 * installed that is OpenBLAS, without it the reference BLAS (netlib), which runs the MLP GAN step ~10× slower
 * and `torch.__config__.show()` does not tell the difference. So the library actually mapped into a torch
 * process is read from /proc/self/maps (after a matmul), and a ratio against the reference BLAS is refused.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";

export const PYTHON = "/usr/bin/python3";

export interface TorchBlas {
  /** "openblas", "reference" (netlib libblas), "mkl", or "unknown". */
  kind: "openblas" | "reference" | "mkl" | "unknown";
  /** The BLAS library file mapped into the torch process. */
  library: string;
  torchVersion: string;
  /** torch.get_num_threads() at the baseline's setting. */
  threads: number;
}

export type TorchStatus = { ok: true; blas: TorchBlas } | { ok: false; why: string };

const PROBE = `
import os, torch
torch.set_num_threads(int(os.environ.get("SADDLE_TORCH_THREADS", "2")))
a = torch.ones(256, 256); (a @ a).sum().item()
libs = sorted({l.split()[-1] for l in open("/proc/self/maps") if "blas" in l.lower() or "mkl" in l.lower()})
print(torch.__version__); print(torch.get_num_threads()); print("\\n".join(libs))
`;

/** Which BLAS a torch process uses here (`threads` as the baseline sets them). */
export function torchBlas(threads = 2): TorchStatus {
  if (!fs.existsSync(PYTHON)) return { ok: false, why: `${PYTHON} not found` };
  const r = spawnSync(PYTHON, ["-c", PROBE], {
    encoding: "utf8",
    env: { ...process.env, OPENBLAS_NUM_THREADS: "1", SADDLE_TORCH_THREADS: String(threads) },
  });
  if (r.status !== 0) {
    return {
      ok: false,
      why: "python3-torch not installed (apt-get install -y python3-torch libopenblas0-pthread)",
    };
  }
  const [version, nThreads, ...libs] = r.stdout.trim().split("\n");
  const real = libs.map((l) => {
    try {
      return fs.realpathSync(l);
    } catch {
      return l;
    }
  });
  const { kind, library } = blasKind(real);
  return { ok: true, blas: { kind, library, torchVersion: version, threads: Number(nThreads) } };
}

/** Which BLAS a list of mapped library files (real paths) is: Debian's alternatives resolve libblas.so.3 to
 * .../openblas-pthread/libblas.so.3 (OpenBLAS) or .../blas/libblas.so.3 (the reference BLAS). */
export function blasKind(real: readonly string[]): Pick<TorchBlas, "kind" | "library"> {
  const pick = (re: RegExp): string | undefined => real.find((l) => re.test(l));
  const open = pick(/openblas/i);
  if (open) return { kind: "openblas", library: open };
  const mkl = pick(/mkl/i);
  if (mkl) return { kind: "mkl", library: mkl };
  const ref = pick(/libblas\.so/);
  if (ref) return { kind: "reference", library: ref };
  return { kind: "unknown", library: real.join(", ") };
}

/** Why a ratio against this baseline must not be printed, or null when it may. */
export function refuseRatio(s: TorchStatus): string | null {
  if (!s.ok) return s.why;
  if (s.blas.kind === "reference") {
    return `torch uses the reference BLAS (${s.blas.library}): ~10× slow, no ratio; apt-get install -y libopenblas0-pthread`;
  }
  if (s.blas.kind === "unknown")
    return `cannot tell which BLAS torch uses (${s.blas.library || "none mapped"})`;
  return null;
}

/** Run a Python baseline script; returns its stdout, or throws with its first stderr line. */
export function runPython(script: string, args: string[], timeoutMs = 600_000): string {
  const r = spawnSync(PYTHON, [script, ...args], {
    encoding: "utf8",
    env: { ...process.env, OPENBLAS_NUM_THREADS: "1" },
    timeout: timeoutMs,
  });
  if (r.status !== 0) throw new Error((r.stderr || r.error?.message || "failed").trim().split("\n").pop());
  return r.stdout;
}

/** The `median=` number of a baseline's output, in ms. */
export function medianMs(out: string): number {
  const m = /median=([\d.]+)/.exec(out);
  if (!m) throw new Error(`no median= in the baseline's output: ${out.slice(0, 200)}`);
  return Number(m[1]);
}

/** The process CPU time per iteration (`process CPU ms/iter (all threads): median=`) of a baseline, or null. */
export function cpuMs(out: string): number | null {
  const m = /process CPU ms\/iter[^:]*: median=([\d.]+)/.exec(out);
  return m ? Number(m[1]) : null;
}

/** One row of a bench's --json output. */
export interface BenchRow {
  name: string;
  saddleMs: number;
  torchMs: number | null;
  ratio: number | null;
  /** Process CPU ms per iteration (all threads), when measured: less sensitive to other load than wall time. */
  saddleCpuMs?: number;
  torchCpuMs?: number | null;
  blas: string;
  threads: { saddle: number; torch: number | null };
}
