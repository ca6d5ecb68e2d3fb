/**
 * The linear-Gaussian W2GAN's closed forms and small solvers (src/games/linear-gaussian.ts; Farnia & Ozdaglar
 * 2020, seed slides "Nash Equilibrium in Non-realizable GANs" and "Proximal Equilibria in Wasserstein GANs"),
 * in plain float64 JS:
 *
 *   feasible sets   G: σ_max(A) ≤ 1, ‖b‖ ≤ 1;   D: λ_max(Λ) ≤ κβ   (exact projections)
 *   f(G) = sup_D V(G, D) = β W₂²(N(0, Σ), N(b, AAᵀ))                 (closed form, D's best response D_G)
 *   g(D) = min_G V(G, D)                                             (closed form A-part, trust-region b-part)
 *   Nash gap f(G) − g(D);  V_λ^prox and the proximal gap            (projected ascent / Danskin descent)
 *   min_G f = β Σᵢ (√σᵢ(Σ) − 1)₊²,  sup_D g                          (closed form / concave ascent)
 */
import { numpy as np, type Array as JArray } from "@jax-js/jax";
import { dtypeOf } from "../engine/device.ts";
import type { Joint } from "../games/game.ts";
import { KAPPA, valueJs, type LinearGaussianGame, type Sym } from "../games/linear-gaussian.ts";
import { eigSym, inv2, mul2, numGrad, projectSpectral, sqrtm } from "./sym2.ts";

/** G's feasible set: σ_max(A) ≤ 1, ‖b‖ ≤ 1. */
export function projectG(g: readonly number[]): number[] {
  const A = projectSpectral(g.slice(0, 4));
  const n = Math.hypot(g[4], g[5]);
  const b = n > 1 ? [g[4] / n, g[5] / n] : [g[4], g[5]];
  return [...A, ...b];
}

/** D's feasible set: λ_max(Λ) ≤ κβ. */
export function projectD(d: readonly number[], beta: number): number[] {
  const e = eigSym(d[0], d[1], d[2]);
  const cap = KAPPA * beta;
  if (e.values[0] <= cap) return [...d];
  const vals = [Math.min(e.values[0], cap), Math.min(e.values[1], cap)];
  const [v1, v2] = e.vectors;
  const L = (i: number, j: number) => vals[0] * v1[i] * v1[j] + vals[1] * v2[i] * v2[j];
  return [L(0, 0), L(0, 1), L(1, 1), d[3], d[4]];
}

/**
 * D's best response D_G = argmax_D V(G, D) in closed form (Brenier): the transport map from N(0, Σ) to
 * N(b, AAᵀ) is T(x) = Mx + b, M = Σ^{−½}(Σ^½ AAᵀ Σ^½)^½ Σ^{−½}, and the optimal potential has
 * ∇D(x) = 2β(x − T(x)), so Λ = β(I − M), γ = −2βb. Feasible (λ_max(Λ) ≤ κβ) iff λ_min(M) ≥ 1 − κ; the
 * returned `feasible` says so, and f(G) − V(G, D_G) (0 when D_G is the maximiser) is the check of it.
 */
export function bestResponseD(
  sigma: Sym,
  beta: number,
  g: readonly number[],
): { d: number[]; feasible: boolean } {
  const [a11, a12, a21, a22, b1, b2] = g;
  const P = [a11 * a11 + a12 * a12, a11 * a21 + a12 * a22, a21 * a21 + a22 * a22];
  const r = sqrtm(sigma[0][0], sigma[0][1], sigma[1][1]);
  const ri = inv2(...r);
  const rp = mul2(r, P);
  // C = Σ^½ P Σ^½ (symmetric)
  const C = [
    rp[0][0] * r[0] + rp[0][1] * r[1],
    rp[0][0] * r[1] + rp[0][1] * r[2],
    rp[1][0] * r[1] + rp[1][1] * r[2],
  ];
  const q = sqrtm(C[0], C[1], C[2]);
  const iq = mul2(ri, q);
  const M = [
    iq[0][0] * ri[0] + iq[0][1] * ri[1],
    iq[0][0] * ri[1] + iq[0][1] * ri[2],
    iq[1][0] * ri[1] + iq[1][1] * ri[2],
  ];
  const d = [beta * (1 - M[0]), -beta * M[1], beta * (1 - M[2]), -2 * beta * b1, -2 * beta * b2];
  return { d, feasible: eigSym(M[0], M[1], M[2]).values[1] >= 1 - KAPPA };
}

