/**
 * Import direction of src/: the layers point one way. Every `import … from` / `export … from` / `import("…")`
 * with a literal relative specifier is resolved against its file; a forbidden arrow fails with the file, the
 * line and the target.
 *
 *   src/engine   imports nothing from src/games   (the engine is below every game)
 *   src/games    imports nothing from src/methods or src/equilibria   (a game is only a game)
 *   src/claims   imports nothing from src/cli     (claims call workflows and experiments, not the CLI)
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";

const ROOT = path.resolve(import.meta.dirname, "..");
const SRC = path.join(ROOT, "src");

/** [from folder, forbidden folders], all under src/. */
const RULES: [string, string[]][] = [
  ["engine", ["games"]],
  ["games", ["methods", "equilibria"]],
  ["claims", ["cli"]],
];

interface Arrow {
  file: string;
  line: number;
  target: string;
}

/** Relative import specifiers of a module's text, with their line numbers. */
export function importsOf(text: string): { spec: string; line: number }[] {
  const out: { spec: string; line: number }[] = [];
  const patterns = [
    /(?:^|[\n;])\s*(?:import|export)\b[^"'`;]*?\bfrom\s*["']([^"']+)["']/g,
    /(?:^|[\n;])\s*import\s*["']([^"']+)["']/g,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const re of patterns) {
    for (const m of text.matchAll(re)) {
      const at = (m.index ?? 0) + m[0].lastIndexOf(m[1]);
      out.push({ spec: m[1], line: text.slice(0, at).split("\n").length });
    }
  }
  return out.filter((s) => s.spec.startsWith("."));
}

/** The top folder under src/ of an import of `file`, or null when it leaves src/. */
function targetFolder(file: string, spec: string): string | null {
  const rel = path.relative(SRC, path.resolve(path.dirname(file), spec));
  if (rel.startsWith("..")) return null;
  return rel.split(path.sep)[0];
}

function tsFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? tsFiles(p) : e.name.endsWith(".ts") ? [p] : [];
  });
}

/** Every import from a file of src/<from> into one of src/<forbidden>. */
function forbiddenArrows(
  from: string,
  forbidden: string[],
  read = (f: string) => fs.readFileSync(f, "utf8"),
) {
  const arrows: Arrow[] = [];
  for (const file of tsFiles(path.join(SRC, from))) {
    for (const { spec, line } of importsOf(read(file))) {
      const folder = targetFolder(file, spec);
      if (folder !== null && forbidden.includes(folder))
        arrows.push({ file: path.relative(ROOT, file), line, target: spec });
    }
  }
  return arrows;
}

describe("import direction", () => {
  test("the scanner sees static, type-only, re-export, multi-line and dynamic imports", () => {
    const text = [
      'import { a } from "../games/a.ts";',
      'import type { B } from "../games/b.ts";',
      "import {",
      "  c,",
      "  d,",
      '} from "../methods/c.ts";',
      'export { e } from "./e.ts";',
      'export type { F } from "../cli/f.ts";',
      'import "../engine/side-effect.ts";',
      'const g = await import("../equilibria/g.ts");',
      'import { numpy } from "@jax-js/jax";',
      '// a comment mentioning from "nowhere"',
    ].join("\n");
    assert.deepEqual(
      importsOf(text).sort((x, y) => x.line - y.line),
      [
        { spec: "../games/a.ts", line: 1 },
        { spec: "../games/b.ts", line: 2 },
        { spec: "../methods/c.ts", line: 6 },
        { spec: "./e.ts", line: 7 },
        { spec: "../cli/f.ts", line: 8 },
        { spec: "../engine/side-effect.ts", line: 9 },
        { spec: "../equilibria/g.ts", line: 10 },
      ],
    );
  });

  test("a forbidden arrow is reported with its file and line", () => {
    const arrows = forbiddenArrows("engine", ["games"], (f) =>
      f.endsWith(`${path.sep}joint.ts`) ? '\nimport type { Joint } from "../games/game.ts";\n' : "",
    );
    assert.deepEqual(arrows, [
      { file: path.join("src", "engine", "joint.ts"), line: 2, target: "../games/game.ts" },
    ]);
  });

  for (const [from, forbidden] of RULES) {
    test(`src/${from} imports nothing from ${forbidden.map((f) => `src/${f}`).join(" or ")}`, () => {
      assert.ok(tsFiles(path.join(SRC, from)).length > 0, `src/${from} has no .ts files`);
      const arrows = forbiddenArrows(from, forbidden);
      assert.deepEqual(
        arrows.map((a) => `${a.file}:${a.line} imports ${a.target}`),
        [],
        `forbidden imports from src/${from}`,
      );
    });
  }
});

/** `text` with its comments blanked (string contents kept), so that only code literals are searched. */
export function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\/|(^|[^:"'`\\])\/\/[^\n]*/g, (m, pre: string | undefined) =>
    m.startsWith("/*")
      ? m.replace(/[^\n]/g, " ")
      : `${pre ?? ""}${" ".repeat(m.length - (pre ?? "").length)}`,
  );
}

/** Files (relative to the repository) whose code holds the string literal `name`, as "file:line". */
function literalSites(name: string, dirs: string[]): string[] {
  const re = new RegExp(`["'\`]${name.replace(/[-]/g, "\\-")}["'\`]`, "g");
  return dirs.flatMap((d) =>
    tsFiles(path.join(ROOT, d)).flatMap((file) => {
      const code = stripComments(fs.readFileSync(file, "utf8"));
      return [...code.matchAll(re)].map(
        (m) => `${path.relative(ROOT, file)}:${code.slice(0, m.index).split("\n").length}`,
      );
    }),
  );
}

describe("a method's name is spelled in its module and the list only", async () => {
  const { METHOD_NAMES } = await import("../src/methods/index.ts");
  const { MIXED_METHOD_NAMES } = await import("../src/methods/mirror-gan.ts");
  test("comments are blanked, code literals kept", () => {
    const code = stripComments(`const a = "x"; // "y"\n/* "z" */ const u = "http://q"; // c`);
    assert.ok(code.includes(`"x"`) && code.includes(`"http://q"`));
    assert.ok(!code.includes(`"y"`) && !code.includes(`"z"`));
  });
  test("the search finds a literal outside the module (checked on this file)", () => {
    const planted = "grad-norm"; // this literal, in this file
    assert.ok(literalSites(planted, ["test"]).some((s) => s.startsWith("test/architecture.test.ts:")));
  });
  for (const name of [...METHOD_NAMES, ...MIXED_METHOD_NAMES]) {
    test(`"${name}" appears in src, web/src and bin (outside src/claims) only in src/methods`, () => {
      const sites = literalSites(name, ["src", "web/src", "bin"]).filter((s) => !s.startsWith("src/claims/"));
      const outside = sites.filter((s) => !s.startsWith("src/methods/"));
      assert.deepEqual(outside, [], `'${name}' spelled outside its module`);
      const files = new Set(sites.map((s) => s.replace(/:\d+$/, "")));
      assert.ok(files.size <= 1, `'${name}' spelled in ${[...files].join(", ")}`);
    });
  }
});
