import { test } from "node:test";
import assert from "node:assert/strict";
import { matrixGameClaims } from "../src/claims/equilibria-matrix.ts";
import { UsageError } from "../src/engine/errors.ts";
import { dualityGap, solveMatrixGame } from "../src/equilibria/lp-nash.ts";
import { mirrorDescent } from "../src/equilibria/mirror-descent.ts";
import { mirrorProx } from "../src/equilibria/mirror-prox.ts";
import { fitRateExponent, logSpacedSteps } from "../src/equilibria/rate-fit.ts";
import { matrixGame, payoff, randomMatrix, rockPaperScissors, toRows } from "../src/games/matrix-game.ts";

const near = (a: number, b: number, tol: number, what = ""): void =>
  assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b} (tol ${tol})`);

/** A 2×2 game with no pure saddle point, solved by hand (row player minimises):
 *  x = (p, 1−p): columns pay 3p − 1 and 1 − 2p, equal at p = 2/5; y = (q, 1−q): rows 3q − 1 and 1 − 2q, q = 2/5;
 *  value 3·(2/5) − 1 = 1/5. */
const HAND = [
  [2, -1],
  [-1, 1],
];

test("LP: rock-paper-scissors has value 0 and uniform strategies", async () => {
  const s = await solveMatrixGame(rockPaperScissors());
  near(s.value, 0, 1e-12, "value");
  for (const v of [...s.x, ...s.y]) near(v, 1 / 3, 1e-12, "strategy");
  assert.ok(s.gap <= 1e-12);
});

test("LP: a 2×2 game solved by hand (x* = y* = (2/5, 3/5), v = 1/5) and matching pennies", async () => {
  const s = await solveMatrixGame(HAND);
  near(s.value, 0.2, 1e-12, "value");
  near(s.x[0], 0.4, 1e-12, "x");
  near(s.x[1], 0.6, 1e-12, "x");
  near(s.y[0], 0.4, 1e-12, "y");
  near(s.y[1], 0.6, 1e-12, "y");
  const mp = await solveMatrixGame([
    [1, -1],
    [-1, 1],
  ]);
  near(mp.value, 0, 1e-12, "pennies value");
  near(mp.x[0], 0.5, 1e-12, "pennies x");
  near(mp.y[0], 0.5, 1e-12, "pennies y");
  // A non-square game: the LP pair has gap 0 and its payoff is the value.
  const rect = await solveMatrixGame([
    [3, -1, 0.5],
    [-2, 1, 0],
  ]);
  assert.ok(rect.gap <= 1e-12, `rectangular gap ${rect.gap}`);
  near(
    payoff(
      matrixGame([
        [3, -1, 0.5],
        [-2, 1, 0],
      ]),
      rect.x,
      rect.y,
    ),
    rect.value,
    1e-12,
    "rect payoff",
  );
});

test("duality gap: 0 at Nash, positive elsewhere (hand-checked)", () => {
  near(dualityGap(HAND, [0.4, 0.6], [0.4, 0.6]), 0, 1e-15, "at Nash");
  // x = y = e1: xᵀA = (2, −1) → max 2; Ay = (2, −1) → min −1; gap 3.
  assert.equal(dualityGap(HAND, [1, 0], [1, 0]), 3);
  // RPS, x = rock, y uniform: xᵀA = (0, 1, −1) → 1; Ay = 0 → 0; gap 1.
  near(dualityGap(rockPaperScissors(), [1, 0, 0], [1 / 3, 1 / 3, 1 / 3]), 1, 1e-15, "rps");
  near(dualityGap(rockPaperScissors(), [1 / 3, 1 / 3, 1 / 3], [1 / 3, 1 / 3, 1 / 3]), 0, 1e-15, "rps Nash");
});

test("mirror descent and mirror-prox keep every iterate on the simplex", () => {
  const g = randomMatrix(7, 5, 3);
  const check = (p: Float64Array, k: number): void => {
    assert.equal(p.length, k);
    let s = 0;
    for (const v of p) {
      assert.ok(v >= 0 && Number.isFinite(v));
      s += v;
    }
    near(s, 1, 1e-12, "sum");
  };
  for (const run of [
    mirrorDescent(g, { steps: 500 }),
    mirrorDescent(g, { steps: 500, schedule: "constant", eta: 5 }),
    mirrorProx(g, { steps: 500 }),
    // A huge step: the log-domain update must not overflow.
    mirrorProx(g, { steps: 50, eta: 1e4 }),
  ]) {
    check(run.x, 7);
    check(run.y, 5);
    check(run.xAvg, 7);
    check(run.yAvg, 5);
    for (const p of run.trace) assert.ok(p.gapAvg >= -1e-12 && p.gapLast >= -1e-12);
  }
});

test("mirror-prox beats mirror descent on the random 10×10 game at equal T", () => {
  const g = randomMatrix(10, 10, 0);
  for (const T of [1000, 5000]) {
    const md = mirrorDescent(g, { steps: T }).trace.at(-1)!.gapAvg;
    const mdc = mirrorDescent(g, { steps: T, schedule: "constant" }).trace.at(-1)!.gapAvg;
    const mp = mirrorProx(g, { steps: T }).trace.at(-1)!.gapAvg;
    assert.ok(mp < md / 10 && mp < mdc / 10, `T=${T}: MP ${mp} vs MD ${md} / ${mdc}`);
  }
});

test("random matrices are reproducible from the seed, in [−1, 1)", () => {
  const a = toRows(randomMatrix(4, 3, 42));
  assert.deepEqual(a, toRows(randomMatrix(4, 3, 42)));
  assert.notDeepEqual(a, toRows(randomMatrix(4, 3, 43)));
  for (const r of a) for (const v of r) assert.ok(v >= -1 && v < 1);
});

test("rate fit recovers a known exponent", () => {
  const ts = logSpacedSteps(10, 10_000, 20);
  const f = fitRateExponent(
    ts,
    ts.map((t) => 3 * t ** -0.7),
  );
  near(f.exponent, 0.7, 1e-12, "p");
  near(f.constant, 3, 1e-10, "C");
  near(f.r2, 1, 1e-12, "r2");
});

test("bad input: empty, ragged, non-finite, non-square when required → one-line UsageErrors", () => {
  const bad = (fn: () => unknown, re: RegExp): void =>
    assert.throws(
      fn,
      (e: unknown) => e instanceof UsageError && re.test(e.message) && !e.message.includes("\n"),
    );
  bad(() => matrixGame([]), /^--matrix: the payoff matrix is empty; allowed: a non-empty n×m matrix/);
  bad(() => matrixGame([[]]), /^--matrix: row 1 is empty/);
  bad(
    () => matrixGame([[1, 2], [3]]),
    /^--matrix: row 2 has 1 entries but row 1 has 2; allowed: a rectangular/,
  );
  bad(() => matrixGame([[1, NaN]]), /^--matrix: entry \(1, 2\) is NaN; allowed: finite numbers/);
  bad(() => matrixGame([[1, Infinity]]), /entry \(1, 2\) is Infinity/);
  bad(
    () => matrixGame([[1, 2]], { requireSquare: true }),
    /^--matrix: the payoff matrix is 1×2; allowed: a square/,
  );
  assert.equal(matrixGame([[1, 2]]).cols, 2); // non-square is a valid matrix game
  bad(() => mirrorDescent(rockPaperScissors(), { steps: 0 }), /^steps: 0 is not allowed/);
  bad(() => mirrorProx(rockPaperScissors(), { steps: 10, eta: -1 }), /^eta: -1 is not allowed/);
  bad(() => mirrorDescent(rockPaperScissors(), { steps: 10, x0: [1, 0, 0] }), /^x0: .*every entry > 0/);
  bad(() => randomMatrix(0, 3, 1), /^--rows: 0 is not allowed/);
});

test("every matrix-game claim passes", async () => {
  const claims = await matrixGameClaims();
  assert.ok(claims.length >= 8);
  for (const c of claims) {
    assert.match(c.id, /^equilibria\/matrix\//);
    assert.match(c.source, /^Hsieh, Liu & Cevher 2019/);
    assert.ok(c.pass, `${c.id}: expected ${c.expected}, measured ${c.measured}`);
  }
});
