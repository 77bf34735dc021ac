// Runs axe-core on each page in Debian's Chromium (no browser is downloaded) and prints, as JSON,
// each page's violations at each viewport, and whether it scrolls sideways when reflowed.
// Usage: node axe.mjs <file.html>...   (called by tests/test_accessibility.py)
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];
const VIEWPORTS = [{ width: 390, height: 844 }, { width: 1280, height: 900 }];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
const results = [];
try {
  for (const file of process.argv.slice(2)) {
    for (const viewport of VIEWPORTS) {
      const page = await browser.newPage({ viewport });
      await page.goto(pathToFileURL(file).href);
      await page.addScriptTag({ content: AXE });
      const axe = await page.evaluate(async (tags) => {
        const found = await window.axe.run(document, { runOnly: { type: "tag", values: tags } });
        return found.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                                             nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
      }, TAGS);
      results.push({ file, width: viewport.width, violations: axe });
      await page.close();
    }
    for (const [width, zoom] of [[320, 1], [640, 2]]) {       // 320 CSS px, and 1280 px at 200%
      const page = await browser.newPage({ viewport: { width, height: 800 }, deviceScaleFactor: zoom });
      await page.goto(pathToFileURL(file).href);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      results.push({ file, width, zoom, sideways: overflow > 0 ? overflow : 0 });
      await page.close();
    }
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(results));
