/**
 * User games through the library, checked against exact references. Random general-sum quadratic games,
 * written as a user would (JS-number constants, `.div(2)`, `.mul(0.5)`, float64):
 *
 *   L^(θ) = ½θᵀAθ + θᵀBφ + aᵀθ + 0.7‖φ‖²,   L^(φ) = ½φᵀDφ + φᵀCθ + bᵀφ − ¼‖θ‖²   (A, D symmetric)
 *
 * so v = [Aθ + Bφ + a; Dφ + Cθ + b], J = [[A, B], [C, D]] and ω* = −J⁻¹[a; b] in closed form. For each
 * game: jacobian() = J; its eigenvalues = those of J (as sets, ml-matrix on the closed form); and for
 * every method of the registry, the predicted radius ρ(∇F(ω*)) = the spectral radius of the method's
 * real update map measured by one step (the library's jitted step, float64) from ω* + e_k for every
 * coordinate k of the stacked state (ω, method state: momentum's last update, optimistic's v(ω_{t−1})):
 * on a quadratic game that map is affine, so its matrix is exact, and it is similar to the operator the
 * analysis builds on (ω_t, ω_{t−1}). All within 1e-9.
 */
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { numpy as np, tree, type Array as JArray } from "@jax-js/jax";
import { EigenvalueDecomposition, Matrix as MlMatrix, solve } from "ml-matrix";
import { jacobian } from "../src/analysis/jacobian.ts";
import { predictedRate, unsupportedReason } from "../src/analysis/operators.ts";
import { eigenvalues, type Complex } from "../src/analysis/spectrum.ts";
import { useDevice } from "../src/engine/device.ts";
import * as Jt from "../src/engine/joint.ts";
import * as T from "../src/engine/tree.ts";
import type { Game, Joint } from "../src/games/game.ts";
import { createMethod } from "../src/methods/registry.ts";
import { METHOD_NAMES, type MethodSpec } from "../src/methods/spec.ts";

before(async () => {
  await useDevice("wasm");
});

const TOL = 1e-9;
const close = (a: number, b: number): boolean => Math.abs(a - b) <= TOL * Math.max(1, Math.abs(b));

// ---------------------------------------------------------------- a random general-sum quadratic game

function rng(seed: number): () => number {
  let s = seed * 2654435761 + 1;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
}
const randMat = (r: () => number, n: number, m: number, scale: number): number[][] =>
  Array.from({ length: n }, () => Array.from({ length: m }, () => 2 * scale * r()));
/** (M + Mᵀ)/2 + shift·I. */
const sym = (m: number[][], shift: number): number[][] =>
  m.map((row, i) => row.map((x, j) => (x + m[j][i]) / 2 + (i === j ? shift : 0)));

interface QuadraticGame {
  game: Game;
  /** The closed-form Jacobian [[A, B], [C, D]]. */
  J: number[][];
  /** ω* = −J⁻¹[a; b]. */
  star: number[];
  sizes: [number, number];
}

function quadraticGame(nT: number, nP: number, seed: number): QuadraticGame {
  const r = rng(seed * 101 + nT * 7 + nP);
  const A = sym(randMat(r, nT, nT, 1 / Math.sqrt(nT)), 1);
  const D = sym(randMat(r, nP, nP, 1 / Math.sqrt(nP)), 0.8);
  const B = randMat(r, nT, nP, 1);
  const C = randMat(r, nP, nT, 1); // not −Bᵀ: general-sum
  const a = Array.from({ length: nT }, () => r());
  const b = Array.from({ length: nP }, () => r());
  const f64 = { dtype: np.float64 };
  // written naturally: matrices as JS arrays, constants as JS numbers
  const quad = (x: JArray, M: number[][]): JArray => np.sum(x.ref.mul(np.dot(np.array(M, f64), x)));
  const cross = (x: JArray, M: number[][], y: JArray): JArray => np.sum(x.mul(np.dot(np.array(M, f64), y)));
  const game: Game = {
    name: `quadratic-${nT}x${nP}-s${seed}`,
    description: "random general-sum quadratic game",
    players: ["theta", "phi"],
    dtype: "float64",
    zeroSum: false,
    loss: (i, x, y) => {
      const th = x as JArray;
      const ph = y as JArray;
      if (i === 0) {
        return quad(th.ref, A)
          .div(2)
          .add(cross(th.ref, B, ph.ref))
          .add(np.sum(th.mul(np.array(a, f64))))
          .add(np.sum(ph.ref.mul(ph)).mul(0.7));
      }
      return quad(ph.ref, D)
        .mul(0.5)
        .add(cross(ph.ref, C, th.ref))
        .add(np.sum(ph.mul(np.array(b, f64))))
        .sub(np.sum(th.ref.mul(th)).div(4));
    },
    init: () => [np.zeros([nT], f64), np.zeros([nP], f64)],
  };
  const J = [...A.map((row, i) => [...row, ...B[i]]), ...C.map((row, i) => [...row, ...D[i]])];
  const rhs = [...a, ...b].map((x) => [-x]);
  const star = solve(new MlMatrix(J), new MlMatrix(rhs)).getColumn(0);
  return { game, J, star, sizes: [nT, nP] };
}

