/**
 * `reuseFake` (src/methods/alternating.ts, `Game.sharedDraw` in src/games/gan.ts): G's step reuses the draw of
 * D's last step and G's forward pass runs once a round. The shared gradients must equal the ordinary player
 * gradients at the same key (D's at the current point, G's at D's updated parameters), one round must be D's
 * step then G's step on one draw, and every combination it cannot serve must be refused in one line.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { random } from "@jax-js/jax";
import { entrySpec, parseMethodEntry } from "../src/workflows/compare.ts";
import { specFromFlags } from "../src/cli/train.ts";
import { imageDataset } from "../src/data/images.ts";
import { useDevice } from "../src/engine/device.ts";
import { UsageError } from "../src/engine/errors.ts";
import * as T from "../src/engine/tree.ts";
import { bilinear } from "../src/games/bilinear.ts";
import { gan, type GanOptions } from "../src/games/gan.ts";
import type { Game, Joint } from "../src/games/game.ts";
import { playerGradient } from "../src/games/vector-field.ts";
import { alternating } from "../src/methods/alternating.ts";
import { createMethod } from "../src/methods/registry.ts";
import { dcgan, REFERENCE_DCGAN } from "../src/models/dcgan.ts";
import type { Activation } from "../src/models/mlp.ts";
import { sgd } from "../src/optim/transform.ts";
import { parseSpec, type ExperimentSpec } from "../src/spec/experiment.ts";
import { isOneLineError, saddle } from "./helpers/cli.ts";
import { ring } from "./helpers/ring.ts";

before(async () => {
  await useDevice("wasm");
});
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "saddle-reuse-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A float64 MLP GAN on the ring, one hidden layer of `width` in G and D. */
const ringGan = (width: number, activation: Activation, batch: number, extra: Partial<GanOptions> = {}) =>
  gan({
    data: ring,
    dtype: "float64",
    batch,
    generator: { hidden: [width], activation },
    discriminator: { hidden: [width], activation },
    ...extra,
  });

/** max |a − b| over two pytrees' leaves, flattened; consumes both. */
function maxDiff(a: T.Params, b: T.Params): number {
  const x = T.toFlat(a);
  const y = T.toFlat(b);
  assert.equal(x.length, y.length);
  return x.reduce((m, v, i) => Math.max(m, Math.abs(v - y[i])), 0);
}
/** max |a| over a pytree's leaves; borrows a. */
const maxAbs = (a: T.Params): number => T.toFlat(T.ref(a)).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/** p − c·g leafwise, fresh arrays; borrows both. */
const step = (p: T.Params, g: T.Params, c: number): T.Params =>
  T.map2(T.ref(p), T.ref(g), (x, y) => x.sub(y.mul(T.scalarLike(y, c))));

/** sharedDraw's two gradients against playerGradient at the same key; returns the largest differences. */
function sharedAgainstPlain(game: Game, key: number): { d: number; g: number; scale: number } {
  const [G, D] = game.init();
  const shared = game.sharedDraw?.(T.ref(G), T.ref(D), random.key(key));
  assert.ok(shared, "the GAN offers sharedDraw");
  const plainD = playerGradient(game, 1)(T.ref(G), T.ref(D), random.key(key));
  const D2 = step(D, plainD, 0.3);
  const scale = maxAbs(plainD);
  const d = maxDiff(shared.grad1, plainD);
  const plainG = playerGradient(game, 0)(T.ref(G), T.ref(D2), random.key(key));
  const g = maxDiff(shared.grad0(D2), plainG);
  T.dispose([G, D]);
  return { d, g, scale };
}

