/* Sổ vàng: opens a gallery's photos in GLightbox (record pages, the photo library, place pages).
 *
 * Slides are built here rather than from data attributes: GLightbox inserts a
 * description as HTML, so it gets markup the generator escaped (the
 * figcaption, or on library and place pages the <template class="sv-lb-caption">
 * that adds a link to the record), never text read back from an attribute.
 * Browsers that picked the JPEG fallback for the thumbnail (no WebP support)
 * get the JPEG in the lightbox too.
 *
 * Without this script (or without GLightbox) every thumbnail is an ordinary
 * link: to the large photo on a record page, to the record elsewhere.
 */
(function () {
  "use strict";
  // Vietnamese labels for GLightbox's buttons, and a counter ("Ảnh 2/10") it does not have.
  // The counter is a live region so a screen reader says which photo a swipe or a key moved to.
  var LABELS =
    '<div id="glightbox-body" class="glightbox-container" tabindex="-1" role="dialog" aria-label="Xem ảnh" aria-hidden="false">' +
    '<div class="gloader visible"></div><div class="goverlay"></div><div class="gcontainer">' +
    '<div id="glightbox-slider" class="gslider"></div>' +
    '<p class="sv-lb-count" aria-live="polite"></p>' +
    '<button class="gclose gbtn" aria-label="Đóng" data-taborder="3">{closeSVG}</button>' +
    '<button class="gprev gbtn" aria-label="Ảnh trước" data-taborder="2">{prevSVG}</button>' +
    '<button class="gnext gbtn" aria-label="Ảnh sau" data-taborder="1">{nextSVG}</button>' +
    "</div></div>";

  function slides(links, webp) {
    return links.map(function (a) {
      var img = a.querySelector("img");
      var figure = a.closest("figure");
      var template = figure.querySelector("template.sv-lb-caption");
      var caption = figure.querySelector("figcaption");
      var source = a.querySelector('source[type="image/webp"]');
      var slide = {
        // Library and place pages keep href for the record (the link without JavaScript).
        href: webp ? a.getAttribute("data-large") || a.getAttribute("href") : a.getAttribute("data-fallback"),
        type: "image",
        alt: img ? img.alt : "",
        description: template ? template.innerHTML : caption ? caption.innerHTML : "",
      };
      // The thumbnail's WebP sizes let a phone take the 800 px photo instead of the 1600 px one
      // (a quarter of the bytes, and GLightbox preloads the neighbours too); a desktop still
      // takes the largest. The widths are the files' own, written by the generator.
      if (webp && source && source.getAttribute("srcset")) {
        slide.srcset = source.getAttribute("srcset");
        slide.sizes = "100vw";
      }
      return slide;
    });
  }

  // GLightbox's own Tab handling (a keydown listener on window) cycles through its three
  // buttons only, so the caption's links (the record, on library pages) could not be reached
  // from the keyboard, and Shift+Tab went forwards. This keeps Tab inside the open lightbox,
  // in both directions, over the buttons and the current slide's links.
  function focusables(box) {
    var all = Array.prototype.slice.call(
      box.querySelectorAll(".gclose, .gprev, .gnext, .gslide.current .gslide-desc a[href]"));
    return all.filter(function (el) {
      return el.getClientRects().length > 0 && !el.classList.contains("disabled") &&
        !el.classList.contains("glightbox-button-hidden");
    });
  }

  function trapTab(event) {
    if (event.key !== "Tab") return;
    var box = document.getElementById("glightbox-body");
    if (!box) return;
    event.preventDefault();
    event.stopPropagation(); // GLightbox's handler is on window: it never sees this Tab
    var items = focusables(box);
    if (!items.length) return;
    var at = items.indexOf(document.activeElement);
    var next = at < 0 ? (event.shiftKey ? items.length - 1 : 0) : (at + (event.shiftKey ? -1 : 1) + items.length) % items.length;
    items[next].focus();
  }

  function open(links, index) {
    var img = links[index].querySelector("img");
    var webp = !img || !img.currentSrc || /\.webp(\?|$)/.test(img.currentSrc);
    var shown = index;
    var box = GLightbox({
      elements: slides(links, webp),
      loop: true,
      moreLength: 0,
      lightboxHTML: LABELS,
      descPosition: "bottom",
    });

    function count(i) {
      shown = i;
      var counter = document.querySelector("#glightbox-body .sv-lb-count");
      if (counter) counter.textContent = links.length > 1 ? "Ảnh " + (i + 1) + "/" + links.length : "";
    }
    // slide_before_change fires as a move starts (slide_changed only once the animation ends):
    // the counter changes with the photo, not half a second later.
    box.on("slide_before_change", function (e) { count(e.current.index); });
    box.on("slide_changed", function (e) { count(e.current.index); });
    box.on("open", function () {
      count(box.index);
      document.addEventListener("keydown", trapTab, true);
      // GLightbox leaves focus on the thumbnail, now behind the dialog (aria-hidden):
      // move it into the dialog so a screen reader announces it and Tab starts there.
      var dialog = document.getElementById("glightbox-body");
      if (dialog) dialog.focus({ preventScroll: true });
    });
    box.on("close", function () {
      document.removeEventListener("keydown", trapTab, true);
      // Back to the photo last shown, so the reader goes on from where they were.
      if (links[shown]) links[shown].focus();
    });
    box.openAt(index);
  }

  function init() {
    if (typeof GLightbox !== "function") return;
    document.querySelectorAll(".sv-gallery[data-lightbox]").forEach(function (gallery) {
      var links = Array.prototype.slice.call(gallery.querySelectorAll("a.sv-zoom"));
      links.forEach(function (a, i) {
        // The link now opens a dialog; without this script it stays a plain link.
        a.setAttribute("aria-haspopup", "dialog");
        a.addEventListener("click", function (event) {
          if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey || event.button !== 0) return;
          event.preventDefault();
          open(links, i);
        });
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