// ---------------------------------------------------------------- independent references

function referenceEigenvalues(m: number[][]): Complex[] {
  const e = new EigenvalueDecomposition(new MlMatrix(m), { assumeSymmetric: false });
  return e.realEigenvalues.map((re, i) => ({ re, im: e.imaginaryEigenvalues[i] }));
}
const referenceRadius = (m: number[][]): number =>
  Math.max(...referenceEigenvalues(m).map((z) => Math.hypot(z.re, z.im)));

/** Largest distance when each reference eigenvalue is matched to the nearest unused computed one. */
function setDistance(got: Complex[], want: Complex[]): number {
  assert.equal(got.length, want.length);
  const used = new Array<boolean>(got.length).fill(false);
  let worst = 0;
  for (const w of want) {
    let best = -1;
    for (let k = 0; k < got.length; k++) {
      if (used[k]) continue;
      const d = Math.hypot(got[k].re - w.re, got[k].im - w.im);
      if (best < 0 || d < Math.hypot(got[best].re - w.re, got[best].im - w.im)) best = k;
    }
    used[best] = true;
    worst = Math.max(
      worst,
      Math.hypot(got[best].re - w.re, got[best].im - w.im) / Math.max(1, Math.hypot(w.re, w.im)),
    );
  }
  return worst;
}

/**
 * The matrix of one real step of `spec` on the stacked state z = (ω, leaves of the method state), about
 * (ω*, init(ω*)): column k = F(z* + e_k) − F(z*).
 */
function measuredUpdateMatrix(q: QuadraticGame, spec: MethodSpec): number[][] {
  const method = createMethod(q.game, spec);
  const n = q.star.length;
  const template: Joint = [
    np.zeros([q.sizes[0]], { dtype: np.float64 }),
    np.zeros([q.sizes[1]], { dtype: np.float64 }),
  ];
  const layout = Jt.layoutOf(template);
  const wStar = (): Joint => Jt.unflatten(layout, np.array(q.star, { dtype: np.float64 }));
  const s0 = method.init(wStar());
  const stateSize = T.size(s0 as T.Params);
  const stateAt = (vals: number[]) => T.fromFlat(s0 as T.Params, vals);
  const s0flat = Array.from(T.toFlat(T.ref(s0 as T.Params)));
  const z0 = [...q.star, ...s0flat];
  const apply = (z: number[]): number[] => {
    const w = Jt.unflatten(layout, np.array(z.slice(0, n), { dtype: np.float64 }));
    const [w2, s2] = method.step(w, stateAt(z.slice(n)));
    return [...Jt.toFloat64(w2), ...T.toFlat(s2 as T.Params)];
  };
  const base = apply(z0);
  const N = n + stateSize;
  const cols = Array.from({ length: N }, (_, k) => {
    const z = z0.slice();
    z[k] += 1;
    return apply(z).map((x, i) => x - base[i]);
  });
  T.dispose(s0 as T.Params);
  tree.dispose(template);
  return Array.from({ length: N }, (_, i) => cols.map((c) => c[i]));
}

