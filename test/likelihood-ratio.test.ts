import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { likelihoodRatioClaims, randomFeasibleR } from "../src/claims/equilibria-likelihood.ts";
import { UsageError } from "../src/engine/errors.ts";
import {
  alternatingExactMinimization,
  generatorExactResponse,
  glgd,
  nStepDiscriminatorGLGD,
  wassersteinGLGD,
} from "../src/equilibria/likelihood-ratio.ts";
import { likelihoodRatioGame } from "../src/games/likelihood-ratio.ts";

const LN = Math.log;

function uniforms(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

/** Central-difference gradient of F at x. */
function fdGrad(F: (x: Float64Array) => number, x: ArrayLike<number>, h = 1e-6): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const a = Float64Array.from(x);
    const b = Float64Array.from(x);
    a[i] += h;
    b[i] -= h;
    out[i] = (F(a) - F(b)) / (2 * h);
  }
  return out;
}

const near = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string) => {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) {
    assert.ok(Math.abs(a[i] - b[i]) <= tol, `${what}[${i}]: ${a[i]} vs ${b[i]} (tol ${tol})`);
  }
};

describe("likelihood-ratio game: values by hand on 3 points", () => {
  const game = likelihoodRatioGame({ pr: [0.5, 0.25, 0.25] });
  const R = [0.5, 1, 2]; // E[R] = 0.25 + 0.25 + 0.5 = 1
  const f = [0.5, 0.25, 0.8];

  test("g(R, f) = E[−R log f]", () => {
    // −(0.5·0.5·log ½ + 0.25·1·log ¼ + 0.25·2·log 0.8) = ¾ log 2 − ½ log 0.8
    const expected = 0.75 * LN(2) - 0.5 * LN(0.8);
    assert.ok(Math.abs(game.g(R, f) - expected) < 1e-15, `${game.g(R, f)} vs ${expected}`);
    assert.ok(Math.abs(expected - 0.631432) < 1e-6);
  });

  test("d(R, f) = E[−log f] + E[−R log(1 − f)]", () => {
    // E[−log f] = ½ log 2 + ¼ log 4 − ¼ log 0.8; E[−R log(1−f)] = ¼ log 2 − ¼ log 0.75 − ½ log 0.2
    const expected = 1.25 * LN(2) - 0.25 * LN(0.8) - 0.25 * LN(0.75) - 0.5 * LN(0.2);
    assert.ok(Math.abs(game.d(R, f) - expected) < 1e-15, `${game.d(R, f)} vs ${expected}`);
    assert.ok(Math.abs(expected - 1.79886) < 1e-5);
  });

  test("f* = 1/(1+R), the closed-form losses at f*, C and the divergences", () => {
    const fs = game.bestResponse(R);
    near(fs, [2 / 3, 0.5, 1 / 3], 1e-15, "f*");
    const best = game.lossesAtBest(R);
    assert.ok(Math.abs(best.g - game.g(R, fs)) < 1e-15);
    assert.ok(Math.abs(best.d - game.d(R, fs)) < 1e-15);
    // C = ½·1.5 log 1.5 + ¼·2 log 2 + ¼·3 log 3
    assert.ok(Math.abs(game.C(R) - (0.75 * LN(1.5) + 0.5 * LN(2) + 0.75 * LN(3))) < 1e-15);
    assert.ok(Math.abs(game.klGenerated(R) - (0.25 * LN(0.5) + 0.5 * LN(2))) < 1e-15);
    assert.ok(Math.abs(game.C(R) - 2 * game.klMixture(R) - 2 * LN(2)) < 1e-15);
    const pR = game.pR(R);
    const mix = pR.map((q, i) => (q + game.pr[i]) / 2);
    const kl = (a: ArrayLike<number>, b: ArrayLike<number>) =>
      Array.from(a).reduce((s, x, i) => s + (x === 0 ? 0 : x * LN(x / b[i])), 0);
    assert.ok(Math.abs(game.jsd(R) - (0.5 * kl(pR, mix) + 0.5 * kl(game.pr, mix))) < 1e-15);
    const eq = game.lossesAtBest([1, 1, 1]);
    assert.ok(Math.abs(eq.g - LN(2)) < 1e-15 && Math.abs(eq.d - 2 * LN(2)) < 1e-15);
  });

  test("f* minimises d(R, ·): a grid search over (0, 1)³ finds nothing lower", () => {
    for (const Rt of [R, [1, 1, 1], [1.6, 0.2, 0.6]]) {
      const fs = game.bestResponse(Rt);
      const dStar = game.d(Rt, fs);
      let best = Infinity;
      let arg = [0, 0, 0];
      const step = 0.02;
      for (let a = step; a < 1; a += step)
        for (let b = step; b < 1; b += step)
          for (let c = step; c < 1; c += step) {
            const v = game.d(Rt, [a, b, c]);
            if (v < best) [best, arg] = [v, [a, b, c]];
          }
      assert.ok(dStar <= best + 1e-15, `d(R, f*) = ${dStar} > grid min ${best}`);
      near(arg, fs, step, `grid argmin vs f* at R = ${Rt}`);
      assert.ok(Math.max(...Array.from(game.gradDF(Rt, fs), Math.abs)) < 1e-14, "∇_f d(R, f*) = 0");
    }
  });

  test("Wasserstein on the line: closed form, coupling and critic agree", () => {
    // p_R = [0.25, 0.25, 0.5] vs p_r = [0.5, 0.25, 0.25] at 0, 1, 2: move 0.25 from 0 to 2 → W = 0.5
    assert.ok(Math.abs(game.wasserstein(R) - 0.5) < 1e-15);
    assert.ok(Math.abs(game.wassersteinCoupling(R) - 0.5) < 1e-15);
    const phi = game.optimalCritic(R);
    near(phi, [0, -1, -2], 0, "φ*");
    assert.ok(Math.abs(-game.dw(R, phi) - 0.5) < 1e-15);
    const spaced = likelihoodRatioGame({ pr: [0.5, 0.25, 0.25], points: [0, 1, 3] });
    assert.ok(Math.abs(spaced.wasserstein(R) - 0.75) < 1e-15);
  });
});

