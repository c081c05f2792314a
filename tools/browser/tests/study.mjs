// A learner's session in the real Jupyter Notebook UI, on a server that `./unrolled study` started in the background:
// open the learner's notebook, run it all and see the exercise "not yet"; type the solution and see "passed";
// interrupt a runaway cell and see what the notebook says; re-run as it says, continue, and save.
//
//   node tests/study.mjs BASE_URL TOKEN NOTEBOOK EXERCISE_ID SOLUTION_FILE
//
// Prints one line per step with its time in seconds; exits non-zero at the first step that does not hold.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { launch } from "../chromium.mjs";

const [base, token, notebook, exercise, solutionFile] = process.argv.slice(2);
assert.ok(base && token && notebook && exercise && solutionFile,
  "usage: node tests/study.mjs BASE_URL TOKEN NOTEBOOK EXERCISE_ID SOLUTION_FILE");
const solution = readFileSync(solutionFile, "utf8");
const RUN_TIMEOUT = 600_000;   // a whole notebook on a busy machine
const started = Date.now();
let last = started;

function step(name) {
  const now = Date.now();
  console.log(`step ${((now - last) / 1000).toFixed(1).padStart(6)} s  (at ${((now - started) / 1000).toFixed(1)} s)  ${name}`);
  last = now;
}

