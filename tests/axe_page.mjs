// axe-core on one HTML file, in Debian's Chromium driven by puppeteer-core.
// Usage: node tests/axe_page.mjs FILE.html  -> JSON {violations: [...], passes: N} on stdout.
// Every rule axe runs by default (WCAG 2.x A and AA, best practices) counts, at any impact.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const file = process.argv[2];
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"],
});
try {
  const page = await browser.newPage();
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  const result = await page.evaluate(() => axe.run(document));
  console.log(JSON.stringify({
    violations: result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => n.target.join(" ")),
    })),
    passes: result.passes.length,
  }));
} finally {
  await browser.close();
}
