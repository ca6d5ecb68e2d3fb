/**
 * Per-player base updates (src/optim/transform.ts) as the registry composes them (src/methods/registry.ts):
 * Adam's and RMSProp's first steps by hand, WGAN clipping as a projection, and heavy-ball momentum as
 * ω_{t+1} = ω_t − ηv(ω_t) + β(ω_t − ω_{t−1}) (Mitliagkas, "Momentum on games").
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { numpy as np, type Array as JArray } from "@jax-js/jax";
import { useDevice } from "../src/engine/device.ts";
import * as J from "../src/engine/joint.ts";
import * as T from "../src/engine/tree.ts";
import type { Params } from "../src/engine/tree.ts";
import { bilinear } from "../src/games/bilinear.ts";
import { parseSpec } from "../src/spec/experiment.ts";
import { dirac } from "../src/games/dirac.ts";
import type { Game } from "../src/games/game.ts";
import { baseUpdates, createMethod } from "../src/methods/registry.ts";
import type { MethodName, MethodSpec } from "../src/methods/spec.ts";
import {
  adam,
  chain,
  heavyBall,
  linearDecay,
  powCount,
  rmsprop,
  sgd,
  type State,
  type Transform,
} from "../src/optim/transform.ts";

before(async () => {
  await useDevice("wasm");
});

const f64 = (xs: number[]): JArray => np.array(xs, { dtype: np.float64 });
const nums = (a: Params): number[] => Array.from(T.toFlat(a));
const close = (actual: number[], expected: number[], tol: number): void => {
  assert.equal(actual.length, expected.length);
  actual.forEach((a, i) =>
    assert.ok(Math.abs(a - expected[i]) <= tol, `[${i}] ${a} vs ${expected[i]} (±${tol})`),
  );
};

/** Applies `t` to the gradients in sequence from params p; returns each update as numbers. */
function updates(t: Transform, p: number[], grads: number[][]): number[][] {
  const params = f64(p);
  let s: State = t.init(params);
  const out: number[][] = [];
  for (const g of grads) {
    const [u, s2] = t.update(f64(g), s, params);
    out.push(nums(u));
    s = s2;
  }
  T.dispose(s);
  params.dispose();
  return out;
}

function run(game: Game, spec: MethodSpec, n: number): number[][] {
  const m = createMethod(game, spec);
  let w = game.init();
  let s = m.init(w);
  const pts: number[][] = [];
  for (let t = 0; t < n; t++) {
    [w, s] = m.step(w, s);
    pts.push(Array.from(J.toFloat64(T.ref(w))));
  }
  T.dispose(w);
  T.dispose(s);
  return pts;
}

