/**
 * Local analysis: spectra, exact update operators (oracles: ../shared/REFERENCE.md's bilinear table and the
 * negative-momentum Theorem 3), Dirac-GAN eigenvalues, Jacobian checks, measured rates, point classification.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { numpy as np } from "@jax-js/jax";
import { useDevice } from "../src/engine/device.ts";
import { bilinear } from "../src/games/bilinear.ts";
import { dirac } from "../src/games/dirac.ts";
import type { Joint } from "../src/games/game.ts";
import { finiteDifferenceJacobian, jacobian, type Matrix } from "../src/analysis/jacobian.ts";
import {
  complexSqrt,
  momentumEigenvalues,
  predictedRate,
  unsupportedReason,
  updateOperator,
} from "../src/analysis/operators.ts";
import {
  eigenvalues,
  formatComplex,
  modulus,
  sortLexicographic,
  spectralRadius,
  symmetricEigenvalues,
  type Complex,
} from "../src/analysis/spectrum.ts";
import { measuredRate } from "../src/analysis/rate.ts";
import { classifyPoint } from "../src/analysis/equilibrium.ts";
import { runDynamics } from "../src/dynamics/run-dynamics.ts";
import { createMethod } from "../src/methods/registry.ts";
import { METHOD_NAMES, type MethodName, type MethodSpec } from "../src/methods/spec.ts";
import { methodDefaults } from "../src/methods/registry.ts";
import { BEST_RESPONSE_STEPS } from "../src/methods/best-response.ts";
import { CONSENSUS_GAMMA } from "../src/methods/consensus.ts";

const f64 = { dtype: np.float64 };

before(async () => {
  await useDevice("wasm");
});

const close = (actual: number, expected: number, tol: number, what = ""): void =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected} (tol ${tol})`);

const closeSpectra = (actual: Complex[], expected: Complex[], tol: number): void => {
  assert.equal(actual.length, expected.length);
  const a = sortLexicographic(actual);
  const e = sortLexicographic(expected);
  a.forEach((z, i) => {
    close(z.re, e[i].re, tol, `re[${i}]`);
    close(z.im, e[i].im, tol, `im[${i}]`);
  });
};

/** ∇v of θ·φ at its equilibrium, from the game (not hand-typed). */
let Jb: Matrix;
const rho = (spec: { name: MethodName; eta: number; [param: string]: unknown }): number => {
  const { eta, ...rest } = spec;
  const r = predictedRate({ ...rest, lr: [eta, eta] }, Jb, [1, 1]).radius;
  assert.ok(r !== null, "expected a radius");
  return r;
};

describe("spectrum", () => {
  it("eigenvalues of a rotation-scaling, a triangular and an empty matrix", () => {
    closeSpectra(
      eigenvalues([
        [0.6, -0.8],
        [0.8, 0.6],
      ]),
      [
        { re: 0.6, im: 0.8 },
        { re: 0.6, im: -0.8 },
      ],
      1e-12,
    );
    closeSpectra(
      eigenvalues([
        [2, 5, 1],
        [0, -3, 4],
        [0, 0, 0.5],
      ]),
      [
        { re: 2, im: 0 },
        { re: -3, im: 0 },
        { re: 0.5, im: 0 },
      ],
      1e-12,
    );
    assert.equal(
      spectralRadius([
        [2, 5, 1],
        [0, -3, 4],
        [0, 0, 0.5],
      ]),
      3,
    );
    assert.deepEqual(eigenvalues([]), []);
    assert.throws(() => eigenvalues([[1, 2]]), /not square/);
  });

  it("symmetric-part eigenvalues ascend; formatting", () => {
    assert.deepEqual(
      symmetricEigenvalues([
        [1, 4],
        [0, 1],
      ]).map((x) => Number(x.toFixed(12))),
      [-1, 3],
    );
    assert.equal(formatComplex({ re: -0.15, im: -0.4769696 }), "-0.15 - 0.477i");
    assert.equal(formatComplex({ re: 1e-17, im: 0.5 }), "0 + 0.5i");
  });
});

