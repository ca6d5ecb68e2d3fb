/**
 * The lecture bar: a menu of the lecture's steps (web/src/lecture.ts) in the header and, while a step's link
 * is open, its title, the lecture's quote with its source, what to look at, and links to the previous and
 * next steps. Each entry is a plain link (the lab's share link with `lecture=<id>`), so a step opens the same
 * from the bar, from docs/lab.md or from a slide.
 */
import { atStep, LECTURE, lectureQuery, type LectureStep } from "./lecture.ts";
import { encodeState, type LabState } from "./share.ts";
import { el } from "./ui.ts";

export class LectureBar {
  /** The menu for the header. */
  readonly menu: HTMLElement;
  /** The step's panel (hidden outside lecture mode). */
  readonly root: HTMLElement;
  private readonly changed = el("p", { id: "lecture-changed", class: "lecture-changed", hidden: true });
  private readonly exit = el("a", { id: "lecture-exit", text: "End lecture" });

  constructor(readonly step: LectureStep | undefined) {
    const sel = el("select", { id: "lecture-select", "aria-label": "lecture step" });
    sel.append(el("option", { value: "", text: "Lecture…" }));
    LECTURE.forEach((s, i) =>
      sel.append(el("option", { value: s.id, text: `${i + 1}. ${s.title}`, selected: s === step })),
    );
    sel.addEventListener("change", () => {
      const s = LECTURE.find((x) => x.id === sel.value);
      if (s) location.assign(lectureQuery(s));
    });
    this.menu = el("div", { class: "lecture-menu" }, sel);
    this.root = el("section", {
      id: "lecture",
      class: "lecture",
      "aria-label": "lecture step",
      hidden: step === undefined,
    });
    if (!step) return;
    const i = LECTURE.indexOf(step);
    const link = (id: string, text: string, s: LectureStep | undefined) =>
      s
        ? el("a", { id, href: lectureQuery(s), text })
        : el("span", { id, class: "disabled", "aria-disabled": "true", text });
    this.root.dataset.step = step.id;
    this.root.append(
      el("h2", { id: "lecture-title", text: `Step ${i + 1} of ${LECTURE.length}: ${step.title}` }),
      el(
        "figure",
        {},
        el("blockquote", { id: "lecture-quote", text: `“${step.quote}”` }),
        el("figcaption", { id: "lecture-source", text: `— ${step.source.lecture}` }),
      ),
      el("p", { id: "lecture-note", text: step.note }),
      this.changed,
      el(
        "nav",
        { class: "lecture-nav", "aria-label": "lecture steps" },
        link("lecture-prev", "← Previous", LECTURE[i - 1]),
        el("a", { id: "lecture-restart", href: lectureQuery(step), text: "Restart step" }),
        link("lecture-next", "Next →", LECTURE[i + 1]),
        this.exit,
      ),
    );
  }

  /** The state changed: say whether it is still the step's setup; "End lecture" keeps the state. */
  update(state: LabState): void {
    if (!this.step) return;
    const at = atStep(this.step, state);
    this.changed.hidden = at;
    this.changed.textContent = at
      ? ""
      : "You have changed the step's setup: the caption describes the original (Restart step brings it back).";
    this.root.dataset.atStep = String(at);
    this.exit.setAttribute("href", encodeState(state));
  }
}
