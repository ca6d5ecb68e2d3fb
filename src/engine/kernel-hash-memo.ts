/**
 * Memoized kernel hashes for jax-js's wasm backend in Node.
 *
 * jax-js 0.1.25 prepares every kernel of a jitted program again on every call: before dispatching it hashes
 * the kernel's whole expression tree (`FpHash.hash(kernel)`, BigInt arithmetic over every node) to find the
 * compiled module in its cache (dist/backend-*.js, `prepareKernel`). A jitted program keeps the same `Kernel`
 * objects from call to call (`JitProgram.execute` passes `step.source` to each `PendingExecute`), and a
 * `Kernel` is not changed after its constructor, so its hash can be kept per object. Measured on the
 * mnist-dcgan preset on 2 cores (527 kernels a step): 377.4 → 364.5 ms a step once the trainer reads one
 * array a step (docs/images.md, "Where a step's time went").
 *
 * jax-js does not export `FpHash` or `Kernel`; they are named exports of its backend chunk, which the
 * package's `exports` map hides from bare specifiers. This module finds the chunk from the URL of jax-js's
 * entry (`import.meta.resolve`) and the specifier its entry imports, and looks the two classes up by their
 * names. When anything is not as expected (another jax-js version, a bundler), it installs nothing and says
 * so in its return value: results never depend on it, only the time to dispatch.
 */
import { readFileSync } from "node:fs";

interface HashClass {
  hash: (...values: unknown[]) => bigint;
}

let installed: boolean | null = null;

/** Named classes exported by a module namespace, by their `name`. */
function exportedClass(ns: Record<string, unknown>, name: string): unknown {
  return Object.values(ns).find((v) => typeof v === "function" && v.name === name);
}

/**
 * Keep `FpHash.hash(kernel)` per Kernel object. Returns true when installed (or already installed), false when
 * jax-js's internals were not found. Safe to call before or after `init`.
 */
export async function installKernelHashMemo(): Promise<boolean> {
  if (installed !== null) return installed;
  installed = false;
  try {
    const entry = new URL(import.meta.resolve("@jax-js/jax"));
    const chunk = /from\s+"(\.\/backend-[\w-]+\.js)"/.exec(readFileSync(entry, "utf8"))?.[1];
    if (!chunk) return false;
    const ns = (await import(new URL(chunk, entry).href)) as Record<string, unknown>;
    const FpHash = exportedClass(ns, "FpHash") as HashClass | undefined;
    const Kernel = exportedClass(ns, "Kernel") as (abstract new (...a: never[]) => object) | undefined;
    if (!FpHash || typeof FpHash.hash !== "function" || !Kernel) return false;
    const original = FpHash.hash.bind(FpHash);
    const memo = new WeakMap<object, bigint>();
    FpHash.hash = (...values: unknown[]): bigint => {
      const k = values[0];
      if (values.length !== 1 || !(k instanceof Kernel)) return original(...values);
      let h = memo.get(k);
      if (h === undefined) {
        h = original(k);
        memo.set(k, h);
      }
      return h;
    };
    installed = true;
  } catch {
    installed = false;
  }
  return installed;
}
