// The web edition in a real browser: Debian's Chromium, driven by puppeteer-core (no
// browser download), with axe-core injected into every page.
//
//   node tests/browser/check.mjs '{"base": "http://127.0.0.1:PORT/", "pages": [...],
//                                  "screenshots": {"dir": "...", "pages": [...]}}'
//
// Prints one JSON report on stdout; tests/test_web_browser.py judges it. For every page,
// at 1280 and 360 px wide, light and dark (prefers-color-scheme), and once more with the
// print page numbers turned on: axe's violations (every rule axe runs by default, of any
// impact), and what is wider than the viewport. At 320 px (the 400 % zoom of WCAG's
// reflow criterion) and at 200 % zoom, the widths again. 200 % zoom is what a browser
// zoomed to 200 % in a 1280 px window lays out: a 640 CSS px viewport at a device scale
// factor of 2. Every link into the site is followed: its page must load and its fragment
// name an element. Every request the pages make is intercepted; any that would leave
// 127.0.0.1 is refused and reported.

import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
const config = JSON.parse(process.argv[2]);
const base = new URL(config.base);

const report = { axe: [], overflow: [], links: [], outside: [], failed: [], toggle: [],
                 checked: { axe: 0, overflow: 0, links: 0 } };

const profile = mkdtempSync(join(tmpdir(), "booklet-chromium-"));
const browser = await puppeteer.launch({
  executablePath: process.env.PUPPETEER_EXECUTABLE_PATH || "/usr/bin/chromium",
  headless: true,
  userDataDir: profile,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync"],
});

async function newPage() {
  const page = await browser.newPage();
  // Every load asks the server: a cached page's 304 would hide whether it is there.
  await page.setCacheEnabled(false);
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.protocol === "data:" || (url.protocol === "http:" && url.hostname === base.hostname
                                     && url.port === base.port)) {
      request.continue();
    } else {
      report.outside.push({ from: page.url(), url: request.url() });
      request.abort("blockedbyclient");
    }
  });
  page.on("requestfailed", (request) => {
    // A navigation cut short by the next one is the test moving on, not a fault.
    if (request.isNavigationRequest() && request.failure()?.errorText === "net::ERR_ABORTED") return;
    if (!report.outside.some((o) => o.url === request.url())) {
      report.failed.push({ url: request.url(), error: request.failure()?.errorText });
    }
  });
  page.on("response", (response) => {
    // /favicon.ico is the browser's own guess at the server's root, not asked for by a page.
    if (response.status() >= 400 && new URL(response.url()).pathname !== "/favicon.ico") {
      report.failed.push({ url: response.url(), status: response.status() });
    }
  });
  return page;
}

async function open(page, name, { width, height = 900, scale = 1, scheme = "light" }) {
  await page.setViewport({ width, height, deviceScaleFactor: scale });
  await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
  await page.goto(new URL(name, base).href, { waitUntil: "load" });
  await page.evaluate(() => document.fonts.ready);
}

// Elements whose box reaches past the viewport's right edge (or starts left of 0), and
// whether the document itself scrolls sideways.
async function overflow(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [];
    for (const element of document.body.querySelectorAll("*")) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (box.right > width + 0.5 || box.left < -0.5) {
        if (element.matches(".skip-link:not(:focus)")) continue; // moved off the top, not sideways
        wide.push(`${element.tagName.toLowerCase()}${element.id ? "#" + element.id : ""}` +
                  `${element.className ? "." + String(element.className).split(" ")[0] : ""}` +
                  ` ${Math.round(box.left)}..${Math.round(box.right)}`);
      }
    }
    const scrolls = document.documentElement.scrollWidth > width;
    return { width, scrolls, wide: wide.slice(0, 10) };
  });
}

async function axe(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + ": " + n.failureSummary),
    }));
  });
}

