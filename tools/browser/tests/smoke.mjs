// The browser test set-up works: Debian's chromium starts, renders a file:// page and runs its script.
import assert from "node:assert/strict";
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { launch } from "../chromium.mjs";

const dir = mkdtempSync(join(tmpdir(), "unrolled-smoke-"));
const file = join(dir, "page.html");
writeFileSync(file, '<!doctype html><html lang="en"><title>t</title><p id="p">0</p>' +
  '<script>document.getElementById("p").textContent = String(6 * 7);</script></html>');
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(pathToFileURL(file).href);
  assert.equal(await page.textContent("#p"), "42");
  console.log("chromium", browser.version(), "rendered a file:// page and ran its script");
} finally {
  await browser.close();
}
