/**
 * The IDX file format of MNIST and Fashion-MNIST (LeCun et al., http://yann.lecun.com/exdb/mnist/):
 * a big-endian header — two zero bytes, a type byte (0x08 = unsigned byte, the only type these data sets
 * use), the number of dimensions d — then d 32-bit big-endian sizes, then the values in row-major order.
 * Files ending in `.gz` are gunzipped first (node:zlib).
 */
import { gunzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { UsageError } from "../engine/errors.ts";

export interface IdxArray {
  /** Sizes of the d dimensions, e.g. [60000, 28, 28] for an image file, [60000] for labels. */
  shape: number[];
  /** The values, row-major (a view into the file's bytes). */
  data: Uint8Array;
}

/** Parse IDX bytes (already gunzipped); `name` is used in error messages. */
export function parseIdx(bytes: Uint8Array, name: string): IdxArray {
  const bad = (why: string) => new UsageError(`--data: '${name}' is not an IDX file: ${why}`);
  if (bytes.length < 4) throw bad(`${bytes.length} bytes, shorter than the 4-byte magic number`);
  if (bytes[0] !== 0 || bytes[1] !== 0) throw bad("the magic number does not start with two zero bytes");
  if (bytes[2] !== 0x08)
    throw bad(`value type 0x${bytes[2].toString(16)}; only unsigned bytes (0x08) are read`);
  const d = bytes[3];
  const header = 4 + 4 * d;
  if (d < 1 || bytes.length < header) throw bad(`${d} dimensions but the header is cut short`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape = Array.from({ length: d }, (_, i) => view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((a, b) => a * b, 1);
  if (bytes.length - header !== count) {
    throw bad(`header says ${shape.join("×")} = ${count} values, the file holds ${bytes.length - header}`);
  }
  return { shape, data: bytes.subarray(header) };
}

/** Read an IDX file (gunzipped when its name ends in .gz). */
export function readIdx(file: string): IdxArray {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new UsageError(`--data: cannot read '${file}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  if (/\.gz$/i.test(file)) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new UsageError(`--data: '${file}' is not a valid gzip file: ${(e as Error).message}`);
    }
  }
  return parseIdx(bytes, file);
}

/** Encode an IDX file of unsigned bytes (for test fixtures and exports). */
export function encodeIdx(shape: number[], data: ArrayLike<number>): Uint8Array {
  const header = 4 + 4 * shape.length;
  const out = new Uint8Array(header + data.length);
  const view = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = shape.length;
  shape.forEach((n, i) => view.setUint32(4 + 4 * i, n, false));
  out.set(
    Array.from(data, (v) => v & 0xff),
    header,
  );
  return out;
}
