/**
 * Lecture mode: guided steps, one per point of the lectures (shared/seeds/: Gidel's lecture 13, Mitliagkas's
 * "Some results on GAN dynamics", the "computing the GAN equilibrium" lecture; the Dirac-GAN facts of
 * Mescheder et al. 2018, cited by lecture 13). Each step is a lab state — a share link in the lab's own
 * format (src/share.ts) with `lecture=<id>` added — and a caption quoting the lecture's point, with the
 * number the page should show (the predicted ρ of the method's linearised update at ω*, REFERENCE.md's
 * verified values). No DOM here: the lecture bar (lecture-bar.ts) shows a step, the docs list the links.
 */
import { alternatingMethod } from "../../src/methods/alternating.ts";
import { consensusMethod } from "../../src/methods/consensus.ts";
import { extragradientMethod } from "../../src/methods/extragradient.ts";
import { proximalPointMethod } from "../../src/methods/proximal-point.ts";
import { simultaneousMethod } from "../../src/methods/simultaneous.ts";
import { parseSpec, type ExperimentInput } from "../../src/spec/experiment.ts";
import { DynStateSchema, type DynState } from "./dynamics/model.ts";
import { defaultLayers, encodeState, ZOOM, type LabState, type ViewName } from "./share.ts";

export interface LectureStep {
  /** The link's `lecture=` value. */
  id: string;
  title: string;
  /** Where the quote is from (a file of shared/seeds/ or REFERENCE.md) and how the lecture names it. */
  source: { file: string; lecture: string };
  /** The lecture's words, verbatim (markdown emphasis removed). */
  quote: string;
  /** What the step shows and what to look at. */
  note: string;
  view: ViewName;
  dyn?: Partial<DynState>;
  spec?: ExperimentInput;
  starts?: [number, number][];
  /** Dynamics steps: the spectral radius of the linearised update the page must show, and its word. */
  expect?: { rho: number; word: "diverges" | "cycles" | "converges" };
}

const GIDEL = {
  file: "gidel-lecture13-gan-training-to-differentiable-games.txt",
  lecture: "Gidel, lecture 13: from GAN training to differentiable games",
};
const MITLIAGKAS = {
  file: "mitliagkas-some-results-on-gan-dynamics.txt",
  lecture: "Mitliagkas, Some results on GAN dynamics",
};
const EQUILIBRIUM = {
  file: "computing-the-gan-equilibrium-lecture.txt",
  lecture: "Computing the GAN equilibrium",
};
const DIRAC = {
  file: "REFERENCE.md",
  lecture: "Dirac-GAN (Mescheder et al. 2018, in lecture 13's references)",
};