/** f(G) = sup_D V(G, D) = β W₂²(N(0, Σ), N(b, AAᵀ)) (closed form). */
export function bestValueD(sigma: Sym, beta: number, g: readonly number[]): number {
  const [a11, a12, a21, a22, b1, b2] = g;
  const p11 = a11 * a11 + a12 * a12;
  const p12 = a11 * a21 + a12 * a22;
  const p22 = a21 * a21 + a22 * a22;
  const [r11, r12, r22] = sqrtm(sigma[0][0], sigma[0][1], sigma[1][1]);
  // C = Σ^½ P Σ^½
  const RP = [
    [r11 * p11 + r12 * p12, r11 * p12 + r12 * p22],
    [r12 * p11 + r22 * p12, r12 * p12 + r22 * p22],
  ];
  const c11 = RP[0][0] * r11 + RP[0][1] * r12;
  const c12 = RP[0][0] * r12 + RP[0][1] * r22;
  const c22 = RP[1][0] * r12 + RP[1][1] * r22;
  const [q11, , q22] = sqrtm(c11, c12, c22);
  const bures = sigma[0][0] + sigma[1][1] + p11 + p22 - 2 * (q11 + q22);
  return beta * (b1 * b1 + b2 * b2 + Math.max(bures, 0));
}

/** G's best response to D: the minimiser of V(·, D) over the feasible set, and g(D) = its value. */
export function bestResponseG(
  sigma: Sym,
  beta: number,
  d: readonly number[],
): { g: number[]; value: number } {
  const [l11, l12, l22, c1, c2] = d;
  const m11 = beta - l11;
  const m22 = beta - l22;
  const det = m11 * m22 - l12 * l12;
  if (!(m11 > 0 && det > 0)) return { g: [0, 0, 0, 0, 0, 0], value: -Infinity };
  const k11 = m22 / det;
  const k12 = l12 / det;
  const k22 = m11 / det;
  // Q = βI − β²K; A-part: AAᵀ = projector onto Q's negative eigenspace
  const q11 = beta - beta * beta * k11;
  const q12 = -beta * beta * k12;
  const q22 = beta - beta * beta * k22;
  const e = eigSym(q11, q12, q22);
  const cols: number[][] = [];
  e.values.forEach((v, i) => {
    if (v < 0) cols.push(e.vectors[i]);
  });
  // A = [u1 u2] (columns = negative eigenvectors), so AAᵀ = Σ uuᵀ; σ_max(A) = 1
  const A = [0, 0, 0, 0];
  cols.forEach((u, j) => {
    A[0 + j] = u[0];
    A[2 + j] = u[1];
  });
  // b-part: min_{‖b‖≤1} bᵀQb + hᵀb with h = −βKγ
  const h1 = -beta * (k11 * c1 + k12 * c2);
  const h2 = -beta * (k12 * c1 + k22 * c2);
  const qf = (x: number, y: number) => q11 * x * x + 2 * q12 * x * y + q22 * y * y + h1 * x + h2 * y;
  let best = { x: 0, y: 0, v: 0 };
  if (e.values[1] > 0) {
    // interior stationary point, if inside the disc
    const dq = q11 * q22 - q12 * q12;
    const x = -(q22 * h1 - q12 * h2) / (2 * dq);
    const y = -(-q12 * h1 + q11 * h2) / (2 * dq);
    if (x * x + y * y <= 1) best = { x, y, v: qf(x, y) };
  }
  const N = 360;
  let bt = 0;
  let bv = Infinity;
  for (let k = 0; k < N; k++) {
    const t = (2 * Math.PI * k) / N;
    const v = qf(Math.cos(t), Math.sin(t));
    if (v < bv) {
      bv = v;
      bt = t;
    }
  }
  // golden-section refinement on [bt − h, bt + h]
  let lo = bt - (2 * Math.PI) / N;
  let hi = bt + (2 * Math.PI) / N;
  const phi = (Math.sqrt(5) - 1) / 2;
  for (let it = 0; it < 60; it++) {
    const m1 = hi - phi * (hi - lo);
    const m2 = lo + phi * (hi - lo);
    if (qf(Math.cos(m1), Math.sin(m1)) < qf(Math.cos(m2), Math.sin(m2))) hi = m2;
    else lo = m1;
  }
  const tb = (lo + hi) / 2;
  const vb = qf(Math.cos(tb), Math.sin(tb));
  if (vb < best.v) best = { x: Math.cos(tb), y: Math.sin(tb), v: vb };
  const g = [...A, best.x, best.y];
  return { g, value: valueJs(sigma, beta, g, d) };
}

