// The interview drill: flashcards scheduled by FSRS (the ts-fsrs library, loaded before this script as window.FSRS),
// a timed mock interview with an end report, and progress kept in localStorage with export and import.
//
// The page's clock can be set for tests and demonstrations: ?now=2026-01-05T09:00:00Z starts it at that instant and
// ?speed=60 makes it run 60 times faster (?speed=0 stops it). ?seed=N fixes the mock interview's draw.
(function () {
  "use strict";

  const DECK = window.UNROLLED_DECK;
  const FSRS = window.FSRS;
  const STORAGE_KEY = "unrolled.drill.progress";
  const FORMAT = "unrolled-drill-progress";
  const VERSION = 1;
  const RATING_NAMES = { 1: "Again", 2: "Hard", 3: "Good", 4: "Easy" };
  // minutes a candidate may spend answering a question of each difficulty; one more minute goes to its follow-up
  const ANSWER_MINUTES = { Easy: 2, Medium: 4, Hard: 6 };
  const FOLLOW_UP_MINUTES = 1;
  // the difficulty of each slot of a mock interview, repeated: one easy, two medium, one hard in every four
  const MIX = ["Easy", "Medium", "Medium", "Hard"];

  const $ = (id) => document.getElementById(id);
  const byId = new Map(DECK.cards.map((c) => [c.id, c]));

  function notice(message) {
    $("notice").textContent = message;
    $("notice").hidden = !message;
  }

  // --- the clock ------------------------------------------------------------------------------------------------
  const clock = (function () {
    const params = new URLSearchParams(location.search);
    let base = Date.now();
    let speed = 1;
    if (params.has("now")) {
      const parsed = Date.parse(params.get("now"));
      if (Number.isNaN(parsed)) notice(`The address's now=${params.get("now")} is not a date; using the real time.`);
      else base = parsed;
    }
    if (params.has("speed")) {
      const parsed = Number(params.get("speed"));
      if (!Number.isFinite(parsed) || parsed < 0) notice(`The address's speed=${params.get("speed")} must be a number ≥ 0; using 1.`);
      else speed = parsed;
    }
    const started = performance.now();
    const seed = params.has("seed") ? Number(params.get("seed")) : null;
    return { now: () => new Date(base + (performance.now() - started) * speed), speed, seed };
  })();

  // --- progress in localStorage ---------------------------------------------------------------------------------
  function emptyProgress() {
    return { format: FORMAT, version: VERSION, cards: {}, mocks: [] };
  }

  function loadProgress() {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (raw === null) return emptyProgress();
    try {
      return validate(JSON.parse(raw));
    } catch (error) {
      // keep the unreadable copy rather than overwrite it, and start afresh
      localStorage.setItem(STORAGE_KEY + ".unreadable", raw);
      notice(`The progress stored in this browser could not be read (${error.message}); it was set aside under ` +
        `${STORAGE_KEY}.unreadable and the drill starts afresh.`);
      return emptyProgress();
    }
  }

  function save() {
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(progress));
    } catch (error) {
      notice(`This browser refused to store your progress (${error.message}); export it before closing the page.`);
    }
  }

  // Checks a progress object (from storage or an imported file); returns it with its dates as Date objects, or
  // throws an Error whose message says what was expected and what was found.
  function validate(data) {
    if (data === null || typeof data !== "object" || Array.isArray(data)) {
      throw new Error(`expected a JSON object, but found ${Array.isArray(data) ? "an array" : typeof data}`);
    }
    if (data.format !== FORMAT) {
      throw new Error(`expected "format": "${FORMAT}", but found ${JSON.stringify(data.format)}: ` +
        "this is not a progress file of Unrolled's drill");
    }
    if (data.version !== VERSION) throw new Error(`expected version ${VERSION}, but found ${JSON.stringify(data.version)}`);
    if (!data.cards || typeof data.cards !== "object" || Array.isArray(data.cards)) throw new Error('expected "cards" to be an object');
    if (!Array.isArray(data.mocks)) throw new Error('expected "mocks" to be a list');
    const unknown = Object.keys(data.cards).filter((id) => !byId.has(id));
    if (unknown.length) throw new Error(`it holds questions this drill does not have: ${unknown.slice(0, 5).join(", ")}`);
    const cards = {};
    for (const [id, entry] of Object.entries(data.cards)) {
      const c = entry && entry.card;
      if (!c || typeof c !== "object") throw new Error(`${id}: expected a scheduler card`);
      for (const field of ["stability", "difficulty", "elapsed_days", "scheduled_days", "learning_steps", "reps", "lapses"]) {
        if (typeof c[field] !== "number" || !Number.isFinite(c[field]) || c[field] < 0) {
          throw new Error(`${id}: expected ${field} to be a number ≥ 0, but found ${JSON.stringify(c[field])}`);
        }
      }
      if (![0, 1, 2, 3].includes(c.state)) throw new Error(`${id}: expected state 0–3, but found ${JSON.stringify(c.state)}`);
      const due = new Date(c.due);
      if (Number.isNaN(due.getTime())) throw new Error(`${id}: expected a due date, but found ${JSON.stringify(c.due)}`);
      const last = c.last_review === undefined || c.last_review === null ? undefined : new Date(c.last_review);
      if (last !== undefined && Number.isNaN(last.getTime())) throw new Error(`${id}: last_review is not a date`);
      if (!Array.isArray(entry.reviews)) throw new Error(`${id}: expected a list of reviews`);
      cards[id] = { card: { ...c, due, last_review: last }, reviews: entry.reviews };
    }
    for (const mock of data.mocks) {
      if (!mock || typeof mock.at !== "string" || !Array.isArray(mock.questions)) throw new Error("a mock interview record is malformed");
    }
    return { format: FORMAT, version: VERSION, cards, mocks: data.mocks };
  }

  // An import merges: each card keeps whichever copy was reviewed last, and mock interviews are joined.
  function merge(into, imported) {
    for (const [id, entry] of Object.entries(imported.cards)) {
      const mine = into.cards[id];
      const theirs = entry.card.last_review ? entry.card.last_review.getTime() : 0;
      const ours = mine && mine.card.last_review ? mine.card.last_review.getTime() : -1;
      if (!mine || theirs > ours) into.cards[id] = entry;
    }
    const seen = new Set(into.mocks.map((m) => m.at));
    for (const mock of imported.mocks) if (!seen.has(mock.at)) into.mocks.push(mock);
    into.mocks.sort((a, b) => a.at.localeCompare(b.at));
    return into;
  }

  let progress = loadProgress();
  const scheduler = FSRS.fsrs({ enable_fuzz: false });

  // --- formatting -----------------------------------------------------------------------------------------------
  function span(ms) {
    const minutes = ms / 60000;
    if (minutes < 60) return `${Math.max(1, Math.round(minutes))} min`;
    if (minutes < 60 * 24) return `${Math.round(minutes / 60)} h`;
    const days = minutes / 60 / 24;
    return days < 60 ? `${Math.round(days)} d` : `${(days / 30.4).toFixed(1)} mo`;
  }

  function plural(n, noun) {
    return `${n} ${noun}${n === 1 ? "" : "s"}`;
  }

  function mmss(ms) {
    const s = Math.max(0, Math.round(ms / 1000));
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  }

  function links(card) {
    const holder = document.createElement("span");
    const list = card.links.length ? card.links : [{ href: card.page, label: card.notebookTitle }];
    list.forEach((link, i) => {
      if (i) holder.append(" · ");
      const a = document.createElement("a");
      a.href = link.href;
      a.textContent = link.label;
      holder.append(a);
    });
    return holder;
  }

  function fill(list, items, checkable, onChange) {
    list.replaceChildren(...items.map((text, i) => {
      const li = document.createElement("li");
      if (checkable) {
        const label = document.createElement("label");
        const box = document.createElement("input");
        box.type = "checkbox";
        box.dataset.point = String(i);
        box.addEventListener("change", () => { box.blur(); if (onChange) onChange(); });
        label.append(box, " ", text);
        li.append(label);
      } else {
        li.textContent = text;
      }
      return li;
    }));
  }

  function chip(element, card) {
    element.textContent = card.difficulty;
    element.className = `chip ${card.difficulty.toLowerCase()}`;
  }

  // --- flashcards -----------------------------------------------------------------------------------------------
  let current = null; // the card on screen
  let revealed = false;

  function selection() {
    const topic = $("filter-topic").value, difficulty = $("filter-difficulty").value, notebook = $("filter-notebook").value;
    return DECK.cards.filter((c) => (!topic || c.tags.includes(topic)) && (!difficulty || c.difficulty === difficulty)
      && (!notebook || c.notebook === notebook));
  }

  function endOfToday(now) {
    const end = new Date(now);
    end.setHours(23, 59, 59, 999);
    return end;
  }

  function refreshCards() {
    const now = clock.now();
    const cards = selection();
    const due = cards.filter((c) => progress.cards[c.id] && progress.cards[c.id].card.due <= now)
      .sort((a, b) => progress.cards[a.id].card.due - progress.cards[b.id].card.due);
    const fresh = cards.filter((c) => !progress.cards[c.id]);
    const later = cards.filter((c) => progress.cards[c.id] && progress.cards[c.id].card.due > now);
    $("count-due").textContent = String(cards.filter((c) => progress.cards[c.id]
      && progress.cards[c.id].card.due <= endOfToday(now)).length);
    $("count-new").textContent = String(fresh.length);
    $("count-later").textContent = String(later.length);
    $("count-total").textContent = String(cards.length);
    const next = due[0] || fresh[0] || null;
    if (!next) {
      current = null;
      $("card").hidden = true;
      $("cards-done").hidden = false;
      const soonest = later.map((c) => progress.cards[c.id].card.due).sort((a, b) => a - b)[0];
      $("next-due").textContent = soonest ? soonest.toLocaleString() : "—";
      return;
    }
    $("cards-done").hidden = true;
    if (current && current.id === next.id && !$("card").hidden) return;
    show(next);
  }

  function show(card) {
    current = card;
    revealed = false;
    $("card").hidden = false;
    $("card").dataset.id = card.id;
    $("card-id").textContent = card.id;
    chip($("card-chip"), card);
    $("card-tags").textContent = card.tags.join(" · ");
    const state = progress.cards[card.id];
    $("card-state").textContent = state ? `reviewed ${state.reviews.length}×, due ${state.card.due.toLocaleString()}` : "new";
    $("card-question").textContent = card.question;
    $("card-answer").innerHTML = card.answer; // our own bank's HTML
    fill($("card-points"), card.points, true);
    fill($("card-flags"), card.redFlags, false);
    $("card-follow-q").textContent = card.followUp;
    $("card-follow-a").textContent = card.followUpAnswer;
    $("card-follow").open = false;
    $("card-links").replaceChildren(links(card));
    $("back").hidden = true;
    $("reveal").hidden = false;
  }

  function schedulerCard(id) {
    const state = progress.cards[id];
    return state ? state.card : FSRS.createEmptyCard(clock.now());
  }

  function reveal() {
    if (!current || revealed) return;
    revealed = true;
    $("back").hidden = false;
    $("reveal").hidden = true;
    const preview = scheduler.repeat(schedulerCard(current.id), clock.now());
    for (const button of document.querySelectorAll(".grades button")) {
      const rating = Number(button.dataset.rating);
      button.querySelector("small").textContent = span(preview[rating].card.due - clock.now());
    }
  }

  function grade(rating) {
    if (!current || !revealed) return;
    const now = clock.now();
    const result = scheduler.next(schedulerCard(current.id), now, rating);
    const boxes = [...$("card-points").querySelectorAll("input")];
    const entry = progress.cards[current.id] || { reviews: [] };
    entry.card = result.card;
    entry.reviews.push({ at: now.toISOString(), rating: RATING_NAMES[rating], covered: boxes.filter((b) => b.checked).length,
                         of: boxes.length });
    progress.cards[current.id] = entry;
    save();
    current = null;
    refreshCards();
  }

  // --- mock interview -------------------------------------------------------------------------------------------
  let mock = null;

  function random(seed) { // mulberry32: a small seeded generator, so a seeded draw is repeatable
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  // Draws questions for `minutes`: slots follow MIX until their time budgets fill the session, each slot taking a
  // question of its difficulty from the topic asked least so far; easy questions open, hard ones close.
  function draw(minutes, seed) {
    const next = random(seed);
    const used = new Set(), topics = new Map();
    const chosen = [];
    let budget = 0;
    for (let slot = 0; budget < minutes; slot++) {
      const difficulty = MIX[slot % MIX.length];
      const pool = DECK.cards.filter((c) => c.difficulty === difficulty && !used.has(c.id));
      if (!pool.length) break;
      const least = Math.min(...pool.map((c) => topics.get(c.topic) || 0));
      const candidates = pool.filter((c) => (topics.get(c.topic) || 0) === least);
      const card = candidates[Math.floor(next() * candidates.length)];
      used.add(card.id);
      topics.set(card.topic, least + 1);
      chosen.push(card);
      budget += ANSWER_MINUTES[difficulty] + FOLLOW_UP_MINUTES;
    }
    const order = { Easy: 0, Medium: 1, Hard: 2 };
    return chosen.sort((a, b) => order[a.difficulty] - order[b.difficulty]);
  }

  function startMock() {
    const minutes = Number(document.querySelector('input[name="minutes"]:checked').value);
    const seed = clock.seed !== null && Number.isFinite(clock.seed) ? clock.seed : Math.floor(Math.random() * 2 ** 31);
    const cards = draw(minutes, seed);
    const now = clock.now();
    mock = { minutes, seed, started: now, ends: new Date(now.getTime() + minutes * 60000), cards, index: -1, asked: [],
             timer: setInterval(tickMock, 200) };
    $("mock-setup").hidden = true;
    $("mock-report").hidden = true;
    $("mock-run").hidden = false;
    nextQuestion();
  }

  function nextQuestion() {
    if (mock.index >= 0) record();
    mock.index += 1;
    if (mock.index >= mock.cards.length) return endMock("questions");
    const card = mock.cards[mock.index];
    mock.phase = "asking";
    mock.shown = clock.now();
    mock.answeredAt = null;
    $("mock-number").textContent = `${mock.index + 1} of ${mock.cards.length}`;
    $("mock-id").textContent = card.id;
    chip($("mock-chip"), card);
    $("mock-tags").textContent = card.tags.join(" · ");
    $("mock-question").textContent = card.question;
    $("mock-budget").textContent = `${ANSWER_MINUTES[card.difficulty]}:00`;
    fill($("mock-points"), card.points, true);
    fill($("mock-flags"), card.redFlags, false);
    $("mock-answer").innerHTML = card.answer; // our own bank's HTML
    $("mock-answer-box").open = false;
    $("mock-follow-q").textContent = card.followUp;
    $("mock-follow-a").textContent = card.followUpAnswer;
    $("mock-back").hidden = true;
    $("mock-follow").hidden = true;
    $("mock-follow-a").hidden = true;
    $("mock-answered").hidden = false;
    tickMock();
  }

  function record() {
    const card = mock.cards[mock.index];
    if (mock.phase === "asking") return; // time ran out before the answer was given: not counted
    const boxes = [...$("mock-points").querySelectorAll("input")];
    mock.asked.push({ id: card.id, topic: card.topic, covered: boxes.map((b) => b.checked),
                      seconds: Math.round(((mock.answeredAt || clock.now()) - mock.shown) / 1000),
                      budget: ANSWER_MINUTES[card.difficulty] * 60 });
  }

  function advanceMock() {
    if (!mock || mock.phase === "over") return;
    if (mock.phase === "asking") {
      mock.phase = "answered";
      mock.answeredAt = clock.now();
      $("mock-answered").hidden = true;
      $("mock-back").hidden = false;
      $("mock-next").hidden = false;
      $("mock-next").firstChild.textContent = "Ask the follow-up ";
    } else if (mock.phase === "answered") {
      mock.phase = "follow";
      $("mock-follow").hidden = false;
      $("mock-follow-reveal").hidden = false;
      $("mock-next").hidden = true;
    } else if (mock.phase === "follow") {
      mock.phase = "followed";
      $("mock-follow-a").hidden = false;
      $("mock-follow-reveal").hidden = true;
      $("mock-next").hidden = false;
      $("mock-next").firstChild.textContent = mock.index + 1 < mock.cards.length ? "Next question " : "Finish ";
    } else {
      nextQuestion();
    }
  }

  function tickMock() {
    if (!mock || mock.phase === "over") return;
    const now = clock.now();
    $("mock-left").textContent = mmss(mock.ends - now);
    const elapsed = (mock.answeredAt || now) - mock.shown;
    $("mock-elapsed").textContent = mmss(elapsed);
    $("mock-elapsed").className = elapsed > ANSWER_MINUTES[mock.cards[mock.index].difficulty] * 60000 ? "over" : "";
    if (now >= mock.ends) endMock("time");
  }

  function endMock(reason) {
    if (mock.phase !== "over" && mock.index < mock.cards.length) record();
    mock.phase = "over";
    clearInterval(mock.timer);
    const result = { at: mock.started.toISOString(), minutes: mock.minutes, seed: mock.seed, ended: reason,
                     questions: mock.asked };
    progress.mocks.push(result);
    save();
    $("mock-run").hidden = true;
    $("mock-setup").hidden = false;
    $("mock-report").hidden = false;
    $("mock-report").replaceChildren(report(result, true));
    refreshProgress();
  }

  // Covered key points per topic, weakest first, each topic linked to the sections teaching its questions.
  function report(result, full) {
    const box = document.createElement("div");
    box.className = "report";
    const title = document.createElement(full ? "h2" : "h3");
    const reasons = { time: "time ran out", stopped: "ended early", questions: "every question asked" };
    title.textContent = `Mock interview of ${new Date(result.at).toLocaleString()}: ${result.minutes} minutes, ` +
      `${plural(result.questions.length, "question")} answered (${reasons[result.ended] || result.ended})`;
    box.append(title);
    if (!result.questions.length) {
      const p = document.createElement("p");
      p.textContent = "No question was answered, so there is nothing to report.";
      box.append(p);
      return box;
    }
    const topics = new Map();
    for (const q of result.questions) {
      const t = topics.get(q.topic) || { covered: 0, total: 0, ids: [] };
      t.covered += q.covered.filter(Boolean).length;
      t.total += q.covered.length;
      t.ids.push(q.id);
      topics.set(q.topic, t);
    }
    const rows = [...topics.entries()].sort((a, b) => a[1].covered / a[1].total - b[1].covered / b[1].total
      || a[0].localeCompare(b[0]));
    const table = document.createElement("table");
    table.className = "topics";
    table.innerHTML = "<thead><tr><th>Topic</th><th>Key points covered</th><th>Questions</th><th>Study</th></tr></thead>";
    const body = document.createElement("tbody");
    for (const [topic, t] of rows) {
      const tr = document.createElement("tr");
      tr.dataset.topic = topic;
      const cells = [topic, `${t.covered} of ${t.total} (${Math.round((100 * t.covered) / t.total)}%)`, t.ids.join(", ")];
      for (const text of cells) {
        const td = document.createElement("td");
        td.textContent = text;
        tr.append(td);
      }
      const study = document.createElement("td");
      const seen = new Set();
      for (const id of t.ids) {
        for (const link of byId.get(id).links) {
          if (seen.has(link.href)) continue;
          seen.add(link.href);
          const a = document.createElement("a");
          a.href = link.href;
          a.textContent = link.label;
          study.append(a, document.createElement("br"));
        }
      }
      tr.append(study);
      body.append(tr);
    }
    table.append(body);
    box.append(table);
    if (full) {
      const list = document.createElement("table");
      list.className = "questions";
      list.innerHTML = "<thead><tr><th>Question</th><th>Key points</th><th>Time</th></tr></thead>";
      const tb = document.createElement("tbody");
      for (const q of result.questions) {
        const tr = document.createElement("tr");
        const over = q.seconds > q.budget ? " (over)" : "";
        for (const text of [`${q.id} ${byId.get(q.id).question}`, `${q.covered.filter(Boolean).length} of ${q.covered.length}`,
                            `${mmss(q.seconds * 1000)} of ${mmss(q.budget * 1000)}${over}`]) {
          const td = document.createElement("td");
          td.textContent = text;
          tr.append(td);
        }
        tb.append(tr);
      }
      list.append(tb);
      box.append(list);
    }
    return box;
  }

  // --- progress: summary, export, import, clear ------------------------------------------------------------------
  function refreshProgress() {
    const seen = Object.keys(progress.cards).length;
    const reviews = Object.values(progress.cards).reduce((n, e) => n + e.reviews.length, 0);
    $("progress-summary").textContent = `${seen} of ${DECK.cards.length} questions seen, ${plural(reviews, "review")}, ` +
      `${plural(progress.mocks.length, "mock interview")}. Scheduler: FSRS (ts-fsrs ${FSRS.FSRSVersion || ""}).`;
    $("past-mocks").replaceChildren(...progress.mocks.slice().reverse().map((m) => report(m, false)));
  }

  function exportProgress() {
    const blob = new Blob([JSON.stringify(progress, null, 1)], { type: "application/json" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = `unrolled-drill-progress-${clock.now().toISOString().slice(0, 10)}.json`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
    $("progress-message").textContent = `Exported ${Object.keys(progress.cards).length} cards and ` +
      `${progress.mocks.length} mock interviews to ${a.download}.`;
  }

  async function importProgress(file) {
    let imported;
    try {
      const text = await file.text();
      let data;
      try {
        data = JSON.parse(text);
      } catch (error) {
        throw new Error("it is not valid JSON");
      }
      imported = validate(data);
    } catch (error) {
      $("progress-message").textContent = `Import refused: ${file.name}: ${error.message}. Your progress is unchanged.`;
      $("progress-message").className = "refused";
      return;
    }
    progress = merge(progress, imported);
    save();
    $("progress-message").textContent = `Imported ${file.name}: ${Object.keys(imported.cards).length} cards and ` +
      `${imported.mocks.length} mock interviews, merged with this browser's progress.`;
    $("progress-message").className = "";
    current = null;
    refreshCards();
    refreshProgress();
  }

  function clearProgress() {
    localStorage.removeItem(STORAGE_KEY);
    progress = emptyProgress();
    $("clear-confirm").hidden = true;
    $("progress-message").textContent = "Progress cleared.";
    current = null;
    refreshCards();
    refreshProgress();
  }

  // --- tabs and keys --------------------------------------------------------------------------------------------
  function selectTab(name) {
    for (const tab of ["cards", "mock", "progress"]) {
      $(tab).hidden = tab !== name;
      $(`tab-${tab}`).setAttribute("aria-selected", String(tab === name));
    }
    if (name === "progress") refreshProgress();
    if (name === "cards") refreshCards();
  }

  function activeTab() {
    return ["cards", "mock", "progress"].find((t) => !$(t).hidden);
  }

  document.addEventListener("keydown", (event) => {
    if (event.target.closest("input, select, textarea") || event.ctrlKey || event.metaKey || event.altKey) return;
    const tab = activeTab();
    if (event.key === " ") {
      if (event.target.closest("button, summary, a")) event.target.blur();
      event.preventDefault();
      if (tab === "cards") reveal();
      else if (tab === "mock" && mock && mock.phase !== "over") advanceMock();
    } else if (tab === "cards" && ["1", "2", "3", "4"].includes(event.key)) {
      event.preventDefault();
      grade(Number(event.key));
    }
  });

  $("tab-cards").addEventListener("click", () => selectTab("cards"));
  $("tab-mock").addEventListener("click", () => selectTab("mock"));
  $("tab-progress").addEventListener("click", () => selectTab("progress"));
  for (const id of ["filter-topic", "filter-difficulty", "filter-notebook"]) {
    $(id).addEventListener("change", () => { current = null; refreshCards(); });
  }
  $("reveal").addEventListener("click", reveal);
  for (const button of document.querySelectorAll(".grades button")) {
    button.addEventListener("click", () => grade(Number(button.dataset.rating)));
  }
  $("mock-start").addEventListener("click", startMock);
  $("mock-answered").addEventListener("click", advanceMock);
  $("mock-next").addEventListener("click", advanceMock);
  $("mock-follow-reveal").addEventListener("click", advanceMock);
  $("mock-stop").addEventListener("click", () => endMock("stopped"));
  $("export").addEventListener("click", exportProgress);
  $("import").addEventListener("change", (event) => {
    const file = event.target.files[0];
    event.target.value = "";
    if (file) importProgress(file);
  });
  $("clear").addEventListener("click", () => { $("clear-confirm").hidden = false; });
  $("clear-confirm").addEventListener("click", clearProgress);
  // cards falling due while the page is open appear without a reload
  setInterval(() => { if (activeTab() === "cards" && !revealed) refreshCards(); }, 30000);

  selectTab("cards");
  window.unrolledDrill = { clock, scheduler, progress: () => progress, draw };
})();