describe("Adam", () => {
  it("state is {mu, nu, count}: the count is one int32 scalar, t after t updates", () => {
    const t = adam(0.01);
    const p = f64([0, 0]);
    let s = t.init(p);
    for (let i = 0; i < 3; i++) {
      const [u, s2] = t.update(f64([1, -2]), s, p);
      T.dispose(u);
      s = s2;
    }
    const { mu, nu, count } = s as { mu: JArray; nu: JArray; count: JArray };
    assert.equal(String(count.dtype), "int32");
    assert.deepEqual(count.shape, []);
    assert.equal(count.js(), 3);
    close(nums(mu), [1 - 0.9 ** 3, -2 * (1 - 0.9 ** 3)], 1e-15);
    close(nums(nu), [1 - 0.999 ** 3, 4 * (1 - 0.999 ** 3)], 1e-15);
    p.dispose();
  });
  it("βᵗ from the count (powCount) is β**t to a few ulps in float64, rounding in float32", () => {
    const ts = [0, 1, 2, 3, 7, 10, 255, 1000, 4097, 123457];
    for (const beta of [0.9, 0.999, 0.5, -0.5, 0]) {
      for (const t of ts) {
        const exact = beta ** t;
        const got64 = powCount(beta, np.array(t, { dtype: np.int32 }), np.float64).js() as number;
        assert.ok(Math.abs(got64 - exact) <= 1e-14 * Math.abs(exact), `${beta}^${t}: ${got64} vs ${exact}`);
        const got32 = powCount(beta, np.array(t, { dtype: np.int32 }), np.float32).js() as number;
        const tol32 = Math.max(2e-6 * Math.abs(exact), 1.5e-45);
        assert.ok(Math.abs(got32 - exact) <= tol32, `f32 ${beta}^${t}: ${got32} vs ${exact}`);
      }
    }
    assert.equal(powCount(1, np.array(77, { dtype: np.int32 }), np.float64).js(), 1);
  });
  it("first step is −lr·sign(g) (bias-corrected m̂ = g, ŝ = g²)", () => {
    const [u] = updates(adam(0.01), [0, 0, 0], [[2, -0.5, 1e-3]]);
    close(u, [-0.01, 0.01, -0.01], 1e-6); // ε = 1e-8 against √ŝ = 1e-3 for the third coordinate
  });
  it("first step has the sign of −g and length lr within 1%", () => {
    const [u] = updates(adam(0.01), [0, 0, 0], [[2, -0.5, 1e-3]]);
    close(u, [-0.01, 0.01, -0.01], 1e-4);
  });
  it("second step by hand", () => {
    const [b1, b2, lr] = [0.9, 0.999, 0.1];
    const [g1, g2] = [3, -1];
    const m = b1 * (1 - b1) * g1 + (1 - b1) * g2;
    const v = b2 * (1 - b2) * g1 * g1 + (1 - b2) * g2 * g2;
    const expected = (-lr * (m / (1 - b1 ** 2))) / (Math.sqrt(v / (1 - b2 ** 2)) + 1e-8);
    const [, u2] = updates(adam(lr), [0], [[g1], [g2]]);
    close(u2, [expected], 1e-7);
  });
  it("negative β₁ (Gidel et al.'s negative momentum): second step by hand at β₁ = −0.5", () => {
    const [b1, b2, lr] = [-0.5, 0.999, 0.1];
    const [g1, g2] = [3, -1];
    const m = b1 * (1 - b1) * g1 + (1 - b1) * g2; // = −2.25 − 1.5: the first gradient pulls back
    const v = b2 * (1 - b2) * g1 * g1 + (1 - b2) * g2 * g2;
    const expected = (-lr * (m / (1 - b1 ** 2))) / (Math.sqrt(v / (1 - b2 ** 2)) + 1e-8);
    const [, u2] = updates(adam(lr, b1, b2), [0], [[g1], [g2]]);
    close(u2, [expected], 1e-7);
    assert.ok(expected > 0.1, "the step overshoots the plain gradient's direction");
  });
  it("a spec takes β₁ in (−1, 1) and β₂ in [0, 1)", () => {
    assert.deepEqual(parseSpec({ data: "ring", betas: [-0.5, 0.999] }, "spec").betas, [-0.5, 0.999]);
    assert.throws(() => parseSpec({ data: "ring", betas: [-1, 0.999] }, "spec"), /'betas\.0' = -1/);
    assert.throws(() => parseSpec({ data: "ring", betas: [0.5, -0.1] }, "spec"), /'betas\.1' = -0\.1/);
  });
  it("as the base update of a method: one simultaneous step on θ·φ is (1 − lr₀, 1 + lr₁)", () => {
    const [p] = run(bilinear(), { name: "simultaneous", lr: [0.125, 0.25], optimizer: ["adam", "adam"] }, 1);
    close(p, [1 - 0.125, 1 + 0.25], 0.01 * 0.25);
    assert.ok(Math.abs(p[0] - p[1]) > 0.3, "per-player learning rates");
  });
});

