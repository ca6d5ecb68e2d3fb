/**
 * The local landscape of a two-player game at one point, matrix-free (Berard, Gidel, Almahairi, Vincent &
 * Lacoste-Julien, "A closer look at the optimization landscapes of generative adversarial networks", ICLR
 * 2020, §4–5): the top-k eigenvalues of the game Jacobian ∇v(ω) (imaginary parts = rotation, real parts =
 * attraction), the leftmost one (min Re λ: local stability of gradient dynamics, Re λ > 0 for every λ), and
 * the top-k and bottom-k eigenvalues of each player's own Hessian ∇²_ii L^(i) (local Nash: both ⪰ 0).
 *
 * The point's type, from these numbers:
 *   local Nash (second order)      both players' Hessians have no negative eigenvalue;
 *   locally stable, not Nash       a player's Hessian has a negative eigenvalue, yet every Re λ(∇v) > 0
 *                                  (Berard et al.'s "locally stable stationary point", their finding at the
 *                                  end of GAN training);
 *   unstable                       some Re λ(∇v) < 0 (and not a local Nash).
 * A symmetric eigenvalue θ with residual r has a true eigenvalue in [θ − r, θ + r], so "negative" means
 * θ < −(r + ζ), ζ = 10·tol·ρ, ρ the operator's spectral scale; the same margin decides Re λ ≷ 0.
 *
 * `--dense` (`denseLandscape`) assembles ∇v column by column from the same products and reads every number
 * from its full spectrum: the reference the matrix-free numbers are tested against.
 */
import {
  arnoldiEigs,
  lanczosExtremes,
  topK,
  type KrylovRun,
  type LinearOperator,
  type Which,
} from "./krylov-schur.ts";
import { UsageError } from "../engine/errors.ts";
import type { PointOperators } from "./point-operators.ts";
import { eigenvalues, modulus, symmetricEigenvalues, type Complex } from "./spectrum.ts";

export interface ComplexEigenvalue extends Complex {
  /** ‖Ax − λx‖ for the unit eigenvector x (null in dense mode). */
  residual: number | null;
  converged: boolean;
}

export interface RealEigenvalue {
  value: number;
  residual: number | null;
  converged: boolean;
}

export interface SolverInfo {
  method: "krylov-schur" | "lanczos" | "dense";
  products: number;
  restarts: number;
  m: number;
  converged: boolean;
  tol: number;
  /** Spectral scale ρ the tolerance is relative to (largest |Ritz value|; dense: largest |λ|). */
  scale: number;
  seconds: number;
}

export interface LandscapeOptions {
  /** Game Jacobian eigenvalues wanted. */
  k: number;
  which: Which;
  /** Top-k and bottom-k of each player's Hessian (default k). */
  hessianK?: number;
  /** Relative residual tolerance (default 1e-10 in float64, 1e-4 in float32). */
  tol?: number;
  m?: number;
  maxRestarts?: number;
  /** Skip the leftmost Jacobian eigenvalue (the stability half of the type). */
  noStability?: boolean;
  /** Called after every operator product: the part being computed and the products it has used so far. */
  onProduct?: (part: string, products: number) => void;
}

/** `op` with each product reported to `onProduct` under `part`. */
function counted(
  op: LinearOperator,
  part: string,
  onProduct?: (part: string, products: number) => void,
): LinearOperator {
  if (!onProduct) return op;
  let count = 0;
  return {
    n: op.n,
    apply: async (u) => {
      const out = await op.apply(u);
      onProduct(part, ++count);
      return out;
    },
  };
}

export type LandscapeKind = "local-nash" | "locally-stable-not-nash" | "unstable" | "undetermined";

export interface LandscapeReport {
  n: number;
  sizes: [number, number];
  players: [string, string];
  field: { norm: number; norms: [number, number]; losses: [number, number] };
  game: SolverInfo & { which: Which; k: number; eigenvalues: ComplexEigenvalue[] };
  /** The eigenvalue of ∇v with the smallest real part (null with noStability). */
  leftmost: (ComplexEigenvalue & { solver: SolverInfo }) | null;
  hessians: [PlayerHessian, PlayerHessian];
  type: { kind: LandscapeKind; verdict: string; reasons: string[] };
}

export interface PlayerHessian extends SolverInfo {
  player: string;
  n: number;
  k: number;
  /** Largest first. */
  top: RealEigenvalue[];
  /** Smallest first. */
  bottom: RealEigenvalue[];
}

const fmt = (x: number): string => String(Number(x.toPrecision(5)));
const defaultTol = (dtype: string): number => (dtype === "float64" ? 1e-10 : 1e-4);

function checkK(what: string, k: number, n: number): void {
  if (!Number.isInteger(k) || k < 1 || k > n) {
    throw new UsageError(`${what}: ${k} eigenvalues asked; must be an integer from 1 to the dimension ${n}`);
  }
}

const negated = (op: LinearOperator): LinearOperator => ({
  n: op.n,
  apply: async (u) => (await op.apply(u)).map((x) => -x),
});