// ---------------------------------------------------------------- every method of the registry

/** Methods with no linearised operator (predictedRate returns null with this reason); skipped by name. */
const NO_OPERATOR = ["unrolled"] as const;

function methodSpecs(eta: number): { label: string; spec: MethodSpec }[] {
  const lr: [number, number] = [eta, 0.7 * eta];
  return [
    { label: "simultaneous", spec: { name: "simultaneous", lr } },
    { label: "simultaneous β=-0.3", spec: { name: "simultaneous", lr, momentum: -0.3 } },
    { label: "alternating", spec: { name: "alternating", lr } },
    { label: "alternating 2:1 φ first", spec: { name: "alternating", lr, steps: [2, 1], first: 1 } },
    { label: "alternating β=0.2", spec: { name: "alternating", lr, momentum: 0.2 } },
    { label: "extragradient", spec: { name: "extragradient", lr } },
    { label: "optimistic", spec: { name: "optimistic", lr } },
    { label: "proximal-point", spec: { name: "proximal-point", lr } },
    { label: "consensus γ=0.5", spec: { name: "consensus", lr, gamma: 0.5 } },
    { label: "grad-norm", spec: { name: "grad-norm", lr } },
    { label: "best-response 1:3", spec: { name: "best-response", lr, steps: [1, 3] } },
    { label: "best-response 1:2 β=-0.2", spec: { name: "best-response", lr, steps: [1, 2], momentum: -0.2 } },
    {
      label: "lookahead k=3 α=0.5 around extragradient",
      spec: { name: "lookahead", lr, inner: "extragradient", lookaheadK: 3, lookaheadAlpha: 0.5 },
    },
  ];
}

test("the method list covers the registry: each method is measured or named as having no operator", () => {
  const covered = new Set<string>([...methodSpecs(0.1).map((m) => m.spec.name), ...NO_OPERATOR]);
  assert.deepEqual(
    [...METHOD_NAMES].filter((m) => !covered.has(m)),
    [],
  );
  for (const name of NO_OPERATOR) {
    const spec: MethodSpec = { name, lr: [0.1, 0.1] };
    const p = predictedRate(spec, [[1]], [1, 0]);
    assert.equal(p.radius, null);
    assert.equal(p.reason, unsupportedReason(spec));
  }
});

const SEEDS = [0, 1, 2];
for (let d = 1; d <= 10; d++) {
  test(`random general-sum quadratic games, θ ∈ R^${d}: Jacobian, eigenvalues and every method's radius are exact (1e-9)`, () => {
    for (const seed of SEEDS) {
      const nP = seed === 2 ? Math.max(1, 11 - d) : d;
      const q = quadraticGame(d, nP, seed);
      const at = `θ ∈ R^${d}, φ ∈ R^${nP}, seed ${seed}`;
      const Jlib = jacobian(
        q.game,
        Jt.unflatten(Jt.layoutOf(q.game.init()), np.array(q.star, { dtype: np.float64 })),
      );
      q.J.forEach((row, i) =>
        row.forEach((x, j) =>
          assert.ok(close(Jlib[i][j], x), `${at}: J[${i}][${j}] = ${Jlib[i][j]}, closed form ${x}`),
        ),
      );
      const want = referenceEigenvalues(q.J);
      const eigDist = setDistance(eigenvalues(Jlib), want);
      assert.ok(eigDist <= TOL, `${at}: eigenvalues off by ${eigDist}`);
      const eta = 0.5 / Math.max(...want.map((z) => Math.hypot(z.re, z.im)));
      for (const { label, spec } of methodSpecs(eta)) {
        const predicted = predictedRate(spec, Jlib, q.sizes).radius;
        assert.ok(predicted !== null, `${at}: ${label} has no predicted radius`);
        const measured = referenceRadius(measuredUpdateMatrix(q, spec));
        assert.ok(
          close(predicted, measured),
          `${at}: ${label}: predicted ρ = ${predicted}, measured on the real step ${measured} (Δ = ${predicted - measured})`,
        );
      }
    }
  });
}
