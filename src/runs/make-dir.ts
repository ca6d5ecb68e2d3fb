/**
 * Creating folders with loops that always end. Node's `fs.mkdirSync(dir, { recursive: true })` spins
 * forever at 100 % CPU where mkdir answers ENOENT under a parent that exists (e.g. anything under /proc):
 * it retries the parent, finds it, retries the child, and so on. Here the missing ancestors are made one
 * at a time, from the top, at most once each: the loop runs once per path component. A failure removes the
 * folders this call made (so nothing is left half-made) and is a UsageError naming the flag and the reason.
 */
import fs from "node:fs";
import path from "node:path";
import { UsageError } from "../engine/errors.ts";

/** Why a folder could not be made, in a few words (the errno code first). */
export function errnoReason(err: unknown): string {
  const { code, fileInTheWay } = err as NodeJS.ErrnoException & { fileInTheWay?: string };
  if (fileInTheWay !== undefined) return `ENOTDIR ('${fileInTheWay}' is a file, not a folder)`;
  const why: Record<string, string> = {
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    ENOENT: "no such file or directory",
    ENOTDIR: "a parent is a file, not a folder",
    EEXIST: "a file of that name exists",
    EROFS: "read-only file system",
    ENOSPC: "no space left on device",
    ENAMETOOLONG: "name too long",
  };
  return code ? `${code}${why[code] ? ` (${why[code]})` : ""}` : String(err);
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Make `dir` and any missing parents (like `mkdir -p`), in at most one mkdir per path component. Throws the
 * errno error of the first mkdir that fails, after removing the folders it made; ENOTDIR (nothing made)
 * when `dir` or one of its parents is a file.
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  for (let p = path.resolve(dir); !isDir(p); p = path.dirname(p)) {
    if (fs.existsSync(p)) {
      throw Object.assign(new Error(`ENOTDIR: '${p}' is not a directory`), {
        code: "ENOTDIR",
        fileInTheWay: p,
      });
    }
    missing.push(p);
    if (path.dirname(p) === p) break; // the root itself is missing: mkdir below reports why
  }
  const made: string[] = [];
  try {
    for (const p of missing.reverse()) {
      fs.mkdirSync(p);
      made.push(p);
    }
  } catch (e) {
    for (const p of made.reverse()) {
      try {
        fs.rmdirSync(p); // made just now, so empty unless someone else wrote into it meanwhile
      } catch {
        break;
      }
    }
    throw e;
  }
}

/** `makeDirs`, with a failure as one UsageError line: `<flag>: cannot create directory '<dir>': <why>`. */
export function makeDirsFor(flag: string, dir: string): void {
  try {
    makeDirs(dir);
  } catch (e) {
    throw new UsageError(`${flag}: cannot create directory '${dir}': ${errnoReason(e)}`);
  }
}

/** Most -2, -3, … suffixes `makeUniqueDir` tries before giving up. */
export const MAX_UNIQUE_SUFFIX = 10_000;

/**
 * Make a new folder `root/name`, or `root/name-2`, `root/name-3`, … when taken (the first that mkdir
 * creates; no check-then-create race). `root` must exist. Gives up after MAX_UNIQUE_SUFFIX names, and at
 * the first error other than "exists".
 */
export function makeUniqueDir(flag: string, root: string, name: string): string {
  for (let i = 1; i <= MAX_UNIQUE_SUFFIX; i++) {
    const dir = path.join(root, i === 1 ? name : `${name}-${i}`);
    try {
      fs.mkdirSync(dir);
      return dir;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST") continue;
      throw new UsageError(`${flag}: cannot create directory '${dir}': ${errnoReason(e)}`);
    }
  }
  throw new UsageError(
    `${flag}: '${root}' already holds '${name}' and ${name}-2 … ${name}-${MAX_UNIQUE_SUFFIX}; choose another --name`,
  );
}
