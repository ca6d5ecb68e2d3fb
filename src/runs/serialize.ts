/**
 * Exact (bit-for-bit) serialisation of pytrees of jax-js arrays, for checkpoints: each leaf's dtype, shape
 * and raw bytes (base64). A tree is rebuilt against a template of the same structure (a fresh
 * `game.init()` or `method.init(...)`), so no structure needs to be stored.
 */
import { numpy as np, tree, type Array as JArray, type JsTree } from "@jax-js/jax";

export interface LeafRecord {
  dtype: string;
  shape: number[];
  /** Raw little-endian bytes, base64. */
  data: string;
}

const CTORS: Record<string, Float32ArrayConstructor | Float64ArrayConstructor | Int32ArrayConstructor | Uint32ArrayConstructor> = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  uint32: Uint32Array,
};

/** Record every leaf of the tree; borrows it. */
export function saveTree(t: JsTree<JArray>): LeafRecord[] {
  return tree.leaves(tree.ref(t)).map((x) => {
    const dtype = String(x.dtype);
    const shape = x.shape;
    const d = x.dataSync() as unknown as ArrayBufferView;
    return { dtype, shape, data: Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString("base64") };
  });
}

/** Rebuild a tree shaped like `template` (consumed) from records. Throws if the shapes disagree. */
export function loadTree<T extends JsTree<JArray>>(template: T, records: LeafRecord[]): T {
  const [leaves, def] = tree.flatten(template);
  if (leaves.length !== records.length) {
    throw new Error(`checkpoint has ${records.length} arrays, expected ${leaves.length}`);
  }
  const made = leaves.map((x, i) => {
    const r = records[i];
    if (JSON.stringify(r.shape) !== JSON.stringify(x.shape) || r.dtype !== String(x.dtype)) {
      throw new Error(`checkpoint array ${i} is ${r.dtype}${JSON.stringify(r.shape)}, expected ${String(x.dtype)}${JSON.stringify(x.shape)}`);
    }
    const Ctor = CTORS[r.dtype];
    if (!Ctor) throw new Error(`checkpoint array ${i} has unsupported dtype ${r.dtype}`);
    const bytes = Buffer.from(r.data, "base64");
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    const values = new Ctor(copy.buffer);
    const out = np.array(values as unknown as number[], { dtype: x.dtype }).reshape(x.shape);
    x.dispose();
    return out;
  });
  return tree.unflatten(def, made) as T;
}
