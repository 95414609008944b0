/* Sổ vàng: the finder ("Tra cứu"), on Pagefind's chunked index.
 *
 * Text query plus filters (kind, province, old province, old district, field,
 * year), kept in the page URL so a search can be shared. Results and counts
 * are written with textContent: nothing from the index is parsed as HTML.
 *
 * The menus come with every value and its total in the page. Pagefind's
 * filter files (a few hundred kilobytes at 10,000 records) are fetched only
 * once the visitor opens the filters, and from then on the counts follow the
 * query; a first search downloads only what the query needs.
 */
(function () {
  "use strict";
  var PAGE = 20;
  var form = document.getElementById("sv-finder");
  if (!form) return;
  var config = JSON.parse(document.getElementById("__config").textContent);
  var root = new URL(config.base.replace(/\/?$/, "/"), location.href);
  var input = form.querySelector("input[name=q]");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
  var status = document.getElementById("sv-finder-status");
  var list = document.getElementById("sv-finder-results");
  var more = document.getElementById("sv-finder-more");
  var details = document.getElementById("sv-finder-more-filters");
  var pagefind, results = [], shown = 0, timer = null, generation = 0, lastKey = null;
  var counts = "none";  // the filter files: "none", "loading", "ready"

  function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", root).href).then(function (pf) {
        return pf.options({ baseUrl: root.pathname }).then(function () { return pf; });
      });
    }
    return pagefind;
  }

  // With every filter file loaded, each search returns counts for all the menus.
  function countFilters() {
    if (counts !== "none") return;
    counts = "loading";
    load().then(function (pf) { return pf.filters(); })
      .then(function () { counts = "ready"; lastKey = null; run(); })
      .catch(function () { counts = "none"; });
  }

  function chosen() {
    var filters = {};
    selects.forEach(function (s) { if (s.value) filters[s.name] = s.value; });
    return filters;
  }

  function hasMarks(q) {
    return q.normalize("NFD") !== q.normalize("NFC").normalize("NFD").replace(/\p{M}/gu, "") || /đ/i.test(q);
  }

  function merge(exact, loose) {
    var seen = {};
    exact.results.forEach(function (r) { seen[r.id] = true; });
    return { results: exact.results.concat(loose.results.filter(function (r) { return !seen[r.id]; })),
             filters: loose.filters };
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
    if (data.meta.image) {
      var img = document.createElement("img");
      img.src = data.meta.image.replace(/^\//, root.pathname);
      img.alt = data.meta.image_alt || "";
      img.width = 96; img.height = 72; img.loading = "lazy";
      li.appendChild(img);
    }
    var body = document.createElement("div");
    var a = document.createElement("a");
    a.href = data.url;
    a.textContent = data.meta.title;
    var h = document.createElement("h3");
    h.appendChild(a);
    var meta = document.createElement("p");
    meta.className = "sv-meta";
    meta.textContent = [data.meta.kind, data.meta.place, data.meta.date && "ghi danh " + data.meta.date]
      .filter(Boolean).join(" · ");
    var summary = document.createElement("p");
    summary.textContent = data.meta.summary || "";
    body.appendChild(h); body.appendChild(meta); body.appendChild(summary);
    li.appendChild(body);
    return li;
  }

  function showMore(mine) {
    var batch = results.slice(shown, shown + PAGE);
    shown += batch.length;
    more.hidden = shown >= results.length;
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (items) {
      if (mine !== generation) return;
      items.forEach(function (d) { list.appendChild(card(d)); });
    });
  }

  function run() {
    var q = input.value.trim();
    // Enter after typing and the typing pause both ask for the same search: run it once.
    var key = JSON.stringify([q, chosen()]);
    if (key === lastKey) return Promise.resolve();
    lastKey = key;
    var mine = ++generation;
    syncUrl();
    status.textContent = "Đang tìm…";
    return load().then(function (pf) {
      var options = { filters: chosen() };
      if (!q) options.sort = { ngay: "desc" };
      if (!hasMarks(q)) return pf.search(q || null, options);
      // Typed with accents: exact-accent matches first ("Đặng" before "Đảng"), then the folded ones.
      return pf.options({ exactDiacritics: true })
        .then(function () { return pf.search(q, options); })
        .then(function (exact) {
          return pf.options({ exactDiacritics: false })
            .then(function () { return pf.search(q, options); })
            .then(function (loose) { return merge(exact, loose); });
        });
    }).then(function (search) {
      if (mine !== generation) return;
      results = search.results; shown = 0;
      list.textContent = "";
      if (counts === "ready") fillOptions(search.filters);
      var n = results.length;
      status.textContent = n ? "Tìm thấy " + n.toLocaleString("vi-VN") + " hồ sơ" + (q ? " cho “" + q + "”" : "") + "."
        : "Không tìm thấy hồ sơ nào" + (q ? " cho “" + q + "”" : "") + ". Hãy thử bỏ bớt bộ lọc hoặc từ khoá.";
      return showMore(mine);
    }).catch(function () {
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
  details.addEventListener("toggle", function () { if (details.open) countFilters(); });
  run();
  if (details.open) countFilters();
})();