describe("likelihood-ratio game: projections", () => {
  const game = likelihoodRatioGame({ pr: [0.1, 0.25, 0.3, 0.15, 0.2] });
  const next = uniforms(11);

  test("P₀ (the seed's v − E[v]/E[p_r] p_r) maps into {E[h] = 0} and is idempotent", () => {
    for (let s = 0; s < 20; s++) {
      const v = Float64Array.from({ length: game.n }, () => 4 * next() - 2);
      const p = game.projectTangent(v);
      assert.ok(Math.abs(p.reduce((a, x, i) => a + game.pr[i] * x, 0)) < 1e-15);
      near(game.projectTangent(p), p, 1e-15, "P₀P₀v");
    }
  });

  test("project returns feasible points, is idempotent and is the Euclidean projection (variational inequality)", () => {
    const eps = 1e-3;
    for (let s = 0; s < 200; s++) {
      const x = Float64Array.from({ length: game.n }, () => 6 * next() - 3);
      const y = game.project(x, eps);
      const feas = game.feasibility(y, 1e-12);
      assert.ok(Math.abs(feas.mean - 1) < 1e-12 && feas.min >= eps, `infeasible ${y}`);
      near(game.project(y, eps), y, 1e-14, "idempotent");
      // y = argmin ‖z − x‖ over the convex set ⇔ ⟨x − y, z − y⟩ ≤ 0 for every feasible z
      for (let k = 0; k < 10; k++) {
        const z = game.project(randomFeasibleR(game, next), eps);
        let dot = 0;
        for (let i = 0; i < game.n; i++) dot += (x[i] - y[i]) * (z[i] - y[i]);
        assert.ok(dot <= 1e-12, `variational inequality violated: ${dot}`);
      }
    }
  });

  test("from a feasible R, project(R − αv) = R − αP₀v when positivity does not bind (the seed's step)", () => {
    const R = randomFeasibleR(game, next);
    const v = Float64Array.from({ length: game.n }, () => next() - 0.5);
    const p = game.projectTangent(v);
    near(
      game.project(R.map((r, i) => r - 0.1 * v[i])),
      R.map((r, i) => r - 0.1 * p[i]),
      1e-15,
      "step",
    );
  });

  test("points with p_r = 0 are allowed and ignored", async () => {
    const g0 = likelihoodRatioGame({ pr: [0.5, 0, 0.5] });
    const R = g0.project([3, 7, -1], 1e-6);
    assert.ok(Math.abs(g0.feasibility(R).mean - 1) < 1e-15);
    const run = glgd(g0, [1.5, 7, 0.5], { lr: 2, steps: 200 });
    assert.ok(run.trajectory[200].distance < 1e-9);
    assert.equal((await alternatingExactMinimization(g0, [1.5, 0.01, 0.5], 2)).rounds[0].point, 2);
  });
});

