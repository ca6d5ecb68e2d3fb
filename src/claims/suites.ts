/** Every claims suite, by name. Later work (mixtures, equilibria, images) adds its suite here. */
import type { Suite } from "./claim.ts";
import { dynamicsSuite } from "./dynamics-suite.ts";
import { equilibriaSuite } from "./equilibria-suite.ts";
import { mixturesSuite } from "./mixtures-suite.ts";

export const SUITES: readonly Suite[] = [dynamicsSuite, equilibriaSuite, mixturesSuite];