describe("update operators on the bilinear game θ·φ (REFERENCE.md table)", () => {
  before(() => {
    const g = bilinear();
    Jb = jacobian(g, g.equilibrium!());
    assert.deepEqual(Jb, [
      [0, 1],
      [-1, 0],
    ]);
  });

  it("simultaneous GDA: √(1+η²), 1.1180 at η = 0.5", () => {
    for (const eta of [0.05, 0.5, 1, 3])
      close(rho({ name: "simultaneous", eta }), Math.sqrt(1 + eta * eta), 1e-6, `η=${eta}`);
    close(rho({ name: "simultaneous", eta: 0.5 }), 1.118, 5e-5);
  });

  it("simultaneous GDA with per-player steps [a, b]: √(1 + ab)", () => {
    const r = predictedRate({ name: "simultaneous", lr: [0.5, 2] }, Jb, [1, 1]).radius!;
    close(r, Math.sqrt(2), 1e-9);
  });

  it("alternating GDA: 1 for η < 2 (θ first or φ first, k = 1:1 or 2:1), diverges beyond", () => {
    for (const eta of [0.5, 1.5, 1.99]) {
      close(rho({ name: "alternating", eta }), 1, 1e-6, `η=${eta}`);
      close(rho({ name: "alternating", eta, first: 1 }), 1, 1e-6, `η=${eta} φ first`);
    }
    close(rho({ name: "alternating", eta: 0.5, steps: [2, 1] }), 1, 1e-6, "2:1");
    // One round with k_θ = 2 is [[1, −2η], [η, 1 − 2η²]]: trace 2 − 2η², det 1 ⇒ ρ = 1 iff η < √2.
    const eta = 1.6;
    const tr = 2 - 2 * eta * eta;
    close(
      rho({ name: "alternating", eta, steps: [2, 1] }),
      (Math.abs(tr) + Math.sqrt(tr * tr - 4)) / 2,
      1e-9,
    );
    assert.ok(rho({ name: "alternating", eta: 2.5 }) > 1.5);
    const r = predictedRate({ name: "alternating", lr: [0.5, 2] }, Jb, [1, 1]).radius!;
    close(r, 1, 1e-6, "ab = 1 < 4");
  });

  it("extragradient: √(1 − η² + η⁴), 0.8660 at η = 1/√2", () => {
    for (const eta of [0.2, Math.SQRT1_2, 1, 1.3]) {
      close(rho({ name: "extragradient", eta }), Math.sqrt(1 - eta ** 2 + eta ** 4), 1e-6, `η=${eta}`);
    }
    close(rho({ name: "extragradient", eta: Math.SQRT1_2 }), 0.866, 5e-5);
  });

  it("optimistic GDA: 0.7071 at η = 0.5, 1.9319 = (√6 + √2)/2 at η = 1", () => {
    close(rho({ name: "optimistic", eta: 0.5 }), Math.SQRT1_2, 1e-6);
    close(rho({ name: "optimistic", eta: 1 }), (Math.sqrt(6) + Math.SQRT2) / 2, 1e-6);
    close(rho({ name: "optimistic", eta: 1 }), 1.9319, 5e-5);
    assert.equal(updateOperator({ name: "optimistic", lr: [0.5, 0.5] }, Jb, [1, 1])!.length, 4);
  });

  it("proximal point: 1/√(1+η²), 0.8944 at η = 0.5", () => {
    for (const eta of [0.1, 0.5, 2])
      close(rho({ name: "proximal-point", eta }), 1 / Math.sqrt(1 + eta * eta), 1e-6);
    close(rho({ name: "proximal-point", eta: 0.5 }), 0.8944, 5e-5);
  });

  it("consensus γ: √((1−ηγ)² + η²), 0.9055 at η = 0.1, γ = 1", () => {
    for (const [eta, gamma] of [
      [0.1, 1],
      [0.2, 0.5],
      [0.5, 3],
    ]) {
      close(rho({ name: "consensus", eta, gamma }), Math.sqrt((1 - eta * gamma) ** 2 + eta ** 2), 1e-6);
    }
    close(rho({ name: "consensus", eta: 0.1, gamma: 1 }), 0.9055, 5e-5);
  });

  it("gradient descent on ½‖v‖²: |1 − η|, 0.5 at η = 0.5", () => {
    for (const eta of [0.5, 1.5, 0.9]) close(rho({ name: "grad-norm", eta }), Math.abs(1 - eta), 1e-6);
  });

  it("alternating GDA + momentum β (per-player heavy ball, θ first): 0.9806, 1.0317, 0.8528, 0.4843", () => {
    close(rho({ name: "alternating", eta: 0.5, momentum: -0.1 }), 0.9806, 5e-5);
    close(rho({ name: "alternating", eta: 0.5, momentum: 0.1 }), 1.0317, 5e-5);
    close(rho({ name: "alternating", eta: 1, momentum: -0.25 }), 0.8528, 5e-5);
    close(rho({ name: "alternating", eta: 1.78, momentum: -0.08 }), 0.4843, 5e-5);
    // On θ·φ the order of the players does not change the rate.
    close(rho({ name: "alternating", eta: 1, momentum: -0.25, first: 1 }), 0.8528, 5e-5);
    assert.equal(updateOperator({ name: "alternating", lr: [1, 1], momentum: -0.25 }, Jb, [1, 1])!.length, 4);
  });

  it("simultaneous GDA + momentum β: 1.0201 at β = −0.5, (1+√3)/2 = 1.3660 at β = 0.5, ≥ 1 for every β", () => {
    close(rho({ name: "simultaneous", eta: 0.5, momentum: -0.5 }), 1.0201, 5e-5);
    close(rho({ name: "simultaneous", eta: 0.5, momentum: 0.5 }), (1 + Math.sqrt(3)) / 2, 1e-6);
    for (let beta = -0.95; beta <= 0.95; beta += 0.05) {
      for (const eta of [0.1, 0.5, 1]) {
        assert.ok(rho({ name: "simultaneous", eta, momentum: beta }) >= 1 - 1e-9, `η=${eta} β=${beta}`);
      }
    }
  });

  it("operators agree with directly simulated recursions (alternating heavy ball, optimistic)", () => {
    // θ₊ = θ − ηφ + β(θ − θ₋);  φ₊ = φ + ηθ₊ + β(φ − φ₋)    (v = (φ, −θ))
    const simulateAltMomentum = (eta: number, beta: number, steps: number): number[] => {
      let [th, ph, thPrev, phPrev] = [1, 0.3, 1, 0.3];
      const d: number[] = [];
      for (let t = 0; t < steps; t++) {
        const th1 = th - eta * ph + beta * (th - thPrev);
        [thPrev, th] = [th, th1];
        const ph1 = ph + eta * th + beta * (ph - phPrev);
        [phPrev, ph] = [ph, ph1];
        d.push(Math.hypot(th, ph));
      }
      return d;
    };
    for (const [eta, beta] of [
      [0.5, -0.1],
      [1, -0.25],
      [0.5, 0.1],
    ]) {
      const m = measuredRate(simulateAltMomentum(eta, beta, 1500)).rate!;
      close(m, rho({ name: "alternating", eta, momentum: beta }), 2e-3, `simulated η=${eta} β=${beta}`);
    }
    // ω₊ = ω − 2ηv(ω) + ηv(ω₋) at η = 1 (diverges at 1.9319)
    let [w, wPrev] = [
      [1, 0.5],
      [1, 0.5],
    ];
    const v = (x: number[]): number[] => [x[1], -x[0]];
    const d: number[] = [];
    for (let t = 0; t < 200; t++) {
      const a = v(w);
      const b = v(wPrev);
      [wPrev, w] = [w, w.map((x, i) => x - 2 * a[i] + b[i])];
      d.push(Math.hypot(...w));
    }
    close(measuredRate(d).rate!, 1.9319, 2e-3, "simulated OGDA");
  });

  it("unsupported: momentum on extragradient, adaptive optimizers → radius null with a reason", () => {
    const eg = predictedRate({ name: "extragradient", lr: [0.1, 0.1], momentum: -0.1 }, Jb, [1, 1]);
    assert.equal(eg.radius, null);
    assert.match(eg.reason!, /momentum/);
    assert.equal(updateOperator({ name: "extragradient", lr: [0.1, 0.1], momentum: -0.1 }, Jb, [1, 1]), null);
    const adam = predictedRate(
      { name: "simultaneous", lr: [0.1, 0.1], optimizer: ["adam", "sgd"] },
      Jb,
      [1, 1],
    );
    assert.equal(adam.radius, null);
    assert.match(adam.reason!, /adam/);
    assert.equal(unsupportedReason({ name: "consensus", lr: [0.1, 0.1], gamma: 1 }), null);
    assert.throws(() => updateOperator({ name: "simultaneous", lr: [1, 1] }, Jb, [1, 2]), /sizes/);
  });
});

