/**
 * Method states of checkpoints written before Adam's state was the record {mu, nu, count}: Adam then kept
 * [m, s, β₁ᵗ, β₂ᵗ] with the two powers as parameter-shaped trees. `upgradeStateRecords` rewrites such
 * records into the current layout, against the template the trainer rebuilds the state on
 * (`method.init(...)`), so that old runs still resume. Every other part of a method state kept its leaves
 * and their order (named records replaced tuples of the same leaves), so only Adam nodes are rewritten.
 *
 * The count t is recovered from the stored power: t = round(ln|βᵗ| / ln|β|), from whichever of β₁ᵗ, β₂ᵗ is
 * still a normal number and has the larger |ln β| (the better-conditioned one). When both powers have
 * underflowed, the bias corrections 1 − βᵗ are exactly 1 and stay 1, so any t at which both powers
 * underflow gives the same updates.
 */
import { tree, type Array as JArray, type JsTree } from "@jax-js/jax";
import type { LeafRecord } from "./serialize.ts";

/** An Adam state node of the template (src/optim/transform.ts, `AdamState`). */
function isAdamNode(node: unknown): node is { mu: JsTree<JArray>; nu: JsTree<JArray>; count: JArray } {
  if (node === null || typeof node !== "object" || Array.isArray(node)) return false;
  const keys = Object.keys(node);
  return keys.length === 3 && keys[0] === "mu" && keys[1] === "nu" && keys[2] === "count";
}

const isLeaf = (node: JsTree<JArray>): boolean => {
  const leaves = tree.leaves(node);
  return leaves.length === 1 && (leaves[0] as unknown) === node;
};

/** The first element of a float record. */
function firstValue(r: LeafRecord): number {
  const bytes = Buffer.from(r.data, "base64");
  if (r.dtype === "float64") return bytes.readDoubleLE(0);
  if (r.dtype === "float32") return bytes.readFloatLE(0);
  throw new Error(`checkpoint: an old Adam power has dtype ${r.dtype}, expected float32 or float64`);
}

/** The update count t of old Adam powers βᵗ (first elements p1, p2 of dtype `dtype`). */
export function countFromPowers(p1: number, p2: number, betas: readonly [number, number], dtype: string): number {
  const minNormal = dtype === "float64" ? 2.2250738585072014e-308 : 1.1754943508222875e-38;
  const tiny = dtype === "float64" ? 5e-324 : 1.401298464324817e-45;
  const candidates: { t: number; logBeta: number }[] = [];
  [p1, p2].forEach((p, i) => {
    const b = Math.abs(betas[i]);
    if (!(b > 0 && b < 1)) return;
    if (Math.abs(p) >= minNormal) candidates.push({ t: Math.round(Math.log(Math.abs(p)) / Math.log(b)) + 0, logBeta: -Math.log(b) });
  });
  if (candidates.length > 0) return candidates.sort((a, b) => b.logBeta - a.logBeta)[0].t;
  // Both underflowed (or β ∈ {0, 1}): a t at which every β ∈ (0, 1) has βᵗ below half the smallest subnormal (rounds to 0).
  let t = 1;
  for (const b0 of betas) {
    const b = Math.abs(b0);
    if (b > 0 && b < 1) t = Math.max(t, Math.ceil((Math.log(tiny) - Math.LN2) / Math.log(b)) + 1);
  }
  return t;
}

const int32Record = (n: number): LeafRecord => ({
  dtype: "int32",
  shape: [],
  data: Buffer.from(new Int32Array([n]).buffer).toString("base64"),
});

/**
 * The records of a method state in the current layout: `records` unchanged when they already fit
 * `template` (borrowed), else old Adam nodes [m, s, β₁ᵗ, β₂ᵗ] rewritten as {mu, nu, count}. `betas`: the
 * run's Adam (β₁, β₂). loadTree then checks every shape and dtype.
 */
export function upgradeStateRecords(
  template: JsTree<JArray>,
  records: LeafRecord[],
  betas: readonly [number, number],
): LeafRecord[] {
  if (tree.leaves(template).length === records.length) return records;
  const out: LeafRecord[] = [];
  let i = 0;
  const take = (n: number): LeafRecord[] => {
    if (i + n > records.length) throw new Error(`checkpoint has ${records.length} arrays, fewer than the method state needs`);
    const r = records.slice(i, i + n);
    i += n;
    return r;
  };
  const walk = (node: JsTree<JArray>): void => {
    if (isAdamNode(node)) {
      const n = tree.leaves(node.mu).length;
      out.push(...take(n), ...take(n));
      const [p1] = take(n);
      const [p2] = take(n);
      const t = n === 0 ? 0 : countFromPowers(firstValue(p1), firstValue(p2), betas, p1.dtype);
      out.push(int32Record(t));
    } else if (isLeaf(node)) {
      out.push(...take(1));
    } else if (Array.isArray(node)) {
      node.forEach(walk);
    } else {
      for (const v of Object.values(node as Record<string, JsTree<JArray>>)) walk(v);
    }
  };
  walk(template);
  if (i !== records.length) {
    throw new Error(`checkpoint has ${records.length} arrays, the method state ${i} (old layout)`);
  }
  return out;
}