/** Projects both players' parameters onto their feasible sets; consumes w. */
export function projectJoint(game: LinearGaussianGame, w: Joint): Joint {
  const g = Array.from((w[0] as JArray).js() as number[]);
  const d = Array.from((w[1] as JArray).js() as number[]);
  const dt = dtypeOf("float64");
  return [np.array(projectG(g), { dtype: dt }), np.array(projectD(d, game.beta), { dtype: dt })];
}

/** ‖D − D̃‖²_Sob = 4 tr(ΔΛΣΔΛ) + ‖Δγ‖² in plain JS. */
export function sobolevSqDistJs(sigma: Sym, d: readonly number[], dt: readonly number[]): number {
  const e = d.map((x, i) => x - dt[i]);
  const E = [
    [e[0], e[1]],
    [e[1], e[2]],
  ];
  let tr = 0;
  for (let i = 0; i < 2; i++)
    for (let j = 0; j < 2; j++) {
      let es = 0;
      for (let k = 0; k < 2; k++) es += E[i][k] * sigma[k][j];
      tr += es * E[j][i];
    }
  return 4 * tr + e[3] * e[3] + e[4] * e[4];
}

/** The Nash gap f(G) − g(D) = (D's best gain) + (G's best gain); both closed form. */
export function nashGap(sigma: Sym, beta: number, g: readonly number[], d: readonly number[]) {
  const v = valueJs(sigma, beta, g, d);
  const f = bestValueD(sigma, beta, g);
  const gv = bestResponseG(sigma, beta, d).value;
  return { value: v, gainD: f - v, gainG: v - gv, gap: f - gv };
}

/**
 * V_λ^prox(G, D) = max_{D̃ ∈ 𝒟} V(G, D̃) − λ‖D − D̃‖²_Sob by projected gradient ascent (concave, 2λ-strongly
 * in the Sobolev metric); returns the value, D̃* and the final step length.
 */
export function proxValueJs(
  sigma: Sym,
  beta: number,
  lambda: number,
  g: readonly number[],
  d: readonly number[],
  start?: readonly number[],
  iters = 400,
): { value: number; dTilde: number[] } {
  const obj = (x: number[]) => valueJs(sigma, beta, g, x) - lambda * sobolevSqDistJs(sigma, d, x);
  let x = [...(start ?? d)];
  let lr = 0.05;
  let fx = obj(x);
  for (let i = 0; i < iters; i++) {
    const gr = numGrad(obj, x, 1e-7);
    let y = projectD(
      x.map((v, j) => v + lr * gr[j]),
      beta,
    );
    let fy = obj(y);
    while (!(fy >= fx) && lr > 1e-8) {
      lr /= 2;
      y = projectD(
        x.map((v, j) => v + lr * gr[j]),
        beta,
      );
      fy = obj(y);
    }
    if (!(fy >= fx)) break;
    const moved = Math.hypot(...y.map((v, j) => v - x[j]));
    x = y;
    fx = fy;
    lr = Math.min(lr * 1.5, 0.5);
    if (moved < 1e-12) break;
  }
  return { value: fx, dTilde: x };
}

