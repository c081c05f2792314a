// The HTML book read as a reader would, in Debian's chromium: every page of BOOK_DIR at desktop and phone width.
//
//   node tests/book.mjs BOOK_DIR [EXPECTATIONS.json] [SCREENSHOT_DIR]
//
// EXPECTATIONS.json (written by the pytest test) holds {"solutions": {page: [lines of our solutions]},
// "questions": [{"id", "question"}]}: the learner edition must show no solution line outside its "Show our solution"
// disclosures, and searching a question's text must find it. With SCREENSHOT_DIR, a phone-width screenshot of each
// page is saved there. Exits non-zero, listing every failure, when anything below does not hold:
//   every link and anchor resolves; every image loads and has alt text; no request leaves file://; no console error;
//   axe-core finds no serious or critical violation; at phone width no code block, output or formula is cut off (it
//   fits or scrolls sideways) and the page itself does not scroll sideways; formulas are not tab stops; the focus
//   ring shows; search finds a term from each page and each question by its text.
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { launch } from "../chromium.mjs";

const [bookArg, expectationsArg, shotsArg] = process.argv.slice(2);
if (!bookArg || !existsSync(join(bookArg, "index.html"))) {
  console.error(`book.mjs: expected a book folder holding index.html, but was given ${bookArg}`);
  process.exit(2);
}
const book = resolve(bookArg);
const expectations = expectationsArg ? JSON.parse(readFileSync(expectationsArg, "utf8")) : {};
const here = dirname(fileURLToPath(import.meta.url));
const AXE = join(here, "..", "node_modules", "axe-core", "axe.min.js");
const pages = readdirSync(book).filter((f) => f.endsWith(".html") && f !== "print.html").sort();
// the drill's pages carry their own script, not the book's search (tools/browser/tests/drill.mjs tests them)
const OWN_SCRIPT_PAGES = new Set(["drill.html", "cheatsheet.html"]);
const failures = [];
const fail = (message) => failures.push(message);
const idCache = new Map();