describe("likelihood-ratio game: gradients against finite differences", () => {
  const game = likelihoodRatioGame({ pr: [0.1, 0.25, 0.3, 0.15, 0.2], points: [0, 0.5, 2, 2.5, 4] });
  const next = uniforms(5);

  test("∇C, ∂g/∂R, ∂d/∂f, ∂g_w/∂R", () => {
    for (let s = 0; s < 10; s++) {
      const R = randomFeasibleR(game, next);
      const f = Float64Array.from({ length: game.n }, () => 0.05 + 0.9 * next());
      const phi = Float64Array.from({ length: game.n }, () => next() - 0.5);
      near(
        game.gradC(R),
        fdGrad((x) => game.C(x), R),
        1e-8,
        "∇C",
      );
      near(
        game.gradGR(R, f),
        fdGrad((x) => game.g(x, f), R),
        1e-8,
        "∂g/∂R",
      );
      near(
        game.gradDF(R, f),
        fdGrad((x) => game.d(R, x), f),
        1e-7,
        "∂d/∂f",
      );
      near(
        game.gradGwR(R, phi),
        fdGrad((x) => game.gw(x, phi), R),
        1e-8,
        "∂g_w/∂R",
      );
      // GLGD's direction is C's: P₀∇_R g(R, f*) = P₀∇C
      near(
        game.projectTangent(game.gradGR(R, game.bestResponse(R))),
        game.projectTangent(game.gradC(R)),
        1e-14,
        "P₀",
      );
    }
  });

  test("∇_R g_w(R, φ*) is the gradient of W along feasible directions (Danskin)", () => {
    for (let s = 0; s < 10; s++) {
      const R = randomFeasibleR(game, next);
      const grad = game.gradGwR(R, game.optimalCritic(R));
      const dir = game.projectTangent(Float64Array.from({ length: game.n }, () => next() - 0.5));
      const h = 1e-7;
      const fd =
        (game.wasserstein(R.map((r, i) => r + h * dir[i])) -
          game.wasserstein(R.map((r, i) => r - h * dir[i]))) /
        (2 * h);
      const an = grad.reduce((a, x, i) => a + x * dir[i], 0);
      assert.ok(Math.abs(fd - an) < 1e-8, `${fd} vs ${an}`);
    }
  });
});

describe("likelihood-ratio algorithms", () => {
  const game = likelihoodRatioGame({ pr: [0.1, 0.25, 0.3, 0.15, 0.2] });
  const next = uniforms(3);
  const R0 = randomFeasibleR(game, next);

  test("the LP generator response: a point mass on argmax f, no feasible R does better", async () => {
    const f = game.bestResponse(R0);
    const res = await generatorExactResponse(game, f);
    const gStar = game.g(res.R, f);
    assert.ok(Math.abs(res.objective - gStar) < 1e-12);
    for (let s = 0; s < 200; s++) assert.ok(game.g(randomFeasibleR(game, next), f) >= gStar);
    // Feasible for the closed constraint set.
    assert.ok(Math.abs(game.feasibility(res.R).mean - 1) < 1e-12);
    const argmax = Array.from(f).indexOf(Math.max(...f));
    assert.deepEqual(res.massPoints, [argmax]);
    assert.deepEqual(res.optimalPoints, [argmax]);
    assert.ok(Math.abs(res.R[argmax] - 1 / game.pr[argmax]) < 1e-12);
    assert.ok(Math.abs(res.objective + Math.log(f[argmax])) < 1e-12);
    const alt = await alternatingExactMinimization(game, R0, 4);
    const argmin = Array.from(R0).indexOf(Math.min(...R0));
    assert.equal(alt.rounds[0].point, argmin);
    for (const r of alt.rounds) {
      assert.ok(Math.abs(r.topMass - 1) < 1e-12);
      assert.equal(r.response.massPoints.length, 1);
    }
  });

  test("the LP is solved, not assumed: a tie between two points gives a face of size 2, f = 0 is refused", async () => {
    const g3 = likelihoodRatioGame({ pr: [0.2, 0.3, 0.5] });
    const res = await generatorExactResponse(g3, [0.9, 0.4, 0.9]);
    assert.deepEqual(res.optimalPoints, [0, 2]);
    assert.equal(res.massPoints.length, 1);
    assert.ok(Math.abs(res.objective + Math.log(0.9)) < 1e-12);
    await assert.rejects(
      () => generatorExactResponse(g3, [0.5, 0, 0.5]),
      (e) => e instanceof UsageError && /--f: entry 1/.test(e.message),
    );
  });

  test("GLGD decreases C to 2 log 2; N_d-step with a converged discriminator tracks GLGD", () => {
    const a = glgd(game, R0, { lr: 1, steps: 100 });
    for (let t = 1; t <= 100; t++) assert.ok(a.trajectory[t].C <= a.trajectory[t - 1].C + 1e-15);
    const b = nStepDiscriminatorGLGD(game, R0, {
      lr: 1,
      lrD: 5,
      nD: 400,
      steps: 100,
      f0: game.bestResponse(R0),
    });
    near(b.final, a.final, 1e-9, "N_d = 400 vs GLGD");
  });

  test("the Wasserstein algorithm with α/√t reduces W", () => {
    const r = wassersteinGLGD(game, R0, { lr: 0.5, steps: 500, decay: "sqrt" });
    assert.ok(r.trajectory[500].W < 0.1 * r.trajectory[0].W);
  });

  test("bad arguments are UsageErrors naming the flag", async () => {
    assert.throws(
      () => glgd(game, [1, 1], { lr: 1, steps: 1 }),
      (e) => e instanceof UsageError && /--r0/.test(e.message),
    );
    assert.throws(
      () => glgd(game, [2, 2, 2, 2, 2], { lr: 1, steps: 1 }),
      (e) => e instanceof UsageError && /--r0: E_pr\[R\] = 2/.test(e.message),
    );
    assert.throws(
      () => glgd(game, R0, { lr: -1, steps: 1 }),
      (e) => e instanceof UsageError && /--lr/.test(e.message),
    );
    await assert.rejects(
      () => alternatingExactMinimization(game, R0, 0),
      (e) => e instanceof UsageError && /--rounds/.test(e.message),
    );
  });
});

