/**
 * The CLI's edges, in process: folders made with loops that end (src/runs/make-dir.ts), run names,
 * the layout check of image folders (it looks two levels deep at most and stops at the first misfit),
 * one-line error messages, and numbers too large for a double. The same edges end to end, through the
 * launcher, are in test/cli.test.ts ("trust: CLI edges").
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { parseNumber, readNumber } from "../src/cli/args.ts";
import { folderLayout, type FolderEntry } from "../src/data/png-folder.ts";
import { oneLine, UsageError } from "../src/engine/errors.ts";
import { makeDirs, makeDirsFor, makeUniqueDir } from "../src/runs/make-dir.ts";
import { RunDir } from "../src/runs/run-dir.ts";
import { defaultRunName, fieldRange, parseSpec, toRunName } from "../src/spec/experiment.ts";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "saddle-edges-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const usage = (re: RegExp) => (e: unknown) =>
  e instanceof UsageError && re.test(e.message) && !e.message.includes("\n");

describe("making folders", () => {
  test("makeDirs makes every missing parent, and is a no-op on an existing folder", () => {
    const deep = path.join(tmp, "a", "b", "c");
    makeDirs(deep);
    assert.ok(fs.statSync(deep).isDirectory());
    makeDirs(deep);
    assert.deepEqual(fs.readdirSync(path.join(tmp, "a")), ["b"]);
  });

  test("a file in the way is ENOTDIR naming it, and nothing is made", () => {
    const file = path.join(tmp, "plain-file");
    fs.writeFileSync(file, "x");
    assert.throws(
      () => makeDirsFor("--out", path.join(file, "sub", "sub2")),
      usage(/^--out: cannot create directory '.*plain-file\/sub\/sub2': ENOTDIR \('.*plain-file' is a file/),
    );
    assert.equal(fs.readFileSync(file, "utf8"), "x");
  });

  test("a failure after some parents were made removes them again", () => {
    // new1/new2 can be made, the last component cannot (a name longer than NAME_MAX = 255)
    const root = path.join(tmp, "cleanup");
    fs.mkdirSync(root);
    assert.throws(
      () => makeDirsFor("--out", path.join(root, "new1", "new2", "x".repeat(300))),
      usage(/^--out: cannot create directory .*: ENAMETOOLONG/),
    );
    assert.deepEqual(fs.readdirSync(root), []);
  });

  test("/proc/nope (mkdir answers ENOENT under an existing parent) fails at once instead of looping", () => {
    // Node's own fs.mkdirSync(…, { recursive: true }) never returns here; makeDirs makes one attempt.
    if (!fs.existsSync("/proc/self")) return; // not Linux: no /proc to refuse a mkdir
    assert.throws(
      () => makeDirsFor("--out", "/proc/nope/deeper"),
      usage(/^--out: cannot create directory '\/proc\/nope\/deeper': ENOENT/),
    );
    assert.equal(fs.existsSync("/proc/nope"), false);
  });

  test("makeUniqueDir takes name, then name-2, name-3 (a file of that name counts as taken)", () => {
    const root = path.join(tmp, "unique");
    fs.mkdirSync(root);
    assert.equal(makeUniqueDir("--out", root, "run"), path.join(root, "run"));
    fs.writeFileSync(path.join(root, "run-2"), "");
    assert.equal(makeUniqueDir("--out", root, "run"), path.join(root, "run-3"));
    assert.equal(makeUniqueDir("--out", root, "run"), path.join(root, "run-4"));
    assert.deepEqual(fs.readdirSync(root).sort(), ["run", "run-2", "run-3", "run-4"]);
  });
});

describe("run names", () => {
  const spec = parseSpec({ data: "ring", steps: 5 });

  for (const name of [".", "..", "", "a/b", "../x", "-rf", ".hidden", "a\\b", "x".repeat(81)]) {
    test(`'${name.length > 20 ? name.slice(0, 8) + "…" : name}' is refused by the spec and by RunDir.create`, () => {
      assert.throws(
        () => parseSpec({ name }),
        usage(/field 'name' = .*starting with a letter, digit or '_'/),
      );
      const root = path.join(tmp, "names");
      assert.throws(() => RunDir.create(root, name, spec), usage(/^--name: '.*' is not a run name/));
      assert.equal(fs.existsSync(root), false, "nothing is written for a refused name");
    });
  }

  test("ordinary names pass; a default name never starts with '.' or '-'", () => {
    for (const name of ["ring-s0", "a.b_c-1", "_x", "9"]) assert.equal(parseSpec({ name }).name, name);
    assert.equal(defaultRunName(parseSpec({ data: "./.dots.csv" })), "dots-non-saturating-alternating-s0");
    assert.equal(defaultRunName(parseSpec({ data: "...csv" })), "data-non-saturating-alternating-s0");
  });

  test("a long data file name is cut so the default name still fits (80 characters) and makes a run", () => {
    const name = defaultRunName(parseSpec({ data: `/d/${"p".repeat(120)}.csv`, seed: 12 }));
    assert.equal(
      name,
      `${"p".repeat(80 - "-non-saturating-alternating-s12".length)}-non-saturating-alternating-s12`,
    );
    assert.equal(name.length, 80);
    assert.equal(parseSpec({ name }).name, name);
    const run = RunDir.create(path.join(tmp, "long"), name, spec);
    assert.equal(path.basename(run.dir), name);
    assert.equal(toRunName("alt:lrG=0.001", 10), "alt_lrG_0.");
    assert.equal(toRunName("--x"), "x");
  });
});

describe("image folder layout", () => {
  /** A fake file system: folder path → entries; records every folder listed. */
  function fakeTree(tree: Record<string, FolderEntry[]>) {
    const listed: string[] = [];
    const list = (dir: string): FolderEntry[] => {
      listed.push(dir);
      return tree[dir] ?? [];
    };
    return { list, listed };
  }
  const many = (n: number, kind: FolderEntry["kind"], ext = ""): FolderEntry[] =>
    Array.from({ length: n }, (_, i) => ({ name: `e${String(i).padStart(5, "0")}${ext}`, kind }));

  test("class folders whose first entry is not a PNG: stops in the first class folder", () => {
    const tree: Record<string, FolderEntry[]> = { "/r": many(50, "dir") };
    for (const c of tree["/r"])
      tree[`/r/${c.name}`] = [{ name: "a.txt", kind: "file" }, ...many(9999, "dir")];
    const { list, listed } = fakeTree(tree);
    assert.throws(() => folderLayout("/r", list), usage(/^--data: '\/r\/e00000\/a\.txt' is not a PNG image/));
    assert.deepEqual(listed, ["/r", "/r/e00000"]);
  });

  test("a folder inside a class folder: refused without listing it (never two levels down)", () => {
    const { list, listed } = fakeTree({
      "/r": many(3, "dir"),
      "/r/e00000": [{ name: "deeper", kind: "dir" }],
      "/r/e00000/deeper": many(100, "file", ".png"),
    });
    assert.throws(
      () => folderLayout("/r", list),
      usage(/'\/r\/e00000\/deeper' is a folder inside a class folder/),
    );
    assert.deepEqual(listed, ["/r", "/r/e00000"]);
  });

  test("a file beside class folders (the shape of /): refused after listing the top folder only", () => {
    const { list, listed } = fakeTree({
      "/": [...many(20, "dir"), { name: "container.json", kind: "file" }],
    });
    assert.throws(
      () => folderLayout("/", list),
      usage(/^--data: '\/' is not an image folder .*'\/container\.json' is a file beside class folders/),
    );
    assert.deepEqual(listed, ["/"]);
  });

  test("a flat folder with a subfolder, and a dangling symlink, are refused; good layouts are read", () => {
    const flat = fakeTree({
      "/f": [
        { name: "a.png", kind: "file" },
        { name: "sub", kind: "dir" },
      ],
    });
    assert.throws(() => folderLayout("/f", flat.list), usage(/'\/f\/sub' is a folder beside \.png images/));
    const dir = path.join(tmp, "dangling");
    fs.mkdirSync(dir);
    fs.symlinkSync(path.join(dir, "nowhere.png"), path.join(dir, "x.png"));
    assert.throws(() => folderLayout(dir), usage(/x\.png' is not a regular file/));
    const ok = fakeTree({
      "/c": [
        { name: "cats", kind: "dir" },
        { name: "dogs", kind: "dir" },
      ],
      "/c/cats": [{ name: "1.png", kind: "file" }],
      "/c/dogs": [
        { name: "2.PNG", kind: "file" },
        { name: "3.png", kind: "file" },
      ],
    });
    assert.deepEqual(folderLayout("/c", ok.list), {
      classNames: ["cats", "dogs"],
      files: [
        { file: "/c/cats/1.png", label: 0 },
        { file: "/c/dogs/2.PNG", label: 1 },
        { file: "/c/dogs/3.png", label: 1 },
      ],
    });
  });
});

