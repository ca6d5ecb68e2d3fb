/**
 * The lab's lecture mode (web/src/lecture.ts), in Node: each step quotes its source verbatim, its link
 * decodes to the state it describes without errors, the library's predicted rate at ω* is the number the
 * caption gives (REFERENCE.md's verified values), and docs/lab.md lists every step's link.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";
import { useDevice } from "../src/engine/device.ts";
import { DynamicsModel } from "../web/src/dynamics/model.ts";
import { LECTURE, lectureQuery, lectureState } from "../web/src/lecture.ts";
import { decodeState } from "../web/src/share.ts";
import { ROOT } from "./helpers/cli.ts";

const SHARED = "/work/shared";
const sourceText = (file: string): string | null => {
  const p = file === "REFERENCE.md" ? path.join(SHARED, file) : path.join(SHARED, "seeds", file);
  return fs.existsSync(p) ? fs.readFileSync(p, "utf8") : null;
};
const plain = (t: string) => t.replace(/\*\*/g, "").replace(/\s+/g, " ");

describe("lab lecture mode", () => {
  before(async () => {
    await useDevice("wasm");
  });

  test("the steps cover the lectures' points, with unique ids", () => {
    const ids = LECTURE.map((s) => s.id);
    assert.equal(new Set(ids).size, ids.length);
    const dyn = LECTURE.filter((s) => s.view === "dynamics").map((s) => `${s.dyn?.game}/${s.dyn?.method}`);
    for (const want of [
      "bilinear/simultaneous",
      "bilinear/alternating",
      "bilinear/consensus",
      "bilinear/proximal-point",
      "dirac/simultaneous",
    ])
      assert.ok(dyn.includes(want), `a step for ${want}`);
    assert.ok(
      LECTURE.some((s) => (s.dyn?.momentum ?? 0) < 0),
      "a negative-momentum step",
    );
    assert.ok(
      LECTURE.some((s) => s.dyn?.game === "dirac" && Number(s.dyn.gp ?? 0) > 0),
      "a gradient-penalty step",
    );
    assert.ok(
      LECTURE.some((s) => s.view === "gan"),
      "a mode-collapse step on a mixture",
    );
  });

  test("each quote is verbatim in its source", (t) => {
    for (const s of LECTURE) {
      const text = sourceText(s.source.file);
      if (text === null) {
        t.diagnostic(`no ${s.source.file} here: quote of '${s.id}' not checked`);
        continue;
      }
      assert.ok(plain(text).includes(plain(s.quote)), `'${s.id}': "${s.quote}" is in ${s.source.file}`);
    }
  });

  test("each link decodes, without errors, to the step's state", () => {
    for (const s of LECTURE) {
      const q = lectureQuery(s);
      assert.match(q, new RegExp(`[?&]lecture=${s.id}$`));
      const { errors, ...state } = decodeState(q);
      assert.deepEqual(errors, [], s.id);
      assert.deepEqual(state, lectureState(s), s.id);
    }
  });

  test("the predicted rate at ω* is the caption's number", () => {
    for (const s of LECTURE.filter((x) => x.expect)) {
      const { rho, word } = s.expect!;
      const radius = new DynamicsModel(lectureState(s).dyn).analyse().predicted.radius;
      assert.ok(radius !== null && Math.abs(radius - rho) < 5e-5, `'${s.id}': ρ = ${radius}, caption ${rho}`);
      const got = radius > 1 + 1e-3 ? "diverges" : radius < 1 - 1e-3 ? "converges" : "cycles";
      assert.equal(got, word, s.id);
      assert.ok(s.note.includes(rho.toFixed(4)), `'${s.id}': the note gives ρ = ${rho.toFixed(4)}`);
    }
  });

  test("docs/lab.md lists every step's link", () => {
    const doc = fs.readFileSync(path.join(ROOT, "docs/lab.md"), "utf8");
    for (const s of LECTURE)
      assert.ok(doc.includes(lectureQuery(s)), `docs/lab.md has the link of '${s.id}'`);
  });
});