export const LECTURE: readonly LectureStep[] = [
  {
    id: "sim-gda",
    title: "Simultaneous GDA on θφ spirals out",
    source: GIDEL,
    quote: "Seems like the iterates diverges:",
    note:
      "min_θ max_φ θφ with θ₊ = θ − ηφ, φ₊ = φ + ηθ at η = 0.5: the update's eigenvalues are 1 ± ηi, so " +
      "‖ω_t‖ grows like ρᵗ with ρ = √(1 + η²) = 1.1180 (the eigenvalues lie outside the unit circle).",
    view: "dynamics",
    dyn: { game: "bilinear", method: simultaneousMethod.name, lr: 0.5, lrPhi: 0.5, steps: 30 },
    starts: [[0.5, 0.5]],
    expect: { rho: 1.118, word: "diverges" },
  },
  {
    id: "alt-gda",
    title: "Alternating GDA cycles",
    source: GIDEL,
    quote: "Standard Gradient Methods Fail to converge on a simple 2D example",
    note:
      "Alt-GDA uses θ_{t+1} in φ's step: φ₊ = φ + ηθ₊. On θφ at η = 0.5 both eigenvalues have modulus 1 " +
      "(ρ = 1.0000; ρ = 1 for every η < 2): the iterates stay bounded and circle ω* = 0 without converging.",
    view: "dynamics",
    dyn: { game: "bilinear", method: alternatingMethod.name, lr: 0.5, lrPhi: 0.5, steps: 150 },
    starts: [[1, 1]],
    expect: { rho: 1, word: "cycles" },
  },
  {
    id: "negative-momentum",
    title: "Negative momentum makes alternating GDA converge",
    source: MITLIAGKAS,
    quote: "Negative momentum is optimal on simple bilinear game",
    note:
      "Alternating GDA with Polyak momentum β = −0.1 at η = 0.5: ρ = 0.9806 < 1 (Gidel et al. 2019, " +
      "Theorem 3): the cycle of the previous step turns into a converging spiral.",
    view: "dynamics",
    dyn: {
      game: "bilinear",
      method: alternatingMethod.name,
      lr: 0.5,
      lrPhi: 0.5,
      momentum: -0.1,
      steps: 300,
    },
    starts: [[1, 1]],
    expect: { rho: 0.9806, word: "converges" },
  },
  {
    id: "positive-momentum",
    title: "Positive momentum makes it diverge",
    source: MITLIAGKAS,
    quote: "Positive momentum can be bad for adversarial games",
    note: "The same alternating GDA with β = +0.1: ρ = 1.0317 > 1, the iterates spiral out.",
    view: "dynamics",
    dyn: { game: "bilinear", method: alternatingMethod.name, lr: 0.5, lrPhi: 0.5, momentum: 0.1, steps: 100 },
    starts: [[1, 1]],
    expect: { rho: 1.0317, word: "diverges" },
  },
  {
    id: consensusMethod.name,
    title: "Consensus optimisation: a more conservative field",
    source: MITLIAGKAS,
    quote: "Idea 2: use L as regularizer",
    note:
      "Simultaneous GDA on v + γ∇L with L = ½‖v‖² (Mescheder et al. 2017) at η = 0.1, γ = 1: " +
      "ρ = √((1 − ηγ)² + η²) = 0.9055, where plain simultaneous GDA diverges.",
    view: "dynamics",
    dyn: { game: "bilinear", method: consensusMethod.name, lr: 0.1, lrPhi: 0.1, gamma: 1, steps: 150 },
    starts: [[1, 1]],
    expect: { rho: 0.9055, word: "converges" },
  },
  {
    id: proximalPointMethod.name,
    title: "The proximal point method converges",
    source: GIDEL,
    quote: "Proximal point methods Does Converge (but not practical-> implicit)",
    note:
      "θ₊ = θ − ηφ₊, φ₊ = φ + ηθ₊: an implicit update (solved by an inner loop here). At η = 0.5 " +
      "ρ = 1/√(1 + η²) = 0.8944.",
    view: "dynamics",
    dyn: { game: "bilinear", method: proximalPointMethod.name, lr: 0.5, lrPhi: 0.5, steps: 60 },
    starts: [[1, 1]],
    expect: { rho: 0.8944, word: "converges" },
  },
  {
    id: "dirac",
    title: "Dirac-GAN: GDA rotates around the equilibrium",
    source: DIRAC,
    quote: "pure rotation, no convergence for GDA",
    note:
      "Data at 0, G(z) = θ, D(x) = ψx. The Jacobian at (0, 0) has eigenvalues ±f′(0)i = ±0.5i: simultaneous " +
      "GDA at η = 0.2 has ρ = |1 ± 0.1i| = 1.0050 > 1. Away from ω* the game is not linear: the trajectory " +
      "from (0.5, 0.5) measures ρ ≈ 1.000 over 300 steps, a cycle that does not converge either.",
    view: "dynamics",
    dyn: {
      game: "dirac",
      objective: "non-saturating",
      gp: 0,
      method: simultaneousMethod.name,
      lr: 0.2,
      lrPhi: 0.2,
      steps: 300,
    },
    starts: [[0.5, 0.5]],
    expect: { rho: 1.005, word: "diverges" },
  },
  {
    id: "dirac-gp",
    title: "Dirac-GAN with a gradient penalty converges",
    source: DIRAC,
    quote: "A zero-centred gradient penalty (γ/2)ψ² moves them to",
    note:
      "With γ = 0.3 the eigenvalues of ∇v become 0.15 ± 0.477i (real part γ/2), so the same simultaneous " +
      "GDA at η = 0.2 has ρ = |1 − 0.2(0.15 ± 0.477i)| = 0.9747 < 1: the rotation is damped.",
    view: "dynamics",
    dyn: {
      game: "dirac",
      objective: "non-saturating",
      gp: 0.3,
      method: simultaneousMethod.name,
      lr: 0.2,
      lrPhi: 0.2,
      steps: 300,
    },
    starts: [[0.5, 0.5]],
    expect: { rho: 0.9747, word: "converges" },
  },
  {
    id: "mode-collapse",
    title: "Mode collapse on the ring",
    source: EQUILIBRIUM,
    quote: "Only generates samples that the discriminator likes best",
    note:
      "The minimax GAN on the 8-Gaussian ring, one D step per G step (alternating Adam). Press Run and watch " +
      "where the purple samples go relative to the red (D says real) regions, and the modes-covered count.",
    view: "gan",
    spec: { data: "ring", objective: "minimax", method: { name: alternatingMethod.name, steps: [1, 1] } },
  },
  {
    id: "mode-collapse-nd",
    title: "More discriminator steps per generator step",
    source: EQUILIBRIUM,
    quote: "Insufficient number of discriminator updates",
    note:
      "The lecture's N_d-step algorithm: k_D = 5 D steps for each G step on the same ring. Press Run and " +
      "compare the modes covered with the previous step at the same step count.",
    view: "gan",
    spec: { data: "ring", objective: "minimax", method: { name: alternatingMethod.name, steps: [1, 5] } },
  },
];

/** The lab state a step sets up (everything else at its default). */
export function lectureState(step: LectureStep): LabState {
  return {
    view: step.view,
    spec: parseSpec(step.spec ?? {}, `lecture step '${step.id}'`),
    dyn: DynStateSchema.parse(step.dyn ?? {}),
    methodB: extragradientMethod.name,
    points: null,
    layers: defaultLayers(),
    zoom: ZOOM.default,
    starts: step.starts ?? [],
  };
}

/** The query string ('?…') of a step: the state's share link with `lecture=<id>`. */
export function lectureQuery(step: LectureStep): string {
  return `${encodeState(lectureState(step))}&lecture=${step.id}`;
}

export function lectureStep(id: string | null): LectureStep | undefined {
  return id === null ? undefined : LECTURE.find((s) => s.id === id);
}

/** JSON with object keys sorted (so that two equal states compare equal whatever their keys' order). */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x !== null && typeof x === "object" && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : x,
  );
}

/** Whether the lab's state is still the step's setup (view, spec and dynamics state). */
export function atStep(step: LectureStep, s: LabState): boolean {
  const want = lectureState(step);
  return (
    s.view === want.view &&
    canonical(s.spec) === canonical(want.spec) &&
    canonical(s.dyn) === canonical(want.dyn)
  );
}
