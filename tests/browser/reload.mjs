// A page served by `booklet watch --serve` reloads itself after a rebuild, in Debian's
// Chromium. Usage: node tests/browser/reload.mjs URL TEXT
// Prints "opened" once the page is loaded (the test then edits an essay), then
// "reloaded" when the page has loaded again and shows TEXT; exits 1 after 90 s without.
import puppeteer from "puppeteer-core";

const [url, text] = process.argv.slice(2);
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync"],
});
try {
  const page = await browser.newPage();
  await page.goto(url, { waitUntil: "load" });
  let loads = 0;
  page.on("load", () => { loads += 1; });
  console.log("opened");
  const deadline = Date.now() + 90000;
  while (Date.now() < deadline) {
    await new Promise((done) => setTimeout(done, 200));
    if (loads > 0) {
      const shown = await page.evaluate(() => document.body.innerText).catch(() => "");
      if (shown.includes(text)) {
        console.log("reloaded");
        process.exitCode = 0;
        break;
      }
    }
  }
  if (process.exitCode !== 0) { console.log(`no reload showing ${text}`); process.exitCode = 1; }
} finally {
  await browser.close();
}
