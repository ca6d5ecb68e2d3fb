/** Run the real `saddle` launcher in a child process, as a user would. */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `killAfterMs`: a guard for commands that once looped forever; the child is killed then (exit code 1,
 * so the test fails instead of hanging). Not a timing assertion.
 */
export function saddle(args: string[], cwd = ROOT, killAfterMs = 0): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, "bin/saddle.js"), ...args],
      {
        cwd,
        env: { ...process.env, NO_COLOR: "1" },
        maxBuffer: 64 * 1024 * 1024,
        timeout: killAfterMs,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The error contract: exit 2, exactly one line on stderr, no stack trace. */
export function isOneLineError(r: CliResult): boolean {
  const lines = r.stderr.trim().split("\n");
  return r.code === 2 && lines.length === 1 && lines[0].startsWith("saddle: ") && !/\n\s+at /.test(r.stderr);
}

/** The newest checkpoint (parsed JSON) of the run directory `runDir`. */
export function latestCheckpoint(runDir: string): {
  step: number;
  params: { data: string }[];
  state: unknown;
  ema?: unknown;
} {
  const dir = path.join(runDir, "checkpoints");
  const f = fs.readdirSync(dir).sort().pop() as string;
  return JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
}