describe("RMSProp", () => {
  it("first step is −lr·g/(√((1−ρ)g²) + ε) = −10·lr·sign(g) at ρ = 0.99", () => {
    const [lr, rho] = [0.01, 0.99];
    const g = [2, -0.5];
    const [u] = updates(rmsprop(lr, rho), [0, 0], [g]);
    close(
      u,
      g.map((x) => (-lr * x) / (Math.sqrt((1 - rho) * x * x) + 1e-8)),
      1e-12,
    );
    close(u, [-0.1, 0.1], 1e-7);
  });
  it("second step accumulates s = ρs + (1−ρ)g²", () => {
    const [lr, rho] = [0.01, 0.9];
    const [, u2] = updates(rmsprop(lr, rho), [0], [[1], [3]]);
    const s = rho * (1 - rho) * 1 + (1 - rho) * 9;
    close(u2, [(-lr * 3) / (Math.sqrt(s) + 1e-8)], 1e-12);
  });
});

describe("clipping (WGAN) on Dirac-GAN", () => {
  // c is dyadic: under jit, jax-js 0.1.25 rounds np.clip's JS-number bounds to float32 (c = 0.1 gave
  // |ψ| = 0.10000000149 > c on float64 arrays).
  const c = 0.125;
  const methods: MethodName[] = ["simultaneous", "alternating", "extragradient", "optimistic", "consensus"];
  for (const name of methods) {
    it(`${name}: |ψ| ≤ c at every step, and the bound is active; θ is not clipped`, () => {
      const game = dirac({ objective: "wgan", clip: c });
      const pts = run(game, { name, lr: [0.25, 0.25], optimizer: ["rmsprop", "rmsprop"], momentum: 0.5 }, 60);
      for (const [, psi] of pts) assert.ok(Math.abs(psi) <= c + 1e-12, `ψ = ${psi}`);
      assert.ok(
        pts.some(([, psi]) => Math.abs(psi) === c),
        "the box was hit",
      );
      assert.ok(
        pts.some(([th]) => Math.abs(th) > c),
        "θ moved beyond c",
      );
    });
  }
  it("proximal point projects ψ onto the box too", () => {
    const game = dirac({ objective: "wgan", clip: c });
    const pts = run(game, { name: "proximal-point", lr: [0.5, 0.5] }, 10);
    for (const [, psi] of pts) assert.ok(Math.abs(psi) <= c + 1e-12, `ψ = ${psi}`);
    assert.equal(Math.abs(pts[0][1]), c);
  });
});

describe("heavy ball and chain", () => {
  it("chain(sgd, heavyBall) gives u_t = −ηg_t + βu_{t−1}", () => {
    const [eta, beta] = [0.5, 0.25];
    const us = updates(chain(sgd(eta), heavyBall(beta)), [0], [[1], [2], [-4]]);
    close(us.flat(), [-0.5, -1 - 0.125, 2 + beta * -1.125], 1e-12);
  });
  it("simultaneous with momentum on θ·φ is ω − ηv(ω) + β(ω − ω₋) with ω₋₁ = ω₀", () => {
    const [eta, beta] = [0.5, -0.25];
    const pts = run(bilinear(), { name: "simultaneous", lr: [eta, eta], momentum: beta }, 30);
    let prev = [1, 1];
    let cur = [1, 1];
    for (const p of pts) {
      const v = [cur[1], -cur[0]];
      const next = cur.map((x, i) => x - eta * v[i] + beta * (x - prev[i]));
      close(p, next, 1e-12);
      prev = cur;
      cur = next;
    }
  });
  it("alternating with momentum: each player's heavy ball sees the other's new point", () => {
    const [eta, beta] = [0.5, 0.25];
    const pts = run(bilinear(), { name: "alternating", lr: [eta, eta], momentum: beta }, 20);
    let [th, ph, th0, ph0] = [1, 1, 1, 1];
    for (const p of pts) {
      const th2 = th - eta * ph + beta * (th - th0);
      const ph2 = ph + eta * th2 + beta * (ph - ph0);
      [th0, ph0, th, ph] = [th, ph, th2, ph2];
      close(p, [th, ph], 1e-12);
    }
  });
  it("extragradient's base state advances at both calls (Extra-Adam convention)", () => {
    const [eta, beta] = [0.5, 0.25];
    const [p] = run(bilinear(), { name: "extragradient", lr: [eta, eta], momentum: beta }, 1);
    // u½ = −ηv(ω) = (−0.5, 0.5), ω½ = (0.5, 1.5); u = −ηv(ω½) + βu½ = (−0.75, 0.25) + (−0.125, 0.125).
    close(p, [1 - 0.75 - 0.125, 1 + 0.25 + 0.125], 1e-12);
  });
});