describe("reuseFake: one draw for D's step and G's step", () => {
  test("sharedDraw = the player gradients at the same key (MLP GAN, float64, with R1, R2 and a gradient penalty)", () => {
    const game = ringGan(8, "tanh", 16, { penalties: { r1: 0.5, r2: 0.25, gpLambda: 2 } });
    const { d, g, scale } = sharedAgainstPlain(game, 7);
    assert.ok(scale > 1e-3, `D's gradient is not trivially 0 (${scale})`);
    assert.ok(d < 1e-12, `D's gradient differs by ${d}`);
    assert.ok(g < 1e-12, `G's gradient differs by ${g}`);
  });

  test("sharedDraw = the player gradients at the same key (InfoGAN DCGAN: the codes come from the shared z)", () => {
    const count = 20;
    const images = Float32Array.from({ length: count * 64 }, (_, i) => Math.sin(1.7 * i) * 0.9);
    const data = imageDataset(
      "toy",
      { height: 8, width: 8, channels: 1 },
      { count, images, labels: null },
      null,
      [],
    );
    const game = gan({
      data,
      batch: 6,
      latentDim: 5,
      networks: dcgan({
        ...REFERENCE_DCGAN, // a tiny InfoGAN: 8×8 images, 2 noise + 3 code slots, batch norm in G
        height: 8,
        width: 8,
        latentDim: 2,
        codes: 3,
        gWidths: [4, 2],
        dWidths: [2, 4],
        batchNorm: true,
      }),
      info: { codes: 3, lambda: 0.7 },
    });
    const { d, g, scale } = sharedAgainstPlain(game, 3);
    assert.ok(scale > 1e-4, `D's gradient is not trivially 0 (${scale})`);
    assert.ok(d < 1e-5 * Math.max(1, scale), `D's gradient differs by ${d}`);
    assert.ok(g < 1e-5, `G's gradient differs by ${g}`);
  });

  test("one round = D's SGD step on the first of the round's keys, then G's at D′ on that same key", () => {
    const game = ringGan(8, "relu", 16);
    const lr = 0.05;
    const base = [sgd(lr), sgd(lr)] as const;
    const method = alternating({ game, base }, { steps: [1, 1], first: 1, reuseFake: true });
    const plainMethod = alternating({ game, base }, { steps: [1, 1], first: 1 });
    const w0 = game.init();
    const [w1] = method.step(T.ref(w0) as Joint, method.init(w0), random.key(11));
    const [p1] = plainMethod.step(T.ref(w0) as Joint, plainMethod.init(w0), random.key(11));
    // by hand: the round's keys are split(key, 2); D steps on the first, and G reuses it
    const ks = random.split(random.key(11), 2);
    const k0 = ks.ref.slice(0);
    ks.dispose();
    const gD = playerGradient(game, 1)(T.ref(w0[0]), T.ref(w0[1]), k0.ref);
    const D1 = step(w0[1], gD, lr);
    T.dispose(gD);
    const gG = playerGradient(game, 0)(T.ref(w0[0]), T.ref(D1), k0);
    const G1 = step(w0[0], gG, lr);
    T.dispose(gG);
    // plain alternating moves D identically but draws G's batch from the second key
    assert.ok(maxDiff(T.ref(p1[1]), T.ref(D1)) < 1e-15);
    assert.ok(maxDiff(T.ref(p1[0]), T.ref(G1)) > 1e-6, "plain alternating's G step differs (another draw)");
    assert.ok(maxDiff(w1[1], D1) < 1e-15, "D′");
    assert.ok(maxDiff(w1[0], G1) < 1e-14, "G′");
    T.dispose([w0, p1]);
  });

  test("k_D = 3: the first two D steps draw their own batches, the third shares its draw with G", () => {
    const game = ringGan(4, "tanh", 8);
    const lr = 0.1;
    const m = createMethod(game, {
      name: "alternating",
      lr: [lr, lr],
      steps: [1, 3],
      first: 1,
      reuseFake: true,
    });
    const w0 = game.init();
    const [w1] = m.step(T.ref(w0) as Joint, m.init(w0), random.key(5));
    const ks = random.split(random.key(5), 4);
    const k = [0, 1, 2, 3].map((i) => ks.ref.slice(i));
    ks.dispose();
    k[3].dispose();
    let D: T.Params = T.ref(w0[1]);
    for (let i = 0; i < 3; i++) {
      const g = playerGradient(game, 1)(T.ref(w0[0]), T.ref(D), k[i].ref);
      const next = step(D, g, lr);
      T.dispose([g, D]);
      D = next;
    }
    const gG = playerGradient(game, 0)(T.ref(w0[0]), T.ref(D), k[2]);
    const G1 = step(w0[0], gG, lr);
    T.dispose([gG, k[0], k[1]]);
    assert.ok(maxDiff(w1[1], D) < 1e-14, "D after three steps");
    assert.ok(maxDiff(w1[0], G1) < 1e-14, "G on the third step's draw");
    T.dispose(w0);
  });

  test("refused where it cannot apply: G first, k_G = 2, a game without sharedDraw, other methods in a spec", () => {
    const game = gan({ data: ring, batch: 8 });
    const base = [sgd(0.1), sgd(0.1)] as const;
    assert.throws(
      () => alternating({ game, base }, { first: 0, reuseFake: true }),
      /--reuse-fake: .*got first G/,
    );
    assert.throws(
      () => alternating({ game, base }, { first: 1, steps: [2, 1], reuseFake: true }),
      /--reuse-fake: .*k-g 2/,
    );
    assert.throws(
      () => alternating({ game: bilinear(), base }, { first: 1, reuseFake: true }),
      (e: unknown) => e instanceof UsageError && /needs a GAN game/.test(e.message),
    );
    const rep = gan({ data: ring, batch: 8, replicas: 2 });
    assert.equal(rep.sharedDraw, undefined, "replicated GANs do not offer it");
    for (const extra of [{ kG: 2 }, { first: "G" }, { proxLambda: 0.1 }]) {
      assert.throws(
        () => parseSpec({ reuseFake: true, ...extra }),
        (e: unknown) => e instanceof UsageError && /field 'method.reuseFake' = true/.test(e.message),
        JSON.stringify(extra),
      );
    }
    assert.throws(
      () => parseSpec({ reuseFake: true, method: "extragradient" }),
      (e: unknown) =>
        e instanceof UsageError &&
        /unknown field 'method.reuseFake' for method 'extragradient'/.test(e.message),
    );
    assert.equal(parseSpec({}).method.reuseFake, false);
  });

  test("a preset's reuseFake yields to flags and compare entries that change the loop; an explicit --reuse-fake does not", () => {
    const preset = { preset: "mnist-dcgan" };
    const reuse = (s: ExperimentSpec) => s.method.reuseFake === true;
    assert.equal(reuse(specFromFlags(preset)), true);
    assert.equal(reuse(specFromFlags({ ...preset, method: "extragradient" })), false);
    assert.equal(reuse(specFromFlags({ ...preset, kG: "2" })), false);
    assert.equal(reuse(specFromFlags({ ...preset, first: "G" })), false);
    assert.equal(reuse(specFromFlags({ ...preset, kD: "3" })), true, "k_D > 1 still fits");
    assert.equal(reuse(specFromFlags({ ...preset, reuseFake: false })), false);
    assert.throws(
      () => specFromFlags({ ...preset, method: "extragradient", reuseFake: true }),
      (e: unknown) => e instanceof UsageError && /'method.reuseFake'/.test(e.message),
    );
    const base = specFromFlags(preset);
    assert.equal(reuse(entrySpec(base, parseMethodEntry("alternating:momentum=-0.5"))), true);
    assert.equal(reuse(entrySpec(base, parseMethodEntry("extragradient"))), false);
    assert.equal(reuse(entrySpec(base, parseMethodEntry("alternating:kG=2"))), false);
    assert.throws(() => entrySpec(base, parseMethodEntry("extragradient:reuseFake=true")), UsageError);
  });

  test("compare: 'alternating:reuseFake=true' overrides the field with a boolean", () => {
    assert.deepEqual(parseMethodEntry("alternating:reuseFake=true").overrides, {
      method: "alternating",
      reuseFake: true,
    });
    assert.deepEqual(parseMethodEntry("alt-gda:reuseFake=false:kD=2").overrides, {
      method: "alternating",
      reuseFake: false,
      kD: 2,
    });
  });

  test("CLI: --reuse-fake trains; with --k-g 2 or on --resume it is one line, exit 2, nothing written", async () => {
    const ok = await saddle([
      "train",
      "--data",
      "ring",
      "--steps",
      "3",
      "--eval-every",
      "3",
      "--reuse-fake",
      "--out",
      tmp,
      "--name",
      "reuse",
      "--json",
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    const summary = JSON.parse(ok.stdout) as { spec: { method: { reuseFake: boolean } }; status: string };
    assert.equal(summary.spec.method.reuseFake, true);
    assert.equal(summary.status, "completed");
    const bad = await saddle([
      "train",
      "--data",
      "ring",
      "--reuse-fake",
      "--k-g",
      "2",
      "--out",
      tmp,
      "--name",
      "bad",
    ]);
    assert.ok(isOneLineError(bad), bad.stderr);
    assert.match(bad.stderr, /reuseFake/);
    assert.equal(fs.existsSync(path.join(tmp, "bad")), false);
    const res = await saddle(["train", "--resume", path.join(tmp, "reuse"), "--no-reuse-fake"]);
    assert.ok(isOneLineError(res), res.stderr);
    assert.match(res.stderr, /remove --no-reuse-fake/);
  });
});
