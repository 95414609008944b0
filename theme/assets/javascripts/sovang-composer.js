/* The composer ("Soạn hồ sơ"): a record written in a form, checked while it is typed, exported
 * as a commented entry.yml and a folder of cleaned photos.
 *
 * The record format is not spelled here. The controls were written by the page template from
 * the generator's form definition, and this script reads the same definition (soan/mau.json:
 * the keys, limits, patterns, vocabularies and the validator's messages) before it checks a
 * single key. The photos go through sovang-files.js, which removes their metadata without
 * re-encoding them. Nothing is sent anywhere: the only requests are for the site's own files.
 */
(function () {
  "use strict";

  var form = document.getElementById("sv-composer");
  if (!form || !window.fetch || !window.SovangFiles) return;

  var spec = null; // the form definition (data-form)
  var provinces = null; // the provinces of both eras (data-provinces)
  var fieldsByPath = {}; // "photos.*.caption" → its definition
  var unitsCache = {}; // URL → promise of JSON
  var photoBytes = new Map(); // photo item element → {bytes, ext}
  var published = {slugs: null, shard: null, place: null, rows: null};
  var timer = null;

  // --- Small helpers -------------------------------------------------------------------

  function $(selector, root) { return (root || form).querySelector(selector); }
  function $$(selector, root) { return Array.prototype.slice.call((root || form).querySelectorAll(selector)); }

  function getJSON(url) {
    if (!unitsCache[url]) {
      unitsCache[url] = fetch(url, {credentials: "same-origin"}).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      }).catch(function (err) {
        delete unitsCache[url]; // offline a moment ago is not offline for ever: the next try asks again
        throw err;
      });
    }
    return unitsCache[url];
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : all;
    });
  }

  // The site's own slugify (generator/core/vntext.py): folded, đ as d, ASCII letters and digits.
  function fold(text) {
    return text.normalize("NFC").toLowerCase().replace(/đ/g, "d")
      .normalize("NFD").replace(/[\u0300-\u036f]/g, "").normalize("NFC")
      .split(/\s+/).filter(Boolean).join(" ");
  }
  function slugify(text) { return fold(text).replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, ""); }

  // FNV-1a, as composer.slug_shard computes it in Python.
  function shardOf(slug) {
    var h = 0x811c9dc5;
    var bytes = new TextEncoder().encode(slug);
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return ("0000000" + h.toString(16)).slice(-8).slice(0, spec.slugShardHex);
  }

  function viDate(iso) { var p = iso.split("-"); return p[2] + "/" + p[1] + "/" + p[0]; }
  // As generator/core/period.py's vi_when: "ngày 05/07/2020", "tháng 12/2022", "năm 2022".
  function viWhen(iso) {
    var p = iso.split("-");
    if (p.length === 1) return "năm " + p[0];
    if (p.length === 2) return "tháng " + Number(p[1]) + "/" + p[0];
    return "ngày " + viDate(iso);
  }

  function todayInVietnam() {
    var now = new Date(Date.now() + 7 * 3600 * 1000); // Vietnam is UTC+7 all year
    return now.toISOString().slice(0, 10);
  }

  function kind() {
    var checked = $('input[name="kind"]:checked');
    return checked ? checked.value : "";
  }

  function value(path) {
    var controls = form.elements.namedItem(path);
    if (!controls) return "";
    if (controls instanceof RadioNodeList) {
      if (controls.length && controls[0].type === "checkbox") {
        return Array.prototype.filter.call(controls, function (c) { return c.checked && !c.disabled; })
          .map(function (c) { return c.value; });
      }
      return controls.value || "";
    }
    if (controls.type === "checkbox") return controls.checked && !controls.disabled ? [controls.value] : [];
    if (controls.disabled) return "";
    return controls.value.normalize("NFC").trim();
  }

  // --- The form definition -----------------------------------------------------------

  function index(fields, prefix) {
    fields.forEach(function (f) {
      var path = prefix + f.key;
      fieldsByPath[path] = f;
      if (f.type === "object") index(f.fields, path + ".");
      if (f.type === "list" && f.item.type === "object") index(f.item.fields, path + ".*.");
    });
  }

  function applies(f, k) { return !f.kinds || f.kinds.indexOf(k) >= 0; }

  function applyKind() {
    var k = kind();
    $$("[data-kinds]").forEach(function (el) {
      var shown = !k || el.getAttribute("data-kinds").split(" ").indexOf(k) >= 0;
      el.hidden = !shown;
      $$("input, select, textarea", el).forEach(function (c) { c.disabled = !shown; });
    });
    // Hidden items must not be exported: re-enable only what applies.
    $$("[data-place]").forEach(function (c) { c.disabled = c.closest("[hidden]") !== null; });
    applyEra();
  }

  // --- Places, by the era of the date --------------------------------------------------

  var params = new URLSearchParams(location.search);

  function era() {
    var d = value("date");
    // A year, a month or a day; the year of the reform (2025) alone does not say which era.
    if (/^\d{4}(-\d{2}(-\d{2})?)?$/.test(d) && d !== spec.reform.slice(0, 4)) {
      return d < spec.reform.slice(0, d.length) ? "legacy" : "current";
    }
    return params.get("truoc-2025") === "1" ? "legacy" : "current";
  }

  var shownEra = null;
  var eraNotice = ""; // shown under the place until a province of the new era is chosen
  var loadProblem = ""; // a province's units could not be fetched

  function option(select, text, val) {
    var o = document.createElement("option");
    o.textContent = text;
    o.value = val;
    select.appendChild(o);
  }

  function reset(select, prompt) {
    select.textContent = "";
    option(select, prompt, "");
  }

  function applyEra() {
    var e = era();
    var district = $('[data-place="district"]').closest(".sv-field");
    district.hidden = e !== "legacy";
    $('[data-place="district"]').disabled = e !== "legacy";
    if (e === shownEra) return;
    var wanted = shownEra === null ? params.get("tinh") : null;
    shownEra = e;
    var select = $('[data-place="province"]');
    var before = select.value;
    reset(select, e === "legacy" ? "(chọn tỉnh, thành phố trước " + spec.reformText + ")" : "(chọn tỉnh, thành phố)");
    provinces[e].forEach(function (p) { option(select, p[2], p[1]); select.lastChild.dataset.slug = p[0]; });
    var keep = $$("option", select).filter(function (o) {
      return (wanted && o.dataset.slug === wanted) || (before && o.value === before);
    })[0];
    select.value = keep ? keep.value : "";
    if (before && !keep) eraNotice = "place: đã đổi ngày ghi danh sang " + (e === "legacy" ? "trước" : "từ") +
      " " + spec.reformText + ", hãy chọn lại tỉnh, thành phố theo đơn vị hành chính của thời điểm đó";
    return provinceChanged(shownEra === e && wanted ? {district: params.get("huyen"), commune: params.get("xa")} : null);
  }

  function provinceSlug() {
    var o = $('[data-place="province"]').selectedOptions[0];
    return o && o.dataset.slug ? o.dataset.slug : "";
  }

  function currentProvinceSlug() {
    var slug = provinceSlug();
    if (!slug || era() === "current") return slug;
    var row = provinces.legacy.filter(function (p) { return p[0] === slug; })[0];
    return row ? row[3] : "";
  }

  function provinceChanged(wanted) {
    var slug = provinceSlug();
    var district = $('[data-place="district"]');
    var commune = $('[data-place="commune"]');
    reset(district, "(chọn huyện, quận, thị xã, thành phố)");
    reset(commune, "(không bắt buộc)");
    if (!slug) { changed(); return Promise.resolve(); }
    eraNotice = "";
    loadProblem = "";
    var e = era();
    var url = (e === "legacy" ? form.dataset.legacy : form.dataset.current).replace("{province}", slug);
    return getJSON(url).then(function (units) {
      if (provinceSlug() !== slug || era() !== e) return;
      if (e === "legacy") {
        units.forEach(function (d) { option(district, d[2], d[1]); district.lastChild.dataset.slug = d[0]; });
        var pick = wanted && $$("option", district).filter(function (o) { return o.dataset.slug === wanted.district; })[0];
        if (pick) { district.value = pick.value; districtChanged(wanted); }
      } else {
        units.forEach(function (c) { option(commune, c[1], c[1]); commune.lastChild.dataset.slug = slugify(c[0]); });
        selectCommune(wanted);
      }
      changed();
    }).catch(function () {
      if (provinceSlug() !== slug) return;
      loadProblem = "place: không tải được danh sách đơn vị hành chính; hãy kiểm tra kết nối mạng rồi chọn lại tỉnh";
      changed();
    });
  }

  function selectCommune(wanted) {
    var commune = $('[data-place="commune"]');
    var pick = wanted && $$("option", commune).filter(function (o) { return o.dataset.slug === wanted.commune; })[0];
    if (pick) commune.value = pick.value;
  }

  function districtChanged(wanted) {
    var slug = provinceSlug();
    var district = $('[data-place="district"]');
    var commune = $('[data-place="commune"]');
    reset(commune, "(không bắt buộc)");
    var chosen = district.selectedOptions[0];
    if (!chosen || !chosen.value) { changed(); return; }
    getJSON(form.dataset.legacy.replace("{province}", slug)).then(function (units) {
      var row = units.filter(function (d) { return d[0] === chosen.dataset.slug; })[0];
      (row ? row[3] : []).forEach(function (c) { option(commune, c[1], c[1]); commune.lastChild.dataset.slug = slugify(c[0]); });
      selectCommune(wanted);
      changed();
    });
  }

  function localSlug() {
    var d = $('[data-place="district"]');
    var c = $('[data-place="commune"]');
    if (!d.disabled && d.selectedOptions[0] && d.selectedOptions[0].dataset.slug) return d.selectedOptions[0].dataset.slug;
    if (c.selectedOptions[0] && c.selectedOptions[0].dataset.slug) return c.selectedOptions[0].dataset.slug;
    return "";
  }

  // --- Items of lists (photos, sources, honours, results) ---------------------------------

  function renumber(list) {
    $$("[data-item]", $('[data-items="' + list + '"]')).forEach(function (item, i) {
      $("[data-item-number]", item).textContent = String(i + 1);
      $$("[name], [id], [for], [aria-describedby], [data-message-for]", item).forEach(function (el) {
        ["name", "id", "for", "aria-describedby", "data-message-for"].forEach(function (attr) {
          var v = el.getAttribute(attr);
          if (v) el.setAttribute(attr, v.replace(new RegExp("^(" + list.replace(".", "\\.") + "[.-])(?:\\d+|__i__)", "g"), "$1" + i)
            .replace(new RegExp("(\\s" + list + "-)(?:\\d+|__i__)", "g"), "$1" + i));
        });
      });
    });
  }

  function addItem(list) {
    var template = $('[data-item-template="' + list + '"]');
    var item = template.content.firstElementChild.cloneNode(true);
    $('[data-items="' + list + '"]').appendChild(item);
    renumber(list);
    return item;
  }

  function removeItem(item) {
    var list = item.parentNode.getAttribute("data-items");
    photoBytes.delete(item);
    photoProblems.delete(item);
    var img = $("[data-photo-preview]", item);
    if (img && img.src) URL.revokeObjectURL(img.src);
    item.parentNode.removeChild(item);
    renumber(list);
    renamePhotos();
    changed();
  }

  function items(list) { return $$("[data-item]", $('[data-items="' + list + '"]')); }

  // --- Photos ----------------------------------------------------------------------------

  function renamePhotos() {
    // Safe names that say nothing of the original (which may hold a date, a name, a phone number).
    items("photos").forEach(function (item, i) {
      var kept = photoBytes.get(item);
      if (!kept) return;
      var input = $('[name$=".file"]', item);
      input.value = "anh-" + (i + 1) + "." + kept.ext;
      var link = $("[data-photo-download]", item);
      if (link) link.download = input.value;
    });
  }

  var photoNotices = []; // photos refused at the last choice, shown until the next one
  var photoProblems = new Map(); // photo item → what the validator would refuse in it (its size in pixels)

  function addPhotos(files) {
    var status = $("[data-sovang-export-status]");
    photoNotices = [];
    message("photos", []);
    Array.prototype.forEach.call(files, function (file) {
      if (file.size > spec.photoMaxBytes) {
        var mb = (file.size / 1048576).toFixed(1).replace(".", ",");
        refusePhoto("Ảnh '" + file.name + "' nặng " + mb + " MB, quá giới hạn " +
          Math.floor(spec.photoMaxBytes / 1048576) + " MB của GitHub; hãy giảm kích thước ảnh rồi chọn lại.");
        return;
      }
      // The item first, in the order the photos were picked: the first photo is the record's
      // share image, whichever file happens to be read first.
      var item = addItem("photos");
      $("[data-photo-status]", item).textContent = "Đang làm sạch ảnh " + file.name + "…";
      file.arrayBuffer().then(function (buffer) {
        var bytes = new Uint8Array(buffer);
        var seen = SovangFiles.inspect(bytes);
        if (seen.error) throw new Error(seen.error);
        var cleaned = SovangFiles.clean(bytes);
        if (!item.isConnected) return; // removed while it was being read
        var blob = new Blob([cleaned.bytes], {type: "image/" + seen.type});
        photoBytes.set(item, {bytes: cleaned.bytes, ext: seen.ext});
        var url = URL.createObjectURL(blob);
        var img = $("[data-photo-preview]", item);
        img.addEventListener("load", function () { checkPixels(item, img); }, {once: true});
        img.src = url;
        var note = $("[data-photo-status]", item);
        note.textContent = (cleaned.removed.length ? "Đã xoá khỏi ảnh: " + cleaned.removed.join(", ") + ". "
          : "Ảnh không có thông tin kèm theo. ") + "Ảnh gốc: " + file.name + ".";
        var link = document.createElement("a");
        link.href = url;
        link.className = "md-button";
        link.setAttribute("data-photo-download", "");
        link.textContent = "Tải ảnh đã làm sạch";
        note.parentNode.insertBefore(link, note.nextSibling);
        renamePhotos();
        changed();
        if (status) status.textContent = "Đã thêm ảnh " + file.name + ".";
      }).catch(function (err) {
        if (item.isConnected) removeItem(item);
        refusePhoto("Ảnh '" + file.name + "': " + err.message);
      });
    });
    changed();
  }

  function refusePhoto(text) {
    photoNotices.push(text);
    message("photos", photoNotices, true);
  }

  // photofile's pixel cap, read from the decoded preview: a 108 MP phone photo fits 25 MB.
  function checkPixels(item, img) {
    var w = img.naturalWidth;
    var h = img.naturalHeight;
    if (w * h > spec.maxPixels) {
      photoProblems.set(item, {width: w, height: h});
      changed();
    }
  }

  // --- Checks ------------------------------------------------------------------------------

  // Personal data the browser can recognise; `sovang validate` in the pull request reads more
  // (look-alike characters, entities, Markdown split across a number).
  var EMAIL = /[\p{L}\p{N}._%+-]+\s?(?:@|＠|\(at\)|\[at\]|\(a còng\))\s?[\p{L}\p{N}-]+(?:\s?(?:\.|\(dot\)|\[dot\]|\(chấm\))\s?[\p{L}\p{N}-]+)+/giu;
  var DIGITS = /\+?\(?\d[\d .\-()]{7,22}\d/g;

  function personalIn(text) {
    var out = [];
    var m;
    EMAIL.lastIndex = 0;
    while ((m = EMAIL.exec(text))) out.push({what: spec.personal.email, text: m[0]});
    DIGITS.lastIndex = 0;
    while ((m = DIGITS.exec(text))) {
      var run = m[0].trim();
      if (/^\d{1,3}([.,]\d{3})+$/.test(run)) continue; // 3.450.000: a figure, not a number to call
      var digits = run.replace(/\D/g, "");
      if (/^(?:84|0084)/.test(digits) && run.indexOf("+") === 0 || /^0084/.test(digits)) digits = "0" + digits.replace(/^0{0,2}84/, "");
      if (/^0[35789]\d{8}$/.test(digits) || /^02\d{9}$/.test(digits)) out.push({what: spec.personal.phone, text: run});
      else if (/^0\d{11}$/.test(digits)) out.push({what: spec.personal.citizen_id, text: run});
    }
    return out;
  }

  function where(path) {
    // "photos.0.caption" → "photos[1].caption", as the validator names an item.
    return path.replace(/\.(\d+)(?=\.|$)/g, function (all, n) { return "[" + (Number(n) + 1) + "]"; });
  }

  function checkValue(path, f, v, k, problems) {
    var M = spec.messages;
    var w = where(path);
    var empty = v === "" || (Array.isArray(v) && v.length === 0);
    var required = f.required || (f.requiredFor || []).indexOf(k) >= 0;
    if (empty) {
      if (required) problems.push(fill(M.missing, {where: w, doc: f.doc}));
      return;
    }
    if (f.type === "text" || f.type === "url" || f.type === "quantity") {
      // charsafe: what cannot be seen or breaks the page (bidi controls, zero-width, control characters).
      var bad = new RegExp(f.multiline || f.paragraph ? spec.forbiddenText : spec.forbiddenLine, "u");
      var chars = Array.from(v);
      var at = chars.findIndex(function (c) { return bad.test(c); });
      if (at >= 0) {
        var cp = chars[at].codePointAt(0).toString(16).toUpperCase();
        problems.push(fill(M.forbidden, {where: w, cp: ("000" + cp).slice(-Math.max(4, cp.length)), index: at + 1}));
        return;
      }
    }
    if (f.type === "text" || f.type === "quantity") {
      var length = Array.from(v).length;
      if (f.paragraph && /\n[ \t]*\n/.test(v)) problems.push(fill(M.paragraph, {where: w}));
      var digits = (v.match(/\d/g) || []).length;
      if (f.type === "quantity" && /^[\d.,]+$/.test(v) && digits > spec.maxDigits) {
        problems.push(fill(M.digits, {where: w, digits: digits, max: spec.maxDigits}));
      }
      if (f.maxLen && length > f.maxLen) problems.push(fill(M.too_long, {where: w, length: length, max: f.maxLen}));
      if (f.pattern && !new RegExp(f.pattern).test(v)) problems.push(fill(M.pattern, {where: w, text: v, doc: f.patternDoc}));
      if (f.type === "quantity" && /^\d{1,3}([.,]\d{3})+$/.test(v)) {
        problems.push(fill(M.grouped, {where: w, text: v, plain: v.replace(/[.,]/g, "")}));
      } else if (f.type === "quantity" && /^\d+,\d+$/.test(v)) {
        problems.push(fill(M.decimal_comma, {where: w, fixed: v.replace(",", ".")}));
      }
      if (f.type === "text" && path !== spec.publicContact && !/\.file$/.test(path)) {
        personalIn(v).forEach(function (p) {
          problems.push(fill(M.personal, {where: w, what: p.what, found: p.text,
            hint: fieldsByPath[spec.publicContact].kinds.indexOf(k) >= 0 ? M.personal_hint : ""}));
        });
      }
    } else if (f.type === "integer") {
      if (!/^-?\d+$/.test(v)) problems.push(fill(M.integer, {where: w, raw: v}));
      else if ((f.min !== null && Number(v) < f.min) || (f.max !== null && Number(v) > f.max)) {
        problems.push(fill(M.range, {where: w, value: v, min: f.min, max: f.max}));
      }
    } else if (f.type === "url") {
      if (!/^https?:\/\/[^\s/<>"\\]+\.[^\s<>"\\]+$/i.test(v)) problems.push(fill(M.url, {where: w, url: v}));
    } else if (f.type === "list" && f.minItems && v.length < f.minItems) {
      problems.push(fill(M.min_items, {where: w, min: f.minItems}));
    }
    if (f.type === "date" && f.partial && !/^\d{4}(-(0[1-9]|1[0-2])(-\d{2})?)?$/.test(v)) {
      problems.push(fill(M.period, {where: w, raw: v}));
      return;
    }
    // As text, "2026" sorts before "2026-12-02": a period is in the future only once its first day is.
    if (f.type === "date" && v > todayInVietnam()) {
      var what = path === "date" ? "thời gian ghi danh" : "ngày đồng ý";
      if (path === "date" || path === "consent.date") {
        problems.push(fill(M.future, {where: w, what: what, day: viWhen(v), today: viDate(todayInVietnam())}));
      }
    }
  }

  // Every problem, by the key path whose message box shows it.
  function check() {
    var k = kind();
    var found = {};
    var placeEmpty = !value("place.province") && !value("place.district") && !value("place.commune");
    function add(path, list) { if (list.length) found[path] = (found[path] || []).concat(list); }
    if (!k) add("kind", [fill(spec.messages.missing, {where: "kind", doc: fieldsByPath.kind.doc})]);
    Object.keys(fieldsByPath).forEach(function (path) {
      var f = fieldsByPath[path];
      if (path.indexOf("*") >= 0 || f.type === "object" || (f.type === "list" && f.item.type === "object")) return;
      if (path === "kind" || !applies(f, k) || !applies(fieldsByPath[path.split(".")[0]], k)) return;
      if (placeEmpty && path.indexOf("place.") === 0) return; // no place: block at all, one message below
      var problems = [];
      checkValue(path, f, value(path), k, problems);
      add(path, problems);
    });
    ["photos", "sources", "honours", "results"].forEach(function (list) {
      if (!fieldsByPath[list] || !applies(fieldsByPath[list], k)) return;
      items(list).forEach(function (item, i) {
        if (list === "photos" && !photoBytes.has(item)) {
          add("photos." + i + ".file", ["photos[" + (i + 1) + "].file: ảnh đang được làm sạch; hãy đợi một chút"]);
        }
        var big = list === "photos" && photoProblems.get(item);
        if (big) {
          add("photos." + i + ".file", [fill(spec.messages.pixels, {where: "photos[" + (i + 1) + "].file", width: big.width,
            height: big.height, max: Math.floor(spec.maxPixels / 1000000)})]);
        }
        fieldsByPath[list].item.fields.forEach(function (f) {
          var path = list + "." + i + "." + f.key;
          if (!itemUsed(list, i)) return;
          var problems = [];
          checkValue(path, f, value(path), k, problems);
          add(path, problems);
        });
      });
    });
    if (k === "person") personChecks(add);
    // After a change of era the notice says why the place is empty, which says it all.
    if (loadProblem) add("place", [loadProblem]);
    if (eraNotice) add("place", [eraNotice]);
    else if (placeEmpty) add("place", [fill(spec.messages.missing, {where: "place", doc: fieldsByPath.place.doc})]);
    if (era() === "legacy" && provinceSlug() && !value("place.district")) add("place.district", [missingDistrict()]);
    return found;
  }

  // The validator's message, with the province's districts when it lists them (places._listing).
  function missingDistrict() {
    var names = $$("option", $('[data-place="district"]')).filter(function (o) { return o.value; })
      .map(function (o) { return o.value; });
    var listing = names.length && names.length <= spec.listingLimit ? fill(spec.messages.listing, {names: names.join(", ")}) : "";
    return fill(spec.messages.missing_district, {reform: spec.reformText,
      province: $('[data-place="province"]').selectedOptions[0].textContent, listing: listing});
  }

  function itemUsed(list, i) {
    if (list === "photos") return true;
    return fieldsByPath[list].item.fields.some(function (f) { return value(list + "." + i + "." + f.key) !== ""; });
  }

  function personChecks(add) {
    var M = spec.messages;
    var date = value("date");
    var born = value("birth_year");
    var guardian = value("consent.given_by") === "guardian";
    var adult = value("adult");
    if (value("consent.name") === "false") add("consent.name", [M.no_name_consent]);
    if (/^\d{4}$/.test(born) && /^\d{4}/.test(date)) {
      var year = Number(date.slice(0, 4));
      if (Number(born) > year) add("birth_year", [fill(M.born_after, {born: born, year: year})]);
      else if (year - Number(born) <= spec.childAge && !guardian) add("birth_year", [M.child]);
    } else if (!born && adult !== "true" && !guardian) {
      add("adult", [M.undecided_age]);
    }
  }

  function message(path, list, sticky) {
    var box = form.querySelector('[data-message-for="' + path + '"]');
    if (!box) return;
    box.textContent = list.join(" ");
    box.classList.toggle("sv-msg--error", list.length > 0);
    if (sticky) box.dataset.sticky = "1";
    var control = form.elements.namedItem(path);
    if (control && control.setAttribute) control.setAttribute("aria-invalid", list.length ? "true" : "false");
  }

  // --- The record and its YAML ----------------------------------------------------------------

  var YAML_WORDS = /^(?:true|false|yes|no|on|off|y|n|null|~)$/i;

  function plain(s) {
    return /^\p{L}/u.test(s) && !/[\n\r\t]|: |:$| #/.test(s) && !YAML_WORDS.test(s) &&
      s === s.trim() && !/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/.test(s);
  }

  function quoted(s) {
    return '"' + s.replace(/[\\"\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/g, function (c) {
      var named = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}[c];
      return named || "\\u" + ("000" + c.charCodeAt(0).toString(16)).slice(-4);
    }) + '"';
  }

  function scalar(s) { return plain(s) ? s : quoted(s); }

  function block(text, indent) {
    // Line breaks YAML reads but the editor does not see (NEL, LS, PS) and control characters
    // would break a literal block: such text goes double-quoted, escaped.
    if (/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff]/.test(text)) return quoted(text);
    var lines = text.replace(/\r\n?/g, "\n").replace(/\t/g, "    ").split("\n").map(function (l) { return l.replace(/\s+$/, ""); });
    while (lines.length && !lines[lines.length - 1]) lines.pop();
    var first = lines.filter(Boolean)[0] || "";
    var head = /^ /.test(first) ? "|" + indent.length + "-" : "|-";
    return head + "\n" + lines.map(function (l) { return l ? indent + l : ""; }).join("\n");
  }

  function wrapComment(text, indent) {
    var out = [];
    var line = "";
    text.split(/\s+/).forEach(function (word) {
      if (line && (line + " " + word).length > 96) { out.push(indent + "# " + line); line = word; }
      else line = line ? line + " " + word : word;
    });
    if (line) out.push(indent + "# " + line);
    return out;
  }

  function emitValue(f, v, indent) {
    if (f.type === "bool") return " " + v;
    if (f.type === "integer" || f.type === "date") return " " + v;
    if (f.type === "quantity") return " " + (/^\d+(?:[.,]\d+)*$/.test(v) ? v : quoted(v));
    if (f.type === "list") return " [" + v.join(", ") + "]";
    if (f.type === "text" && (f.multiline || f.paragraph) && /\n/.test(v)) return " " + block(v, indent + "  ");
    return " " + scalar(v);
  }

  function emitFields(fields, prefix, k, indent, lines, comments) {
    fields.forEach(function (f) {
      var path = prefix + f.key;
      if (!applies(f, k)) return;
      if (f.type === "object") {
        var sub = [];
        emitFields(f.fields, path + ".", k, indent + "  ", sub, false);
        if (!sub.length) return;
        if (comments) Array.prototype.push.apply(lines, wrapComment(f.doc, indent));
        lines.push(indent + f.key + ":");
        Array.prototype.push.apply(lines, sub);
      } else if (f.type === "list" && f.item.type === "object") {
        var entries = [];
        items(f.key).forEach(function (item, i) {
          if (!itemUsed(f.key, i)) return;
          var sub = [];
          emitFields(f.item.fields, f.key + "." + i + ".", k, indent + "    ", sub, false);
          if (sub.length) { sub[0] = indent + "  - " + sub[0].slice(indent.length + 4); entries = entries.concat(sub); }
        });
        if (!entries.length) return;
        if (comments) Array.prototype.push.apply(lines, wrapComment(f.doc, indent));
        lines.push(indent + f.key + ":");
        Array.prototype.push.apply(lines, entries);
      } else {
        var v = value(path);
        if (v === "" || (Array.isArray(v) && !v.length)) return;
        if (comments && f.key !== "kind") Array.prototype.push.apply(lines, wrapComment(f.doc, indent));
        lines.push(indent + f.key + ":" + emitValue(f, v, indent));
      }
    });
  }

  function yaml() {
    var k = kind();
    var lines = ["# Hồ sơ soạn bằng trang \"Soạn hồ sơ\" của Sổ vàng. Dòng bắt đầu bằng # là ghi chú, không được đọc.",
      "# Bảng các khoá: content/README.md trong kho nội dung."];
    emitFields(spec.record, "", k, "", lines, true);
    return lines.join("\n") + "\n";
  }

  function folder(slug) {
    var parts = [provinceSlug(), localSlug(), slug].filter(Boolean);
    return spec.entries + parts.join("/");
  }

  // A slug no published record has: the name's, then with the place's, then numbered.
  function uniqueSlug(base) {
    if (!base) return Promise.resolve("");
    var candidates = [base];
    if (localSlug()) candidates.push(base + "-" + localSlug());
    for (var n = 2; n < 10; n++) candidates.push(base + "-" + n);
    function taken(slug) {
      var url = form.dataset.slugs.replace("{shard}", shardOf(slug));
      return getJSON(url).then(function (list) { return list.indexOf(slug) >= 0; });
    }
    function next(i) {
      if (i >= candidates.length) return candidates[candidates.length - 1];
      return taken(candidates[i]).then(function (t) { return t ? next(i + 1) : candidates[i]; });
    }
    // Offline, a slug that could not be checked may be a published record's folder: an upload
    // there would replace that record. null says so, and blocks the export.
    return next(0).catch(function () { return null; });
  }

  // The published records of the province with the same name key; null if they could not be fetched.
  function sameName(nameSlug) {
    var province = currentProvinceSlug();
    if (!nameSlug || !province) return Promise.resolve([]);
    return getJSON(form.dataset.published.replace("{province}", province)).then(function (rows) {
      return rows.filter(function (r) { return r[1] === nameSlug; });
    }, function () { return null; });
  }

  // Same kind, name, place and date: the validator refuses it ("trùng hoàn toàn").
  function exactly(r) {
    var local = $('[data-place="district"]').disabled ? $('[data-place="commune"]') : $('[data-place="district"]');
    var chosen = local.selectedOptions[0];
    var localName = chosen && chosen.value ? chosen.textContent : "";
    return r[4] === kind() && r[5] === value("date") && r[3] === localName;
  }

  function showDuplicates(same) {
    var box = $("[data-sovang-duplicates]");
    box.textContent = "";
    same = (same || []).filter(function (r) { return !exactly(r); });
    if (!same.length) return;
    box.appendChild(document.createTextNode("Cảnh báo: tỉnh này đã có hồ sơ cùng tên: "));
    same.forEach(function (r, i) {
      var a = document.createElement("a");
      a.href = form.dataset.record.replace("{slug}", r[0]);
      a.textContent = r[2] + (r[3] ? " (" + r[3] + ")" : "");
      if (i) box.appendChild(document.createTextNode("; "));
      box.appendChild(a);
    });
    box.appendChild(document.createTextNode(". Hãy mở xem để chắc chắn đây không phải cùng một người, tập thể hay mô hình."));
  }

  // --- Output -------------------------------------------------------------------------

  var state = {problems: {}, warnings: [], folder: "", yaml: "", slug: ""};
  // A key's message shows once the editor has been at it, or after a first try to export:
  // a fresh form covered in "thiếu khoá bắt buộc" tells nobody anything. The list by the
  // buttons always holds every problem.
  var touched = {};
  var showAll = false;

  function isTouched(path) {
    if (showAll || touched[path] || (path === "place" && eraNotice)) return true;
    return Object.keys(touched).some(function (k) { return k.indexOf(path + ".") === 0; });
  }

  var generation = 0; // answers of an older refresh (a slow shard, a slow province) are dropped

  function refresh() {
    var mine = ++generation;
    applyEra();
    state.problems = check();
    state.warnings = warnings();
    $$("[data-message-for]").forEach(function (box) {
      if (box.dataset.sticky) return;
      var path = box.getAttribute("data-message-for");
      message(path, isTouched(path) ? state.problems[path] || [] : []);
    });
    state.yaml = yaml();
    $('[data-sovang-output="entry.yml"]').textContent = state.yaml;
    var nameSlug = slugify(value("name"));
    return Promise.all([uniqueSlug(nameSlug), sameName(nameSlug)]).then(function (answers) {
      if (mine !== generation) return;
      var slug = answers[0];
      var same = answers[1];
      if (slug === null || same === null) {
        state.problems.name = (state.problems.name || []).concat(["name: không kiểm tra được tên với các hồ sơ đã đăng " +
          "(mất kết nối mạng?); hãy kiểm tra kết nối rồi sửa lại một mục bất kỳ để kiểm tra lại"]);
        slug = slug || "";
      }
      var exact = (same || []).filter(exactly);
      if (exact.length) {
        state.problems.name = (state.problems.name || []).concat([fill(spec.messages.duplicate, {paths: exact.map(function (r) {
          return r[6] || r[0];
        }).join(", ")})]);
      }
      showDuplicates(same);
      if (isTouched("name")) message("name", state.problems.name || []);
      state.slug = slug;
      state.folder = slug ? folder(slug) : "";
      var longPath = state.folder.length - spec.entries.length + 1 + spec.entry.length > spec.maxEntryPath;
      if (longPath) state.problems.name = (state.problems.name || []).concat(["name: tên quá dài để làm tên thư mục; hãy rút gọn tên"]);
      $('[data-sovang-output="path"]').textContent = state.folder ? state.folder + "/" : "(điền tên, chọn tỉnh)";
      $$('[data-sovang-output="parent"]').forEach(function (el) { el.textContent = state.folder.replace(/\/[^/]*$/, "/"); });
      showErrors();
      updateLinks();
    });
  }

  function allProblems() {
    var list = [];
    Object.keys(state.problems).forEach(function (p) { list = list.concat(state.problems[p]); });
    if (!state.slug && value("name")) list.push("name: tên không có chữ cái nào viết được không dấu để đặt tên thư mục; hãy ghi tên bằng tiếng Việt");
    else if (!state.slug && !(state.problems.name || []).length) list.push("name: cần tên hồ sơ để đặt tên thư mục");
    return list;
  }

  function showErrors() {
    var box = $("[data-sovang-errors]");
    var list = allProblems();
    box.textContent = "";
    var head = document.createElement("p");
    head.textContent = list.length ? "Chưa xuất được hồ sơ: còn " + list.length + " lỗi cần sửa." : "Không có lỗi: hồ sơ sẵn sàng để xuất.";
    box.appendChild(head);
    bullets(box, list, "");
    if (state.warnings.length) {
      var note = document.createElement("p");
      note.textContent = "Lưu ý (không chặn việc xuất):";
      box.appendChild(note);
      bullets(box, state.warnings, "sv-warning");
    }
  }

  function bullets(box, list, className) {
    if (!list.length) return;
    var ul = document.createElement("ul");
    if (className) ul.className = className;
    list.forEach(function (text) { var li = document.createElement("li"); li.textContent = text; ul.appendChild(li); });
    box.appendChild(ul);
  }

  // What `sovang validate` warns about and the form can see: parts of a person's record that
  // will not be published for want of consent.
  function warnings() {
    var out = [];
    if (kind() !== "person") return out;
    if (value("story") && value("consent.story") !== "true") out.push(spec.messages.story_unconsented);
    if (photoBytes.size && value("consent.photo") !== "true") out.push(spec.messages.photo_unconsented);
    return out;
  }

  function prefillUrl() {
    if (!form.dataset.githubNew || !state.folder) return "";
    try {
      return form.dataset.githubNew + "?filename=" + encodeURIComponent(state.folder + "/" + spec.entry) +
        "&value=" + encodeURIComponent(state.yaml);
    } catch (e) { // a lone surrogate, which charsafe refuses anyway
      return "";
    }
  }

  function updateLinks() {
    // With errors the buttons stay visible but say they are not usable yet; a tap lists why.
    var blocked = allProblems().length > 0;
    $$("[data-action]").forEach(function (el) { el.setAttribute("aria-disabled", blocked ? "true" : "false"); });
    var github = $('[data-action="github"]');
    var status = $("[data-sovang-export-status]");
    if (github) {
      var url = prefillUrl();
      var tooLong = url.length > spec.maxPrefillUrl;
      github.hidden = tooLong;
      // No address while there are errors: "open in a new tab" must not get round refuse().
      github.href = url && !tooLong && !blocked ? url : "#";
      if (tooLong) {
        status.textContent = "Hồ sơ dài quá mức một đường dẫn GitHub nhận được (" + url.length +
          " ký tự): hãy sao chép entry.yml hoặc tải thư mục (zip) rồi tải lên GitHub theo các bước dưới đây.";
        status.dataset.tooLong = "1";
      } else if (status.dataset.tooLong) {
        status.textContent = "";
        delete status.dataset.tooLong;
      }
    }
  }

  function refuse(event) {
    if (!allProblems().length) return false;
    if (event) event.preventDefault();
    if (!showAll) { showAll = true; refresh(); }
    var box = $("[data-sovang-errors]");
    box.setAttribute("tabindex", "-1");
    box.focus();
    return true;
  }

  function download(name, blob) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  function exportZip() {
    var files = [{name: state.slug + "/" + spec.entry, bytes: new TextEncoder().encode(state.yaml)}];
    items("photos").forEach(function (item) {
      var kept = photoBytes.get(item);
      if (kept) files.push({name: state.slug + "/" + $('[name$=".file"]', item).value, bytes: kept.bytes});
    });
    download(state.slug + ".zip", new Blob([SovangFiles.zip(files)], {type: "application/zip"}));
    $("[data-sovang-export-status]").textContent = "Đã tải " + state.slug + ".zip: giải nén, rồi tải cả thư mục " + state.slug +
      " lên thư mục " + state.folder.replace(/\/[^/]*$/, "/") + " của kho.";
  }

  function copy() {
    var status = $("[data-sovang-export-status]");
    var done = function () { status.textContent = "Đã sao chép entry.yml."; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(state.yaml).then(done, fallback);
    } else fallback();
    function fallback() {
      var range = document.createRange();
      range.selectNodeContents($('[data-sovang-output="entry.yml"]'));
      var sel = getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      try { document.execCommand("copy"); done(); } catch (e) { status.textContent = "Hãy giữ ngón tay trên nội dung để sao chép."; }
    }
  }

  // --- Wiring -------------------------------------------------------------------------

  function changed() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 150);
  }

  function init(results) {
    spec = results[0];
    provinces = results[1];
    index(spec.record, "");
    var noscript = $("[data-noscript]");
    if (noscript) noscript.hidden = true;
    var k = params.get("loai");
    if (k) { var r = $('input[name="kind"][value="' + CSS.escape(k) + '"]'); if (r) r.checked = true; }
    applyKind();
    function touch(e) { if (e.target.name) touched[e.target.name] = true; }
    form.addEventListener("input", function (e) { touch(e); changed(); });
    form.addEventListener("focusout", function (e) { if (e.target.name && e.target.value) touch(e); });
    form.addEventListener("change", function (e) {
      var t = e.target;
      touch(e);
      if (t.name === "kind") applyKind();
      if (t.getAttribute("data-place") === "province") provinceChanged(null);
      else if (t.getAttribute("data-place") === "district") districtChanged(null);
      else if (t.name === "date") applyEra();
      if (t.hasAttribute("data-photo-pick")) { addPhotos(t.files); t.value = ""; }
      changed();
    });
    form.addEventListener("click", function (e) {
      var t = e.target.closest("button, a");
      if (!t || !form.contains(t)) return;
      if (t.hasAttribute("data-add")) { var item = addItem(t.getAttribute("data-add")); $("input, textarea", item).focus(); changed(); }
      else if (t.hasAttribute("data-remove")) {
        // Focus goes to the next item, or to what adds one, not back to the top of the page.
        var gone = t.closest("[data-item]");
        var list = gone.parentNode.getAttribute("data-items");
        var after = gone.nextElementSibling;
        removeItem(gone);
        var target = after ? $("input:not([readonly]), textarea", after) : $('[data-add="' + list + '"]') ||
          (list === "photos" ? $("[data-photo-pick]") : null);
        if (target) target.focus();
      }
      else if (t.getAttribute("data-action") === "copy") { if (!refuse(e)) copy(); }
      else if (t.getAttribute("data-action") === "zip") { if (!refuse(e)) exportZip(); }
      else if (t.getAttribute("data-action") === "github") refuse(e);
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    refresh().then(function () { form.dataset.ready = "1"; });
  }

  Promise.all([getJSON(form.dataset.form), getJSON(form.dataset.provinces)]).then(init, function () {
    var box = $("[data-sovang-errors]");
    if (box) box.textContent = "Không tải được biểu mẫu; hãy tải lại trang.";
  });
})();