describe("negative-momentum Theorem 3", () => {
  const expected: Complex[] = [
    { re: 0.98979, im: 0.25173 },
    { re: 0.98979, im: -0.25173 },
    { re: -0.18979, im: 0.04827 },
    { re: -0.18979, im: -0.04827 },
  ];

  it("μ± at η = 0.3, β = −0.2, λ = ±i: 0.98979 ± 0.25173i and −0.18979 ± 0.04827i", () => {
    const mus = [
      ...momentumEigenvalues(0.3, -0.2, { re: 0, im: 1 }),
      ...momentumEigenvalues(0.3, -0.2, { re: 0, im: -1 }),
    ];
    closeSpectra(mus, expected, 1e-5);
  });

  it("the 4×4 simultaneous-momentum operator has the same eigenvalues", () => {
    const op = updateOperator({ name: "simultaneous", lr: [0.3, 0.3], momentum: -0.2 }, Jb, [1, 1])!;
    assert.equal(op.length, 4);
    closeSpectra(eigenvalues(op), expected, 1e-5);
  });

  it("closed form = operator spectrum on a random 3-dim game's Jacobian, for several (η, β)", () => {
    const g = bilinear({ dim: 3, seed: 7, p: 0.3, q: 0.1 });
    const J = jacobian(g, g.equilibrium!());
    for (const [eta, beta] of [
      [0.2, -0.3],
      [0.5, 0.4],
      [0.1, 0.9],
    ]) {
      const op = updateOperator({ name: "simultaneous", lr: [eta, eta], momentum: beta }, J, [3, 3])!;
      const closed = eigenvalues(J).flatMap((l) => momentumEigenvalues(eta, beta, l));
      closeSpectra(eigenvalues(op), closed, 1e-8);
    }
  });

  it("complex square root: positive real part, i√−Δ for negative reals", () => {
    assert.deepEqual(complexSqrt({ re: -4, im: 0 }), { re: 0, im: 2 });
    assert.deepEqual(complexSqrt({ re: -4, im: -0 }), { re: 0, im: 2 });
    const s = complexSqrt({ re: -3, im: -4 });
    close(s.re, 1, 1e-12);
    close(s.im, -2, 1e-12);
  });
});

