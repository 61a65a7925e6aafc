// A phone-sized screen (issue 18, item 4): 375 x 667 CSS pixels as a mobile browser lays it out.
// Nothing is wider than the screen, the page scrolls as a whole (no nested scroll box), and the
// findings below the editor are there at full length.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { BASE_URL, launch, waitForFindings } from "./browser.mjs";

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

test("375 px: no horizontal scroll, header fits, findings below the editor in the page's scroll", async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto(BASE_URL);
  await waitForFindings(page);
  const layout = await page.evaluate(() => {
    const wide = [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ""}`);
    const pane = document.querySelector(".findings-pane");
    return {
      // A mobile browser widens its layout viewport to fit content that is too wide.
      innerWidth: window.innerWidth,
      scrollWidth: document.documentElement.scrollWidth,
      header: document.querySelector(".topbar").getBoundingClientRect().width,
      wide: [...new Set(wide)].slice(0, 10),
      paneScrolls: pane.scrollHeight > pane.clientHeight + 1,
      pageScrolls: document.documentElement.scrollHeight > window.innerHeight,
      editorBottom: document.querySelector(".editor-pane").getBoundingClientRect().bottom,
      findingsTop: document.getElementById("findings").getBoundingClientRect().top,
    };
  });
  assert.equal(layout.innerWidth, 375);
  assert.ok(layout.scrollWidth <= 375, `page is ${layout.scrollWidth} px wide`);
  assert.ok(layout.header <= 375, `header is ${layout.header} px wide`);
  assert.deepEqual(layout.wide, []);
  assert.equal(layout.paneScrolls, false, "the findings pane has no scroll box of its own");
  assert.ok(layout.pageScrolls);
  assert.ok(layout.findingsTop >= layout.editorBottom, "findings come after the editor");

  // Scrolled to, the findings are on screen whole: the first one's message and its fix buttons.
  const first = page.locator("#findings li.finding").first();
  await first.scrollIntoViewIfNeeded();
  const box = await first.boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 375, `finding at x ${box.x}, ${box.width} wide`);
  assert.ok(box.y >= 0 && box.y < 667, "the first finding is on screen");
  assert.ok(await first.locator(".message").isVisible());
  const count = Number(await page.locator("#findings").getAttribute("data-count"));
  assert.equal(await page.locator("#findings li.finding").count(), count);
  const last = page.locator("#findings li.finding").last();
  await last.scrollIntoViewIfNeeded();
  assert.ok(await last.isVisible());
  await context.close();
});