describe("likelihood-ratio: bad p_r", () => {
  const cases: [unknown, RegExp][] = [
    [[], /--pr: must be a non-empty list/],
    [undefined, /--pr: must be a non-empty list/],
    [[0.5, -0.1, 0.6], /--pr: entry 1 is '-0\.1'.*≥ 0/],
    [[0.5, Number.NaN, 0.5], /--pr: entry 1 is 'NaN'.*finite/],
    [[0.5, 0.4], /--pr: entries sum to 0\.9.*sum to 1/],
    [[0.5, 0.5 + 2e-9], /--pr: entries sum to/],
  ];
  for (const [pr, re] of cases) {
    test(JSON.stringify(pr) ?? "undefined", () => {
      assert.throws(
        () => likelihoodRatioGame({ pr: pr as number[] }),
        (e) => e instanceof UsageError && re.test(e.message),
      );
    });
  }
  test("within 1e-9 of 1 is accepted; bad points name --points", () => {
    assert.equal(likelihoodRatioGame({ pr: [0.5, 0.5 + 5e-10] }).n, 2);
    assert.throws(
      () => likelihoodRatioGame({ pr: [0.5, 0.5], points: [1, 1] }),
      (e) => e instanceof UsageError && /--points: .*strictly increasing/.test(e.message),
    );
  });
});

describe("likelihood-ratio claims", () => {
  test("every check passes, with the lecture as source; findings carry their numbers", async () => {
    const claims = await likelihoodRatioClaims();
    assert.ok(claims.length >= 6);
    for (const c of claims) {
      assert.ok(c.id.startsWith("equilibria/likelihood/"), c.id);
      assert.match(c.source, /Computing the GAN equilibrium \(Purdue lecture\)/);
      if (c.kind === "finding") assert.ok(Number.isFinite(c.measured), `${c.id}: ${c.measured}`);
      else assert.ok(c.pass, `${c.id}: expected ${c.expected}, measured ${c.measured} (${c.detail ?? ""})`);
    }
  });

  test("Method 3 with its constant α is tested as stated: W/W₀ is the measured number, the relation is < 0.01", async () => {
    const c = (await likelihoodRatioClaims()).find((x) =>
      x.id.endsWith("/wgan-algorithm-approaches-equilibrium"),
    );
    assert.ok(c && c.kind === "finding");
    assert.equal(c.pass, (c.measured as number) < 0.01);
    assert.match(c.detail ?? "", /α_t = 0\.5\/√t \(not in the lecture\) 0\.00\d/);
  });
});