describe("Dirac-GAN eigenvalues (Mescheder et al. 2018)", () => {
  const flowAtEquilibrium = (g: ReturnType<typeof dirac>): Complex[] =>
    eigenvalues(jacobian(g, g.equilibrium!()).map((r) => r.map((x) => -x)));

  it("minimax without penalty: flow eigenvalues ±0.5i", () => {
    closeSpectra(
      flowAtEquilibrium(dirac()),
      [
        { re: 0, im: 0.5 },
        { re: 0, im: -0.5 },
      ],
      1e-6,
    );
  });

  it("non-saturating: also ±0.5i", () => {
    closeSpectra(
      flowAtEquilibrium(dirac({ objective: "non-saturating" })),
      [
        { re: 0, im: 0.5 },
        { re: 0, im: -0.5 },
      ],
      1e-6,
    );
  });

  it("gradient penalty γ = 0.3: −γ/2 ± √(γ²/4 − 1/4) = −0.15 ± 0.477i (minimax and non-saturating)", () => {
    const im = Math.sqrt(0.25 - 0.0225);
    const want = [
      { re: -0.15, im },
      { re: -0.15, im: -im },
    ];
    closeSpectra(flowAtEquilibrium(dirac({ gp: 0.3 })), want, 1e-6);
    closeSpectra(flowAtEquilibrium(dirac({ gp: 0.3, objective: "non-saturating" })), want, 1e-6);
    close(im, 0.477, 5e-4);
  });
});