const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(120_000);
  const dialogs = [];
  page.on("dialog", (dialog) => { dialogs.push(dialog.message()); dialog.dismiss(); });

  // the index of the cell tagged `tag`
  const cellIndex = (tag) => page.evaluate((tag) =>
    Jupyter.notebook.get_cells().findIndex((c) => (c.metadata.tags || []).includes(tag)), tag);
  const cell = (index) => page.locator("#notebook-container > .cell").nth(index);
  const kernelIdle = () => page.waitForFunction(() =>
    document.querySelector("#kernel_indicator_icon")?.className === "kernel_idle_icon"
    && Jupyter.notebook.kernel?.is_connected(), null, { timeout: RUN_TIMEOUT });
  const nothingRunning = () => page.waitForFunction(() =>
    Jupyter.notebook.get_cells().every((c) => c.cell_type !== "code" || c.input_prompt_number !== "*")
    && document.querySelector("#kernel_indicator_icon")?.className === "kernel_idle_icon", null, { timeout: RUN_TIMEOUT });
  const menu = async (menuId, itemId) => {
    await page.click(menuId);
    await page.click(`${itemId} > a`);
  };
  const result = (index) => cell(index).locator(".unrolled-check").getAttribute("data-result");

  // 1. Open the learner's copy; the Java kernel starts and answers.
  await page.goto(`${base}/notebooks/${encodeURIComponent(notebook)}?token=${token}`, { timeout: 180_000 });
  await page.waitForFunction(() => window.Jupyter?.notebook?.kernel?.info_reply?.protocol_version, null,
    { timeout: 180_000 });
  await kernelIdle();
  const checkAt = await cellIndex(`check-${exercise}`);
  const exerciseAt = await cellIndex(`exercise-${exercise}`);
  assert.ok(exerciseAt > 0 && checkAt > exerciseAt, `cells tagged exercise-${exercise} and check-${exercise} not found`);
  assert.match(await page.evaluate((i) => Jupyter.notebook.get_cell(i).get_text(), exerciseAt),
    /throw Exercise\.todo\(\);/, "the learner's copy must hold the stub, not the solution");
  step(`opened ${notebook}; kernel ready`);

  // Shapes in the markdown tables, such as (N, D), stay on one line once MathJax has typeset them.
  await page.waitForFunction(() => window.MathJax?.Hub?.queue?.pending === 0
    && document.querySelectorAll(".text_cell_render .MathJax").length > 0, null, { timeout: 180_000 });
  const wrapped = await page.evaluate(() => [...document.querySelectorAll(".text_cell_render td")]
    .filter((td) => /^\(.*,.*\)$/.test(td.innerText.replace(/\s+/g, "")))
    .map((td) => { const range = document.createRange(); range.selectNodeContents(td); return [td.innerText, range.getBoundingClientRect().height]; })
    .filter(([, height]) => height > 30));
  assert.deepEqual(wrapped, [], "shapes in a table wrap over more than one line");

  // 2. Cell → Run All: every cell runs, and the check says "not yet", its code shown as code.
  await menu("#celllink", "#run_all_cells");
  await page.waitForTimeout(500);
  await nothingRunning();
  assert.equal(await cell(checkAt).locator(".output_error").count(), 0);
  assert.equal(await page.locator(".output_error").count(), 0, "a cell failed during Run All");
  assert.equal(await result(checkAt), "not-yet");
  const hint = cell(checkAt).locator(".unrolled-check");
  assert.equal(await hint.locator("code").first().innerText(), "throw Exercise.todo();");
  assert.ok(!(await hint.innerText()).includes("`"), "the hint shows literal backticks");
  step("Run All: the check says \"not yet\"");

  // 3. Type the solution into the exercise cell (select all, type), run it, run the check: "passed".
  await cell(exerciseAt).locator(".CodeMirror").click();
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText(solution);
  assert.equal(await page.evaluate((i) => Jupyter.notebook.get_cell(i).get_text(), exerciseAt), solution);
  await page.keyboard.press("Shift+Enter");
  await cell(checkAt).locator(".input_prompt").click();
  await page.keyboard.press("Shift+Enter");
  await page.waitForTimeout(300);
  await nothingRunning();
  assert.equal(await result(checkAt), "passed");
  step("typed the solution and ran the check: \"passed\"");

  // 4. A runaway cell below the check, then ■ (the toolbar's interrupt button).
  await cell(checkAt).locator(".input_prompt").click();
  await page.keyboard.press("b");
  await page.keyboard.press("Enter");
  await page.keyboard.insertText("long spins = 0;\nwhile (true) { spins++; }");
  await page.keyboard.press("Control+Enter");
  const loopAt = checkAt + 1;
  await page.waitForFunction(() => document.querySelector("#kernel_indicator_icon")?.className === "kernel_busy_icon");
  await page.waitForTimeout(2000);
  assert.equal(await page.evaluate((i) => Jupyter.notebook.get_cell(i).input_prompt_number, loopAt), "*");
  step("a runaway cell is running");
  await page.click('button[data-jupyter-action="jupyter-notebook:interrupt-kernel"]');

  // 5. The documented outcome: the kernel restarts, and the interrupted cell says so and what to do next.
  const said = cell(loopAt).locator(".output_stderr");
  await said.waitFor({ timeout: 60_000 });
  const message = await said.innerText();
  assert.match(message, /Interrupted/);
  assert.match(message, /runs the first cell again, which loads the library/);
  assert.match(message, /Cell → Run All Above/);
  const restarting = page.locator(".modal-dialog", { hasText: "The kernel appears to have died. It will restart automatically." });
  await restarting.waitFor({ timeout: 60_000 });
  await restarting.locator("button", { hasText: "OK" }).click();
  await kernelIdle();
  assert.notEqual(await page.evaluate((i) => Jupyter.notebook.get_cell(i).input_prompt_number, loopAt), "*",
    "the interrupted cell still shows as running");
  step("■: the cell says \"Interrupted\" and what to do; Jupyter restarted the kernel");

  // 6. As the message says: delete the runaway cell, then Cell → Run All Above from the next cell: "passed" again.
  await cell(loopAt).locator(".input_prompt").click();
  await page.keyboard.press("d");
  await page.keyboard.press("d");
  await cell(checkAt + 1).locator(".inner_cell").click();
  await page.keyboard.press("Escape");
  await menu("#celllink", "#run_all_cells_above");
  await page.waitForTimeout(500);
  await nothingRunning();
  assert.equal(await page.locator(".output_error").count(), 0, "a cell failed after the restart");
  assert.equal(await result(checkAt), "passed");
  step("Run All Above after the restart: the check says \"passed\" again");

  // 7. Continue: Cell → Run All Below; the quiz says how to answer, and an option opens when clicked.
  await menu("#celllink", "#run_all_cells_below");
  await page.waitForTimeout(500);
  await nothingRunning();
  assert.equal(await page.locator(".output_error").count(), 0, "a cell failed while continuing");
  const quiz = page.locator(".unrolled-mcq").first();
  await quiz.waitFor();
  assert.match(await page.locator(".unrolled-mcq-how").first().innerText(), /click the option you chose/);
  await quiz.locator("summary").first().click();
  assert.match(await quiz.locator("details[open]").first().innerText(), /Right\.|Not this one/);
  step("continued to the end: the quiz says how to answer, and a clicked option answers");

  // 8. Save with the toolbar's save button: the learner's work is on disk.
  await page.click('button[data-jupyter-action="jupyter-notebook:save-notebook"]');
  await page.waitForFunction(() => !Jupyter.notebook.dirty);
  step("saved");
  assert.deepEqual(dialogs, [], "an unexpected browser dialog opened");
} finally {
  await browser.close();
}
console.log(`study session done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