/**
 * min_G V_λ^prox(G, D) by multi-start projected descent with the Danskin gradient ∇_G V(G, D̃*) (starts:
 * the given G, A = I and A = diag(1, 0.5) with b ∈ {0, ±e₁, ±e₂, ±(e₁ ± e₂)/√2}).
 */
export function proxBestResponseG(
  sigma: Sym,
  beta: number,
  lambda: number,
  d: readonly number[],
  g0: readonly number[],
  steps = 150,
): { value: number; g: number[] } {
  const r = Math.SQRT1_2;
  const bs = [
    [0, 0],
    [1, 0],
    [-1, 0],
    [0, 1],
    [0, -1],
    [r, r],
    [r, -r],
    [-r, r],
    [-r, -r],
  ];
  const starts = [[...g0], ...bs.map((b) => [1, 0, 0, 1, ...b]), ...bs.map((b) => [1, 0, 0, 0.5, ...b])];
  let best = { value: Infinity, g: [...g0] };
  for (const s of starts) {
    let g = projectG(s);
    let p = proxValueJs(sigma, beta, lambda, g, d);
    let lr = 0.05;
    for (let t = 0; t < steps; t++) {
      const gr = numGrad((x) => valueJs(sigma, beta, x, p.dTilde), g, 1e-7);
      const g2 = projectG(g.map((v, j) => v - lr * gr[j]));
      const p2 = proxValueJs(sigma, beta, lambda, g2, d, p.dTilde, 60);
      if (p2.value <= p.value) {
        const moved = Math.hypot(...g2.map((v, j) => v - g[j]));
        g = g2;
        p = p2;
        lr = Math.min(lr * 1.2, 0.5);
        if (moved < 1e-10) break;
      } else lr /= 2;
      if (lr < 1e-9) break;
    }
    // re-solve the inner problem to full precision at the end point
    const pf = proxValueJs(sigma, beta, lambda, g, d, p.dTilde, 2000);
    if (pf.value < best.value) best = { value: pf.value, g };
  }
  return best;
}

/** The proximal Nash gap: max_D′ V_λ^prox(G, D′) − min_G′ V_λ^prox(G′, D) = f(G) − min_G′ V_λ^prox(G′, D). */
export function proximalGap(
  sigma: Sym,
  beta: number,
  lambda: number,
  g: readonly number[],
  d: readonly number[],
) {
  const f = bestValueD(sigma, beta, g);
  const here = proxValueJs(sigma, beta, lambda, g, d, undefined, 2000).value;
  const br = proxBestResponseG(sigma, beta, lambda, d, g);
  return { value: here, gainD: f - here, gainG: here - br.value, gap: f - br.value };
}

/** sup_D g(D) by projected ascent on the concave g (finite-difference gradients), from several starts. */
export function maximinValue(
  sigma: Sym,
  beta: number,
  starts = 3,
  iters = 1500,
): { value: number; d: number[] } {
  let best = { value: -Infinity, d: [0, 0, 0, 0, 0] };
  for (let s = 0; s < starts; s++) {
    let x = [0.1 * s, 0.05 * (s % 2), -0.05 * s, 0.05, -0.05 * s];
    const gfun = (y: number[]) => bestResponseG(sigma, beta, y).value;
    let fx = gfun(x);
    let lr = 0.02;
    for (let i = 0; i < iters; i++) {
      const gr = numGrad(gfun, x, 1e-7);
      const y = projectD(
        x.map((v, j) => v + lr * gr[j]),
        beta,
      );
      const fy = gfun(y);
      if (fy >= fx) {
        x = y;
        fx = fy;
        lr = Math.min(lr * 1.2, 0.2);
      } else lr /= 2;
      if (lr < 1e-10) break;
    }
    if (fx > best.value) best = { value: fx, d: x };
  }
  return best;
}

export function minimaxClosedForm(sigma: Sym, beta: number): number {
  const e = eigSym(sigma[0][0], sigma[0][1], sigma[1][1]).values;
  return beta * e.reduce((s, x) => s + Math.max(Math.sqrt(x) - 1, 0) ** 2, 0);
}
