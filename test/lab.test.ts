/**
 * The web lab's models, in Node (no browser): the custom quadratic game, the dynamics model (predicted vs
 * measured rate, eigenvalues per method), the link encoding of the lab state, and the GAN session's parity
 * with `saddle train` (same spec → the same metrics rows).
 */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { jit, numpy as np, type Array as JArray } from "@jax-js/jax";
import { finiteDifferenceJacobian, flatVectorField, jacobian } from "../src/analysis/jacobian.ts";
import { useDevice } from "../src/engine/device.ts";
import * as J from "../src/engine/joint.ts";
import { quadratic } from "../src/games/quadratic.ts";
import { parseSpec } from "../src/spec/experiment.ts";
import { DYN_GAMES, DYN_METHODS, DynamicsModel, DynStateSchema } from "../web/src/dynamics/model.ts";
import { GanSession, metricsJsonl, pointsCsv } from "../web/src/gan/session.ts";
import { ring } from "../src/data/toy2d/ring.ts";
import { TrainingSession } from "../src/train/session.ts";
import { decodeState, defaultLayers, encodeState, specFileText } from "../web/src/share.ts";

const defaultView = { layers: defaultLayers(), zoom: 2.5, starts: [] as [number, number][] };

before(async () => {
  await useDevice("wasm");
});

describe("quadratic game (the lab's custom game)", () => {
  test("v(ω) = Jω, jitted = plain, exact Jacobian = J = finite differences", () => {
    const g = quadratic({ a: 0.3, b: 1.2, c: -0.7, d: -0.4 });
    assert.equal(g.zeroSum, false);
    assert.equal(quadratic({ a: 1, b: 2, c: -2, d: 0.5 }).zeroSum, true);
    const w0 = g.init();
    const layout = J.layoutOf(w0);
    J.toFloat64(w0);
    const f = flatVectorField(g, layout);
    const fj = jit(f);
    for (const p of [
      [0.5, -1.5],
      [2, 0.25],
    ]) {
      const expect = [0.3 * p[0] + 1.2 * p[1], -0.7 * p[0] - 0.4 * p[1]];
      const plain = (f(np.array(p, { dtype: np.float64 })) as JArray).js() as number[];
      const jitted = (fj(np.array(p, { dtype: np.float64 })) as JArray).js() as number[];
      expect.forEach((x, i) => {
        assert.ok(Math.abs(plain[i] - x) < 1e-12, `plain ${plain} vs ${expect}`);
        assert.ok(Math.abs(jitted[i] - x) < 1e-12, `jit ${jitted} vs ${expect}`);
      });
      const w = J.unflatten(layout, np.array(p, { dtype: np.float64 }));
      const Ja = jacobian(g, w);
      const Jf = finiteDifferenceJacobian(g, w);
      J.toFloat64(w);
      Ja.forEach((row, i) =>
        row.forEach((x, k) => {
          assert.ok(Math.abs(x - g.jacobian[i][k]) < 1e-12);
          assert.ok(Math.abs(x - Jf[i][k]) < 1e-6);
        }),
      );
    }
    fj.dispose();
  });
});

