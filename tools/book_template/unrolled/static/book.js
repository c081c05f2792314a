// Unrolled's book: the chapters button on phones, copy buttons on code, checklists the browser remembers,
// answers opened for printing, and search over every page and interview question (MiniSearch, loaded on first use
// from the book's own files, so it works from file:// without a server).
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  var base = (document.currentScript && document.currentScript.src) || "";
  var staticDir = base.slice(0, base.lastIndexOf("/") + 1);

  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    // the chapters button (narrow screens)
    var toggle = document.querySelector(".menu-toggle");
    var side = document.getElementById("book-side");
    if (toggle && side) {
      toggle.addEventListener("click", function () {
        var open = side.classList.toggle("open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
      document.addEventListener("keydown", function (e) {
        if (e.key === "Escape" && side.classList.contains("open")) {
          side.classList.remove("open"); toggle.setAttribute("aria-expanded", "false"); toggle.focus();
        }
      });
    }
    // "on this page" starts folded where it would push the page down
    var toc = document.querySelector(".book-toc");
    if (toc && window.matchMedia("(max-width: 1399px)").matches) toc.removeAttribute("open");

    // copy buttons
    document.querySelectorAll(".jp-InputArea-editor, .solution-body .highlight").forEach(function (box) {
      var pre = box.querySelector("pre");
      if (!pre) return;
      box.classList.add("highlight-box");
      var button = document.createElement("button");
      button.type = "button"; button.className = "copy-code"; button.textContent = "Copy";
      button.setAttribute("aria-label", "Copy this code");
      button.addEventListener("click", function () {
        var text = pre.innerText;
        var done = function () { button.textContent = "Copied"; setTimeout(function () { button.textContent = "Copy"; }, 1500); };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text); done(); });
        } else { fallbackCopy(text); done(); }
      });
      box.appendChild(button);
    });

    // a region that scrolls sideways can be scrolled from the keyboard: it takes focus
    document.querySelectorAll("main pre, .jp-OutputArea-output, .table-scroll, .MJXc-display").forEach(function (el) {
      if (el.scrollWidth > el.clientWidth + 1 && !el.hasAttribute("tabindex")) el.setAttribute("tabindex", "0");
    });

    // checklists remember what was ticked, per page
    document.querySelectorAll("li.task input[type=checkbox]").forEach(function (box, i) {
      var key = "unrolled:" + location.pathname.split("/").pop() + ":task:" + i;
      try {
        if (localStorage.getItem(key) === "1") box.checked = true;
        box.addEventListener("change", function () { localStorage.setItem(key, box.checked ? "1" : "0"); });
      } catch (e) { /* storage disabled: the boxes still tick */ }
    });

    setUpSearch();
  });

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text; area.setAttribute("readonly", ""); area.style.position = "fixed"; area.style.left = "-9999px";
    document.body.appendChild(area); area.select();
    try { document.execCommand("copy"); } catch (e) { /* nothing more to try */ }
    document.body.removeChild(area);
  }

  // printing shows every folded answer (solutions, question cards, quizzes), and folds back afterwards
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details:not([open])"), function (d) {
      d.setAttribute("open", ""); return true;
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.removeAttribute("open"); }); opened = [];
  });

  // --- search ----------------------------------------------------------------------------------------------------
  var index = null, loading = null;

  function load(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = staticDir + src; s.onload = resolve; s.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(s);
    });
  }

  function searchIndex() {
    if (index) return Promise.resolve(index);
    if (!loading) {
      loading = load("minisearch.js").then(function () { return load("search-data.js"); }).then(function () {
        index = new window.MiniSearch({
          fields: ["title", "text"], storeFields: ["title", "page", "href"],
          searchOptions: { boost: { title: 3 }, prefix: true, fuzzy: 0.15, combineWith: "AND" }
        });
        index.addAll(window.UNROLLED_SEARCH_DOCUMENTS);
        return index;
      });
    }
    return loading;
  }
  window.unrolledSearch = function (query) {
    return searchIndex().then(function (ix) { return ix.search(query); });
  };

  function setUpSearch() {
    var input = document.getElementById("book-search-input");
    var box = document.getElementById("book-search-results");
    if (!input || !box) return;
    var pending = 0;
    input.addEventListener("focus", function () { searchIndex(); });
    input.addEventListener("input", function () {
      var query = input.value.trim(), ticket = ++pending;
      if (!query) { box.classList.remove("open"); box.innerHTML = ""; return; }
      window.unrolledSearch(query).then(function (results) {
        if (ticket !== pending) return;
        box.innerHTML = "";
        if (!results.length) {
          var none = document.createElement("p"); none.textContent = "Nothing found for \u201c" + query + "\u201d.";
          box.appendChild(none);
        } else {
          var list = document.createElement("ol");
          results.slice(0, 12).forEach(function (r) {
            var item = document.createElement("li"), link = document.createElement("a"), where = document.createElement("span");
            link.href = r.href; link.textContent = r.title;
            where.className = "where"; where.textContent = r.page; link.appendChild(where);
            item.appendChild(link); list.appendChild(item);
          });
          box.appendChild(list);
        }
        box.classList.add("open");
      });
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { box.classList.remove("open"); }
      if (e.key === "ArrowDown") { var first = box.querySelector("a"); if (first) { e.preventDefault(); first.focus(); } }
    });
    document.addEventListener("click", function (e) {
      if (!box.contains(e.target) && e.target !== input) box.classList.remove("open");
    });
  }
})();
