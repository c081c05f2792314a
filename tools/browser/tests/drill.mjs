// The interview drill as a learner uses it, in Debian's chromium, from file:// with the network unused.
//
//   node tests/drill.mjs BOOK_DIR
//
// A scripted learner grades cards with the keyboard, reloads and finds the progress and the due dates FSRS computed
// (recomputed here with the same pinned library from the recorded review times), sees cards fall due as the clock
// moves; runs a mock interview with the clock 120 times faster and reads its report; exports, clears and imports its
// progress; has corrupt and foreign files refused with nothing lost; uses the page at a phone's width; and every
// state of the page and the cheat sheet passes axe-core's accessibility rules.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createEmptyCard, fsrs } from "ts-fsrs";
import { launch } from "../chromium.mjs";

const book = resolve(process.argv[2] || "");
const page0 = join(book, "drill.html");
const url = (query) => `${pathToFileURL(page0).href}?${new URLSearchParams(query)}`;
const deckSource = readFileSync(join(book, "_static", "drill", "deck.js"), "utf8");
const deck = JSON.parse(deckSource.slice(deckSource.indexOf("{"), deckSource.lastIndexOf("}") + 1));
const byId = new Map(deck.cards.map((c) => [c.id, c]));
const scheduler = fsrs({ enable_fuzz: false });
const T0 = "2026-03-02T09:00:00.000Z";
const plus = (iso, minutes) => new Date(Date.parse(iso) + minutes * 60000).toISOString();
const work = mkdtempSync(join(tmpdir(), "unrolled-drill-"));
const AXE = resolve("node_modules/axe-core/axe.min.js");

