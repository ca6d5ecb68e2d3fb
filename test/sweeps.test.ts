/**
 * Sweeps over workers (src/sweeps/): the queue URL never prints its password, a job cannot leave --store and
 * must be a schema-valid spec whose hash is its id; and, against a real `redis-server` on a free loopback port,
 * `compare --queue` over two worker processes gives the table of a local `compare`, metric for metric, even
 * when one worker is SIGKILLed mid-run (the job resumes from the run's last checkpoint, bit for bit).
 *
 * Needs /usr/bin/redis-server (`apt-get install -y redis-server`; .ci/run installs it); the Redis tests are
 * skipped with a message when it is missing.
 */
import assert from "node:assert/strict";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { UsageError } from "../src/engine/errors.ts";
import {
  jobDataOf,
  jobIdOf,
  parseQueueUrl,
  redactUrl,
  runDirInStore,
  specHash,
  validateJob,
} from "../src/sweeps/queue.ts";
import { parseSpec } from "../src/spec/experiment.ts";
import { isOneLineError, ROOT, saddle } from "./helpers/cli.ts";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "saddle-sweeps-"));

function redisBinary(): string | null {
  for (const p of [process.env.REDIS_SERVER, "/usr/bin/redis-server", "/usr/local/bin/redis-server"]) {
    if (p && fs.existsSync(p)) return p;
  }
  return null;
}
const REDIS = redisBinary();
if (!REDIS) console.log("# sweeps over Redis skipped: no redis-server (apt-get install -y redis-server)");

/** A TCP port nothing listens on (just now) on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll `ok` every `every` ms, at most `limit` ms; returns whether it became true. */
async function until(ok: () => boolean | Promise<boolean>, limit: number, every = 25): Promise<boolean> {
  for (let waited = 0; waited <= limit; waited += every) {
    if (await ok()) return true;
    await sleep(every);
  }
  return false;
}

describe("sweep jobs are data checked on the worker", () => {
  const spec = parseSpec({ data: "ring", steps: 10, name: "alt-gda-s0" });
  test("the queue URL: password redacted everywhere it is shown", () => {
    const q = parseQueueUrl("redis://:s3cret@127.0.0.1:7001/2");
    assert.equal(q.password, "s3cret");
    assert.equal(q.port, 7001);
    assert.equal(q.db, 2);
    assert.equal(q.shown, "redis://:***@127.0.0.1:7001/2");
    assert.equal(redactUrl("redis://user:pw@h:1"), "redis://user:***@h:1");
    assert.throws(
      () => parseQueueUrl("http://:s3cret@h:1"),
      (e: Error) =>
        e instanceof UsageError && /scheme 'http:'/.test(e.message) && !e.message.includes("s3cret"),
    );
  });

  test("job id: the spec's hash, whatever the key order", () => {
    const reordered = parseSpec(Object.fromEntries(Object.entries(spec).reverse()));
    assert.equal(jobIdOf(reordered), jobIdOf(spec));
    assert.notEqual(jobIdOf({ ...spec, seed: 1 }), jobIdOf(spec));
    assert.match(jobIdOf(spec), /^run-[0-9a-f]{32}$/);
    assert.equal(jobDataOf(spec).run, `alt-gda-s0-${specHash(spec).slice(0, 10)}`);
  });

  test("the store path of a job cannot escape --store", () => {
    const store = path.join(tmp, "store-unit");
    fs.mkdirSync(store, { recursive: true });
    assert.equal(runDirInStore(store, "ok-run"), path.join(path.resolve(store), "ok-run"));
    for (const bad of ["../x", "..", ".", "/etc", "a/b", "", 7]) {
      assert.throws(() => runDirInStore(store, bad), UsageError, String(bad));
    }
    fs.symlinkSync(os.tmpdir(), path.join(store, "link-out"));
    assert.throws(() => runDirInStore(store, "link-out"), /links outside --store/);
  });

  test("a job must pass the experiment schema and carry its own hash as id", () => {
    const store = path.join(tmp, "store-unit");
    const data = jobDataOf(spec);
    assert.equal(validateJob(jobIdOf(spec), data, store).spec.steps, 10);
    assert.throws(
      () => validateJob(jobIdOf(spec), { ...data, spec: { ...spec, steps: -1 } }, store),
      /field 'steps'/,
    );
    assert.throws(
      () => validateJob(jobIdOf(spec), { ...data, spec: { ...spec, exec: "rm -rf /" } }, store),
      /unknown field 'exec'/,
    );
    assert.throws(() => validateJob("run-0000", data, store), /not the hash of its spec/);
    assert.throws(() => validateJob(jobIdOf(spec), { ...data, run: "../../etc" }, store), /not allowed/);
    assert.throws(() => validateJob(jobIdOf(spec), "code()", store), /not a saddle run job/);
  });
});