function fieldInfo(
  v: Float64Array,
  sizes: [number, number],
  losses: [number, number],
): LandscapeReport["field"] {
  let a = 0;
  let b = 0;
  for (let i = 0; i < v.length; i++) {
    if (i < sizes[0]) a += v[i] * v[i];
    else b += v[i] * v[i];
  }
  return { norm: Math.sqrt(a + b), norms: [Math.sqrt(a), Math.sqrt(b)], losses };
}

/** The point's type from the numbers (see the module comment). */
export function classifyLandscape(
  r: Pick<LandscapeReport, "hessians" | "leftmost" | "game" | "field" | "players">,
): LandscapeReport["type"] {
  const reasons: string[] = [];
  const negative: number[] = [];
  r.hessians.forEach((h, i) => {
    const min = h.bottom[0];
    const margin = (min.residual ?? 0) + 10 * h.tol * h.scale;
    reasons.push(
      `player ${r.players[i]}'s own Hessian: smallest eigenvalue ${fmt(min.value)}, largest ${fmt(h.top[0].value)}`,
    );
    if (min.value < -margin) negative.push(i);
  });
  const nash = negative.length === 0;
  const allConverged = r.hessians.every((h) => h.converged);
  let stable: boolean | null = null;
  if (r.leftmost) {
    const z = r.leftmost;
    const margin = (z.residual ?? 0) + 10 * z.solver.tol * z.solver.scale;
    stable = z.re > margin ? true : z.re < -margin ? false : null;
    reasons.push(
      stable === true
        ? `every Re λ(∇v) > 0 (leftmost λ = ${fmt(z.re)}${z.im ? ` ± ${fmt(Math.abs(z.im))}i` : ""}): simultaneous gradient descent with small steps is locally attracted here`
        : stable === false
          ? `∇v has an eigenvalue with negative real part, λ = ${fmt(z.re)}${z.im ? ` ± ${fmt(Math.abs(z.im))}i` : ""}: locally repelling`
          : `the leftmost eigenvalue of ∇v, ${fmt(z.re)}, is zero within its residual: stability undecided`,
    );
  }
  const top = r.game.eigenvalues;
  const maxIm = top.reduce((m, z) => Math.max(m, Math.abs(z.im)), 0);
  const maxRe = top.reduce((m, z) => Math.max(m, Math.abs(z.re)), 0);
  if (top.length > 0) {
    reasons.push(
      `top-${top.length} eigenvalues of ∇v (${r.game.which}): max |Im λ| = ${fmt(maxIm)}, max |Re λ| = ${fmt(maxRe)}` +
        (maxIm > 0 ? " (rotation)" : ""),
    );
  }
  reasons.push(
    `‖v(ω)‖ = ${fmt(r.field.norm)} on this batch: the type describes the linearisation at this point (exactly a stationary point only when v = 0)`,
  );
  if (!allConverged || !r.game.converged)
    reasons.push("some eigenvalues did not reach the tolerance: see `converged`");
  const who =
    negative.length === 2
      ? `players ${r.players[0]} and ${r.players[1]} have Hessians with`
      : `player ${r.players[negative[0]]}'s Hessian has`;
  let kind: LandscapeKind;
  let verdict: string;
  if (nash) {
    kind = "local-nash";
    verdict = "local Nash (second order): no player's own Hessian has a negative eigenvalue";
    if (stable === false) verdict += ", but not locally stable";
  } else if (stable === true) {
    kind = "locally-stable-not-nash";
    verdict = `locally stable but not a local Nash: ${who} negative eigenvalues`;
  } else if (stable === false) {
    kind = "unstable";
    verdict = `unstable, not a local Nash: ${who} negative eigenvalues`;
  } else {
    kind = "undetermined";
    verdict = `not a local Nash (${who} negative eigenvalues); stability undecided`;
  }
  return { kind, verdict, reasons };
}

const info = (method: SolverInfo["method"], run: KrylovRun, seconds: number): SolverInfo => ({
  method,
  products: run.products,
  restarts: run.restarts,
  m: run.m,
  converged: run.converged,
  tol: run.tol,
  scale: run.scale,
  seconds,
});