describe("one-line errors", () => {
  test("oneLine escapes line breaks and control characters, and leaves other text alone", () => {
    assert.equal(oneLine("--matrix: entry 'a\nb' and\r\n\ttab"), "--matrix: entry 'a\\nb' and\\r\\n\\ttab");
    assert.equal(oneLine("bell\u0007 nul\u0000 sep\u2028"), "bell\\u0007 nul\\u0000 sep\\u2028");
    assert.equal(oneLine("θ ≥ 0, ‖v‖², ⅓ — fine"), "θ ≥ 0, ‖v‖², ⅓ — fine");
  });
});

describe("numbers", () => {
  const steps = { integer: true, min: 1, max: 10_000_000 };
  test("a number too large for a double is out of range, not 'not a number'", () => {
    for (const raw of ["1e400", "-1e400", "Infinity", "inf", "-Infinity"])
      assert.throws(
        () => parseNumber("--steps", raw, steps),
        usage(
          /^--steps: '.*' is out of range \((it overflows to Infinity|infinite)\); expected an integer in \[1, 10000000\]$/,
        ),
      );
    assert.throws(
      () => parseNumber("--lr", "1e-400", { above: 0 }),
      usage(/'1e-400' is out of range; expected a number > 0/),
    );
  });

  test("only decimal numbers are numbers; integers must be exact", () => {
    for (const raw of ["0x10", "0b1", "1_000", "NaN", "1,5", "abc"])
      assert.throws(() => parseNumber("--steps", raw, steps), usage(/is not a number/));
    assert.throws(
      () => parseNumber("--seed", "1e20", { integer: true, min: 0 }),
      usage(/'1e20' is out of range \(beyond 2\^53/),
    );
    assert.equal(parseNumber("--steps", " 1e3 ", steps), 1000);
    assert.equal(parseNumber("--lr", ".5", { above: 0 }), 0.5);
    assert.equal(parseNumber("--momentum", "-0.5", { above: -1, below: 1 }), -0.5);
    assert.throws(
      () => parseNumber("--momentum", "1", { above: -1, below: 1 }),
      usage(/expected a number in \(-1, 1\)$/),
    );
  });

  test("train's flags report the spec's range for a value that overflows", () => {
    assert.deepEqual(fieldRange("steps"), { integer: true, min: 1, max: 10_000_000 });
    assert.deepEqual(fieldRange("lrG"), { above: 0, max: 10 });
    assert.deepEqual(fieldRange("momentum"), { above: -1, below: 1 });
    assert.deepEqual(fieldRange("ema"), { min: 0, below: 1 });
    assert.deepEqual(fieldRange("data"), {});
    assert.throws(
      () => readNumber("--lr-g", "1e999", "a number in (0, 10]"),
      usage(/expected a number in \(0, 10\]$/),
    );
  });
});
