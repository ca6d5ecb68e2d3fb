/**
 * NumPy's .npy format, version 1.0 (numpy.lib.format, "NEP 1"), for float32 arrays:
 *
 *   "\x93NUMPY" · major 1 · minor 0 · header length HLEN (uint16, little-endian) · header · data
 *
 * with header = "{'descr': '<f4', 'fortran_order': False, 'shape': (n, d), }", padded with spaces and ended
 * by "\n" so that 10 + HLEN is a multiple of 64, and the data C-ordered little-endian float32.
 * `numpy.load(file)` reads it back.
 */

/** "\x93NUMPY". */
const MAGIC = Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);

/** Python's repr of a shape tuple: "(3,)", "(3, 2)". */
function shapeTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/** The bytes of a .npy file holding `values` (C order) as a float32 array of `shape`. */
export function npyFloat32(values: ArrayLike<number>, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== values.length) {
    throw new Error(`npy: ${values.length} values do not fill shape ${shapeTuple(shape)}`);
  }
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeTuple(shape)}, }`;
  const unpadded = MAGIC.length + 4 + dict.length + 1;
  const header = dict + " ".repeat((64 - (unpadded % 64)) % 64) + "\n";
  const offset = MAGIC.length + 4 + header.length;
  const out = new Uint8Array(offset + 4 * count);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  for (let i = 0; i < count; i++) view.setFloat32(offset + 4 * i, values[i], true);
  return out;
}
