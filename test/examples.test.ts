import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { test } from "node:test";
import { ROOT } from "./helpers/cli.ts";

test("examples/custom-game.ts (the README's user-defined game) runs and its rates agree", async () => {
  const out = await new Promise<string>((resolve, reject) =>
    execFile(
      process.execPath,
      ["--import", "tsx", path.join(ROOT, "examples/custom-game.ts")],
      { cwd: ROOT },
      (e, so) => (e ? reject(e) : resolve(so)),
    ),
  );
  const r = JSON.parse(out.trim().split("\n").pop() as string) as { predicted: number; measured: number };
  assert.ok(Math.abs(r.predicted - Math.sqrt(1 - 0.25 + 0.0625)) < 1e-9);
  assert.ok(Math.abs(r.measured / r.predicted - 1) < 0.02);
});
