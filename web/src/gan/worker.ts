/**
 * The lab's training worker: GAN sessions run here, off the page's main thread, so the page keeps drawing
 * at the display's frame rate while jitted training steps run back to back. Each round trains every
 * session for about `CHUNK_MS`, then posts one report per session (generated samples, D's heat map, G's
 * latent mesh, −∇ₓL_G arrows, a live row and any new CLI evaluation rows).
 */
import { initLabDevice } from "../device.ts";
import type { FromWorker, SessionReport, ToWorker } from "./protocol.ts";
import { GanSession } from "./session.ts";

const CHUNK_MS = 150;

let sessions: GanSession[] = [];
let sentRows: number[] = [];
let gen = 0;
let running = false;
let scheduled = false;
let msPerStep = 30;
let runSteps = 0;
let runMs = 0;
/** Steps per report while running; 0 = as many as fit in CHUNK_MS. */
let speed = 0;

const post = (m: FromWorker) => (self as unknown as { postMessage(m: FromWorker): void }).postMessage(m);
const ready = initLabDevice().then((device) => post({ kind: "device", device }));

function fail(e: unknown): void {
  running = false;
  post({ kind: "error", gen, message: (e as Error).message });
}

function report(): void {
  const items: SessionReport[] = sessions.map((s, i) => {
    const snap = s.snapshot();
    const live = s.liveRow(snap);
    const rows = s.rows.slice(sentRows[i]);
    sentRows[i] = s.rows.length;
    return {
      snap,
      live,
      rows,
      step: s.step,
      solo: [...s.solo],
      box: s.box,
      done: s.done,
      diverged: s.diverged,
    };
  });
  if (sessions.every((s) => s.done)) running = false;
  post({ kind: "report", gen, items, running, stepsPerSecond: runMs > 0 ? (runSteps / runMs) * 1000 : 0 });
}

function round(): void {
  scheduled = false;
  if (!running) return;
  try {
    const t = performance.now();
    const k =
      speed > 0
        ? speed
        : Math.max(1, Math.min(200, Math.round(CHUNK_MS / Math.max(msPerStep, 0.05) / sessions.length)));
    let ran = 0;
    for (const s of sessions) ran += s.train(k);
    report(); // reads the results back: the steps above have run by now
    const ms = performance.now() - t;
    if (ran > 0) msPerStep = 0.5 * msPerStep + 0.5 * (ms / ran);
    runSteps += ran;
    runMs += ms;
  } catch (e) {
    fail(e);
    return;
  }
  schedule();
}

function schedule(): void {
  if (running && !scheduled) {
    scheduled = true;
    setTimeout(round, 0);
  }
}

self.onmessage = (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  void ready.then(() => {
    try {
      if (m.kind === "start") {
        for (const s of sessions) s.dispose();
        sessions = [];
        gen = m.gen;
        running = false;
        runSteps = 0;
        runMs = 0;
        sessions = m.specs.map((spec) => new GanSession(spec, m.points));
        sentRows = sessions.map(() => 0);
        report();
      } else if (m.kind === "run") {
        running = m.on && sessions.some((s) => !s.done);
        schedule();
        if (!running) report();
      } else if (m.kind === "step") {
        const t = performance.now();
        let ran = 0;
        for (const s of sessions) ran += s.train(m.n);
        report();
        runSteps += ran;
        runMs += performance.now() - t;
      } else if (m.kind === "stepPlayer") {
        for (const s of sessions) s.trainPlayer(m.player, m.n);
        report();
      } else if (m.kind === "speed") {
        speed = m.steps;
      } else if (m.kind === "probe") {
        const s = sessions[m.session];
        post({ kind: "probe", id: m.id, values: s ? s.discriminatorAt(m.points) : [] });
      }
    } catch (err) {
      fail(err);
    }
  });
};
