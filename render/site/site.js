/* kb site: client-side search over search-index.js (loaded by search.html only). Works from file://. */
(function () {
  "use strict";
  function fold(text) {
    return (text || "").normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }
  function startsWord(haystack, word) {
    return haystack === word || haystack.startsWith(word + " ") || haystack.startsWith(word) ||
      haystack.indexOf(" " + word) >= 0;
  }
  // Every word must occur; a word at the start of a word in the name or title weighs most.
  function score(entry, words) {
    var total = 0;
    for (var i = 0; i < words.length; i++) {
      var w = words[i];
      if (startsWord(entry.n, w)) total += 10;
      else if (entry.n.indexOf(w) >= 0) total += 6;
      else if (startsWord(entry.x, w)) total += 3;
      else if (entry.x.indexOf(w) >= 0) total += 1;
      else return 0;
    }
    if (entry.n === words.join(" ")) total += 20;
    return total;
  }
  function search(query, kind, country) {
    var words = fold(query).split(" ").filter(Boolean);
    var code = (country || "").trim().toUpperCase();
    if (!words.length && !code) return [];
    var found = [];
    (window.KB_INDEX || []).forEach(function (entry) {
      if (kind && entry.k !== kind) return;
      if (code && entry.c.indexOf(code) < 0) return;
      var s = words.length ? score(entry, words) : 1;
      if (s > 0) found.push({ entry: entry, score: s });
    });
    found.sort(function (a, b) {
      // as bm25 does, a shorter name that matches as well ranks first; then the latest
      return b.score - a.score || a.entry.n.length - b.entry.n.length ||
        (b.entry.d > a.entry.d ? 1 : b.entry.d < a.entry.d ? -1 : 0) ||
        (a.entry.t < b.entry.t ? -1 : a.entry.t > b.entry.t ? 1 : 0);
    });
    return found;
  }
  function show() {
    var results = document.getElementById("search-results");
    if (!results) return;
    var params = new URLSearchParams(window.location.search);
    var query = params.get("q") || "", kind = params.get("kind") || "", country = params.get("country") || "";
    document.getElementById("q").value = query;
    document.getElementById("kind").value = kind;
    document.getElementById("country").value = country;
    var found = search(query, kind, country);
    var status = document.getElementById("search-status");
    results.textContent = "";
    if (!query && !country) { status.textContent = "Type a name, title, place or topic."; return; }
    status.textContent = found.length + (found.length === 1 ? " result" : " results") +
      (found.length > 100 ? " (the first 100 shown)" : "");
    found.slice(0, 100).forEach(function (hit) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = hit.entry.u;
      a.textContent = hit.entry.t;
      a.dir = "auto";
      li.appendChild(a);
      var detail = document.createElement("span");
      detail.className = "detail";
      detail.textContent = " " + hit.entry.k + (hit.entry.d ? ", " + hit.entry.d : "");
      li.appendChild(detail);
      results.appendChild(li);
    });
  }
  window.KB_SEARCH = search;
  document.addEventListener("DOMContentLoaded", show);
})();