function idsOf(file) {
  if (!idCache.has(file)) {
    const text = existsSync(file) ? readFileSync(file, "utf8") : "";
    idCache.set(file, new Set([...text.matchAll(/\s(?:id|name)="([^"]+)"/g)].map((m) => decodeEntities(m[1]))));
  }
  return idCache.get(file);
}
function decodeEntities(s) {
  return s.replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">");
}

async function typeset(tab) {
  await tab.evaluate(() => new Promise((done) => {
    if (window.MathJax && window.MathJax.Hub) window.MathJax.Hub.Queue(() => done()); else done();
  }));
}

const browser = await launch();
const counts = { pages: 0, links: 0, images: 0, axe: { minor: 0, moderate: 0, serious: 0, critical: 0 }, searched: 0 };
const axeRules = new Map();
try {
  const desktop = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
                                           deviceScaleFactor: 2 });
  for (const context of [desktop, phone]) {
    // a shared, busy machine can take a while to lay out a long page and typeset its formulas
    context.setDefaultTimeout(300000);
    context.on("request", (request) => {
      const url = request.url();
      if (!url.startsWith("file:") && !url.startsWith("data:")) fail(`a request left file://: ${url}`);
    });
  }
  // two pages at a time: most of a page's time is waiting for layout, MathJax and axe
  const queue = [...pages];
  const worker = async () => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      await checkPage(file).catch((e) => fail(`${file}: ${e.message.split("\n")[0]}`));
    }
  };
  await Promise.all([worker(), worker()]);

  async function checkPage(file) {
    counts.pages++;
    const url = pathToFileURL(join(book, file)).href;
    const tab = await desktop.newPage();
    tab.on("console", (m) => { if (m.type() === "error") fail(`${file}: console error: ${m.text()}`); });
    tab.on("pageerror", (e) => fail(`${file}: script error: ${e.message}`));
    await tab.goto(url, { waitUntil: "load" });
    await typeset(tab);

    const facts = await tab.evaluate(() => ({
      lang: document.documentElement.lang,
      viewport: !!document.querySelector('meta[name="viewport"]'),
      links: [...document.querySelectorAll("a[href]")].map((a) => a.getAttribute("href")),
      images: [...document.querySelectorAll("img")].map((img) => ({
        ok: img.complete && img.naturalWidth > 0, alt: img.getAttribute("alt") })),
      mathTabStops: [...document.querySelectorAll(".MathJax_CHTML, .mjx-chtml, .MathJax")]
        .filter((m) => m.tabIndex >= 0 && m.getAttribute("tabindex") !== null && m.getAttribute("tabindex") !== "-1").length,
    }));
    if (facts.lang !== "en") fail(`${file}: <html> has no lang="en"`);
    if (!facts.viewport) fail(`${file}: no <meta name="viewport">`);
    if (facts.mathTabStops) fail(`${file}: ${facts.mathTabStops} formulas are tab stops`);
    for (const href of facts.links) {
      counts.links++;
      if (/^(https?:|mailto:)/.test(href)) continue;  // a link out is allowed; loading from it is not (see requests)
      const [path, fragment] = href.split("#");
      const target = path ? resolve(book, decodeURIComponent(path)) : join(book, file);
      if (!existsSync(target)) { fail(`${file}: link ${href}: ${path} does not exist`); continue; }
      // as a browser finds it: the fragment as written, else percent-decoded
      const ids = fragment && target.endsWith(".html") ? idsOf(target) : null;
      if (ids && !ids.has(fragment) && !ids.has(decodeURIComponent(fragment))) {
        fail(`${file}: link ${href}: no element with id "${fragment}"`);
      }
    }
    facts.images.forEach((img, i) => {
      counts.images++;
      if (!img.ok) fail(`${file}: image ${i + 1} did not load`);
      if (!img.alt || !img.alt.trim()) fail(`${file}: image ${i + 1} has no alt text`);
    });

    // the focus ring: Tab to the first two stops (the skip link, then the chapters or the book's name)
    await tab.keyboard.press("Tab");
    const ring = await tab.evaluate(() => {
      const el = document.activeElement, style = getComputedStyle(el);
      return { tag: el.tagName, outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
    });
    if (ring.tag === "BODY" || ring.outline === "none" || !(ring.width > 0)) {
      fail(`${file}: the focused ${ring.tag} shows no focus ring (outline ${ring.outline} ${ring.width}px)`);
    }

    // axe-core: no serious or critical violation
    await tab.addScriptTag({ path: AXE });
    const violations = await tab.evaluate(async () =>
      (await window.axe.run(document, { resultTypes: ["violations"], preload: false })).violations.map((v) => ({
        id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help,
        first: v.nodes[0] && v.nodes[0].target.join(" ") })));
    for (const v of violations) {
      counts.axe[v.impact] = (counts.axe[v.impact] || 0) + v.nodes;
      axeRules.set(`${v.impact} ${v.id}`, (axeRules.get(`${v.impact} ${v.id}`) || 0) + v.nodes);
      if (v.impact === "serious" || v.impact === "critical") {
        fail(`${file}: axe ${v.impact} ${v.id} (${v.help}) on ${v.nodes} element(s), first ${v.first}`);
      }
    }

    // the learner edition: no line of our solutions outside the "Show our solution" disclosures
    const solutions = (expectations.solutions || {})[file] || [];
    if (solutions.length) {
      const leaked = await tab.evaluate((lines) => {
        const norm = (s) => s.replace(/\s+/g, " ").trim();
        const main = document.querySelector("main").cloneNode(true);
        const folded = norm([...document.querySelectorAll("details.solution")].map((d) => d.textContent).join("\n"));
        main.querySelectorAll("details.solution").forEach((d) => d.remove());
        const shown = norm(main.textContent);
        return { outside: lines.filter((l) => shown.includes(norm(l))),
                 missing: lines.filter((l) => !folded.includes(norm(l))) };
      }, solutions);
      if (leaked.outside.length) fail(`${file}: solution text outside the disclosure: ${leaked.outside[0]}`);
      if (leaked.missing.length) fail(`${file}: solution text missing from the disclosure: ${leaked.missing[0]}`);
    }

    // search: a term from this page finds this page
    const term = await tab.evaluate(() => {
      const words = (document.querySelector("main h1, main h2") || document.querySelector("title")).textContent
        .replace(/¶/g, "").split(/[^A-Za-z]+/).filter((w) => w.length >= 5);
      return words.sort((a, b) => b.length - a.length)[0] || "";
    });
    if (term && !OWN_SCRIPT_PAGES.has(file)) {
      const hits = await tab.evaluate((q) => window.unrolledSearch(q).then((r) => r.map((x) => x.href)), term);
      counts.searched++;
      if (!hits.some((h) => h.split("#")[0] === file)) fail(`${file}: searching "${term}" does not find this page`);
    }
    await tab.close();

    // phone width: nothing cut off, the page does not scroll sideways
    const small = await phone.newPage();
    small.on("console", (m) => { if (m.type() === "error") fail(`${file} (phone): console error: ${m.text()}`); });
    await small.goto(url, { waitUntil: "load" });
    await typeset(small);
    const cut = await small.evaluate(() => {
      const width = document.documentElement.clientWidth, problems = [];
      if (document.documentElement.scrollWidth > width + 1) {
        problems.push(`the page is ${document.documentElement.scrollWidth} px wide at ${width} px`);
      }
      const scrolls = (el) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
      document.querySelectorAll("main pre, main .jp-InputArea-editor, main .MJXc-display, main table").forEach((el) => {
        if (el.closest("details:not([open])")) return;
        const box = el.getBoundingClientRect();
        let scroller = el;  // the element, or the nearest ancestor that scrolls sideways for it
        while (scroller && scroller !== document.body && !scrolls(scroller)) scroller = scroller.parentElement;
        const fits = box.right <= width + 1 && el.scrollWidth <= el.clientWidth + 1;
        const scrolled = scroller && scroller !== document.body && scroller.getBoundingClientRect().right <= width + 1;
        if (!fits && !scrolled) {
          problems.push(`${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 40)}" is cut off`);
        }
      });
      return problems;
    });
    cut.forEach((p) => fail(`${file} (phone): ${p}`));
    if (shotsArg) await small.screenshot({ path: join(shotsArg, file.replace(/\.html$/, ".png")) });
    await small.close();
  }

  // questions: each found by its own text, the search box shows results
  const tab = await desktop.newPage();
  await tab.goto(pathToFileURL(join(book, "index.html")).href, { waitUntil: "load" });
  for (const q of expectations.questions || []) {
    const hits = await tab.evaluate((text) => window.unrolledSearch(text).then((r) => r.slice(0, 3).map((x) => x.href)),
                                    q.question);
    counts.searched++;
    if (!hits.includes(`questions.html#${q.id}`)) fail(`searching the text of ${q.id} does not find it: ${hits}`);
  }
  await tab.fill("#book-search-input", "forget gate");
  await tab.waitForSelector("#book-search-results.open a", { timeout: 10000 });
  const shown = await tab.$$eval("#book-search-results a", (as) => as.length);
  assert.ok(shown > 0, "typing in the search box shows no results");
  await tab.close();
} finally {
  await browser.close();
}
const summary = { ...counts, axeRules: Object.fromEntries(axeRules) };
console.log(JSON.stringify(summary));
if (failures.length) {
  console.error(`${failures.length} problem(s):\n` + failures.slice(0, 80).join("\n"));
  process.exit(1);
}