// axe-core's accessibility rules on the page as it is now: none may be violated (preload off: fetching the
// stylesheets again, for rules about CSS media queries only, is refused on file:// pages)
async function accessible(page, what) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => (await window.axe.run(document, { preload: false })).violations
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`));
  assert.deepEqual(violations, [], `${what}: accessibility rules violated`);
}
const started = Date.now();

const browser = await launch();
const problems = [];
try {
  const context = await browser.newContext({ acceptDownloads: true, timezoneId: "UTC" });
  const page = await context.newPage();
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console error: ${m.text()}`); });
  page.on("request", (r) => { if (!/^(file|data|blob):/.test(r.url())) problems.push(`network request: ${r.url()}`); });
  const count = async (name) => Number(await page.textContent(`#count-${name}`));
  const stored = async () => JSON.parse(await page.evaluate(() => localStorage.getItem("unrolled.drill.progress")));

  // --- flashcards: a frozen clock, three cards graded with the keyboard ---------------------------------------
  await page.goto(url({ now: T0, speed: "0" }));
  assert.equal(await count("total"), deck.cards.length, "every card of the deck is in the default selection");
  assert.equal(deck.cards.length, 95);
  assert.equal(await count("new"), 95);
  assert.equal(await count("due"), 0);
  const graded = [];
  for (const [key, rating] of [["3", "Good"], ["1", "Again"], ["4", "Easy"]]) {
    const id = await page.getAttribute("#card", "data-id");
    assert.ok(await page.isHidden("#back"), `${id}: the answer is hidden until revealed`);
    await page.keyboard.press("Space");
    assert.ok(await page.isVisible("#back"), `${id}: Space reveals the answer and the rubric`);
    assert.equal(await page.locator("#card-points input").count(), byId.get(id).points.length);
    assert.equal(await page.locator("#card-flags li").count(), byId.get(id).redFlags.length);
    await page.locator("#card-points input").nth(0).check();
    if (!graded.length) await accessible(page, "a revealed flashcard");
    await page.keyboard.press(key);
    graded.push({ id, rating, key });
    assert.notEqual(await page.getAttribute("#card", "data-id"), id, "grading moves on to the next card");
  }
  let progress = await stored();
  for (const g of graded) {
    const entry = progress.cards[g.id];
    assert.equal(entry.reviews.length, 1);
    assert.deepEqual({ rating: entry.reviews[0].rating, covered: entry.reviews[0].covered, at: entry.reviews[0].at },
                     { rating: g.rating, covered: 1, at: T0 });
    const expected = scheduler.next(createEmptyCard(new Date(T0)), new Date(T0), Number(g.key)).card;
    assert.equal(entry.card.due, expected.due.toISOString(), `${g.id}: the due date FSRS computes for ${g.rating}`);
    assert.equal(entry.card.stability, expected.stability);
    g.due = entry.card.due;
  }
  const [good, again, easy] = graded;
  assert.ok(again.due < good.due && good.due < easy.due, "again comes back before good, good before easy");
  assert.ok(Date.parse(easy.due) - Date.parse(T0) >= 24 * 3600e3, "an easy new card waits at least a day");

  // --- reload: the progress and the due dates survive; cards fall due as time passes -------------------------
  await page.reload();
  assert.deepEqual(Object.keys((await stored()).cards).sort(), graded.map((g) => g.id).sort());
  assert.equal(await count("new"), 92);
  assert.equal(await count("later"), 3, "nothing is due at the same instant");
  assert.equal(await count("due"), 2, "again and good fall due later today, easy does not");
  assert.ok(!graded.some((g) => g.id === null) && !graded.map((g) => g.id).includes(await page.getAttribute("#card", "data-id")));

  const later = plus(T0, 60);
  await page.goto(url({ now: later, speed: "0" }));
  assert.equal(await page.getAttribute("#card", "data-id"), again.id, "the card due first comes first");
  assert.match(await page.textContent("#card-state"), /reviewed 1×/);
  await page.keyboard.press("Space");
  await page.keyboard.press("3");
  progress = await stored();
  const before = { ...progress.cards[again.id].card };
  const replay = scheduler.next(scheduler.next(createEmptyCard(new Date(T0)), new Date(T0), 1).card, new Date(later), 3).card;
  assert.equal(before.due, replay.due.toISOString(), "a second review is scheduled from the first one's state");
  assert.equal(progress.cards[again.id].reviews.length, 2);
  assert.equal(await page.getAttribute("#card", "data-id"), good.id, "then the next due card");

  // filters and their counts
  await page.selectOption("#filter-difficulty", "Hard");
  assert.equal(await count("total"), deck.cards.filter((c) => c.difficulty === "Hard").length);
  assert.equal(byId.get(await page.getAttribute("#card", "data-id")).difficulty, "Hard");
  await page.selectOption("#filter-notebook", "05");
  assert.equal(await count("total"), deck.cards.filter((c) => c.difficulty === "Hard" && c.notebook === "05").length);
  await page.selectOption("#filter-difficulty", "");
  await page.selectOption("#filter-notebook", "");
  await page.selectOption("#filter-topic", "Attention");
  assert.equal(await count("total"), deck.cards.filter((c) => c.tags.includes("Attention")).length);
  await page.selectOption("#filter-topic", "");

  // --- mock interview, 30 minutes at 120× speed (15 s) --------------------------------------------------------
  await page.goto(url({ now: plus(T0, 120), speed: "120", seed: "7" }));
  const draw = await page.evaluate(() => window.unrolledDrill.draw(30, 7).map((c) => [c.id, c.difficulty, c.topic]));
  const budget = { Easy: 3, Medium: 5, Hard: 7 };
  const minutes = draw.reduce((m, [, d]) => m + budget[d], 0);
  assert.ok(minutes >= 30 && minutes - budget[draw.at(-1)[1]] < 30, `the draw fills 30 minutes (${minutes})`);
  assert.equal(new Set(draw.map(([id]) => id)).size, draw.length, "no question twice");
  for (const d of ["Easy", "Medium", "Hard"]) assert.ok(draw.some(([, x]) => x === d), `the mix has ${d} questions`);
  assert.ok(new Set(draw.map(([, , t]) => t)).size >= Math.min(draw.length, 5), "the questions spread over the topics");
  assert.ok((await page.evaluate(() => window.unrolledDrill.draw(45, 7).length)) > draw.length);

  await page.click("#tab-mock");
  await page.check('input[name="minutes"][value="30"]');
  await page.click("#mock-start");
  const first = draw[0][0], second = draw[1][0];
  assert.equal(await page.textContent("#mock-id"), first, "the seeded draw, easiest first");
  assert.equal(await page.textContent("#mock-budget"), `${budget[draw[0][1]] - 1}:00`, "the answer's clock budget");
  await page.waitForFunction(() => document.getElementById("mock-elapsed").textContent !== "0:00");
  await page.keyboard.press("Space"); // answered
  for (const box of await page.locator("#mock-points input").all()) await box.check();
  await page.keyboard.press("Space"); // follow-up asked
  assert.equal(await page.textContent("#mock-follow-q"), byId.get(first).followUp, "the follow-up comes after the answer");
  assert.ok(await page.isHidden("#mock-follow-a"));
  await page.keyboard.press("Space"); // its answer
  assert.equal(await page.textContent("#mock-follow-a"), byId.get(first).followUpAnswer);
  await page.keyboard.press("Space"); // next question
  assert.equal(await page.textContent("#mock-id"), second);
  await page.keyboard.press("Space"); // answered, no key point ticked
  await page.keyboard.press("Space");
  await page.keyboard.press("Space");
  await page.keyboard.press("Space");
  assert.equal(await page.textContent("#mock-id"), draw[2][0]);
  // the third question is still unanswered when the session clock runs out
  await page.waitForSelector("#mock-report table.topics", { timeout: 40000 });
  const rows = await page.$$eval("#mock-report table.topics tbody tr", (trs) =>
    trs.map((tr) => ({ topic: tr.dataset.topic, covered: tr.cells[1].textContent, ids: tr.cells[2].textContent,
                       links: [...tr.cells[3].querySelectorAll("a")].map((a) => a.getAttribute("href")) })));
  const topicOf = (id) => byId.get(id).topic;
  assert.equal(rows.length, topicOf(first) === topicOf(second) ? 1 : 2, "one row per topic asked; the unanswered one is not counted");
  assert.equal(rows[0].topic, topicOf(second), "the weakest topic first");
  assert.match(rows[0].covered, new RegExp(`^0 of ${byId.get(second).points.length} \\(0%\\)`));
  assert.match(rows.at(-1).covered, new RegExp(`^${byId.get(first).points.length} of ${byId.get(first).points.length} \\(100%\\)`));
  assert.deepEqual(rows[0].links, byId.get(second).links.map((l) => l.href), "each topic links the sections teaching it");
  assert.ok(rows[0].links.every((href) => /^\d\d-[\w-]+\.html(#.+)?$/.test(href)));
  assert.match(await page.textContent("#mock-report h2"), /30 minutes, 2 questions answered \(time ran out\)/);
  await accessible(page, "the mock interview's report");
  progress = await stored();
  assert.equal(progress.mocks.length, 1);
  assert.deepEqual(progress.mocks[0].questions.map((q) => q.id), [first, second]);
  assert.ok(progress.mocks[0].questions[0].seconds > 0, "the per-question clock ran");

  // --- export, clear, import -----------------------------------------------------------------------------------
  await page.click("#tab-progress");
  assert.match(await page.textContent("#progress-summary"), /^3 of 95 questions seen, 4 reviews, 1 mock interview\. Scheduler: FSRS \(ts-fsrs v5\.4\.2/);
  await accessible(page, "the progress tab");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export")]);
  const exported = join(work, download.suggestedFilename());
  await download.saveAs(exported);
  const file = JSON.parse(readFileSync(exported, "utf8"));
  assert.equal(file.format, "unrolled-drill-progress");
  assert.deepEqual(file, JSON.parse(JSON.stringify(await stored())), "the file holds exactly the stored progress");

  await page.click("#clear");
  await page.click("#clear-confirm");
  assert.equal(await page.evaluate(() => localStorage.getItem("unrolled.drill.progress")), null);
  await page.click("#tab-cards");
  assert.equal(await count("new"), 95, "cleared: every card is new again");

  await page.click("#tab-progress");
  await page.setInputFiles("#import", exported);
  await page.waitForFunction(() => /^Imported/.test(document.getElementById("progress-message").textContent));
  assert.deepEqual(await stored(), file, "the import restores the progress");
  await page.click("#tab-cards");
  assert.equal(await count("new"), 92);

  // --- corrupt and foreign files are refused and change nothing ----------------------------------------------
  await page.click("#tab-progress");
  const kept = await page.evaluate(() => localStorage.getItem("unrolled.drill.progress"));
  const bad = {
    "truncated.json": readFileSync(exported, "utf8").slice(0, 200),
    "anki.json": JSON.stringify({ format: "anki-deck", version: 1, cards: {} }),
    "other-bank.json": JSON.stringify({ ...file, cards: { Z99: file.cards[good.id] } }),
    "bad-date.json": JSON.stringify({ ...file, cards: { [good.id]: { ...file.cards[good.id], card: { ...file.cards[good.id].card, due: "soon" } } } }),
  };
  const reasons = { "truncated.json": /not valid JSON/, "anki.json": /expected "format": "unrolled-drill-progress", but found "anki-deck"/,
                    "other-bank.json": /questions this drill does not have: Z99/, "bad-date.json": /expected a due date, but found "soon"/ };
  for (const [name, text] of Object.entries(bad)) {
    const path = join(work, name);
    writeFileSync(path, text);
    await page.setInputFiles("#import", path);
    await page.waitForFunction((n) => document.getElementById("progress-message").textContent.includes(n), name);
    const message = await page.textContent("#progress-message");
    assert.match(message, /^Import refused: /, name);
    assert.match(message, reasons[name], name);
    assert.match(message, /Your progress is unchanged\.$/);
    assert.equal(await page.evaluate(() => localStorage.getItem("unrolled.drill.progress")), kept, `${name} changed nothing`);
  }

  // --- progress damaged in storage is set aside, not overwritten ----------------------------------------------
  await page.evaluate(() => localStorage.setItem("unrolled.drill.progress", "{damaged"));
  await page.reload();
  assert.match(await page.textContent("#notice"), /could not be read .* set aside under unrolled\.drill\.progress\.unreadable/);
  assert.equal(await page.evaluate(() => localStorage.getItem("unrolled.drill.progress.unreadable")), "{damaged");
  await page.click("#tab-cards");
  assert.equal(await count("new"), 95, "the drill starts afresh");
  await page.evaluate((text) => localStorage.setItem("unrolled.drill.progress", text), kept);

  // a mock interview question with its rubric and follow-up, on a stopped clock so that checking takes no time
  await page.goto(url({ now: T0, speed: "0", seed: "7" }));
  await page.click("#tab-mock");
  await page.click("#mock-start");
  for (let i = 0; i < 3; i++) await page.keyboard.press("Space");
  assert.ok(await page.isVisible("#mock-follow-a"));
  await accessible(page, "a mock interview question with its rubric and follow-up");

  // --- a phone: nothing wider than the screen, the grade buttons large enough to tap ---------------------------
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(url({ now: T0, speed: "0" }));
  await page.click("#reveal");
  const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(widths[0] <= widths[1], `the page fits a 390 px screen (${widths[0]} px wide)`);
  const tap = await page.locator(".grades button").first().boundingBox();
  assert.ok(tap.height >= 44, `grade buttons are at least 44 px tall (${tap.height})`);
  await page.click(".grades button.good");
  assert.equal(await count("new"), 91, "grading by tapping works");

  await page.setViewportSize({ width: 1000, height: 900 });
  await page.goto(pathToFileURL(join(book, "cheatsheet.html")).href);
  await accessible(page, "the cheat sheet");

  assert.deepEqual(problems, [], "no page errors, console errors or network requests");
  await context.close();
} finally {
  await browser.close();
}
console.log(`drill: flashcards, reload, mock interview, export/clear/import, refused imports and phone width ` +
            `checked in ${((Date.now() - started) / 1000).toFixed(1)} s`);