describe("jacobian vs finite differences", () => {
  /** Deterministic uniform numbers in [−1, 1). */
  const lcg = (seed: number): (() => number) => {
    let s = seed >>> 0;
    return () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return (s / 2 ** 32) * 2 - 1;
    };
  };

  it("random 3-dim bilinear game with P, Q: exact = analytic = finite differences (1e-6)", () => {
    const r = lcg(42);
    const mat = (): number[][] => [0, 1, 2].map(() => [0, 1, 2].map(() => r()));
    const [A, P, Q] = [mat(), mat(), mat()];
    const g = bilinear({ matrix: A, p: P, q: Q });
    const w: Joint = [np.array([r(), r(), r()], f64), np.array([r(), r(), r()], f64)];
    const J = jacobian(g, w);
    const Jfd = finiteDifferenceJacobian(g, w);
    // v = (Aφ + ½(P+Pᵀ)θ, −Aᵀθ + ½(Q+Qᵀ)φ)
    const sym = (M: number[][], i: number, j: number): number => (M[i][j] + M[j][i]) / 2;
    const analytic = [0, 1, 2, 3, 4, 5].map((i) =>
      [0, 1, 2, 3, 4, 5].map((j) => {
        if (i < 3) return j < 3 ? sym(P, i, j) : A[i][j - 3];
        return j < 3 ? -A[j][i - 3] : sym(Q, i - 3, j - 3);
      }),
    );
    for (let i = 0; i < 6; i++) {
      for (let j = 0; j < 6; j++) {
        close(J[i][j], analytic[i][j], 1e-12, `analytic (${i},${j})`);
        close(J[i][j], Jfd[i][j], 1e-6, `fd (${i},${j})`);
      }
    }
  });

  it("Dirac-GAN (minimax, γ = 0.3) at (1, 1): exact ≈ finite differences (1e-3, exp/softplus are f32-accurate)", () => {
    const g = dirac({ gp: 0.3 });
    const w: Joint = [np.array([1], f64), np.array([1], f64)];
    const J = jacobian(g, w);
    const Jfd = finiteDifferenceJacobian(g, w, 1e-3);
    // σ(t) = 1/(1+e^{−t}); v_θ = ψσ(−ψθ), v_ψ = −θσ(−ψθ) + γψ
    const s = 1 / (1 + Math.exp(1));
    const ds = s * (1 - s);
    const analytic = [
      [-ds, s - ds],
      [-s + ds, ds + 0.3],
    ];
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) {
        close(J[i][j], Jfd[i][j], 1e-3, `fd (${i},${j})`);
        close(J[i][j], analytic[i][j], 1e-3, `analytic (${i},${j})`);
      }
    }
  });
});

