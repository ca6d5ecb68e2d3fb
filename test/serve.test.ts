/** `saddle serve`: binds loopback by default, serves only the build folder, one-line errors. */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { parseHost, parsePort, resolveInside, startServer, type LabServer } from "../src/cli/serve.ts";
import { isOneLineError, ROOT, saddle } from "./helpers/cli.ts";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "saddle-serve-"));
const site = path.join(tmp, "site");
fs.mkdirSync(path.join(site, "assets"), { recursive: true });
fs.writeFileSync(path.join(site, "index.html"), "<!doctype html><title>lab</title>");
fs.writeFileSync(path.join(site, "assets", "app.js"), "console.log(1)");
fs.writeFileSync(path.join(tmp, "secret.txt"), "top secret");
fs.symlinkSync(path.join(tmp, "secret.txt"), path.join(site, "link.txt"));

/** A raw GET: the path is sent exactly as written (no client-side normalisation). */
function get(port: number, rawPath: string, host = `127.0.0.1:${port}`) {
  return new Promise<{ status: number; body: string; type?: string }>((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: rawPath, headers: { host } }, (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, type: res.headers["content-type"] }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("saddle serve", () => {
  let srv: LabServer;
  before(async () => {
    srv = await startServer({ dir: site, port: 0 });
  });
  after(async () => {
    await srv.close();
  });

  test("binds 127.0.0.1 by default and serves index.html and assets", async () => {
    assert.match(srv.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const r = await get(srv.port, "/");
    assert.equal(r.status, 200);
    assert.match(r.body, /<title>lab<\/title>/);
    assert.match(r.type ?? "", /text\/html/);
    const js = await get(srv.port, "/assets/app.js?v=1");
    assert.equal(js.status, 200);
    assert.match(js.type ?? "", /javascript/);
    assert.equal((await get(srv.port, "/nope.js")).status, 404);
  });

  test("refuses every path outside the build folder", async () => {
    for (const p of [
      "/../secret.txt",
      "/assets/../../secret.txt",
      "/%2e%2e/secret.txt",
      "/%2E%2E%2Fsecret.txt",
      "/..%2fsecret.txt",
      "/..%5csecret.txt",
      "/assets/%00.js",
      "/link.txt",
      "/%E0%A4%A",
    ]) {
      const r = await get(srv.port, p);
      assert.notEqual(r.status, 200, p);
      assert.doesNotMatch(r.body, /top secret/, p);
    }
    assert.equal(resolveInside(site, "/../secret.txt"), null);
    assert.equal(resolveInside(fs.realpathSync(site), "/link.txt"), null);
  });

  test("refuses a Host header that is not loopback (DNS rebinding)", async () => {
    const r = await get(srv.port, "/", "evil.example:80");
    assert.equal(r.status, 403);
    assert.equal((await get(srv.port, "/", `localhost:${srv.port}`)).status, 200);
  });

  test("port and host validation", () => {
    assert.equal(parsePort("8080"), 8080);
    assert.throws(() => parsePort("70000"), /--port: '70000' is not a port/);
    assert.throws(() => parsePort("abc"), /--port/);
    assert.throws(() => parsePort("-1"), /--port/);
    assert.equal(parseHost("0.0.0.0"), "0.0.0.0");
    assert.throws(() => parseHost("http://x/"), /--host/);
  });

  test("CLI: a bad port, a missing build and a taken port are one-line errors (exit 2)", async () => {
    const bad = await saddle(["serve", "--port", "99999", "--dir", site]);
    assert.ok(isOneLineError(bad), bad.stderr);
    assert.match(bad.stderr, /--port: '99999'/);
    const missing = await saddle(["serve", "--dir", path.join(tmp, "nothing-here"), "--port", "0"]);
    assert.ok(isOneLineError(missing), missing.stderr);
    assert.match(missing.stderr, /npm run build/);
    const taken = await saddle(["serve", "--dir", site, "--port", String(srv.port)]);
    assert.ok(isOneLineError(taken), taken.stderr);
    assert.match(taken.stderr, /already in use/);
  });

  test("CLI: prints the loopback URL and stops on SIGTERM", async () => {
    const child = spawn(process.execPath, [
      path.join(ROOT, "bin/saddle.js"),
      "serve",
      "--dir",
      site,
      "--port",
      "0",
    ]);
    const line = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (c) => {
        out += c;
        if (out.includes("\n")) resolve(out);
      });
      child.on("exit", (code) => reject(new Error(`exited ${code}`)));
    });
    assert.match(line, /saddle lab: http:\/\/127\.0\.0\.1:\d+\//);
    const port = Number(/:(\d+)\//.exec(line)?.[1]);
    assert.equal((await get(port, "/")).status, 200);
    const code = await new Promise<number | null>((resolve) => {
      child.on("exit", (c) => resolve(c));
      child.kill("SIGTERM");
    });
    assert.equal(code, 0);
  });
});
