import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { momentumEigenvalues } from "../src/analysis/operators.ts";
import { taylorMomentumEigenvalues, TAYLOR_BETAS } from "../src/claims/dynamics-suite.ts";

describe("dynamics claims: Theorem 3's expansion (10)", () => {
  const lambda = { re: 0.4, im: 1.3 };
  const eta = 0.2;

  test("at β = 0 the expansion is exact: μ+ = 1 − ηλ, μ− = 0", () => {
    const [p, m] = taylorMomentumEigenvalues(eta, 0, lambda);
    assert.ok(Math.hypot(p.re - (1 - eta * lambda.re), p.im + eta * lambda.im) < 1e-15);
    assert.ok(Math.hypot(m.re, m.im) < 1e-15);
  });

  test("against the closed-form μ± the error is O(β²): error/β² is flat, not O(β) as a wrong first-order term gives", () => {
    const err = (beta: number, f: typeof taylorMomentumEigenvalues) => {
      const exact = momentumEigenvalues(eta, beta, lambda);
      const approx = f(eta, beta, lambda);
      return Math.max(...exact.map((z, i) => Math.hypot(z.re - approx[i].re, z.im - approx[i].im)));
    };
    const scaled = TAYLOR_BETAS.map((b) => err(b, taylorMomentumEigenvalues) / b ** 2);
    assert.ok(Math.max(...scaled) / Math.min(...scaled) < 1.5, scaled.join(", "));
    // Dropping the β term of μ+ leaves an O(β) error: error/β² grows like 1/|β|.
    const noBeta: typeof taylorMomentumEigenvalues = (e, b, l) => {
      const [p, m] = taylorMomentumEigenvalues(e, 0, l);
      return [p, { re: m.re + b / (1 - e * l.re), im: m.im }];
    };
    const wrong = TAYLOR_BETAS.map((b) => err(b, noBeta) / b ** 2);
    assert.ok(Math.max(...wrong) / Math.min(...wrong) > 100, wrong.join(", "));
  });
});
