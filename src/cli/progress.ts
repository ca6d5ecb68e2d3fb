/**
 * Progress for long work: a redrawn bar with ETA on a TTY (stderr), plain lines every 10% otherwise;
 * silent when `quiet` (e.g. --json to a pipe still reports on stderr only when it is a TTY).
 */
export interface Progress {
  tick(done: number, note?: string): void;
  done(): void;
}

export function progress(label: string, total: number, quiet = false): Progress {
  const tty = process.stderr.isTTY === true;
  const start = performance.now();
  let lastPct = -1;
  let lastDraw = 0;
  return {
    tick(done, note = "") {
      if (quiet || total <= 0) return;
      const pct = Math.floor((100 * done) / total);
      const now = performance.now();
      if (tty) {
        if (now - lastDraw < 100 && done < total) return;
        lastDraw = now;
        const el = (now - start) / 1000;
        const eta = done > 0 ? (el * (total - done)) / done : 0;
        const width = 28;
        const fill = Math.round((width * done) / total);
        process.stderr.write(
          `\r${label} [${"█".repeat(fill)}${" ".repeat(width - fill)}] ${pct}% ${done}/${total} ETA ${eta.toFixed(1)}s ${note}\x1b[K`,
        );
      } else if (pct >= lastPct + 10) {
        lastPct = pct - (pct % 10);
        process.stderr.write(`${label}: ${done}/${total} (${pct}%) ${note}\n`);
      }
    },
    done() {
      if (!quiet && tty) process.stderr.write("\n");
    },
  };
}

/**
 * Progress for work of unknown length (an iterative solver): `count(part, n)` shows the part and its count
 * so far with the elapsed time — redrawn on a TTY (stderr), otherwise a plain line at most every `everyS` seconds.
 */
export function activity(
  label: string,
  unit: string,
  everyS = 10,
  quiet = false,
): { count(part: string, n: number): void; done(): void } {
  const tty = process.stderr.isTTY === true;
  const start = performance.now();
  let lastDraw = 0;
  let drawn = false;
  const line = (part: string, n: number): string =>
    `${label}: ${part}: ${n} ${unit} (${((performance.now() - start) / 1000).toFixed(0)} s)`;
  return {
    count(part, n) {
      if (quiet) return;
      const now = performance.now();
      if (now - lastDraw < (tty ? 100 : 1000 * everyS)) return;
      lastDraw = now;
      drawn = true;
      process.stderr.write(tty ? `\r${line(part, n)}\x1b[K` : `${line(part, n)}\n`);
    },
    done() {
      if (!quiet && tty && drawn) process.stderr.write("\n");
    },
  };
}