describe("measuredRate", () => {
  it("ρ^t with ρ = 0.9 → 0.9 within 1e-9; window and point count", () => {
    const d = Array.from({ length: 200 }, (_, t) => 0.9 ** t);
    const m = measuredRate(d);
    close(m.rate!, 0.9, 1e-9);
    assert.deepEqual([m.from, m.to, m.points], [50, 200, 150]);
    const g = measuredRate(
      Array.from({ length: 40 }, (_, t) => 3 * 1.05 ** t),
      { from: 10, to: 30 },
    );
    close(g.rate!, 1.05, 1e-9);
    assert.equal(g.points, 20);
  });

  it("rotation-then-contraction with an equal-modulus pair ρe^{±iα} (oscillating distance) → ρ", () => {
    // Non-normal rotation S R(α) S⁻¹ (distances oscillate) for 100 steps, then the same scaled by 0.95.
    const [c, s, k] = [Math.cos(0.3), Math.sin(0.3), 4];
    let x = [1, 0];
    const d: number[] = [];
    for (let t = 0; t < 400; t++) {
      const r = t < 100 ? 1 : 0.95;
      x = [r * (c * x[0] - k * s * x[1]), r * ((s / k) * x[0] + c * x[1])];
      d.push(Math.hypot(...x));
    }
    const osc = d.slice(100).map((v, i) => v / 0.95 ** (i + 1));
    assert.ok(Math.max(...osc) / Math.min(...osc) > 3, "distances should oscillate");
    const m = measuredRate(d);
    assert.equal(m.from, 100);
    close(m.rate!, 0.95, 2e-3);
  });

  it("NaN / ∞ tail after divergence is dropped; zero tail after underflow is dropped; too few points → null", () => {
    const d = [
      ...Array.from({ length: 60 }, (_, t) => 2 * 1.1 ** t),
      Infinity,
      NaN,
      ...new Array<number>(40).fill(NaN),
    ];
    const m = measuredRate(d);
    close(m.rate!, 1.1, 1e-9);
    assert.equal(m.to, 60);
    const z = [...Array.from({ length: 80 }, (_, t) => 0.5 ** t), 0, 0, 0, 1e-300];
    close(measuredRate(z).rate!, 0.5, 1e-9);
    assert.equal(measuredRate([NaN, NaN, NaN, NaN]).rate, null);
    assert.equal(measuredRate([1, 0.5]).rate, null);
    assert.equal(measuredRate([]).rate, null);
  });

  it("on a simulated simultaneous-GDA run on θ·φ it measures √(1+η²)", () => {
    const eta = 0.2;
    let [th, ph] = [1, 1];
    const d: number[] = [];
    for (let t = 0; t < 300; t++) {
      [th, ph] = [th - eta * ph, ph + eta * th];
      d.push(Math.hypot(th, ph));
    }
    close(measuredRate(d).rate!, Math.sqrt(1 + eta * eta), 1e-9);
  });
});

describe("classifyPoint", () => {
  const zero = (n = 1): Joint => [np.zeros([n], f64), np.zeros([n], f64)];

  it("θ·φ at 0: degenerate Nash candidate, still Nash for convex-concave zero-sum; rotation, not stable", () => {
    const c = classifyPoint(bilinear(), zero());
    assert.equal(c.kind, "degenerate-nash-candidate");
    assert.equal(c.verdict, "local Nash candidate (degenerate)");
    assert.equal(c.stationary, true);
    assert.deepEqual(c.minHessianEigenvalues, [0, 0]);
    assert.equal(c.locallyStable, false);
    closeSpectra(
      c.flowEigenvalues,
      [
        { re: 0, im: 1 },
        { re: 0, im: -1 },
      ],
      1e-12,
    );
    assert.ok(c.reasons.some((r) => /convex-concave zero-sum/.test(r) && /Nash equilibrium/.test(r)));
    assert.ok(c.reasons.some((r) => /inconclusive/.test(r)));
    assert.doesNotThrow(() => JSON.parse(JSON.stringify(c)));
  });

  it("P = I, Q = I at 0: strict local Nash, locally stable (Re λ = 1)", () => {
    const c = classifyPoint(
      bilinear({
        dim: 2,
        matrix: [
          [1, 0.5],
          [-0.2, 1],
        ],
        p: 1,
        q: 1,
      }),
      zero(2),
    );
    assert.equal(c.kind, "strict-local-nash");
    assert.equal(c.verdict, "strict local Nash");
    close(c.minHessianEigenvalues[0], 1, 1e-12);
    close(c.minHessianEigenvalues[1], 1, 1e-12);
    assert.deepEqual(c.hessians[0], [
      [1, 0],
      [0, 1],
    ]);
    assert.equal(c.locallyStable, true);
    for (const z of c.jacobianEigenvalues) close(z.re, 1, 1e-12);
  });

  it("P = −I at 0: not a local Nash, naming player theta and its eigenvalue −1", () => {
    const c = classifyPoint(bilinear({ p: -1 }), zero());
    assert.equal(c.kind, "not-local-nash");
    assert.equal(c.verdict, "not a local Nash: player theta's Hessian has a negative eigenvalue -1");
    assert.equal(c.minHessianEigenvalues[0], -1);
  });

  it("a non-stationary point: ‖v‖ reported", () => {
    // θ·φ at (3, 4): v = (φ, −θ) = (4, −3), ‖v‖ = 5.
    const c = classifyPoint(bilinear(), [np.array([3], f64), np.array([4], f64)]);
    assert.equal(c.kind, "not-stationary");
    assert.equal(c.stationary, false);
    close(c.fieldNorm, 5, 1e-12);
    assert.equal(c.verdict, "not stationary (‖v‖ = 5)");
  });

  it("Dirac-GAN with γ = 0.3 at 0: ψ's Hessian is γ > 0 but θ's is 0 → degenerate, yet locally stable", () => {
    const g = dirac({ gp: 0.3 });
    const c = classifyPoint(g, g.equilibrium!());
    assert.equal(c.kind, "degenerate-nash-candidate");
    close(c.minHessianEigenvalues[1], 0.3, 1e-9);
    assert.equal(c.locallyStable, true);
    close(modulus(c.flowEigenvalues[0]), 0.5, 1e-6);
  });
});

