/**
 * Regenerates the lab's screenshots in docs/ (`npm run lab:screenshots`): builds the lab, serves it with
 * `startServer` (the code behind `saddle serve`) and drives Debian's Chromium headless (playwright-core).
 *
 * - docs/lab-dynamics.png: 1280×800, bilinear θφ, alternating GDA with negative momentum, three trajectories
 *   restored from the link;
 * - docs/lab-gan.png: 1280×800, the default ring GAN after `STEPS` training steps (paused);
 * - docs/lab-phone.png: 600×900, the same GAN view on a phone.
 *
 * Needs /usr/bin/chromium (or CHROMIUM_PATH). `STEPS=500 npm run lab:screenshots` trains longer.
 */
import fs from "node:fs";
import path from "node:path";
import { chromium, type Page } from "playwright-core";
import { build } from "vite";
import { startServer } from "../src/cli/serve.ts";
import { LECTURE, lectureQuery } from "../web/src/lecture.ts";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const STEPS = Number(process.env.STEPS ?? 300);
const DOCS = path.join(ROOT, "docs");

if (!fs.existsSync(CHROMIUM)) {
  console.error(
    `lab:screenshots: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`,
  );
  process.exit(2);
}
if (!Number.isInteger(STEPS) || STEPS < 1) {
  console.error(`lab:screenshots: STEPS = '${process.env.STEPS}': allowed: a whole number ≥ 1`);
  process.exit(2);
}

await build({ configFile: path.join(ROOT, "web/vite.config.ts"), logLevel: "error" });
const server = await startServer({ dir: path.join(ROOT, "web/dist"), port: 0 });
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});

async function open(query: string, width: number, height: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height } });
  page.on("pageerror", (e) => console.error(`page error: ${e.message}`));
  await page.goto(server.url + query);
  await page.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
  return page;
}

async function trainGan(page: Page): Promise<void> {
  await page.click("#gan-run");
  await page.waitForFunction(
    `Number(document.querySelector("#gan-stats")?.dataset.step) >= ${STEPS}`,
    undefined,
    {
      timeout: 600_000,
      polling: 500,
    },
  );
  await page.click("#gan-run");
  await page.waitForFunction(`document.querySelector("#gan-status")?.textContent === "paused"`);
  await page.waitForTimeout(300);
}

try {
  const dyn = {
    method: "alternating",
    momentum: -0.3,
    lr: 0.5,
    lrPhi: 0.5,
  };
  const dynPage = await open(
    `?view=dynamics&dyn=${encodeURIComponent(JSON.stringify(dyn))}&traj=${encodeURIComponent("1.5,1;-1.8,0.6;0.4,-1.9")}`,
    1280,
    800,
  );
  await dynPage.waitForFunction(
    `document.querySelector("#dyn-field")?.dataset.trajectories === "3"`,
    undefined,
    {
      timeout: 60_000,
    },
  );
  await dynPage.waitForTimeout(300);
  await dynPage.screenshot({ path: path.join(DOCS, "lab-dynamics.png") });
  await dynPage.close();

  const gan = await open("?view=gan", 1280, 800);
  await trainGan(gan);
  await gan.screenshot({ path: path.join(DOCS, "lab-gan.png") });
  await gan.close();

  // lecture mode: the negative-momentum step
  const step = LECTURE.find((x) => x.id === "negative-momentum")!;
  const lec = await open(lectureQuery(step), 1280, 800);
  await lec.waitForFunction(
    `document.querySelector("#dyn-field")?.dataset.trajectories === "${step.starts?.length ?? 0}"`,
    undefined,
    { timeout: 60_000 },
  );
  await lec.waitForTimeout(300);
  await lec.screenshot({ path: path.join(DOCS, "lab-lecture.png") });
  await lec.close();

  const phone = await open("?view=gan", 600, 900);
  await trainGan(phone);
  await phone.screenshot({ path: path.join(DOCS, "lab-phone.png") });
  await phone.close();
  console.log(
    `lab:screenshots: docs/lab-dynamics.png, docs/lab-gan.png, docs/lab-lecture.png, docs/lab-phone.png (${STEPS} GAN steps)`,
  );
} finally {
  await browser.close();
  await server.close();
}
