/**
 * The lab's controls for a method's hyper-parameters, derived from the method modules' flags (src/methods,
 * `MethodFlag`): a menu for a parameter with choices or a method name, a slider for a number in its range.
 * A new method's parameters get controls without editing the views.
 */
import { METHOD_NAMES } from "../../src/methods/index.ts";
import type { MethodFlag } from "../../src/methods/method.ts";
import { findMethod, methodFlags } from "../../src/methods/registry.ts";
import { select, slider, type Control } from "./ui.ts";

/** The listed modules' flags for these parameters, one per flag (in list order; `methodFlags`). */
export const methodParamFlags = (params: readonly string[]): MethodFlag[] =>
  methodFlags().filter((f) => params.includes(f.param));

/** A control's label from a flag's help: "lookahead: fast steps k per slow update (default: 5)" → its text before the default. */
const labelOf = (f: MethodFlag): string => f.help.replace(/\s*\(default[^)]*\)\s*$/, "");

/** The largest value a slider offers for a number without an upper bound (or with a far one). */
const SLIDER_CAP = { integer: 50, real: 10 };

/**
 * The control of one flag, showing `value` (the state's, or the module's default), calling `set` with the
 * parameter's new value. Returns null for a flag whose pair element (`index`) the views set themselves.
 */
export function methodParamControl(
  f: MethodFlag,
  value: unknown,
  set: (v: unknown) => void,
  idPrefix: string,
): Control<unknown> | null {
  if (f.index !== undefined) return null;
  const id = `${idPrefix}-${f.flag.replace(/^--/, "")}`;
  const label = labelOf(f);
  if ("method" in f.value) {
    const names = METHOD_NAMES.filter((n) => findMethod(n)?.inner === undefined);
    const menu = select(label, names, String(value), set, id);
    return { row: menu.row, get: () => menu.get(), set: (v) => menu.set(String(v)) };
  }
  if ("choice" in f.value) {
    const { choice, values } = f.value;
    const wordOf = (v: unknown) => (values ? choice[Math.max(0, values.indexOf(v))] : String(v));
    const valueOf = (w: string) => (values ? values[choice.indexOf(w)] : w);
    const menu = select(label, choice, wordOf(value), (w) => set(valueOf(w)), id);
    return { row: menu.row, get: () => valueOf(menu.get()), set: (v) => menu.set(wordOf(v)) };
  }
  const r = f.value.number;
  const integer = r.integer === true;
  const min = r.min ?? r.above ?? 0;
  const cap = integer ? SLIDER_CAP.integer : SLIDER_CAP.real;
  const max = Math.min(r.max ?? r.below ?? cap, Math.max(cap, min + 1));
  const step = integer ? 1 : max - min <= 1 ? 0.01 : 0.05;
  const lo = r.above !== undefined && !integer ? r.above + step : min;
  const s = slider(label, { id, min: lo, max, step, value: Number(value) }, set);
  return { row: s.row, get: () => s.get(), set: (v) => s.set(Number(v)) };
}