describe("one default per method parameter: prediction = execution", () => {
  // The spec each method runs with when only name and lr are given, written out from its module's defaults.
  const explicit = (name: MethodName, lr: [number, number]): MethodSpec => ({
    name,
    lr,
    optimizer: ["sgd", "sgd"],
    momentum: 0,
    ...methodDefaults(name),
  });
  const eta = 0.25;
  const lr: [number, number] = [eta, eta];
  const J: Matrix = [
    [0, 1],
    [-1, 0],
  ];
  for (const name of METHOD_NAMES) {
    it(`${name}: predictedRate({ name, lr }) is ρ of the defaults' operator and the measured rate`, () => {
      const bare: MethodSpec = { name, lr };
      const predicted = predictedRate(bare, J, [1, 1]);
      const op = updateOperator(explicit(name, lr), J, [1, 1]);
      if (op === null) {
        assert.equal(predicted.radius, null);
        assert.ok(predicted.reason, name);
        return;
      }
      assert.equal(predicted.radius, spectralRadius(op));
      const game = bilinear();
      const rec = runDynamics(game, createMethod(game, bare), { steps: 300 });
      const m = measuredRate(rec.distances).rate!;
      const r = predicted.radius!;
      assert.ok(Math.abs(m - r) <= 0.02 * r, `${name}: measured ${m}, predicted ${r}`);
    });
  }
  it("consensus without γ: predicted √((1 − ηγ)² + η²) with γ = CONSENSUS_GAMMA, as run (±2%)", () => {
    const g = CONSENSUS_GAMMA;
    const expected = Math.sqrt((1 - eta * g) ** 2 + eta ** 2); // 0.7906 at η = 0.25, γ = 1
    const r = predictedRate({ name: "consensus", lr }, J, [1, 1]).radius!;
    assert.ok(Math.abs(r - expected) < 1e-12, `${r} vs ${expected}`);
    // γ = 0 (plain simultaneous GDA) would predict √(1 + η²) = 1.0308
    assert.ok(Math.abs(r - Math.sqrt(1 + eta ** 2)) > 0.2);
    const game = bilinear();
    const rec = runDynamics(game, createMethod(game, { name: "consensus", lr }), { steps: 300 });
    const m = measuredRate(rec.distances).rate!;
    assert.ok(Math.abs(m - r) <= 0.02 * r, `measured ${m}, predicted ${r}`);
  });
  it("best-response without steps: the operator of [k_G, k_D] = BEST_RESPONSE_STEPS", () => {
    // ½pθ² + θφ − ½qφ² with p = q = ½ (on θ·φ every such round has determinant 1 and ρ = 1)
    const Jpq: Matrix = [
      [0.5, 1],
      [-1, 0.5],
    ];
    const withDefault = predictedRate({ name: "best-response", lr }, Jpq, [1, 1]).radius!;
    const steps: [number, number] = [...BEST_RESPONSE_STEPS];
    const given = predictedRate({ name: "best-response", lr, steps }, Jpq, [1, 1]).radius!;
    const oneOne = predictedRate({ name: "best-response", lr, steps: [1, 1] }, Jpq, [1, 1]).radius!;
    assert.equal(withDefault, given);
    assert.ok(Math.abs(withDefault - oneOne) > 1e-3, `${withDefault} vs ${oneOne}`);
  });
});