describe(
  "compare --queue over two workers on a real redis-server",
  { skip: !REDIS, timeout: 240_000 },
  () => {
    let redis: ChildProcess | null = null;
    let port = 0;
    const workers: ChildProcess[] = [];
    /** The worker left running by the SIGKILL test. */
    let survivor: ReturnType<typeof startWorker> | null = null;
    const specFile = path.join(tmp, "tiny.json");
    const store = path.join(tmp, "store");
    const common = ["--spec", specFile, "--methods", "alt-gda,extragradient", "--seeds", "2", "--json"];

    before(async () => {
      // 60 steps of 16-unit MLPs, a checkpoint every 5 steps: a kill mid-run loses at most 5 steps.
      fs.writeFileSync(
        specFile,
        JSON.stringify({
          data: "ring",
          steps: 60,
          batch: 32,
          evalEvery: 20,
          evalSamples: 200,
          checkpointEvery: 5,
          keepCheckpoints: 2,
          generator: { hidden: [16, 16] },
          discriminator: { hidden: [16, 16] },
        }),
      );
      port = await freePort();
      redis = spawn(
        REDIS as string,
        ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        {
          stdio: "ignore",
        },
      );
      const up = await until(
        () =>
          new Promise<boolean>((resolve) => {
            const s = net.connect(port, "127.0.0.1", () => {
              s.end();
              resolve(true);
            });
            s.on("error", () => resolve(false));
          }),
        10_000,
        100,
      );
      assert.ok(up, `redis-server did not listen on 127.0.0.1:${port}`);
    });

    after(() => {
      for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill("SIGKILL");
      redis?.kill("SIGKILL");
    });

    /** A `saddle worker` process whose JSON event lines are collected in `events`. */
    function startWorker(): { proc: ChildProcess; events: Record<string, unknown>[] } {
      const proc = spawn(
        process.execPath,
        [
          path.join(ROOT, "bin/saddle.js"),
          "worker",
          "--queue",
          `redis://127.0.0.1:${port}`,
          "--store",
          store,
          "--stall-seconds",
          "2",
          "--json",
        ],
        { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
      );
      const events: Record<string, unknown>[] = [];
      let buf = "";
      proc.stdout?.on("data", (d: Buffer) => {
        buf += d.toString();
        for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          try {
            events.push(JSON.parse(line));
          } catch {
            // a child's stray output
          }
        }
      });
      workers.push(proc);
      return { proc, events };
    }

    const childrenOf = (pid: number): number[] => {
      try {
        return execFileSync("ps", ["-o", "pid=", "--ppid", String(pid)], { encoding: "utf8" })
          .split("\n")
          .map((s) => Number(s.trim()))
          .filter((n) => n > 0);
      } catch {
        return [];
      }
    };
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };

    test("Redis unreachable: one line without the password, exit 2, nothing written", async () => {
      const closed = await freePort();
      const out = path.join(tmp, "unreachable");
      const r = await saddle([
        "compare",
        ...common,
        "--queue",
        `redis://:hunter2@127.0.0.1:${closed}`,
        "--out",
        out,
      ]);
      assert.ok(isOneLineError(r), r.stderr);
      assert.match(
        r.stderr,
        /--queue: cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+: connect ECONNREFUSED/,
      );
      assert.ok(!r.stderr.includes("hunter2") && !r.stdout.includes("hunter2"));
      assert.equal(fs.existsSync(out), false);
      const rep = await saddle(["reproduce", "dynamics", "--queue", `redis://:hunter2@127.0.0.1:${closed}`]);
      assert.ok(isOneLineError(rep), rep.stderr);
      assert.ok(!rep.stderr.includes("hunter2"));
    });

    test("2 methods × 2 seeds: the local table, metric for metric, with one worker SIGKILLed mid-run", async () => {
      const localOut = path.join(tmp, "local");
      const queuedOut = path.join(tmp, "queued");
      // the local compare trains alongside the queued sweep (the machine's cores are shared either way)
      const localRun = saddle(["compare", ...common, "--out", localOut]);

      const a = startWorker();
      const b = startWorker();
      const sweep = saddle([
        "compare",
        ...common,
        "--out",
        queuedOut,
        "--queue",
        `redis://127.0.0.1:${port}`,
        "--store",
        store,
      ]);

      // Kill worker A once its first run has written a checkpoint and not yet finished.
      let victim = "";
      const caught = await until(
        () => {
          const started = a.events.find((e) => e.event === "started");
          if (!started) return false;
          victim = String(started.run);
          const dir = path.join(store, victim);
          const cks = fs.existsSync(path.join(dir, "checkpoints"))
            ? fs.readdirSync(path.join(dir, "checkpoints"))
            : [];
          return (
            cks.some((f) => /^step-\d+\.json$/.test(f)) && !fs.existsSync(path.join(dir, "summary.json"))
          );
        },
        90_000,
        20,
      );
      assert.ok(caught, "worker A never had a run mid-way");
      const sandboxes = childrenOf(a.proc.pid as number);
      assert.ok(sandboxes.length >= 1, "the run trains in a child process of the worker");
      a.proc.kill("SIGKILL");
      // the sandboxed run goes down with its worker (no orphan keeps writing the run directory)
      assert.ok(
        await until(() => sandboxes.every((p) => !alive(p)), 10_000, 50),
        "the sandboxed run outlived its worker",
      );

      const r = await sweep;
      assert.equal(r.code, 0, r.stderr);
      const local = await localRun;
      assert.equal(local.code, 0, local.stderr);
      const queued = JSON.parse(r.stdout);
      const localJ = JSON.parse(local.stdout);

      // the killed run was finished by worker B, resumed from a checkpoint rather than restarted
      const resumed = b.events.find((e) => e.event === "completed" && e.run === victim);
      assert.ok(resumed, `worker B did not complete ${victim}: ${JSON.stringify(b.events)}`);
      assert.ok(
        Number(resumed.resumedFrom) > 0 && Number(resumed.resumedFrom) < 60,
        `resumedFrom ${resumed.resumedFrom}`,
      );

      // the same table, metric for metric (wall time aside)
      const strip = (rows: Record<string, unknown>[]) =>
        rows.map(({ wallSeconds: _w, runs: _r, ...rest }) => rest);
      assert.deepEqual(strip(queued.rows), strip(localJ.rows));
      for (let i = 0; i < localJ.rows.length; i++) {
        for (let k = 0; k < localJ.rows[i].runs.length; k++) {
          const lr = localJ.rows[i].runs[k];
          const qr = queued.rows[i].runs[k];
          assert.equal(qr.status, "completed");
          assert.equal(path.dirname(qr.runDir), path.resolve(store));
          const summary = (d: string) => JSON.parse(fs.readFileSync(path.join(d, "summary.json"), "utf8"));
          const { wallSeconds: _a, ...lm } = summary(lr.runDir).metrics;
          const { wallSeconds: _b, ...qm } = summary(qr.runDir).metrics;
          assert.deepEqual(qm, lm, `${localJ.rows[i].method} seed ${k}`);
          // bit for bit: the final parameters of both runs
          const last = (d: string) =>
            JSON.parse(fs.readFileSync(path.join(d, "checkpoints", "step-000000060.json"), "utf8")).params;
          assert.deepEqual(last(qr.runDir), last(lr.runDir), `${localJ.rows[i].method} seed ${k} parameters`);
        }
      }
      const md = fs.readFileSync(path.join(queuedOut, "report.md"), "utf8");
      assert.match(md, /\| alt-gda \| /);

      // enqueuing the same sweep again adds no work: the jobs are found done
      const startedBefore = b.events.filter((e) => e.event === "started").length;
      const again = await saddle([
        "compare",
        ...common,
        "--out",
        path.join(tmp, "again"),
        "--queue",
        `redis://127.0.0.1:${port}`,
        "--store",
        store,
      ]);
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual(strip(JSON.parse(again.stdout).rows), strip(localJ.rows));
      assert.equal(b.events.filter((e) => e.event === "started").length, startedBefore);
      survivor = b;
    });

    test("a run that fails on bad input fails once, its one-line error in the report", async () => {
      const w = survivor ?? startWorker();
      const out = path.join(tmp, "bad");
      const missing = path.join(tmp, "no-such-points.csv");
      const r = await saddle([
        "compare",
        "--data",
        missing,
        "--steps",
        "5",
        "--methods",
        "alt-gda",
        "--seeds",
        "1",
        "--json",
        "--out",
        out,
        "--queue",
        `redis://127.0.0.1:${port}`,
        "--store",
        store,
      ]);
      assert.equal(r.code, 0, r.stderr);
      const j = JSON.parse(r.stdout);
      assert.equal(j.rows[0].failed, 1);
      assert.equal(j.rows[0].runs[0].status, "failed");
      assert.match(j.rows[0].runs[0].error, /no-such-points\.csv/);
      assert.equal(j.rows[0].runs[0].error.includes("\n"), false);
      assert.match(
        fs.readFileSync(path.join(out, "report.md"), "utf8"),
        /seed 0 — failed: .*no-such-points\.csv/,
      );
      // failed once: one attempt, final, no retry
      const fails = w.events.filter((e) => e.event === "failed");
      assert.equal(fails.length, 1, JSON.stringify(fails));
      assert.equal(fails[0].final, true);
      assert.equal(fails[0].attemptsMade, 1);
    });
  },
);