const page = await newPage();
const links = new Map(); // href -> where it was found
for (const name of config.pages) {
  for (const width of [1280, 360]) {
    for (const scheme of ["light", "dark"]) {
      await open(page, name, { width, scheme });
      for (const v of await axe(page)) report.axe.push({ page: name, width, scheme, ...v });
      report.checked.axe += 1;
      if (width === 360) {
        const o = await overflow(page);
        report.checked.overflow += 1;
        if (o.scrolls || o.wide.length) report.overflow.push({ page: name, width, scheme, ...o });
      }
    }
  }
  // The print page numbers turned on with the switch (a click on its label, as a reader
  // does): they show, and the page still passes axe and fits at 360 px.
  for (const scheme of ["light", "dark"]) {
    await open(page, name, { width: 360, scheme });
    await page.click("label[for=show-pages]");
    const shown = await page.evaluate(() => [...document.querySelectorAll(".page-marker")]
      .map((m) => getComputedStyle(m).display !== "none"));
    report.toggle.push({ page: name, scheme, markers: shown.length,
                         shown: shown.filter(Boolean).length });
    for (const v of await axe(page)) report.axe.push({ page: name, width: 360, scheme, pages: "on", ...v });
    report.checked.axe += 1;
    const o = await overflow(page);
    report.checked.overflow += 1;
    if (o.scrolls || o.wide.length) report.overflow.push({ page: name, width: 360, scheme, pages: "on", ...o });
  }
  for (const [label, options] of [["320 px", { width: 320 }],
                                  ["200 % zoom", { width: 640, height: 450, scale: 2 }]]) {
    await open(page, name, options);
    const o = await overflow(page);
    report.checked.overflow += 1;
    if (o.scrolls || o.wide.length) report.overflow.push({ page: name, width: label, ...o });
  }
  for (const href of await page.$$eval("a[href]", (as) => as.map((a) => a.href))) {
    if (new URL(href).origin === base.origin && !links.has(href)) links.set(href, name);
  }
}

// Every link into the site: the page loads, and the fragment names an element there.
const ids = new Map(); // page URL -> ids in it, or null if not an HTML page
for (const [href, from] of links) {
  const url = new URL(href);
  const fragment = decodeURIComponent(url.hash.slice(1));
  url.hash = "";
  report.checked.links += 1;
  if (!ids.has(url.href)) {
    // Asked for first (a PDF or an EPUB is downloaded, not shown); an HTML page is opened.
    const head = await page.evaluate(async (u) => {
      const r = await fetch(u, { cache: "no-store" });
      await r.arrayBuffer(); // read whole, so that nothing is left cut short
      return { status: r.status, type: r.headers.get("content-type") || "" };
    }, url.href).catch((error) => ({ status: 0, type: "", error: String(error) }));
    if (head.status !== 200) {
      ids.set(url.href, undefined);
      if (head.error) report.failed.push({ url: url.href, error: head.error });
    } else if (head.type.startsWith("text/html")) {
      const response = await page.goto(url.href, { waitUntil: "load" });
      ids.set(url.href, response.ok()
        ? new Set(await page.$$eval("[id]", (es) => es.map((e) => e.id))) : undefined);
    } else {
      ids.set(url.href, null);
    }
  }
  const found = ids.get(url.href);
  if (found === undefined) report.links.push({ href, from, problem: "does not load" });
  else if (fragment && (found === null || !found.has(fragment))) {
    report.links.push({ href, from, problem: `no element with id ${fragment}` });
  }
}

// Screenshots, to be looked at: the first screen and the whole page.
if (config.screenshots) {
  for (const name of config.screenshots.pages) {
    for (const [width, height] of [[1280, 900], [360, 780]]) {
      for (const scheme of ["light", "dark"]) {
        await open(page, name, { width, height, scheme });
        const stem = `${name.replace(/\.html$/, "")}-${width}-${scheme}`;
        await page.screenshot({ path: join(config.screenshots.dir, `${stem}.png`) });
        await page.screenshot({ path: join(config.screenshots.dir, `${stem}-full.png`), fullPage: true });
      }
    }
    // At 360 px with the page numbers on, scrolled to the last one: how a reader sees them.
    for (const scheme of ["light", "dark"]) {
      await open(page, name, { width: 360, height: 780, scheme });
      await page.click("label[for=show-pages]");
      await page.evaluate(() => [...document.querySelectorAll(".page-marker")].pop()
        ?.scrollIntoView({ block: "center" }));
      const stem = `${name.replace(/\.html$/, "")}-360-${scheme}-pages`;
      await page.screenshot({ path: join(config.screenshots.dir, `${stem}.png`) });
    }
  }
}

await browser.close();
rmSync(profile, { recursive: true, force: true });
process.stdout.write(JSON.stringify(report) + "\n");
