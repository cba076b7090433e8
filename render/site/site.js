/* kb site: client-side search over search-index.js (loaded by search.html only). Works from file://.

   Meetings and their outcomes, claims, quotes, notes and sources are ranked as `kb search` ranks
   them: every term must match; a word matches by its stem (the index maps each word of the
   records to the stem SQLite's tokenizer gives it; any other word goes through porter() below,
   FTS5's stemmer); word* is a prefix; bm25 with FTS5's k1 and b,
   the column weights and the kind weights written in the index. A "phrase" matches items holding
   all its words in one field (FTS5 also wants them next to each other). When nothing matches by
   words, a term is looked for inside the words of the records. People, organisations, countries
   and topics are found by name, before the meetings when the name matches. A hit shows its
   meeting's title, date and counterparts and a snippet of its text with the matching words marked;
   facets (country, year, topic, person) count the hits and narrow them. The lists of meetings,
   people and organisations have the same facets (listFacets). Record text only ever goes into
   the page as text (textContent, text nodes), never as markup. */
(function () {
  "use strict";
  var LAST = "0123456789abcdefghijklmnopqrstuv", MORE = "wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
  var DIGIT = {};
  for (var d = 0; d < 32; d++) { DIGIT[LAST[d]] = d; DIGIT[MORE[d]] = 32 + d; }

  function decode(text) {
    var out = [], value = 0;
    for (var i = 0; i < text.length; i++) {
      var digit = DIGIT[text[i]];
      if (digit >= 32) { value = value * 32 + digit - 32; continue; }
      out.push(value * 32 + digit);
      value = 0;
    }
    return out;
  }
  // As kb.model.text.normalise folds names: case, accents, punctuation.
  function fold(text) {
    return (text || "").normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }
  // As FTS5's unicode61 tokenizer (remove_diacritics 2) splits and folds a text into words.
  function tokens(text) {
    return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().split(/[^\p{L}\p{N}\p{Co}]+/u).filter(Boolean);
  }

  var ready = null;
  function prepare() {
    if (ready) return ready;
    var started = performance.now();
    var index = window.KB_INDEX;
    var sizes = decode(index.sizes), kindOf = [], meetingOf = [], anchorOf = [], nthOf = [];
    var meetings = index.meetings.map(function (m) {
      // title, page, date, rank of date, kinds of its items, outcome ids, countries, counterparts'
      // names, names of those met in person, topics (numbers into names, topics), snippets' texts
      return { t: m[0], u: "meetings/" + m[1] + ".html", d: m[2], s: m[3], i: m[4], o: m[5], c: m[6],
               who: decode(m[7]), met: decode(m[8]), topics: decode(m[9]), packed: m[10], texts: null };
    });
    meetings.forEach(function (meeting, m) {
      var count = {}, outcome = 0;
      kindOf.push(0); meetingOf.push(m); anchorOf.push(""); nthOf.push(0);
      for (var i = 0; i < meeting.i.length; i++) {
        var kind = +meeting.i[i], name = index.kinds[kind];
        count[kind] = (count[kind] || 0) + 1;
        kindOf.push(kind); meetingOf.push(m); nthOf.push(i + 1);
        anchorOf.push(name === "outcome" ? "o-" + meeting.o[outcome++] : name + "-" + count[kind]);
      }
    });
    var stems = new Map();
    Object.keys(index.written).forEach(function (stem) {
      index.written[stem].split(" ").forEach(function (relative) {
        stems.set(stem.slice(0, stem.length - +relative[0]) + relative.slice(1), stem);
      });
    });
    var total = 0;
    for (var i = 0; i < sizes.length; i++) total += sizes[i];
    ready = { index: index, meetings: meetings, sizes: sizes, kindOf: kindOf, meetingOf: meetingOf, anchorOf: anchorOf, nthOf: nthOf, stems: stems,
              terms: Object.keys(index.terms).sort(), avgdl: total / Math.max(sizes.length, 1), surface: null };
    window.KB_PREPARE_MS = performance.now() - started;
    return ready;
  }

  // Each column's postings of a term: Map item -> times.
  function postings(term) {
    var columns = (ready.index.terms[term] || "").split(" ");
    return ready.index.columns.map(function (_name, c) {
      var numbers = decode(columns[c] || ""), found = new Map(), item = 0;
      for (var i = 0; i < numbers.length; i++) {
        item += numbers[i] >> 1;
        found.set(item, numbers[i] & 1 ? numbers[++i] + 2 : 1);
      }
      return found;
    });
  }
  function withPrefix(prefix) {
    var terms = ready.terms, low = 0, high = terms.length, found = [];
    while (low < high) { var mid = (low + high) >> 1; if (terms[mid] < prefix) low = mid + 1; else high = mid; }
    for (var i = low; i < terms.length && terms[i].startsWith(prefix); i++) found.push(terms[i]);
    return found;
  }
  // The columns' postings of several terms added up.
  function union(terms) {
    var columns = ready.index.columns.map(function () { return new Map(); });
    terms.forEach(function (term) {
      postings(term).forEach(function (found, c) {
        found.forEach(function (times, item) { columns[c].set(item, (columns[c].get(item) || 0) + times); });
      });
    });
    return columns;
  }
  // A word of the records -> its stem as SQLite gave it; any other word through porter().
  function stem(word) { return ready.stems.get(word) || porter(word); }

  // The Porter stemmer as FTS5's porter tokenizer applies it (to words of 3 to 64 bytes).
  // tests/test_site_browser.py checks it against SQLite on every word of the README and kb's code.
  function vowel(c, yAfterConsonant) { return "aeiou".indexOf(c) >= 0 || (yAfterConsonant && c === "y"); }
  // Where the first vowel-consonant sequence of w[from, to) ends (0: none).
  function vc(w, from, to, consonant) {
    var i = from;
    for (; i < to; i++) if (!(consonant = !vowel(w[i], consonant))) break;
    for (i++; i < to; i++) if ((consonant = !vowel(w[i], consonant))) return i + 1;
    return 0;
  }
  function m0(w, n) { return vc(w, 0, n, false) > 0; }  // m > 0 for the stem w[0, n)
  function m1(w, n) { var at = vc(w, 0, n, false); return at > 0 && vc(w, at, n, true) > 0; }  // m > 1
  function mIs1(w, n) { var at = vc(w, 0, n, false); return at > 0 && vc(w, at, n, true) === 0; }
  function cvc(w, n) {  // *o: ends consonant-vowel-consonant, the last not w, x or y
    if ("wxy".indexOf(w[n - 1]) >= 0) return false;
    var mask = 0, consonant = false;
    for (var i = 0; i < n; i++) { consonant = !vowel(w[i], consonant); mask = (mask << 1) | consonant; }
    return (mask & 7) === 5;
  }
  function hasVowel(w, n) { for (var i = 0; i < n; i++) if (vowel(w[i], i > 0)) return true; return false; }
  function ion(w, n) { return (w[n - 1] === "s" || w[n - 1] === "t") && m1(w, n); }
  var STEP2 = [["ational", "ate"], ["tional", "tion"], ["enci", "ence"], ["anci", "ance"], ["izer", "ize"],
    ["logi", "log"], ["bli", "ble"], ["alli", "al"], ["entli", "ent"], ["eli", "e"], ["ousli", "ous"],
    ["ization", "ize"], ["ation", "ate"], ["ator", "ate"], ["alism", "al"], ["iveness", "ive"], ["fulness", "ful"],
    ["ousness", "ous"], ["aliti", "al"], ["iviti", "ive"], ["biliti", "ble"]];
  var STEP3 = [["ical", "ic"], ["ness", ""], ["icate", "ic"], ["iciti", "ic"], ["ful", ""], ["ative", ""], ["alize", "al"]];
  var STEP4 = ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism",
    "ate", "iti", "ous", "ive", "ize"];
  // The first rule whose suffix ends the word (leaving a stem) is the one tried.
  function rule(w, rules, test) {
    for (var i = 0; i < rules.length; i++) {
      var suffix = typeof rules[i] === "string" ? rules[i] : rules[i][0];
      if (w.length > suffix.length && w.endsWith(suffix)) {
        var n = w.length - suffix.length;
        return test(w, n, suffix) ? w.slice(0, n) + (typeof rules[i] === "string" ? "" : rules[i][1]) : w;
      }
    }
    return w;
  }
  // FTS5 stems the UTF-8 bytes of a word: other scripts' letters are consonants, and the bounds
  // count bytes. A word that is not ASCII goes through as one character per byte.
  function porter(word) {
    if (/^[\x00-\x7f]*$/.test(word)) return porterBytes(word);
    var bytes = new TextEncoder().encode(word);
    var stemmed = porterBytes(String.fromCharCode.apply(null, bytes));
    return new TextDecoder().decode(Uint8Array.from(stemmed, function (c) { return c.charCodeAt(0); }));
  }
  function porterBytes(w) {
    if (w.length < 3 || w.length > 64) return w;
    var n = w.length;
    if (w[n - 1] === "s") {  // step 1a
      if (w[n - 2] === "e") w = w.slice(0, (n > 4 && w.endsWith("sses")) || (n > 3 && w[n - 3] === "i") ? n - 2 : n - 1);
      else if (w[n - 2] !== "s") w = w.slice(0, n - 1);
    }
    var cut = 0;  // step 1b
    if (w.length > 3 && w.endsWith("eed")) { if (m0(w, w.length - 3)) w = w.slice(0, -1); }
    else if (w.length > 2 && w.endsWith("ed")) cut = hasVowel(w, w.length - 2) ? 2 : 0;
    else if (w.length > 3 && w.endsWith("ing")) cut = hasVowel(w, w.length - 3) ? 3 : 0;
    if (cut) {
      w = w.slice(0, w.length - cut);
      var c = w[w.length - 1];
      if (w.length > 2 && /(at|bl|iz)$/.test(w)) w += "e";
      else if (!vowel(c, false) && "lsz".indexOf(c) < 0 && c === w[w.length - 2]) w = w.slice(0, -1);
      else if (mIs1(w, w.length) && cvc(w, w.length)) w += "e";
    }
    if (w[w.length - 1] === "y" && hasVowel(w, w.length - 1)) w = w.slice(0, -1) + "i";  // step 1c
    w = rule(w, STEP2, m0);
    w = rule(w, STEP3, m0);
    w = rule(w, STEP4, function (x, k, suffix) { return suffix === "ion" ? ion(x, k) : m1(x, k); });
    n = w.length;
    if (w[n - 1] === "e" && (m1(w, n - 1) || (mIs1(w, n - 1) && !cvc(w, n - 1)))) w = w.slice(0, -1);  // 5a
    n = w.length;
    if (n > 1 && w[n - 1] === "l" && w[n - 2] === "l" && m1(w, n - 1)) w = w.slice(0, -1);  // 5b
    return w;
  }

  // As kb/query/search.py's terms(): "quoted phrases", words, word* prefixes.
  function parse(query) {
    var found = [], pattern = /"([^"]*)"|(\S+)/g, match;
    while ((match = pattern.exec(query))) {
      var text, prefix = false;
      if (match[1]) text = match[1].split(/\s+/).filter(Boolean).join(" ");
      else {
        var word = match[2] !== undefined ? match[2] : "";
        prefix = word.endsWith("*");
        text = (word.match(/[\p{L}\p{N}_]+/gu) || []).join(" ");
      }
      if (text) found.push({ text: text, prefix: prefix, words: tokens(text) });
    }
    return found.filter(function (term) { return term.words.length; });
  }

  // A term's weighted frequency in each item it matches (FTS5's "phrase frequency").
  function frequencies(term) {
    var weights = ready.index.weights, words = term.words;
    var per = words.map(function (word, w) {
      return w === words.length - 1 && term.prefix ? union(withPrefix(stem(word))) : postings(stem(word));
    });
    var found = new Map();
    for (var c = 0; c < weights.length; c++) {
      per[0][c].forEach(function (times, item) {
        for (var w = 1; w < per.length; w++) {
          var other = per[w][c].get(item);
          if (!other) return;
          times = Math.min(times, other);
        }
        found.set(item, (found.get(item) || 0) + weights[c] * times);
      });
    }
    return found;
  }

  function byWords(terms) {
    var index = ready.index, n = ready.sizes.length, k1 = index.k1, b = index.b;
    var found = terms.map(frequencies);
    var idf = found.map(function (f) {
      var value = Math.log((n - f.size + 0.5) / (f.size + 0.5));
      return value <= 0 ? 1e-6 : value;
    });
    var smallest = found.reduce(function (a, f) { return f.size < a.size ? f : a; }, found[0]);
    var hits = [];
    smallest.forEach(function (_times, item) {
      var score = 0;
      for (var i = 0; i < found.length; i++) {
        var f = found[i].get(item);
        if (f === undefined) return;
        score += idf[i] * ((f * (k1 + 1)) / (f + k1 * (1 - b + b * ready.sizes[item] / ready.avgdl)));
      }
      hits.push({ item: item, score: score * index.kindWeights[ready.kindOf[item]] });
    });
    return hits;
  }

  // Nothing by words: each term inside a word of the records; ranked by where the first is found
  // (title, participants, topics), then by kind.
  function inside(terms) {
    if (!ready.surface) {
      ready.surface = ready.terms.slice();
      ready.stems.forEach(function (_stem, word) { ready.surface.push(word); });
    }
    var index = ready.index, hits = new Map();
    terms.forEach(function (term, t) {
      var needle = term.words.join(" ");
      var matching = new Set();
      ready.surface.forEach(function (word) { if (word.indexOf(needle) >= 0) matching.add(stem(word)); });
      var columns = union(Array.from(matching));
      var here = new Map();
      columns.forEach(function (found, c) {
        found.forEach(function (_times, item) {
          here.set(item, (here.get(item) || 0) + (c < 3 && t === 0 ? [8, 4, 2][c] : 0));
        });
      });
      if (t === 0) here.forEach(function (weight, item) { hits.set(item, weight); });
      else hits.forEach(function (_weight, item) { if (!here.has(item)) hits.delete(item); });
    });
    return Array.from(hits, function (entry) {
      return { item: entry[0], score: entry[1] * 100 + index.kindWeights[ready.kindOf[entry[0]]] };
    });
  }

  function items(query, code) {
    if (!window.KB_INDEX) return [];
    prepare();
    var index = ready.index, terms = parse(query), hits;
    if (terms.length) {
      hits = byWords(terms);
      ready.inside = !hits.length;  // found inside words: a snippet marks the words holding a term
      if (ready.inside) hits = inside(terms);
    } else {
      hits = [];
      for (var item = 0; item < ready.sizes.length; item++) if (ready.kindOf[item] === 0) hits.push({ item: item, score: 0 });
    }
    if (code) hits = hits.filter(function (hit) { return ready.meetings[ready.meetingOf[hit.item]].c.indexOf(code) >= 0; });
    hits.sort(function (a, b) {  // best first, then the latest meeting, then as the index holds them
      return b.score - a.score ||
        ready.meetings[ready.meetingOf[b.item]].s - ready.meetings[ready.meetingOf[a.item]].s || a.item - b.item;
    });
    return hits.map(function (hit) {
      var meeting = ready.meetings[ready.meetingOf[hit.item]], anchor = ready.anchorOf[hit.item];
      var label = index.kinds[ready.kindOf[hit.item]];  // "meeting", "outcome", "source"
      return { k: label, t: meeting.t, u: meeting.u + (anchor ? "#" + anchor : ""),
               d: meeting.d, score: hit.score, meeting: meeting, nth: ready.nthOf[hit.item] };
    });
  }

  function startsWord(haystack, word) {
    return haystack.startsWith(word) || haystack.indexOf(" " + word) >= 0;
  }
  // A page: every word in its name or text; in the name, at the start of a word, weighs most.
  function pageScore(entry, words) {
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
  function pages(query, kind, code) {
    var words = fold(query).split(" ").filter(Boolean), found = [];
    (window.KB_INDEX ? window.KB_INDEX.pages : []).forEach(function (entry) {
      if (kind && entry.k !== kind) return;
      if (code && entry.c.indexOf(code) < 0) return;
      var s = words.length ? pageScore(entry, words) : 1;
      // named: every word in the name
      if (s > 0) found.push({ entry: entry, score: s, named: !words.length || s >= 6 * words.length });
    });
    found.sort(function (a, b) {
      return b.score - a.score || a.entry.n.length - b.entry.n.length || (a.entry.t < b.entry.t ? -1 : a.entry.t > b.entry.t ? 1 : 0);
    });
    return found.map(function (hit) { return { k: hit.entry.k, t: hit.entry.t, u: hit.entry.u, d: "", named: hit.named }; });
  }

  // Pages found by name, then meetings and their parts, then pages found otherwise.
  function search(query, kind, country) {
    var code = (country || "").trim().toUpperCase();
    if (!fold(query) && !code) return [];
    var found = kind && kind !== "meeting" ? [] : items(query, code);
    var named = kind === "meeting" ? [] : pages(query, kind, code);
    return named.filter(function (hit) { return hit.named; }).concat(found, named.filter(function (hit) { return !hit.named; }));
  }

  // --- results that read like results ------------------------------------------------------

  // The words of a text a query's terms match (by stem, a prefix term by the start of a stem; when
  // the search found the terms only inside words, the words containing them), marked, in a window of about WINDOW characters
  // around the first: a fragment of text nodes and <mark>s (never markup from the records).
  var WINDOW = 200;
  function snippet(text, terms) {
    var words = [], wanted = [];
    terms.forEach(function (term) {
      term.words.forEach(function (word, w) {
        wanted.push({ stem: stem(word), word: word, prefix: term.prefix && w === term.words.length - 1 });
      });
    });
    var pattern = /[\p{L}\p{N}]+/gu, match, first = -1;
    while ((match = pattern.exec(text))) {
      var folded = tokens(match[0])[0] || "", own = stem(folded);
      var hit = wanted.some(function (x) {
        return own === x.stem || (x.prefix && own.startsWith(x.stem)) || (ready.inside && folded.indexOf(x.word) >= 0);
      });
      if (hit) {
        words.push([match.index, match.index + match[0].length]);
        if (first < 0) first = match.index;
      }
    }
    var start = first > WINDOW / 3 ? text.lastIndexOf(" ", first - WINDOW / 3) + 1 : 0;
    var end = Math.min(text.length, start + WINDOW), at = start;
    if (end < text.length && text.lastIndexOf(" ", end) > start) end = text.lastIndexOf(" ", end);
    var fragment = document.createDocumentFragment();
    function plain(value) { if (value) fragment.appendChild(document.createTextNode(value)); }
    plain(start > 0 ? "…" : "");
    words.forEach(function (span) {
      if (span[0] < at || span[1] > end) return;
      plain(text.slice(at, span[0]));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(span[0], span[1]);
      fragment.appendChild(mark);
      at = span[1];
    });
    plain(text.slice(at, end) + (end < text.length ? "…" : ""));
    return fragment;
  }

  // --- facets: country, year, topic, person ---------------------------------------------------

  var FACETS = [["country", "Country"], ["year", "Year"], ["topic", "Topic"], ["person", "Person"]];
  var SHOWN = 20;  // values shown of a facet before its "more" button
  // A meeting's facet keys ("country:PK", "year:2025", "topic:3", "person:0") and their labels.
  function meetingFacets(meeting, labels) {
    var index = ready.index, keys = [];
    function add(facet, value, label) { var key = facet + ":" + value; labels[key] = label; keys.push(key); }
    meeting.c.forEach(function (code) { add("country", code, index.countries[code] || code); });
    add("year", meeting.d.slice(0, 4), meeting.d.slice(0, 4));
    meeting.topics.forEach(function (n) { add("topic", n, index.topics[n]); });
    meeting.met.forEach(function (n) { add("person", n, index.names[n]); });
    return keys;
  }
  // Rows holding, for every facet with values chosen, one of them.
  function narrowed(rows, chosen) {
    var byFacet = {};
    chosen.forEach(function (key) { var f = key.split(":")[0]; (byFacet[f] = byFacet[f] || []).push(key); });
    return rows.filter(function (row) {
      return Object.keys(byFacet).every(function (f) {
        return byFacet[f].some(function (key) { return row.keys.indexOf(key) >= 0; });
      });
    });
  }
  // Each facet's values with their counts among the rows the other facets' choices leave (so that
  // a value of a facet already chosen can be added to it), the chosen ones always; most first.
  function drawFacets(panel, rows, chosen, labels, redraw) {
    var count = {};
    FACETS.forEach(function (facet) {
      var others = new Set(Array.from(chosen).filter(function (key) { return key.split(":")[0] !== facet[0]; }));
      narrowed(rows, others).forEach(function (row) {
        row.keys.forEach(function (key) { if (key.split(":")[0] === facet[0]) count[key] = (count[key] || 0) + 1; });
      });
    });
    chosen.forEach(function (key) { count[key] = count[key] || 0; });
    panel.textContent = "";
    FACETS.forEach(function (facet) {
      var keys = Object.keys(count).filter(function (key) { return key.split(":")[0] === facet[0]; });
      if (!keys.length) return;
      keys.sort(function (a, b) {
        return facet[0] === "year" ? (a < b ? 1 : -1) : count[b] - count[a] || (labels[a] < labels[b] ? -1 : labels[a] > labels[b] ? 1 : 0);
      });
      var group = document.createElement("div");
      group.className = "facet";
      group.setAttribute("data-facet", facet[0]);
      var heading = document.createElement("h2");
      heading.textContent = facet[1];
      group.appendChild(heading);
      // the values held most (and those chosen) only, until "more" opens the facet
      var opened = panel.kbOpened || (panel.kbOpened = new Set()), hidden = 0;
      if (keys.length > SHOWN && !opened.has(facet[0])) {
        keys = keys.filter(function (key, n) {
          var keep = n < SHOWN || chosen.has(key);
          if (!keep) hidden++;
          return keep;
        });
      }
      keys.forEach(function (key) {
        var button = document.createElement("button");
        button.type = "button";
        button.setAttribute("data-key", key);
        button.setAttribute("aria-pressed", chosen.has(key) ? "true" : "false");
        button.appendChild(document.createTextNode(labels[key] + " "));
        var number = document.createElement("span");
        number.className = "count";
        number.textContent = count[key];
        button.appendChild(number);
        button.addEventListener("click", function () {
          if (chosen.has(key)) chosen.delete(key); else chosen.add(key);
          redraw();
        });
        group.appendChild(button);
      });
      if (hidden) {
        var more = document.createElement("button");
        more.type = "button";
        more.className = "more";
        more.textContent = hidden + " more…";
        more.addEventListener("click", function () { opened.add(facet[0]); redraw(); });
        group.appendChild(more);
      }
      panel.appendChild(group);
    });
  }

  function showHit(hit, terms) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = hit.u;
    a.textContent = hit.t;
    a.dir = "auto";
    li.appendChild(a);
    var detail = document.createElement("span");
    detail.className = "detail";
    if (!hit.meeting) {
      detail.textContent = " " + hit.k;
      li.appendChild(detail);
      return li;
    }
    var who = hit.meeting.who.map(function (n) { return ready.index.names[n]; }).join(", ");
    detail.textContent = " " + hit.d + (who ? " · with " + who : "") + " · " + hit.k;
    li.appendChild(detail);
    var words = ready.index.words, meeting = hit.meeting;
    if (!meeting.texts) {  // each item's text: its words' numbers into index.words
      meeting.texts = meeting.packed.split(" ").map(function (packed) {
        return decode(packed).map(function (n) { return words[n]; }).join(" ");
      });
    }
    if (meeting.texts[hit.nth]) {
      var text = document.createElement("p");
      text.className = "snippet";
      text.dir = "auto";
      text.appendChild(snippet(meeting.texts[hit.nth], terms));
      li.appendChild(text);
    }
    return li;
  }

  function show() {
    var results = document.getElementById("search-results");
    if (!results) return;
    var params = new URLSearchParams(window.location.search);
    var query = params.get("q") || "", kind = params.get("kind") || "", country = params.get("country") || "";
    document.getElementById("q").value = query;
    document.getElementById("kind").value = kind;
    document.getElementById("country").value = country;
    var started = performance.now();
    var found = search(query, kind, country);
    window.KB_SEARCH_MS = performance.now() - started;
    var status = document.getElementById("search-status"), panel = document.getElementById("search-facets");
    var chosen = new Set(params.getAll("f")), labels = {}, terms = parse(query);
    var rows = found.map(function (hit) { return { hit: hit, keys: hit.meeting ? meetingFacets(hit.meeting, labels) : [] }; });
    function redraw() {
      // with a facet chosen, only meetings and their parts (pages have no date, topics or people)
      var shown = chosen.size ? narrowed(rows, chosen) : rows;
      results.textContent = "";
      panel.textContent = "";
      if (!query && !country) { status.textContent = "Type a name, title, place or topic."; return; }
      status.textContent = shown.length + (shown.length === 1 ? " result" : " results") +
        (chosen.size ? " of " + rows.length : "") + (shown.length > 100 ? " (the first 100 shown)" : "");
      drawFacets(panel, rows, chosen, labels, redraw);
      shown.slice(0, 100).forEach(function (row) { results.appendChild(showHit(row.hit, terms)); });
    }
    redraw();
  }

  // A list page's facets (drawn by the build, every row's values in data-facets): choosing values
  // narrows the list and counts again.
  function listFacets() {
    var panel = document.getElementById("list-facets");
    if (!panel) return;
    var labels = {}, chosen = new Set(), byNumber = [];
    panel.querySelectorAll("button[data-key]").forEach(function (button) {
      labels[button.getAttribute("data-key")] = button.getAttribute("data-label");
      byNumber.push(button.getAttribute("data-key"));
    });
    // a row's values are their numbers among the buttons as built
    var rows = Array.prototype.map.call(document.querySelectorAll("ul.listing > li"), function (li) {
      var numbers = (li.getAttribute("data-facets") || "").split(" ").filter(Boolean);
      return { li: li, keys: numbers.map(function (n) { return byNumber[+n]; }) };
    });
    var status = document.getElementById("list-count");
    function redraw() {
      var shown = narrowed(rows, chosen);
      rows.forEach(function (row) { row.li.hidden = shown.indexOf(row) < 0; });
      status.textContent = chosen.size ? shown.length + " of " + rows.length + " shown." : rows.length + " in all.";
      drawFacets(panel, rows, chosen, labels, redraw);
    }
    redraw();
  }

  window.KB_SEARCH = search;
  window.KB_STEM = porter;
  document.addEventListener("DOMContentLoaded", function () { show(); listFacets(); });
})();
