/* Sổ vàng: opens a record's photos in GLightbox.
 *
 * Slides are built here rather than from data attributes: GLightbox inserts a
 * description as HTML, so it gets the figcaption's markup, which the generator
 * escaped, never text read back from an attribute. Browsers that picked the
 * JPEG fallback for the thumbnail (no WebP support) get the JPEG in the
 * lightbox too.
 */
(function () {
  "use strict";
  var LABELS =
    '<div id="glightbox-body" class="glightbox-container" tabindex="-1" role="dialog" aria-label="Xem ảnh" aria-hidden="false">' +
    '<div class="gloader visible"></div><div class="goverlay"></div><div class="gcontainer">' +
    '<div id="glightbox-slider" class="gslider"></div>' +
    '<button class="gclose gbtn" aria-label="Đóng" data-taborder="3">{closeSVG}</button>' +
    '<button class="gprev gbtn" aria-label="Ảnh trước" data-taborder="2">{prevSVG}</button>' +
    '<button class="gnext gbtn" aria-label="Ảnh sau" data-taborder="1">{nextSVG}</button>' +
    "</div></div>";

  function slides(links, webp) {
    return links.map(function (a) {
      var img = a.querySelector("img");
      var caption = a.closest("figure").querySelector("figcaption");
      return {
        href: webp ? a.getAttribute("href") : a.getAttribute("data-fallback"),
        type: "image",
        alt: img ? img.alt : "",
        description: caption ? caption.innerHTML : "",
      };
    });
  }

  function open(links, index) {
    var img = links[index].querySelector("img");
    var webp = !img || !img.currentSrc || /\.webp(\?|$)/.test(img.currentSrc);
    var box = GLightbox({
      elements: slides(links, webp),
      loop: true,
      moreLength: 0,
      lightboxHTML: LABELS,
      descPosition: "bottom",
    });
    box.openAt(index);
  }

  function init() {
    if (typeof GLightbox !== "function") return;
    document.querySelectorAll(".sv-gallery[data-lightbox]").forEach(function (gallery) {
      var links = Array.prototype.slice.call(gallery.querySelectorAll("a.sv-zoom"));
      links.forEach(function (a, i) {
        a.addEventListener("click", function (event) {
          if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
          event.preventDefault();
          open(links, i);
        });
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
