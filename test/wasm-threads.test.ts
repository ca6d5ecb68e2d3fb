/**
 * jax-js's wasm worker pool in Node (src/engine/wasm-threads.ts): the launcher installs it, `train --threads`
 * uses it, the numbers do not change (bit-identical checkpoints with 1 and 2 threads), and the flag's bad values
 * are the one-line exit-2 error.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { poolSizeFromArgv, resolveThreads } from "../src/engine/wasm-threads.ts";
import { isOneLineError, latestCheckpoint, ROOT, saddle } from "./helpers/cli.ts";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "saddle-threads-"));
const out = path.join(tmp, "runs");
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("wasm threads", () => {
  test("pool size from the command line: --threads N or --threads=N, else the machine's parallelism", () => {
    assert.equal(poolSizeFromArgv(["train", "--threads", "3"]), 3);
    assert.equal(poolSizeFromArgv(["train", "--threads=5", "--json"]), 5);
    assert.equal(poolSizeFromArgv(["train", "--threads", "auto"]), os.availableParallelism());
    assert.equal(poolSizeFromArgv(["train", "--threads", "0"]), os.availableParallelism());
    assert.equal(poolSizeFromArgv(["train"]), os.availableParallelism());
  });

  test("jax-js sends an asynchronously realised matmul to the pool's threads, and a synchronous read to none", () => {
    const r = spawnSync(
      process.execPath,
      ["--import", "tsx", path.join(ROOT, "test/helpers/pool-probe.ts")],
      {
        cwd: ROOT,
        encoding: "utf8",
      },
    );
    assert.equal(r.status, 0, r.stderr);
    const p = JSON.parse(r.stdout.trim().split("\n").pop() as string);
    assert.ok(p.afterAsync > 2, `messages after the async matmul: ${p.afterAsync} (2 are the threads' init)`);
    assert.equal(p.afterSync, p.afterAsync);
    assert.equal(p.finite, true);
  });

  test("without an installed pool (this process) every run gets 1 thread", () => {
    assert.equal(resolveThreads("auto", "dcgan", "wasm"), 1);
    assert.equal(resolveThreads(4, "dcgan", "wasm"), 1);
  });

  test("a DCGAN run with 2 threads equals the 1-thread run bit for bit; auto gives MLPs 1 thread", async () => {
    const base = [
      "train",
      "--preset",
      "mnist-dcgan",
      "--g-widths",
      "16,8",
      "--d-widths",
      "8,16",
      "--latent-dim",
      "8",
      "--batch",
      "16",
      "--steps",
      "6",
      "--eval-every",
      "6",
      "--eval-samples",
      "16",
      "--no-image-metrics",
      "--out",
      out,
      "--json",
    ];
    const one = await saddle([...base, "--threads", "1", "--name", "one"]);
    const two = await saddle([...base, "--threads", "2", "--name", "two"]);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(two.code, 0, two.stderr);
    assert.equal(JSON.parse(one.stdout).threads, 1);
    assert.equal(JSON.parse(two.stdout).threads, 2);
    const last = (name: string) => latestCheckpoint(path.join(out, name));
    assert.equal(last("two").step, 6);
    assert.deepEqual(last("two").params, last("one").params);
    assert.deepEqual(last("two").state, last("one").state);
    assert.deepEqual(last("two").ema, last("one").ema);
    const mlp = await saddle(["train", "--data", "ring", "--steps", "3", "--out", out, "--json"]);
    assert.equal(mlp.code, 0, mlp.stderr);
    assert.equal(JSON.parse(mlp.stdout).threads, 1);
  });

  test("bad --threads: one line naming the flag, exit 2, nothing written", async () => {
    const before = fs.existsSync(out) ? fs.readdirSync(out).length : 0;
    for (const v of ["0", "x", "1.5", "300"]) {
      const r = await saddle(["train", "--data", "ring", "--steps", "2", "--threads", v, "--out", out]);
      assert.ok(isOneLineError(r), `${v}: ${r.code} ${r.stderr}`);
      assert.match(
        r.stderr,
        new RegExp(`--threads: '${v.replace(".", "\\.")}' .*auto or an integer from 1 to 256`),
      );
    }
    assert.equal(fs.existsSync(out) ? fs.readdirSync(out).length : 0, before);
  });
});
