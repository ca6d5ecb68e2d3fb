/** bench/torch-baseline.ts: which BLAS a torch process maps, and when a ratio is refused. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { blasKind, refuseRatio } from "../bench/torch-baseline.ts";

const blas = (library: string, kind: "openblas" | "reference" | "mkl" | "unknown") => ({
  ok: true as const,
  blas: { kind, library, torchVersion: "1.13", threads: 2 },
});

describe("PyTorch baseline BLAS", () => {
  it("Debian's alternatives: openblas-pthread is OpenBLAS, blas/libblas.so.3 the reference BLAS", () => {
    assert.equal(blasKind(["/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3"]).kind, "openblas");
    assert.equal(blasKind(["/usr/lib/x86_64-linux-gnu/blas/libblas.so.3"]).kind, "reference");
    assert.equal(blasKind(["/opt/intel/libmkl_rt.so.2"]).kind, "mkl");
    assert.equal(blasKind([]).kind, "unknown");
    assert.equal(
      blasKind(["/usr/lib/x86_64-linux-gnu/libopenblas.so.0", "/usr/lib/x86_64-linux-gnu/blas/libblas.so.3"])
        .kind,
      "openblas",
    );
  });
  it("refuses a ratio against the reference BLAS, an unknown BLAS, or no torch; allows OpenBLAS", () => {
    assert.match(
      refuseRatio(blas("/usr/lib/x86_64-linux-gnu/blas/libblas.so.3", "reference")) ?? "",
      /reference BLAS/,
    );
    assert.match(refuseRatio(blas("", "unknown")) ?? "", /cannot tell/);
    assert.match(refuseRatio({ ok: false, why: "python3-torch not installed" }) ?? "", /not installed/);
    assert.equal(
      refuseRatio(blas("/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3", "openblas")),
      null,
    );
  });
});
