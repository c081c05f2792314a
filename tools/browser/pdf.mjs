// Prints an HTML page to PDF with Debian's chromium, as a reader's "Print → Save as PDF" would (print styles apply).
//
//   node tools/browser/pdf.mjs PAGE.html OUT.pdf [--format A4|Letter] [--landscape]
//
// Waits until the page's scripts have run (and, on a page marked data-print-wait, until it says "done") and its fonts
// and images have loaded, then writes OUT.pdf and prints its
// page count. Exits 2 with a message naming what was expected when the arguments are wrong.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { launch } from "./chromium.mjs";

function usage(message) {
  console.error(`pdf.mjs: ${message}\nusage: node pdf.mjs PAGE.html OUT.pdf [--format A4|Letter] [--landscape]`);
  process.exit(2);
}

const args = process.argv.slice(2);
const positional = args.filter((a, i) => !a.startsWith("--") && args[i - 1] !== "--format");
if (positional.length !== 2) usage(`expected a page and an output file, but was given ${positional.length} paths`);
const [page, out] = positional.map((p) => resolve(p));
if (!existsSync(page)) usage(`the page ${positional[0]} does not exist`);
const formatAt = args.indexOf("--format");
const format = formatAt >= 0 ? args[formatAt + 1] : "A4";
if (!["A4", "Letter"].includes(format)) usage(`--format must be A4 or Letter, but is ${format}`);

const browser = await launch();
try {
  const tab = await browser.newPage();
  await tab.goto(pathToFileURL(page).href, { waitUntil: "load" });
  // a page that typesets after loading (MathJax) says so with <html data-print-wait="pending">, and "done" when ready
  await tab.waitForFunction(() => document.documentElement.getAttribute("data-print-wait") !== "pending",
                            null, { timeout: 600000 });
  await tab.evaluate(() => document.fonts.ready);
  await tab.emulateMedia({ media: "print" });
  await tab.pdf({ path: out, format, landscape: args.includes("--landscape"), printBackground: true,
                  margin: { top: "14mm", bottom: "14mm", left: "12mm", right: "12mm" } });
} finally {
  await browser.close();
}
// a PDF's page objects are "/Type /Page" (not "/Pages"): enough to report the count without a PDF library
const pages = (readFileSync(out, "latin1").match(/\/Type\s*\/Page(?!s)/g) || []).length;
console.log(`${out}: ${pages} pages`);
