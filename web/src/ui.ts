/** Small DOM helpers: labelled controls that are keyboard operable (native inputs, selects and buttons). */

type Attrs = Record<string, string | number | boolean>;

/** document.createElement with attributes and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") e.textContent = String(v);
    else if (typeof v === "boolean") {
      if (v) e.setAttribute(k, "");
    } else e.setAttribute(k, String(v));
  }
  for (const c of children) e.append(c);
  return e;
}

let uid = 0;
const nextId = (prefix: string) => `${prefix}-${++uid}`;

export interface Control<T> {
  row: HTMLElement;
  get(): T;
  set(v: T): void;
}

/** A labelled range slider with its value shown; `onInput` fires on every move. */
export function slider(
  label: string,
  opts: { id?: string; min: number; max: number; step: number; value: number; log?: boolean },
  onInput: (v: number) => void,
): Control<number> {
  const id = opts.id ?? nextId("s");
  const toPos = (v: number) => (opts.log ? Math.log10(v) : v);
  const fromPos = (p: number) => (opts.log ? Number((10 ** p).toPrecision(3)) : p);
  const input = el("input", {
    type: "range",
    id,
    min: toPos(opts.min),
    max: toPos(opts.max),
    step: opts.log ? 0.01 : opts.step,
    value: toPos(opts.value),
  });
  const out = el("output", { for: id, class: "value" });
  let value = opts.value;
  const show = () => {
    out.textContent = String(value);
    input.setAttribute("aria-valuetext", String(value));
  };
  show();
  input.addEventListener("input", () => {
    value = fromPos(Number(input.value));
    show();
    onInput(value);
  });
  const row = el("div", { class: "control" }, el("label", { for: id, text: label }), input, out);
  return {
    row,
    get: () => value,
    set: (v: number) => {
      value = v;
      input.value = String(toPos(v));
      show();
    },
  };
}

/** A labelled select. */
export function select<T extends string>(
  label: string,
  options: readonly T[],
  value: T,
  onChange: (v: T) => void,
  id?: string,
): Control<T> {
  const sid = id ?? nextId("sel");
  const s = el("select", { id: sid });
  for (const o of options) s.append(el("option", { value: o, text: o }));
  s.value = value;
  s.addEventListener("change", () => onChange(s.value as T));
  const row = el("div", { class: "control" }, el("label", { for: sid, text: label }), s);
  return { row, get: () => s.value as T, set: (v: T) => void (s.value = v) };
}

/** A labelled number input; invalid entries are ignored (the field turns red). */
export function numberInput(
  label: string,
  opts: { id?: string; min: number; max: number; step: number; value: number },
  onChange: (v: number) => void,
): Control<number> {
  const id = opts.id ?? nextId("n");
  const input = el("input", {
    type: "number",
    id,
    min: opts.min,
    max: opts.max,
    step: opts.step,
    value: opts.value,
  });
  input.addEventListener("change", () => {
    const v = Number(input.value);
    const ok = input.value !== "" && Number.isFinite(v) && v >= opts.min && v <= opts.max;
    input.classList.toggle("invalid", !ok);
    input.setAttribute("aria-invalid", String(!ok));
    if (ok) onChange(v);
  });
  const row = el("div", { class: "control" }, el("label", { for: id, text: label }), input);
  return { row, get: () => Number(input.value), set: (v: number) => void (input.value = String(v)) };
}

export function button(text: string, onClick: () => void, attrs: Attrs = {}): HTMLButtonElement {
  const b = el("button", { type: "button", ...attrs, text });
  b.addEventListener("click", onClick);
  return b;
}

/** Shows or hides a control row. */
export const showIf = (row: HTMLElement, visible: boolean): void => {
  row.hidden = !visible;
};

/** A number for humans: 4 significant digits, exponent when tiny or huge. */
export function fmt(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined) return "—";
  if (!Number.isFinite(x)) return x > 0 ? "∞" : x < 0 ? "−∞" : "NaN";
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e5 || a < 1e-3) return x.toExponential(digits - 1);
  return String(Number(x.toPrecision(digits)));
}
