// Screenshots of the playground for docs/screenshots/ (light and dark theme, 1280x800), plus a
// 1024 px wide one to check the layout holds. Needs the page served at PLAYGROUND_URL.
//   node tests/screenshots.mjs [outDir]
import path from "node:path";
import { BASE_URL, freshContext, launch, waitForFindings } from "./browser.mjs";

const out = process.argv[2] ?? path.resolve(import.meta.dirname, "../../docs/screenshots");
const browser = await launch();

async function shot(name, { colorScheme, width = 1280, example, hoverText }) {
  const { context } = await freshContext(browser, { colorScheme, viewport: { width, height: 800 } });
  const page = await context.newPage();
  await page.goto(BASE_URL);
  await waitForFindings(page);
  if (example) {
    const shown = await page.evaluate(() => window.__iamlint.shown);
    await page.selectOption("#examples", example);
    await page.waitForFunction((n) => window.__iamlint.shown > n, shown);
  }
  if (hoverText) {
    const text = await page.evaluate(() => window.__iamlintText());
    const box = await page.evaluate((pos) => window.__iamlintCoords(pos), text.indexOf(hoverText) + 2);
    await page.mouse.move(box.left + 1, (box.top + box.bottom) / 2);
    await page.locator(".cm-tooltip-hover").waitFor();
  }
  await page.waitForTimeout(200);
  const file = path.isAbsolute(name) ? name : path.join(out, name);
  await page.screenshot({ path: file });
  await context.close();
  console.log(file);
}

try {
  await shot("playground-light.png", { colorScheme: "light", example: "broken", hoverText: "s3:ListBucket" });
  await shot("playground-dark.png", { colorScheme: "dark", example: "public-bucket" });
  await shot(process.env.NARROW_SHOT ?? "/tmp/playground-1024.png", { colorScheme: "light", width: 1024 });
} finally {
  await browser.close();
}