/** Matrix-free: Krylov–Schur for ∇v, Lanczos for each Hessian. */
export async function landscape(
  ops: PointOperators,
  players: [string, string],
  dtype: string,
  opts: LandscapeOptions,
): Promise<LandscapeReport> {
  const n = ops.jacobian.n;
  const hk = opts.hessianK ?? opts.k;
  checkK("--top", opts.k, n);
  ops.sizes.forEach((s, i) => checkK(`--hessian-k (player ${players[i]})`, hk, s));
  const kopts = { tol: opts.tol ?? defaultTol(dtype), m: opts.m, maxRestarts: opts.maxRestarts };
  const f = await ops.field();
  const field = fieldInfo(f.v, ops.sizes, f.losses);

  let t0 = performance.now();
  const g = await arnoldiEigs(
    counted(ops.jacobian, `∇v top-${opts.k}`, opts.onProduct),
    opts.k,
    opts.which,
    kopts,
  );
  const game = {
    ...info("krylov-schur", g.run, (performance.now() - t0) / 1000),
    which: opts.which,
    k: opts.k,
    eigenvalues: g.eigenpairs.map((p) => ({ ...p.value, residual: p.residual, converged: p.converged })),
  };

  let leftmost: LandscapeReport["leftmost"] = null;
  if (!opts.noStability) {
    t0 = performance.now();
    const l = await arnoldiEigs(
      negated(counted(ops.jacobian, "leftmost λ of ∇v", opts.onProduct)),
      Math.min(2, n),
      "real",
      kopts,
    );
    const p = l.eigenpairs[0];
    leftmost = {
      re: -p.value.re,
      im: -p.value.im,
      residual: p.residual,
      converged: p.converged,
      solver: info("krylov-schur", l.run, (performance.now() - t0) / 1000),
    };
  }

  const hessians = [] as unknown as [PlayerHessian, PlayerHessian];
  for (const i of [0, 1] as const) {
    t0 = performance.now();
    const h = await lanczosExtremes(
      counted(ops.hessian[i], `${players[i]}'s Hessian`, opts.onProduct),
      hk,
      hk,
      kopts,
    );
    const real = (p: { value: number; residual: number; converged: boolean }): RealEigenvalue => ({ ...p });
    hessians[i] = {
      ...info("lanczos", h.run, (performance.now() - t0) / 1000),
      player: players[i],
      n: ops.sizes[i],
      k: hk,
      top: h.top.map(real),
      bottom: h.bottom.map(real),
    };
  }
  const partial = { hessians, leftmost, game, field, players };
  return { n, sizes: ops.sizes, ...partial, type: classifyLandscape(partial) };
}

/** The largest dimension `denseLandscape` accepts. */
export const DENSE_MAX = 2000;

/** The dense ∇v from n products with e_j (row i, column j = ∂v_i/∂ω_j). */
export async function denseJacobian(op: LinearOperator): Promise<number[][]> {
  const n = op.n;
  const cols: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    const e = new Float64Array(n);
    e[j] = 1;
    cols.push(await op.apply(e));
  }
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => cols[j][i]));
}

/** The same report from the full dense spectra (n ≤ DENSE_MAX): the reference for `landscape`. */
export async function denseLandscape(
  ops: PointOperators,
  players: [string, string],
  dtype: string,
  opts: LandscapeOptions,
): Promise<LandscapeReport> {
  const n = ops.jacobian.n;
  if (n > DENSE_MAX) {
    throw new UsageError(
      `--dense: the game has ${n} parameters; the dense spectrum is limited to ${DENSE_MAX}`,
    );
  }
  const hk = opts.hessianK ?? opts.k;
  checkK("--top", opts.k, n);
  ops.sizes.forEach((s, i) => checkK(`--hessian-k (player ${players[i]})`, hk, s));
  const tol = opts.tol ?? defaultTol(dtype);
  const f = await ops.field();
  const field = fieldInfo(f.v, ops.sizes, f.losses);
  const t0 = performance.now();
  const Jd = await denseJacobian(counted(ops.jacobian, "dense ∇v", opts.onProduct));
  const all = eigenvalues(Jd);
  const scale = all.reduce((s, z) => Math.max(s, modulus(z)), 0);
  const seconds = (performance.now() - t0) / 1000;
  const dense = (sc: number): SolverInfo => ({
    method: "dense",
    products: n,
    restarts: 0,
    m: n,
    converged: true,
    tol,
    scale: sc,
    seconds,
  });
  const exact = (z: Complex): ComplexEigenvalue => ({ re: z.re, im: z.im, residual: null, converged: true });
  const game = {
    ...dense(scale),
    which: opts.which,
    k: opts.k,
    eigenvalues: topK(all, opts.k, opts.which).map(exact),
  };
  const left = [...all].sort((a, b) => a.re - b.re || a.im - b.im)[0];
  const leftmost = opts.noStability ? null : { ...exact(left), solver: dense(scale) };
  const hessians = ops.sizes.map((s, i) => {
    const o = i === 0 ? 0 : ops.sizes[0];
    const block = Jd.slice(o, o + s).map((row) => row.slice(o, o + s));
    const ev = symmetricEigenvalues(block); // ascending
    const sc = Math.max(Math.abs(ev[0]), Math.abs(ev[ev.length - 1]));
    const real = (value: number): RealEigenvalue => ({ value, residual: null, converged: true });
    return {
      ...dense(sc),
      player: players[i],
      n: s,
      k: hk,
      top: [...ev].reverse().slice(0, hk).map(real),
      bottom: ev.slice(0, hk).map(real),
    };
  }) as [PlayerHessian, PlayerHessian];
  const partial = { hessians, leftmost, game, field, players };
  return { n, sizes: ops.sizes, ...partial, type: classifyLandscape(partial) };
}