describe("dynamics model", () => {
  test("bilinear, simultaneous GDA at η = 0.2: predicted ρ = √(1+η²) = measured on a clicked trajectory", () => {
    const m = new DynamicsModel(DynStateSchema.parse({ lr: 0.2, lrPhi: 0.2, steps: 200 }));
    const a = m.analyse();
    assert.ok(Math.abs((a.predicted.radius ?? 0) - Math.sqrt(1.04)) < 1e-12);
    const t = m.trajectory([-0.5, 1.2]);
    assert.deepEqual(t.points[0], [-0.5, 1.2]);
    assert.equal(t.points.length, 201);
    assert.ok(Math.abs((t.rate ?? 0) / Math.sqrt(1.04) - 1) < 1e-3, `measured ${t.rate}`);
    assert.equal(t.verdict, "diverges");
  });

  test("switching the method changes the operator's eigenvalues (extragradient: 1 − η² ± ηi)", () => {
    const sim = new DynamicsModel(DynStateSchema.parse({ lr: 0.5, lrPhi: 0.5 })).analyse();
    const eg = new DynamicsModel(
      DynStateSchema.parse({ lr: 0.5, lrPhi: 0.5, method: "extragradient" }),
    ).analyse();
    const re = (zs: { re: number; im: number }[]) => zs.map((z) => z.re).sort();
    assert.deepEqual(
      re(sim.predicted.eigenvalues).map((x) => Number(x.toFixed(9))),
      [1, 1],
    );
    assert.deepEqual(
      re(eg.predicted.eigenvalues).map((x) => Number(x.toFixed(9))),
      [0.75, 0.75],
    );
  });

  test("Dirac-GAN: the gradient penalty moves the Jacobian's eigenvalues off the imaginary axis", () => {
    const plain = new DynamicsModel(DynStateSchema.parse({ game: "dirac", objective: "minimax" })).analyse();
    const gp = new DynamicsModel(
      DynStateSchema.parse({ game: "dirac", objective: "minimax", gp: 0.3 }),
    ).analyse();
    assert.ok(
      plain.jacobianEigenvalues.every((z) => Math.abs(z.re) < 1e-9 && Math.abs(Math.abs(z.im) - 0.5) < 1e-9),
    );
    assert.ok(gp.jacobianEigenvalues.every((z) => Math.abs(z.re - 0.15) < 1e-9));
  });

  test("every method runs on every 2-parameter game: a trajectory and a spectrum (or a reason)", () => {
    for (const game of DYN_GAMES) {
      for (const method of DYN_METHODS) {
        const m = new DynamicsModel(
          DynStateSchema.parse({ game, method, steps: 20, momentum: method === "alternating" ? -0.3 : 0 }),
        );
        const a = m.analyse();
        assert.ok(a.predicted.radius !== null || a.predicted.reason, `${game}/${method}`);
        const t = m.trajectory([0.7, -0.4]);
        assert.equal(t.points.length, 21, `${game}/${method}`);
        assert.ok(
          t.points.every((p) => p.every(Number.isFinite)),
          `${game}/${method}`,
        );
      }
    }
  });

  test("unrolled has no exact operator: the reason is given instead of eigenvalues", () => {
    const a = new DynamicsModel(DynStateSchema.parse({ game: "dirac", method: "unrolled" })).analyse();
    assert.equal(a.predicted.radius, null);
    assert.match(a.predicted.reason ?? "", /unrolled/);
  });
});

describe("lab links", () => {
  test("a state round-trips through the query string; only non-defaults are written", () => {
    const spec = parseSpec({
      objective: "hinge",
      method: "extragradient",
      lrD: 0.002,
      data: "grid",
      seed: 3,
    });
    const dyn = DynStateSchema.parse({ game: "quadratic", a: 0.5, method: "optimistic" });
    const q = encodeState({ view: "gan", spec, dyn, methodB: "consensus", points: null, ...defaultView });
    assert.doesNotMatch(q, /lrG/);
    const back = decodeState(q);
    assert.deepEqual(back.errors, []);
    assert.deepEqual(back.spec, spec);
    assert.deepEqual(back.dyn, dyn);
    assert.equal(back.view, "gan");
    assert.equal(back.methodB, "consensus");
  });

  test("drawn points travel with the link", () => {
    const spec = parseSpec({ data: "drawn.csv" });
    const points = [
      [0.1, 0.2],
      [-1.5, 2.25],
    ];
    const back = decodeState(
      encodeState({
        view: "gan",
        spec,
        dyn: DynStateSchema.parse({}),
        methodB: "extragradient",
        points,
        ...defaultView,
      }),
    );
    assert.deepEqual(back.points, points);
    assert.equal(back.spec.data, "drawn.csv");
    assert.equal(pointsCsv(points), "x,y\n0.1,0.2\n-1.5,2.25\n");
  });

  test("clicked trajectories, the zoom and hidden layers travel with the link", () => {
    const starts: [number, number][] = [
      [1, -0.5],
      [-1.25, 2],
    ];
    const layers = { ...defaultLayers(), arrows: false, modes: false };
    const q = encodeState({
      view: "dynamics",
      spec: parseSpec({}),
      dyn: DynStateSchema.parse({}),
      methodB: "extragradient",
      points: null,
      layers,
      zoom: 4.2,
      starts,
    });
    const back = decodeState(q);
    assert.deepEqual(back.errors, []);
    assert.deepEqual(back.starts, starts);
    assert.equal(back.zoom, 4.2);
    assert.deepEqual(back.layers, layers);
    // defaults write nothing
    assert.equal(encodeState({ ...back, ...defaultView }), "?view=dynamics");
    assert.match(decodeState("?hide=arrows,wings").errors[0], /'hide' = 'wings': allowed: heat, real/);
    assert.match(decodeState("?zoom=50").errors[0], /'zoom' = '50': allowed: a number from 0.5 to 10/);
    assert.match(decodeState("?traj=1,2,3").errors[0], /'traj': starts have 3 coordinates/);
    assert.equal(decodeState("?zoom=50").zoom, 2.5);
  });

  test("an invalid spec in the link names the field; defaults are used", () => {
    const bad = decodeState(`?view=gan&spec=${encodeURIComponent(JSON.stringify({ lrG: -1 }))}`);
    assert.equal(bad.errors.length, 1);
    assert.match(bad.errors[0], /field 'lrG' = -1/);
    assert.equal(bad.spec.lrG, 1e-3);
    assert.match(decodeState("?spec=%7Bnope").errors[0], /'spec' is not valid JSON/);
    assert.match(
      decodeState(`?spec=${encodeURIComponent('{"colour":1}')}`).errors[0],
      /unknown field 'colour'/,
    );
    assert.match(decodeState(`?dyn=${encodeURIComponent('{"lr":-2}')}`).errors[0], /field 'lr'/);
  });
});

