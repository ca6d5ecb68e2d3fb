/**
 * The cost of a mixed-strategy (particle) GAN step against the plain GAN step it generalises: ms per outer
 * step of Mirror-GAN and Mirror-Prox-GAN (Hsieh, Liu & Cevher 2019, src/methods/mirror-gan.ts) with K
 * particles per player, beside one plain GAN step (K = 1, simultaneous GDA), at the default sizes
 * (G, D 2→128→128, batch 256, WGAN with clipping, float32, wasm). Every step is read back, as the trainer's
 * divergence check does. There is no PyTorch counterpart: the rows compare saddle with itself.
 * Usage: npm run bench:mixed [-- --steps 20 --particles 4 --json]
 */
import { random } from "@jax-js/jax";
import { ring } from "../src/data/toy2d/ring.ts";
import { UsageError } from "../src/engine/errors.ts";
import * as J from "../src/engine/joint.ts";
import * as T from "../src/engine/tree.ts";
import { gan, type GanOptions } from "../src/games/gan.ts";
import type { Game } from "../src/games/game.ts";
import { mixedGan } from "../src/games/mixed-gan.ts";
import { createMixedMethod, type MixedMethodSpec } from "../src/methods/mirror-gan.ts";
import type { Method } from "../src/methods/method.ts";
import { createMethod } from "../src/methods/registry.ts";

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : dflt;
};
const positiveInt = (name: string, dflt: string): number => {
  const v = Number(arg(name, dflt));
  if (!Number.isInteger(v) || v < 1) {
    process.stderr.write(
      `bench:mixed: --${name}: ${JSON.stringify(arg(name, ""))}: expected an integer ≥ 1\n`,
    );
    process.exit(2);
  }
  return v;
};
const steps = positiveInt("steps", "20");
const K = positiveInt("particles", "4");
const json = process.argv.includes("--json");

const opts: GanOptions = {
  data: ring(),
  generator: { hidden: [128, 128], activation: "relu" },
  discriminator: { hidden: [128, 128], activation: "relu" },
  latentDim: 2,
  objective: "wasserstein",
  objectiveOptions: { clip: 0.01 },
  batch: 256,
  seed: 0,
  dtype: "float32",
};

/** Median ms of one outer step (after one compiling step); checks that the timed steps moved the players. */
function time(game: Game, m: Method): number {
  let w = game.init();
  const w0 = J.toFloat64(T.ref(w));
  let s = m.init(w, random.key(0));
  [w, s] = m.step(w, s, random.key(1)); // compile
  J.toFloat64(T.ref(w));
  const times: number[] = [];
  for (let t = 0; t < steps; t++) {
    const t0 = performance.now();
    [w, s] = m.step(w, s, random.key(2 + t));
    J.toFloat64(T.ref(w));
    times.push(performance.now() - t0);
  }
  const w1 = J.toFloat64(w);
  const moved = w1.reduce((a, x, i) => Math.max(a, Math.abs(x - w0[i])), 0);
  T.dispose(s);
  if (!w1.every(Number.isFinite) || !(moved > 0)) throw new UsageError(`bench:mixed: ${m.name} did not step`);
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const rows: { what: string; ms: number }[] = [];
const plain = gan(opts);
rows.push({
  what: "plain GAN K = 1, simultaneous GDA (reference)",
  ms: time(plain, createMethod(plain, { name: "simultaneous", lr: [1e-3, 1e-3] })),
});
const mg = mixedGan({ ...opts, particles: K });
const cases: MixedMethodSpec[] = [
  { name: "mirror-gan", lr: [1e-3, 1e-3], innerSteps: 1 },
  { name: "mirror-gan", lr: [1e-3, 1e-3], innerSteps: 5, averaging: 0.9 },
  { name: "mirror-prox-gan", lr: [1e-3, 1e-3], innerSteps: 1 },
];
for (const c of cases)
  rows.push({ what: `${c.name} K = ${K}, K_in = ${c.innerSteps}`, ms: time(mg, createMixedMethod(mg, c)) });
if (json) process.stdout.write(JSON.stringify({ steps, particles: K, rows }) + "\n");
else for (const r of rows) console.log(`${r.what}: ${r.ms.toFixed(1)} ms / outer step`);
