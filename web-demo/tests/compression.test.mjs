// The server of the playground command (`vite preview` with web-demo/precompress.mjs) sends the
// brotli or gzip copy made at build time, with the right Content-Type and Content-Encoding, and
// the plain file to a client that accepts neither (issue 18, item 5).
import assert from "node:assert/strict";
import http from "node:http";
import { test } from "node:test";
import zlib from "node:zlib";
import { BASE_URL, freshContext, launch } from "./browser.mjs";

function get(url, acceptEncoding) {
  return new Promise((resolve, reject) => {
    const headers = acceptEncoding === null ? {} : { "accept-encoding": acceptEncoding };
    http
      .get(url, { headers }, (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on("error", reject);
  });
}

test("the wasm and the scripts come precompressed, and the same bytes decompressed", async () => {
  const html = (await get(BASE_URL, null)).body.toString("utf8");
  const wasm = new URL(html.match(/href="\.\/(assets\/[^"]+\.wasm)"/)[1], BASE_URL).href;
  const script = new URL(html.match(/src="\.\/(assets\/[^"]+\.js)"/)[1], BASE_URL).href;

  const plain = await get(wasm, null);
  assert.equal(plain.status, 200);
  assert.equal(plain.headers["content-encoding"], undefined);
  assert.equal(plain.headers["content-type"], "application/wasm");
  assert.ok(plain.body.length > 1_000_000);

  const br = await get(wasm, "gzip, deflate, br");
  assert.equal(br.headers["content-encoding"], "br");
  assert.equal(br.headers["content-type"], "application/wasm");
  assert.equal(br.headers.vary, "Accept-Encoding");
  assert.ok(br.body.length < plain.body.length / 2, `${br.body.length} bytes brotli`);
  assert.ok(zlib.brotliDecompressSync(br.body).equals(plain.body));

  const gz = await get(wasm, "gzip");
  assert.equal(gz.headers["content-encoding"], "gzip");
  assert.ok(zlib.gunzipSync(gz.body).equals(plain.body));
  // br refused with q=0: gzip.
  assert.equal((await get(wasm, "br;q=0, gzip")).headers["content-encoding"], "gzip");

  const js = await get(script, "br");
  assert.equal(js.headers["content-encoding"], "br");
  assert.match(js.headers["content-type"], /^text\/javascript/);
  assert.ok(zlib.brotliDecompressSync(js.body).equals((await get(script, null)).body));
});

test("Chromium gets the brotli wasm and the page works with it", async () => {
  const browser = await launch();
  try {
    const { context } = await freshContext(browser);
    const page = await context.newPage();
    const wasm = page.waitForResponse((r) => r.url().endsWith(".wasm"));
    await page.goto(BASE_URL);
    const response = await wasm;
    assert.equal((await response.allHeaders())["content-encoding"], "br");
    await page.waitForFunction(() => window.__iamlint?.firstFindingsAt !== null, null, { timeout: 15000 });
    assert.ok(Number(await page.locator("#findings").getAttribute("data-count")) > 0);
  } finally {
    await browser.close();
  }
});
