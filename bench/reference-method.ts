/**
 * The update every GAN bench times (REFERENCE.md's benchmark protocol, the PyTorch baselines' loop): one
 * alternating round, D first, Adam(2e-4, β = (0.5, 0.999)) for both players.
 */
import { alternatingMethod } from "../src/methods/alternating.ts";
import type { MethodSpec } from "../src/methods/spec.ts";

export function referenceMethod(reuseFake = false): MethodSpec {
  return {
    name: alternatingMethod.name,
    lr: [2e-4, 2e-4],
    optimizer: ["adam", "adam"],
    betas: [0.5, 0.999],
    first: 1,
    ...(reuseFake ? { reuseFake: true } : {}),
  };
}
