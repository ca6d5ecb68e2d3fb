/** Printing: `--json` prints exactly one JSON value on stdout; otherwise aligned human-readable lines. */

/**
 * A reader that stops early (`saddle dynamics | head -4`, `saddle compare --help | head`) closes the pipe,
 * and the next write to stdout fails with EPIPE. Then exit at once, quietly and with code 0: the reader has
 * what it wanted (no stack trace; `set -o pipefail` scripts see success). A closed stderr (progress lines)
 * is ignored, so the work still finishes and writes its files. Installed by the launcher, bin/saddle.js.
 */
export function exitQuietlyOnClosedPipe(): void {
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE" || err.code === "ERR_STREAM_DESTROYED") process.exit(0);
    throw err;
  });
  process.stderr.on("error", () => {});
}

export function printJson(value: unknown): void {
  process.stdout.write(
    JSON.stringify(value, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v), 2) +
      "\n",
  );
}

/** A number for humans: 6 significant digits, scientific when tiny or huge. */
export function fmt(x: number | null | undefined, digits = 6): string {
  if (x === null || x === undefined) return "—";
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && (Math.abs(x) < 1e-4 || Math.abs(x) >= 1e6)) return x.toExponential(3);
  return Number(x.toPrecision(digits)).toString();
}

export function fmtComplex(z: { re: number; im: number }, digits = 5): string {
  if (Math.abs(z.im) < 1e-12) return fmt(z.re, digits);
  return `${fmt(z.re, digits)} ${z.im < 0 ? "−" : "+"} ${fmt(Math.abs(z.im), digits)}i`;
}

/** Key/value lines with aligned keys. */
export function printPairs(pairs: [string, string][]): void {
  const w = Math.max(...pairs.map(([k]) => k.length));
  for (const [k, v] of pairs) process.stdout.write(`${k.padEnd(w)}  ${v}\n`);
}

/** A table with a header row; columns padded to their widest cell. */
export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (c ?? "").padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  process.stdout.write(line(header) + "\n");
  process.stdout.write(widths.map((w) => "─".repeat(w)).join("  ") + "\n");
  for (const r of rows) process.stdout.write(line(r) + "\n");
}
