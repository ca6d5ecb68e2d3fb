/**
 * The sweep queue's shared vocabulary: the `--queue redis://…` URL (its password is never printed), the
 * BullMQ connection, a reachability check, and the job a run becomes.
 *
 * A job is data, never code: `{ v: 1, spec, run }`, the run's validated experiment spec and the name of its
 * directory in the run store. Its id is `run-` + SHA-256 of the spec's canonical JSON (keys sorted), so
 * enqueuing the same run twice finds the first job instead of adding work; a worker re-validates the spec
 * against the experiment schema, checks that the id is the spec's hash, and resolves the directory inside its
 * own `--store` only.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { RedisOptions } from "bullmq";
import { Redis } from "ioredis";
import { UsageError } from "../engine/errors.ts";
import { defaultRunName, parseSpec, type ExperimentSpec } from "../spec/experiment.ts";

/** The BullMQ queue every sweep uses (one per Redis database). */
export const QUEUE_NAME = "saddle-runs";

export interface QueueUrl {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls: boolean;
  /** The URL as it may be printed: the password replaced by `***`. */
  shown: string;
}

/** Parse `redis://[user][:password@]host[:port][/db]` (or `rediss://` for TLS); errors never echo a password. */
export function parseQueueUrl(raw: string, flag = "--queue"): QueueUrl {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new UsageError(
      `${flag}: '${redactUrl(raw)}' is not a URL; expected redis://[:password@]host[:port][/db]`,
    );
  }
  const shown = redactUrl(raw);
  if (u.protocol !== "redis:" && u.protocol !== "rediss:") {
    throw new UsageError(`${flag}: '${shown}' has scheme '${u.protocol}'; expected redis:// or rediss://`);
  }
  const host = u.hostname.replace(/^\[(.*)\]$/, "$1");
  if (host === "") throw new UsageError(`${flag}: '${shown}' names no host; expected redis://host:port`);
  const port = u.port === "" ? 6379 : Number(u.port);
  const dbText = u.pathname.replace(/^\//, "");
  const db = dbText === "" ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0 || db > 15) {
    throw new UsageError(`${flag}: '${shown}' has database '${dbText}'; expected an integer from 0 to 15`);
  }
  return {
    host,
    port,
    db,
    ...(u.username !== "" ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password !== "" ? { password: decodeURIComponent(u.password) } : {}),
    tls: u.protocol === "rediss:",
    shown,
  };
}

/** The URL with any password replaced by `***` (works on text that is not a valid URL too). */
export function redactUrl(raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*):[^@/]*@/i, "$1:***@");
}

/** ioredis options for BullMQ (workers need `maxRetriesPerRequest: null`). */
export function connectionOptions(q: QueueUrl): RedisOptions {
  return {
    host: q.host,
    port: q.port,
    db: q.db,
    ...(q.username !== undefined ? { username: q.username } : {}),
    ...(q.password !== undefined ? { password: q.password } : {}),
    ...(q.tls ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}

/**
 * One PING with no retries: an unreachable server (or a wrong password) is a UsageError naming the redacted
 * URL, before anything is enqueued or any worker starts.
 */
export async function checkReachable(q: QueueUrl, flag = "--queue", timeoutMs = 3000): Promise<void> {
  const client = new Redis({
    ...connectionOptions(q),
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let first: Error | null = null; // the socket's own error (ECONNREFUSED …) says more than "Connection is closed"
  client.on("error", (e: Error) => {
    first ??= e;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    const err = (first ?? e) as Error;
    const why = String(err.message ?? err)
      .split("\n")[0]
      .replaceAll(q.password ?? "\u0000", "***");
    throw new UsageError(`${flag}: cannot reach Redis at ${q.shown}: ${why}`);
  } finally {
    client.disconnect();
  }
}

/** JSON with every object's keys sorted, so that equal specs hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 (hex) of the spec's canonical JSON. */
export function specHash(spec: ExperimentSpec): string {
  return createHash("sha256").update(canonicalJson(spec)).digest("hex");
}

/** The job id of a run: `run-` + the first 32 hex digits of its spec's hash. */
export function jobIdOf(spec: ExperimentSpec): string {
  return `run-${specHash(spec).slice(0, 32)}`;
}

/** The run's directory name in the store: its spec name and 10 hex digits of the spec's hash. */
export function runNameOf(spec: ExperimentSpec): string {
  return `${spec.name ?? defaultRunName(spec)}-${specHash(spec).slice(0, 10)}`;
}

export interface RunJobData {
  v: 1;
  spec: ExperimentSpec;
  /** Directory name inside the worker's --store. */
  run: string;
}

export function jobDataOf(spec: ExperimentSpec): RunJobData {
  return { v: 1, spec, run: runNameOf(spec) };
}

const RUN_NAME = /^[A-Za-z0-9._-]{1,200}$/;

/** The directory `run` inside `store`, or a UsageError if it is not a plain name or would resolve outside. */
export function runDirInStore(store: string, run: unknown): string {
  if (typeof run !== "string" || !RUN_NAME.test(run) || run === "." || run === "..") {
    throw new UsageError(
      `job: run directory ${JSON.stringify(run)} is not allowed; expected a name of letters, digits, '.', '_' and '-'`,
    );
  }
  const root = path.resolve(store);
  const dir = path.resolve(root, run);
  const inside = (p: string, r: string) => {
    const rel = path.relative(r, p);
    return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
  };
  if (!inside(dir, root)) throw new UsageError(`job: run directory '${run}' resolves outside --store`);
  if (fs.existsSync(dir) && !inside(fs.realpathSync(dir), fs.realpathSync(root))) {
    throw new UsageError(`job: run directory '${run}' links outside --store`);
  }
  return dir;
}

/**
 * Validate a job as a worker receives it: the spec passes the experiment schema, the id is the spec's hash,
 * and the directory stays inside `store`. Throws UsageError (the job fails once, no retry).
 */
export function validateJob(
  jobId: string | undefined,
  data: unknown,
  store: string,
): { spec: ExperimentSpec; run: string; dir: string } {
  const d = data as Partial<RunJobData> | null;
  if (d === null || typeof d !== "object" || d.v !== 1) {
    throw new UsageError(`job ${jobId}: not a saddle run job (expected {v: 1, spec, run})`);
  }
  const spec = parseSpec(d.spec, `job ${jobId}`);
  if (jobId !== jobIdOf(spec)) {
    throw new UsageError(
      `job ${jobId}: the id is not the hash of its spec (${jobIdOf(spec)}); are the submitter and the worker the same saddle version?`,
    );
  }
  const dir = runDirInStore(store, d.run);
  return { spec, run: d.run as string, dir };
}