describe("baseUpdates from a spec", () => {
  it("optimizer, then heavyBall(β) when β ≠ 0, then clip(c) for a boxed player", () => {
    const game = dirac({ objective: "wgan", clip: 0.01 });
    const [b0, b1] = baseUpdates(game, {
      name: "simultaneous",
      lr: [0.001, 0.002],
      optimizer: ["adam", "rmsprop"],
      momentum: -0.5,
    });
    assert.equal(b0.name, "adam(0.001, 0.9, 0.999) → momentum(-0.5)");
    assert.equal(b1.name, "rmsprop(0.002, 0.99) → momentum(-0.5) → clip(0.01)");
    const [s0] = baseUpdates(bilinear(), { name: "simultaneous", lr: [0.1, 0.1] });
    assert.equal(s0.name, "sgd(0.1)");
  });
});

describe("linear learning-rate decay", () => {
  it("chain(sgd(1), linearDecay(5, 2)) scales the updates by 1, 1, 1, 2/3, 1/3, then 0", () => {
    const us = updates(
      chain(sgd(1), linearDecay(5, 2)),
      [0],
      Array.from({ length: 7 }, () => [2]),
    );
    close(
      us.map((u) => u[0]),
      [-2, -2, -2, -4 / 3, -2 / 3, 0, 0],
      1e-6,
    );
  });
  it("a spec asking to decay a method without an optimizer (proximal point, mixed methods) is refused", () => {
    for (const method of ["proximal-point", "mirror-gan"]) {
      assert.throws(
        () => parseSpec({ data: "ring", method, lrDecay: 0.5 }, "spec"),
        /'lrDecay' = 0.5: method '[a-z-]+' has no optimizer for the decay to scale/,
      );
    }
    assert.equal(parseSpec({ data: "ring", method: "extragradient", lrDecay: 0.5 }, "spec").lrDecay, 0.5);
  });
  it("rejects a start outside [0, total)", () => {
    assert.throws(() => linearDecay(5, 5), /start < total/);
  });
  it("counts each player's own updates: k_i per alternating round", () => {
    const [b0, b1] = baseUpdates(bilinear(), {
      name: "alternating",
      lr: [0.1, 0.1],
      optimizer: ["adam", "adam"],
      steps: [1, 5],
      lrDecay: { rounds: 10, fraction: 0.5 },
    });
    assert.equal(b0.name, "adam(0.1, 0.9, 0.999) → linearDecay(5→10)");
    assert.equal(b1.name, "adam(0.1, 0.9, 0.999) → linearDecay(25→50)");
  });
  it("alternating GDA on θ·φ: full steps, then smaller ones, then none after the last round", () => {
    const spec: MethodSpec = { name: "alternating", lr: [0.1, 0.1], lrDecay: { rounds: 4, fraction: 0.5 } };
    const pts = run(bilinear(), spec, 6);
    const plain = run(bilinear(), { name: "alternating", lr: [0.1, 0.1] }, 3);
    close(pts[2], plain[2], 1e-12); // rounds 1–3 use the full step (f = 1, 1, 1)
    // Round 4 at f = 1/2: θ ← θ − 0.05φ, then φ ← φ + 0.05θ′.
    const [th, ph] = plain[2];
    const th4 = th - 0.05 * ph;
    close(pts[3], [th4, ph + 0.05 * th4], 1e-12);
    close(pts[5], pts[3], 0); // f = 0 after the last round
  });
});