describe("GAN session (the shared TrainingSession)", () => {
  const tiny = {
    generator: { hidden: [8, 8] },
    discriminator: { hidden: [8, 8] },
    batch: 32,
    evalSamples: 200,
  };
  test("evaluation cadence: rows at every evalEvery step and at the last step; same spec → same rows", () => {
    const spec = parseSpec({ ...tiny, steps: 7, evalEvery: 3, method: "extragradient" });
    const data = ring();
    const a = new TrainingSession(spec, data);
    const rows: number[] = [];
    const losses: number[] = [];
    while (!a.done) {
      assert.equal(a.advanceSync(), true);
      if (a.evalDue) {
        const row = a.evaluate(0).row;
        rows.push(row.step);
        losses.push(row.lossD);
      }
    }
    assert.deepEqual(rows, [3, 6, 7]);
    a.dispose();
    // the lab's session is that session: the same rows, step for step
    const lab = new GanSession(spec, null, 200);
    while (!lab.done) lab.train(2);
    assert.deepEqual(
      lab.rows.map((r) => r.lossD),
      losses,
    );
    // and another seed draws other minibatches
    const other = new GanSession({ ...spec, seed: 1 }, null, 200);
    other.train(3);
    assert.notEqual(other.rows[0].lossD, losses[0]);
    // the lab's downloads: metrics.jsonl lines and a spec file that `saddle train --spec` reads back
    assert.deepEqual(
      metricsJsonl(lab.rows)
        .trim()
        .split("\n")
        .map((l) => (JSON.parse(l) as { lossD: number }).lossD),
      losses,
    );
    assert.deepEqual(parseSpec(JSON.parse(specFileText(spec))), spec);
    const snap = lab.snapshot();
    assert.equal(snap.fake.length, 200);
    assert.equal(snap.arrows.length, 64);
    assert.ok(snap.finite && Number.isFinite(snap.lossD));
    lab.dispose();
    other.dispose();
  });
  test("divergence is a result: the first non-finite step and player, and the session stops there", () => {
    const spec = parseSpec({
      ...tiny,
      objective: "least-squares",
      method: "simultaneous",
      optimizer: "sgd",
      lrG: 10,
      lrD: 10,
      steps: 400,
      evalEvery: 400,
    });
    const lab = new GanSession(spec, null, 100);
    let ran = 0;
    while (!lab.done) ran += lab.train(50);
    const d = lab.diverged;
    assert.ok(d !== null, "expected divergence");
    assert.equal(ran, d.step);
    assert.ok(d.step < 400 && ["G", "D"].includes(d.player), JSON.stringify(d));
    assert.equal(lab.rows.length, 0);
    lab.dispose();
  });
  test("the lab trains proximal training, mixed-NE (Mirror-GAN) and best-response through the session", () => {
    const cases: [string, Record<string, unknown>, (r: Record<string, unknown>) => void][] = [
      [
        "proximal",
        { method: "proximal", proxLambda: 0.1, proxInnerSteps: 2 },
        (r) => assert.ok(Number.isFinite(r.proxValue)),
      ],
      ["mirror-gan", { method: "mirror-gan", particles: 2, lrG: 0.01, lrD: 0.01 }, () => {}],
      ["best-response", { method: "best-response", kD: 2 }, () => {}],
    ];
    for (const [label, extra, check] of cases) {
      const lab = new GanSession(parseSpec({ ...tiny, steps: 4, evalEvery: 2, ...extra }), null, 100);
      while (!lab.done) lab.train(3);
      assert.equal(lab.diverged, null, label);
      assert.deepEqual(
        lab.rows.map((r) => r.step),
        [2, 4],
        label,
      );
      for (const r of lab.rows) assert.ok(Number.isFinite(r.lossD) && Number.isFinite(r.lossG), label);
      check(lab.rows[1] as unknown as Record<string, unknown>);
      const snap = lab.snapshot();
      assert.equal(snap.fake.length, 100, label);
      assert.equal(snap.dGrid.length, 48 * 48, label);
      assert.ok(snap.finite, label);
      lab.dispose();
    }
  });
});
