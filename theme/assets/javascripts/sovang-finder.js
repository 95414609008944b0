/* Sổ vàng: the finder ("Tra cứu"), on the syllable index (generator/site/search.py).
 *
 * Text query plus filters (kind, province, old province, old district, field,
 * year), kept in the page URL so a search can be shared. Results and counts
 * are written with textContent: nothing from the index is parsed as HTML.
 *
 * Accents and case are ignored both ways (đ counts as d); a record matches
 * when it has every word of the query, the last one as a prefix while it is
 * being typed. Ranking: words typed with their exact accents ("Đặng", not
 * "Đảng"), then words found in the name, then the newest.
 *
 * The menus come with every value and its total in the page. The filter
 * files are fetched only when a visitor opens the filters or picks one, and
 * from then on the counts follow the query: a first search fetches the
 * manifest, one shard per word and the cards it shows.
 */
(function () {
  "use strict";
  var PAGE = 20;
  var form = document.getElementById("sv-finder");
  if (!form) return;
  var config = JSON.parse(document.getElementById("__config").textContent);
  var root = new URL(config.base.replace(/\/?$/, "/"), location.href);
  // Where the index is: the finder page writes its URLs (generator/core/urls.py) into the form.
  // The manifest names its other files relative to itself; a card's URL has "{id}" for the record.
  var indexUrl = new URL(form.getAttribute("data-index"), location.href);
  var cardUrl = form.getAttribute("data-card");
  var input = form.querySelector("input[name=q]");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
  var status = document.getElementById("sv-finder-status");
  var list = document.getElementById("sv-finder-results");
  var more = document.getElementById("sv-finder-more");
  var details = document.getElementById("sv-finder-more-filters");
  var manifest = null, files = {}, decoded = {};
  var results = [], shown = 0, timer = null, generation = 0, lastKey = null;
  var counting = false;  // the visitor opened the filters: keep their counts in step with the query

  // --- The index ------------------------------------------------------------------

  function fetchJson(path) {
    if (!files[path]) {
      files[path] = fetch(new URL(path, indexUrl)).then(function (r) {
        if (!r.ok) throw new Error(path + ": " + r.status);
        return r.json();
      });
      files[path].catch(function () { delete files[path]; });
    }
    return files[path];
  }

  function index() {
    if (!manifest) {
      manifest = fetchJson(indexUrl.href + "?v=" + Date.now().toString(36)).then(function (m) {
        if (m.version !== 1) throw new Error("index version " + m.version);
        return m;
      });
      manifest.catch(function () { manifest = null; });
    }
    return manifest;
  }

  // Sorted ids from base64: "\0" + delta varints, or "\1" + a bitmap (see encode_ids).
  function ids(text) {
    if (decoded[text]) return decoded[text];
    var bin = atob(text), out = [], k, b;
    if (bin.charCodeAt(0) === 1) {
      for (k = 1; k < bin.length; k++) {
        b = bin.charCodeAt(k);
        for (var bit = 0; b && bit < 8; bit++) if (b >> bit & 1) out.push(8 * (k - 1) + bit);
      }
    } else {
      var previous = -1, value = 0, shift = 0;
      for (k = 1; k < bin.length; k++) {
        b = bin.charCodeAt(k);
        value += (b & 127) * Math.pow(2, shift);
        shift += 7;
        if (!(b & 128)) { previous += value + 1; out.push(previous); value = 0; shift = 0; }
      }
    }
    return (decoded[text] = out);
  }

  function mark(into, list) { list.forEach(function (i) { into[i] = 1; }); return into; }

  function words(text) { return text.normalize("NFC").toLowerCase().match(/[\p{L}\p{N}]+/gu) || []; }

  function fold(word) { return word.replace(/đ/g, "d").normalize("NFD").replace(/\p{M}/gu, "").normalize("NFC"); }

  // The shard files that may hold syllables from `low` to `high` (inclusive).
  function shardsFor(m, low, high) {
    var rows = m.shards, first = 0, found = [];
    for (var i = 0; i < rows.length; i++) if (rows[i][0] <= low) first = i;
    for (var j = first; j < rows.length && (j === first || rows[j][0] <= high); j++) found.push(rows[j][1]);
    return found;
  }

  // For one query word: who has it at all, in the name, and with exactly these accents.
  function lookup(m, word, prefix) {
    var key = fold(word), exact = word !== key;
    var high = prefix ? key + "\uffff" : key;
    return Promise.all(shardsFor(m, key, high).map(fetchJson)).then(function (shards) {
      var n = m.count, any = new Uint8Array(n), name = new Uint8Array(n), same = new Uint8Array(n);
      shards.forEach(function (shard) {
        Object.keys(shard).forEach(function (k) {
          if (prefix ? k.indexOf(key) !== 0 : k !== key) return;
          Object.keys(shard[k]).forEach(function (spelling) {
            var lists = shard[k][spelling];
            mark(any, ids(lists[0]));
            mark(name, ids(lists[1]));
            if (exact && (prefix ? spelling.indexOf(word) === 0 : spelling === word)) mark(same, ids(lists[0]));
          });
        });
      });
      return { any: any, name: name, same: exact ? same : null };
    });
  }

  function filterSets(m, keys) {
    return Promise.all(keys.map(function (k) { return fetchJson(m.filters[k]); })).then(function (tables) {
      var sets = {};
      keys.forEach(function (k, i) { sets[k] = tables[i]; });
      return sets;
    });
  }

  function find(q, filters) {
    return index().then(function (m) {
      var typed = words(q), endsWord = /[\p{L}\p{N}]$/u.test(q);
      var wanted = Object.keys(filters);
      var keys = counting ? Object.keys(m.filters) : wanted;
      return Promise.all([
        Promise.all(typed.map(function (w, i) {
          return lookup(m, w, i === typed.length - 1 && endsWord && fold(w).length >= 2);
        })),
        filterSets(m, keys)
      ]).then(function (parts) { return rank(m, parts[0], parts[1], filters); });
    });
  }

  function rank(m, hits, tables, filters) {
    var n = m.count, keep = [];
    var required = Object.keys(filters).map(function (k) {
      var list = tables[k][filters[k]];
      return list ? mark(new Uint8Array(n), ids(list)) : new Uint8Array(n);
    });
    for (var id = n - 1; id >= 0; id--) {  // newest first
      var ok = true, same = 0, named = 0;
      for (var w = 0; ok && w < hits.length; w++) {
        ok = hits[w].any[id] === 1;
        if (hits[w].same && hits[w].same[id]) same++;
        if (hits[w].name[id]) named++;
      }
      for (var f = 0; ok && f < required.length; f++) ok = required[f][id] === 1;
      if (ok) keep.push({ id: id, score: same * 1000 + named });
    }
    keep.sort(function (a, b) { return b.score - a.score || b.id - a.id; });
    var found = keep.map(function (r) { return r.id; });
    return { ids: found, counts: counting ? tally(n, found, tables) : null };
  }

  // How many of the results have each value of each filter.
  function tally(n, found, tables) {
    var inResults = mark(new Uint8Array(n), found), counts = {};
    Object.keys(tables).forEach(function (k) {
      counts[k] = {};
      Object.keys(tables[k]).forEach(function (v) {
        counts[k][v] = ids(tables[k][v]).reduce(function (c, i) { return c + inResults[i]; }, 0);
      });
    });
    return counts;
  }

  // --- The page -------------------------------------------------------------------

  function chosen() {
    var filters = {};
    selects.forEach(function (s) { if (s.value) filters[s.name] = s.value; });
    return filters;
  }

  function syncUrl() {
    var params = new URLSearchParams();
    if (input.value.trim()) params.set("q", input.value.trim());
    selects.forEach(function (s) { if (s.value) params.set(s.name, s.value); });
    var query = params.toString();
    history.replaceState(null, "", query ? "?" + query : location.pathname);
  }

  function fillOptions(counts) {
    selects.forEach(function (s) {
      var current = s.value;
      var values = Object.keys(counts[s.name] || {}).sort(function (a, b) {
        return s.name === "nam" ? b.localeCompare(a) : a.localeCompare(b, "vi");
      });
      while (s.options.length > 1) s.remove(1);
      values.forEach(function (v) {
        var n = counts[s.name][v];
        if (!n && v !== current) return;
        var o = document.createElement("option");
        o.value = v;
        o.textContent = v + " (" + n.toLocaleString("vi-VN") + ")";
        s.appendChild(o);
      });
      s.value = current;
    });
  }

  function card(data) {
    var li = document.createElement("li");
    li.className = "sv-result";
    if (data.image) {
      var img = document.createElement("img");
      img.src = new URL(data.image, root).href;
      img.alt = data.alt || "";
      img.width = 96; img.height = 72; img.loading = "lazy";
      li.appendChild(img);
    }
    var body = document.createElement("div");
    var a = document.createElement("a");
    a.href = new URL(data.url, root).href;
    a.textContent = data.title;
    var h = document.createElement("h3");
    h.appendChild(a);
    var meta = document.createElement("p");
    meta.className = "sv-meta";
    meta.textContent = [data.kind, data.place, data.date && "ghi danh " + data.date].filter(Boolean).join(" · ");
    var summary = document.createElement("p");
    summary.textContent = data.summary || "";
    body.appendChild(h); body.appendChild(meta); body.appendChild(summary);
    li.appendChild(body);
    return li;
  }

  function showMore(mine) {
    var batch = results.slice(shown, shown + PAGE);
    shown += batch.length;
    more.hidden = shown >= results.length;
    return index().then(function (m) {
      return Promise.all(batch.map(function (id) { return fetchJson(new URL(cardUrl.replace("{id}", id), location.href).href + "?v=" + m.build); }));
    }).then(function (items) {
      if (mine !== generation) return;
      items.forEach(function (d) { list.appendChild(card(d)); });
    });
  }

  function run() {
    var q = input.value.trim();
    // Enter after typing and the typing pause both ask for the same search: run it once.
    var key = JSON.stringify([q, chosen(), counting]);
    if (key === lastKey) return Promise.resolve();
    lastKey = key;
    var mine = ++generation;
    syncUrl();
    status.textContent = "Đang tìm…";
    return find(input.value, chosen()).then(function (search) {
      if (mine !== generation) return;
      results = search.ids; shown = 0;
      list.textContent = "";
      if (search.counts) fillOptions(search.counts);
      var n = results.length;
      status.textContent = n ? "Tìm thấy " + n.toLocaleString("vi-VN") + " hồ sơ" + (q ? " cho “" + q + "”" : "") + "."
        : "Không tìm thấy hồ sơ nào" + (q ? " cho “" + q + "”" : "") + ". Hãy thử bỏ bớt bộ lọc hoặc từ khoá.";
      return showMore(mine);
    }).catch(function () {
      if (mine !== generation) return;
      lastKey = null;
      status.textContent = "Không tải được chỉ mục tìm kiếm; hãy tải lại trang.";
    });
  }

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  selects.forEach(function (s) {
    var v = params.get(s.name);
    if (v) {
      s.value = v;
      if (s.value !== v) {  // a value this site no longer has: keep it, the search will say so
        var o = document.createElement("option"); o.value = v; o.textContent = v; s.appendChild(o); s.value = v;
      }
      details.open = true;
    }
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); run(); });
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 250); });
  selects.forEach(function (s) { s.addEventListener("change", run); });
  form.querySelector("button[type=reset]").addEventListener("click", function () {
    setTimeout(function () { selects.forEach(function (s) { s.value = ""; }); run(); }, 0);
  });
  more.addEventListener("click", function () { showMore(generation); });
  details.addEventListener("toggle", function () { if (details.open && !counting) { counting = true; run(); } });
  counting = details.open;
  run();
})();
