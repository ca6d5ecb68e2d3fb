/**
 * The experiment spec's method: a discriminated union on the name whose options are the method modules'
 * params schemas (src/spec/method-choice.ts), and the flat form of older specs folded into it.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { UsageError } from "../src/engine/errors.ts";
import { METHODS } from "../src/methods/index.ts";
import { MIXED_METHOD_NAMES, MIXED_METHOD_PARAMS } from "../src/methods/mirror-gan.ts";
import { methodParams, paramNames } from "../src/methods/registry.ts";
import { methodSpecOf, parseSpec, PROXIMAL_TRAINING } from "../src/spec/experiment.ts";
import { foldMethodFields, specParamNames } from "../src/spec/method-choice.ts";
import { ROOT } from "./helpers/cli.ts";

const throwsLine = (input: unknown, re: RegExp) =>
  assert.throws(
    () => parseSpec(input),
    (e: unknown) => e instanceof UsageError && re.test(e.message) && !e.message.includes("\n"),
    JSON.stringify(input),
  );

describe("the spec's method is a discriminated union of the modules' params", () => {
  test("each listed module is an option with exactly its params, at the module's defaults (D first in a GAN)", () => {
    for (const m of METHODS) {
      const got = parseSpec({ method: { name: m.name } }).method;
      const want = methodParams({ name: m.name, lr: [1, 1] });
      const { name, ...params } = got;
      assert.equal(name, m.name);
      // a wrapper also carries its inner method's params (lookahead around alternating: steps, first, …)
      const own = Object.fromEntries(Object.entries(params).filter(([k]) => paramNames(m).includes(k)));
      for (const [k, v] of Object.entries(want))
        assert.deepEqual(own[k], k === "first" ? 1 : v, `${m.name}.${k}`);
      if (m.inner === undefined)
        assert.deepEqual(Object.keys(params).sort(), Object.keys(own).sort(), m.name);
      assert.deepEqual(specParamNames(m.name), paramNames(m), m.name);
    }
  });

  test("mixed methods take MIXED_METHOD_PARAMS, proximal training alternating's", () => {
    for (const n of MIXED_METHOD_NAMES) {
      const { name, ...p } = parseSpec({ method: n }).method;
      assert.equal(name, n);
      assert.deepEqual(p, MIXED_METHOD_PARAMS.parse({}));
    }
    const prox = parseSpec({ method: PROXIMAL_TRAINING, proxLambda: 0.1 });
    assert.deepEqual(prox.method, { name: PROXIMAL_TRAINING, steps: [1, 1], first: 1, reuseFake: false });
    assert.equal(methodSpecOf(prox).name, METHODS[1].name);
  });

  test("a param of another method, a bad value, an unknown name: one line naming the field", () => {
    throwsLine(
      { method: { name: "alternating", gamma: 2 } },
      /unknown field 'method.gamma' for method 'alternating'; allowed: name, steps, first, reuseFake/,
    );
    throwsLine({ method: { name: "consensus", gamma: -1 } }, /field 'method.gamma' = -1: Too small/);
    throwsLine({ method: { name: "newton" } }, /field 'method.name' = "newton": allowed: simultaneous, /);
    throwsLine(
      { method: { name: "alternating", steps: [1, 0] } },
      /field 'method.steps' = \[1,0\]: a GAN trains each player 1 to 100 times/,
    );
    throwsLine({ method: { name: "lookahead", inner: "lookahead" } }, /field 'method.inner'/);
    throwsLine(
      { method: { name: "lookahead", inner: "extragradient", steps: [1, 2] } },
      /neither 'lookahead' nor its inner method 'extragradient'/,
    );
    throwsLine({ method: 3 }, /field 'method'/);
  });

  test("a wrapper's inner params are checked by the inner module and default there", () => {
    const m = parseSpec({ method: { name: "lookahead", inner: "best-response" } }).method;
    assert.deepEqual(m.steps, [1, 5], "best-response's own k_D");
    const s = methodSpecOf(parseSpec({ method: { name: "lookahead", inner: "alternating", steps: [1, 3] } }));
    assert.deepEqual([s.inner, s.steps, s.first], ["alternating", [1, 3], 1]);
  });
});

describe("older flat specs fold into the union", () => {
  test("kG/kD, first G|D, reuseFake, unroll, gamma, methodParams and the mixed fields", () => {
    const cases: [Record<string, unknown>, Record<string, unknown>][] = [
      [
        { method: "alternating", kD: 5, first: "G" },
        { name: "alternating", steps: [1, 5], first: 0, reuseFake: false },
      ],
      [
        { method: "best-response", kG: 2 },
        { name: "best-response", steps: [2, 5] },
      ],
      [
        { method: "consensus", gamma: 0.3 },
        { name: "consensus", gamma: 0.3 },
      ],
      [
        { method: "unrolled", unroll: 3 },
        { name: "unrolled", unroll: 3 },
      ],
      [
        { method: "lookahead", methodParams: { inner: "extragradient", lookaheadK: 3 } },
        { name: "lookahead", inner: "extragradient", lookaheadK: 3, lookaheadAlpha: 0.5 },
      ],
      [
        { method: "mirror-gan", particles: 8, temperature: 0.01 },
        { name: "mirror-gan", particles: 8, temperature: 0.01, sgldSteps: 1, averaging: 1 },
      ],
    ];
    for (const [flat, method] of cases)
      assert.deepEqual(parseSpec(flat).method, method, JSON.stringify(flat));
  });

  test("a flat field the method does not take: dropped at its old default, an error otherwise", () => {
    // an old run directory holds every field at its default
    assert.deepEqual(
      parseSpec({
        method: "extragradient",
        kG: 1,
        kD: 1,
        first: "D",
        reuseFake: false,
        unroll: 5,
        gamma: 1,
        particles: 4,
      }).method,
      { name: "extragradient" },
    );
    throwsLine(
      { method: "extragradient", gamma: 2 },
      /unknown field 'method.gamma' for method 'extragradient'; allowed: name \('gamma' is a parameter of consensus: name that method/,
    );
    throwsLine({ method: "consensus", kD: 2 }, /'kD' is a parameter of alternating, best-response, proximal/);
  });

  test("the old-code run fixtures read back with the same method", () => {
    for (const d of ["adam-tuple-state-float32", "adam-tuple-state-float64"]) {
      const old = JSON.parse(
        fs.readFileSync(path.join(ROOT, "test/fixtures/runs", d, "spec.json"), "utf8"),
      ) as Record<string, unknown>;
      assert.equal(typeof old.method, "string", "written in the flat form");
      const s = parseSpec(old);
      assert.deepEqual(s.method, { name: "alternating", steps: [1, 1], first: 1, reuseFake: false });
      // parsing the parsed spec again changes nothing (what a resumed run rewrites)
      assert.deepEqual(parseSpec(JSON.parse(JSON.stringify(s))), s);
    }
  });

  test("a nested spec is left as it is; flat fields over a nested method update it", () => {
    const nested = { method: { name: "alternating", steps: [1, 2] } };
    assert.equal(foldMethodFields(nested), nested);
    assert.deepEqual(parseSpec({ ...nested, kD: 4 }).method.steps, [1, 4]);
  });
});
