import { test } from "node:test";
import assert from "node:assert/strict";
import { random } from "@jax-js/jax";
import { useDevice } from "../src/engine/device.ts";
import { keyFor, keyStream, splitNext } from "../src/engine/rng.ts";

await useDevice("wasm");

test("splitNext gives the keys of random.split(k, 2), bit for bit, along a stream", () => {
  let a = keyFor(3, "noise");
  let b = keyFor(3, "noise");
  for (let t = 0; t < 5; t++) {
    const ks = random.split(a, 2);
    a = ks.ref.slice(0);
    const stepA = Array.from(ks.slice(1).dataSync());
    const [next, step] = splitNext(b);
    b = next;
    const stepB = Array.from(step.dataSync());
    assert.deepEqual(stepB, stepA, `step key ${t}`);
  }
  assert.deepEqual(Array.from(b.dataSync()), Array.from(a.dataSync()), "the stream's key after 5 steps");
});

test("keyStream's keys are the random.split(k, 2) step keys of the stream, in order", () => {
  let a = keyFor(5, "data");
  const keys = keyStream(5, "data");
  const seen = new Set<string>();
  for (let t = 0; t < 4; t++) {
    const ks = random.split(a, 2);
    a = ks.ref.slice(0);
    const want = Array.from(ks.slice(1).dataSync());
    const got = Array.from(keys.next().dataSync());
    assert.deepEqual(got, want, `step key ${t}`);
    seen.add(got.join(","));
  }
  assert.equal(seen.size, 4, "every step gets a fresh key");
  keys.dispose();
  a.dispose();
});
