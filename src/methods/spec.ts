/**
 * The data that names a method and its hyper-parameters. The CLI, specs and web lab produce it;
 * `createMethod` (registry.ts) builds the runnable Method from it and `updateOperator`
 * (src/analysis/operators.ts) builds the exact linearised update operator from the same object. The
 * method names come from the module list (index.ts); each module's `params` schema holds its
 * hyper-parameters' defaults and ranges (e.g. consensus's γ, alternating's k_θ : k_φ).
 */
import type { MethodName } from "./index.ts";
import type { MethodSpecBase } from "./method.ts";

export { METHOD_NAMES, type MethodName } from "./index.ts";
export { COMMON_DEFAULTS, OPTIMIZERS, type OptimizerName } from "./method.ts";

/** A MethodSpec of one of the listed methods. */
export interface MethodSpec extends MethodSpecBase {
  name: MethodName;
}
