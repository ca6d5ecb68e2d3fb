/**
 * The GAN view's model overview (as in GAN Lab): G and D drawn as layer diagrams from the experiment spec
 * (src/spec/experiment.ts: `latentDim`, `generator.hidden`, `discriminator.hidden`, their activations), each
 * layer a bar whose height grows with log₂ of its width and labelled with its size, and the data flow
 * z → G → x_fake → D ← x_real → D(x). The MLPs are those `buildGan` builds: G maps R^k → R², D maps R² → R.
 */
import type { ExperimentSpec } from "../../../src/spec/experiment.ts";
import { el } from "../ui.ts";

/** The layer widths of G and D: input, hidden layers, output. */
export function layerSizes(spec: ExperimentSpec): { G: number[]; D: number[] } {
  return {
    G: [spec.latentDim, ...spec.generator.hidden, 2],
    D: [2, ...spec.discriminator.hidden, 1],
  };
}

/** Parameters of an MLP with these widths (weights and biases). */
export function parameterCount(sizes: readonly number[]): number {
  let n = 0;
  for (let i = 1; i < sizes.length; i++) n += sizes[i - 1] * sizes[i] + sizes[i];
  return n;
}

function network(name: "G" | "D", sizes: number[], activation: string, input: string, output: string) {
  const bars = sizes.map((w, i) => {
    const kind = i === 0 ? "input" : i === sizes.length - 1 ? "output" : activation;
    const bar = el("span", { class: "layer-bar" });
    bar.style.height = `${Math.round(10 + 9 * Math.log2(Math.max(1, w)))}px`;
    return el(
      "span",
      {
        class: `layer layer-${i === 0 ? "in" : i === sizes.length - 1 ? "out" : "hidden"}`,
        title: `${w} (${kind})`,
      },
      bar,
      el("span", { class: "layer-size", text: String(w) }),
      el("span", { class: "layer-kind", text: kind }),
    );
  });
  return el(
    "div",
    { class: `net net-${name}`, id: `gan-model-${name}`, "data-sizes": sizes.join(",") },
    el("span", { class: "flow-end", text: input }),
    el("span", { class: "arrow", text: "→" }),
    el(
      "span",
      { class: "net-box" },
      el("span", {
        class: "net-name",
        text: `${name} · ${parameterCount(sizes).toLocaleString("en")} parameters`,
      }),
      el("span", { class: "layers" }, ...bars),
    ),
    el("span", { class: "arrow", text: "→" }),
    el("span", { class: "flow-end", text: output }),
  );
}

/** The overview's figure, redrawn by `update` whenever the spec changes. */
export class ModelOverview {
  readonly root = el("figure", { id: "gan-model", class: "model-overview" });

  update(spec: ExperimentSpec): void {
    const { G, D } = layerSizes(spec);
    this.root.replaceChildren(
      network("G", G, spec.generator.activation, `z ∈ R${sup(spec.latentDim)}`, "x_fake"),
      network("D", D, spec.discriminator.activation, "x_fake, x_real", "D(x)"),
      el("figcaption", {
        text:
          `G maps latent z ~ N(0, I) in R${sup(spec.latentDim)} to a point x_fake in R²; D scores x_real (the data) ` +
          `and x_fake. Bars: layer widths (height ∝ log₂ width), ${spec.objective} objective.`,
      }),
    );
  }
}

const SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹";
const sup = (n: number) => [...String(n)].map((d) => SUP[Number(d)]).join("");
