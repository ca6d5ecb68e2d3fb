/**
 * The web lab end to end: builds it (Vite), serves it with `startServer` (the code behind `saddle serve`)
 * and drives Debian's Chromium headless through playwright-core. Screenshots go to test-artifacts/.
 * Prints frames per second and training steps per second (reported, not asserted).
 *
 * Needs /usr/bin/chromium (`apt-get install -y chromium`; .ci/run installs it); skipped with a message
 * when it is missing.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { chromium, type Browser, type ConsoleMessage, type Page } from "playwright-core";
import { build } from "vite";
import { startServer, type LabServer } from "../src/cli/serve.ts";
import { ROOT } from "./helpers/cli.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARTIFACTS = path.join(ROOT, "test-artifacts");
const haveChromium = fs.existsSync(CHROMIUM);

/** `document.querySelector(sel)` as page-side source (this tsconfig has no DOM types; the page has). */
const q = (sel: string): string => `document.querySelector(${JSON.stringify(sel)})`;
/** An element's data-* attributes. */
const dataset = async (page: Page, sel: string): Promise<Record<string, string>> =>
  JSON.parse((await page.evaluate(`JSON.stringify({ ...${q(sel)}.dataset })`)) as string) as Record<
    string,
    string
  >;
if (!haveChromium) console.log(`# lab e2e skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);

describe("web lab in headless Chromium", { skip: !haveChromium, timeout: 240_000 }, () => {
  let server: LabServer;
  let browser: Browser;
  const problems: string[] = [];

  const open = async (query = "", viewport = { width: 1280, height: 800 }): Promise<Page> => {
    const page = await browser.newPage({ viewport });
    page.on("console", (m: ConsoleMessage) => {
      if (m.type() === "error") problems.push(`console error: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    // A script error before the page is ready (e.g. a Node-only module in the bundle) fails at once, naming it.
    let failEarly = (_e: Error): void => undefined;
    const failed = new Promise<never>((_, reject) => {
      failEarly = (e) => reject(new Error(`page error before the lab was ready: ${e.message}`));
    });
    page.on("pageerror", failEarly);
    try {
      await page.goto(server.url + query);
      await Promise.race([page.waitForSelector("body[data-ready=true]", { timeout: 60_000 }), failed]);
    } finally {
      page.off("pageerror", failEarly);
    }
    return page;
  };
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });

  before(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const t = performance.now();
    await build({ configFile: path.join(ROOT, "web/vite.config.ts"), logLevel: "error" });
    console.log(`# lab build: ${((performance.now() - t) / 1000).toFixed(1)} s`);
    server = await startServer({ dir: path.join(ROOT, "web/dist"), port: 0 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test("the page loads without console errors and shows the device", async () => {
    const page = await open();
    const device = await page.textContent("#device");
    assert.match(device ?? "", /device: (wasm|webgpu)/);
    await page.waitForSelector("#dyn-eig-list li");
    await shot(page, "dynamics-1280x800");
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("dynamics: a click adds a trajectory; switching the method changes the eigenvalues", async () => {
    const page = await open("?view=dynamics");
    const count = () => page.getAttribute("#dyn-field", "data-trajectories");
    assert.equal(await count(), "0");
    const eig = () => page.getAttribute("#dyn-eig", "data-eigenvalues");
    await page.waitForFunction(`${q("#dyn-eig")}?.getAttribute("data-eigenvalues")`);
    const before = JSON.parse((await eig()) ?? "[]") as number[][];
    await page.click("#dyn-field", { position: { x: 150, y: 120 } });
    await page.waitForFunction(`${q("#dyn-field")}?.getAttribute("data-trajectories") === "1"`);
    assert.match((await page.textContent("#dyn-measured")) ?? "", /^1\.0198/); // √(1 + 0.2²) on θφ
    // keyboard: focus the field, move the cursor, Enter starts another trajectory
    await page.focus("#dyn-field");
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("Enter");
    await page.waitForFunction(`${q("#dyn-field")}?.getAttribute("data-trajectories") === "2"`);
    await page.selectOption("#dyn-method", "extragradient");
    await page.waitForFunction(
      `${q("#dyn-eig")}?.getAttribute("data-eigenvalues") !== ${JSON.stringify(JSON.stringify(before))}`,
    );
    const after = JSON.parse((await eig()) ?? "[]") as number[][];
    assert.notDeepEqual(after, before);
    assert.ok(
      after.every(([re, im]) => Math.hypot(re, im) < 1),
      `extragradient at η = 0.2 contracts: ${JSON.stringify(after)}`,
    );
    assert.match((await page.textContent("#dyn-verdict")) ?? "", /converges/);
    // a slider updates live: the Dirac-GAN with a gradient penalty
    await page.selectOption("#dyn-game", "dirac");
    await page.fill("#dyn-gp", "0.3");
    await page.dispatchEvent("#dyn-gp", "input");
    // eig ∇v = γ/2 ± √(γ²/4 − 1/4) = 0.15 ± 0.477i
    await page.waitForFunction(`/0\\.15 \\+ 0\\.4770?i/.test(${q("#dyn-jac-eig")}?.textContent ?? "")`);
    await shot(page, "dynamics-dirac-gp");
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("GAN: Run advances the step counter and the metrics; modes covered rises above 1", async () => {
    const page = await open("?view=gan");
    await page.click("#gan-run");
    const t0 = Date.now();
    await page.waitForFunction(
      `Number(${q("#gan-stats")}?.dataset.step) >= 20 && Number(${q("#gan-stats")}?.dataset.modes) > 1`,
      undefined,
      { timeout: 90_000, polling: 250 },
    );
    const first = await dataset(page, "#gan-stats");
    await page.waitForTimeout(4000); // measure a few seconds of steady running
    const s = await dataset(page, "#gan-stats");
    assert.ok(Number(s.step) > Number(first.step), `step ${first.step} → ${s.step}`);
    assert.notEqual(s.lossD, first.lossD);
    assert.ok(Number(s.modes) > 1);
    console.log(
      `# lab GAN (default ring, ${await page.textContent("#gan-device")}): ${Number(s.fps).toFixed(1)} frames/s, ` +
        `${Number(s.sps).toFixed(1)} training steps/s, step ${s.step}, modes covered ${s.modes}/8 ` +
        `(first > 1 after ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
    );
    await shot(page, "gan-ring-running");
    await page.click("#gan-run"); // pause
    await page.waitForFunction(`${q("#gan-status")}?.textContent === "paused"`);
    const paused = Number((await dataset(page, "#gan-stats")).step);
    const [dl] = await Promise.all([page.waitForEvent("download"), page.click("#download-metrics")]);
    const metricsFile = path.join(ARTIFACTS, dl.suggestedFilename());
    await dl.saveAs(metricsFile);
    const rows = fs
      .readFileSync(metricsFile, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { step: number; lossD: number });
    assert.ok(rows.length > 2 && rows[rows.length - 1].step > rows[0].step, metricsFile);
    await page.click("#gan-step");
    await page.waitForFunction(`Number(${q("#gan-stats")}?.dataset.step) === ${paused + 1}`);
    await page.click("#gan-reset");
    await page.waitForFunction(`${q("#gan-status")}?.textContent === "not started"`);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("GAN on drawn clusters: the heat map shows D where D was evaluated", async () => {
    const page = await open("?view=gan");
    await page.selectOption("#gan-data", "draw");
    const box = await page.locator("#gan-main").boundingBox();
    assert.ok(box);
    const clusters: [number, number][] = [
      [0.3, 0.3],
      [0.72, 0.66],
    ];
    for (const [fx, fy] of clusters) {
      await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * fx + 4, box.y + box.height * fy + 3, { steps: 4 });
      await page.mouse.up();
    }
    await page.click("#gan-run");
    await page.waitForFunction(`Number(${q("#gan-stats")}?.dataset.step) >= 300`, undefined, {
      timeout: 120_000,
      polling: 200,
    });
    await page.click("#gan-run");
    await page.waitForFunction(`${q("#gan-status")}?.textContent === "paused"`);
    for (const layer of ["real", "fake", "arrows", "modes"]) await page.uncheck(`#gan-show-${layer}`);
    await page.waitForTimeout(300); // the next frame draws the heat map alone
    // pixels along the segment between the clusters and off it (away from the axis lines at 0)
    const px: [number, number][] = [];
    const [a, b] = clusters.map(([fx, fy]) => [fx * box.width, fy * box.height]);
    for (const t of [0, 0.2, 0.4, 0.65, 0.85, 1])
      for (const off of [0, 25]) px.push([a[0] + t * (b[0] - a[0]) + off, a[1] + t * (b[1] - a[1]) - off]);
    const read = JSON.parse(
      (await page.evaluate(`(async () => {
        const lab = window.__lab.gan;
        const px = ${JSON.stringify(px)};
        const shown = px.map(([x, y]) => lab.heatValueAt(x, y));
        const at = px.map(([x, y]) => lab.toData(x, y));
        const d = await lab.probe(at);
        return JSON.stringify({ shown, at, d });
      })()`)) as string,
    ) as { shown: (number | null)[]; at: number[][]; d: number[] };
    const errs = read.shown.map((v, i) => (v === null ? Infinity : Math.abs(v - read.d[i])));
    const spread = Math.max(...read.d) - Math.min(...read.d);
    console.log(
      `# lab heat map on drawn data: D evaluated ${read.d.map((x) => x.toFixed(3)).join(" ")}; ` +
        `read from the picture ${read.shown.map((x) => x?.toFixed(3)).join(" ")}; largest error ${Math.max(...errs).toFixed(3)}`,
    );
    assert.ok(
      spread > 0.1,
      `D varies over the points (spread ${spread.toFixed(3)}), so a misplaced map shows`,
    );
    assert.ok(Math.max(...errs) < 0.05, `picture vs D: ${JSON.stringify(read)}`);
    await shot(page, "gan-drawn-heat");
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("GAN on drawn points and on an uploaded CSV (a bad CSV names the line)", async () => {
    const page = await open("?view=gan");
    await page.selectOption("#gan-data", "draw");
    const box = await page.locator("#gan-main").boundingBox();
    assert.ok(box);
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.6, { steps: 8 });
    await page.mouse.up();
    await page.click("#gan-step");
    await page.waitForFunction(`Number(${q("#gan-stats")}?.dataset.step) === 1`, undefined, {
      timeout: 60_000,
    });
    assert.match(await page.inputValue("#share-link"), /points=/);
    await shot(page, "gan-drawn");
    await page.selectOption("#gan-data", "csv");
    const rows = Array.from({ length: 200 }, (_, i) => `${i % 2 ? 1 : -1},${((i % 7) - 3) / 10}`);
    await page.setInputFiles("#gan-csv", {
      name: "two blobs.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(`x,y\n${rows.join("\n")}\n`),
    });
    await page.click("#gan-step");
    await page.waitForFunction(
      `Number(${q("#gan-stats")}?.dataset.step) === 1 && ${q("#gan-status")}?.textContent === "paused"`,
      undefined,
      { timeout: 60_000 },
    );
    assert.match(await page.inputValue("#share-link"), /two_blobs\.csv/);
    await page.setInputFiles("#gan-csv", {
      name: "bad.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("x,y\n1,2\n3,oops\n"),
    });
    await page.waitForFunction(`/line 3 column 2/.test(${q("#message")}?.textContent ?? "")`);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("compare: two methods train side by side", async () => {
    const page = await open("?view=compare");
    await page.selectOption("#cmp-method-b", "optimistic");
    await page.click("#cmp-step");
    await page.waitForFunction(
      `${q("#cmp-stats-A")}?.dataset.step === "1" && ${q("#cmp-stats-B")}?.dataset.step === "1"`,
      undefined,
      { timeout: 60_000 },
    );
    assert.match((await page.textContent("figure.cmp-panel figcaption")) ?? "", /A: alternating/);
    await shot(page, "compare");
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("share: a spec link round-trips; the downloaded spec is the state's spec", async () => {
    const page = await open("?view=gan");
    await page.selectOption("#gan-objective", "hinge");
    await page.selectOption("#gan-method", "extragradient");
    await page.selectOption("#gan-data", "grid");
    await page.fill("#gan-seed", "7");
    await page.dispatchEvent("#gan-seed", "change");
    await page.click("#copy-link");
    const link = await page.inputValue("#share-link");
    assert.match(link, /spec=/);
    const page2 = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page2.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    await page2.goto(link);
    await page2.waitForSelector("body[data-ready=true]");
    assert.equal(await page2.inputValue("#gan-objective"), "hinge");
    assert.equal(await page2.inputValue("#gan-method"), "extragradient");
    assert.equal(await page2.inputValue("#gan-data"), "grid");
    assert.equal(await page2.inputValue("#gan-seed"), "7");
    assert.equal(await page2.inputValue("#share-link"), link);
    const [download] = await Promise.all([page2.waitForEvent("download"), page2.click("#download-spec")]);
    const file = path.join(ARTIFACTS, "downloaded-spec.json");
    await download.saveAs(file);
    const spec = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
    assert.equal(spec.objective, "hinge");
    assert.equal(spec.method, "extragradient");
    assert.equal(spec.data, "grid");
    assert.equal(spec.seed, 7);
    assert.equal(await page2.isHidden("#message"), true);
    await page2.close();
    await page.close();
    assert.deepEqual(problems, []);
  });

  test("an invalid spec in the link is a clear message naming the field", async () => {
    const page = await open(`?view=gan&spec=${encodeURIComponent(JSON.stringify({ lrG: -1 }))}`);
    const msg = (await page.textContent("#message")) ?? "";
    assert.match(msg, /Invalid link/);
    assert.match(msg, /field 'lrG' = -1/);
    await shot(page, "invalid-link");
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("readable on a narrow window: no horizontal scrolling", async () => {
    const page = await open("?view=gan", { width: 420, height: 900 });
    const overflow = (await page.evaluate(
      "document.documentElement.scrollWidth - window.innerWidth",
    )) as number;
    assert.ok(overflow <= 1, `page is ${overflow}px wider than the window`);
    await shot(page, "gan-narrow-420");
    await page.close();
    assert.deepEqual(problems, []);
  });
});
