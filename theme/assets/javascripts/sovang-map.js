/* Sổ vàng: the map's labels on tap and on focus (ban-do/, loaded where the page says `map: true`).
 *
 * Each place on the map (generator/site/charts.py, vietnam_map) is a link around a dot
 * and a larger invisible tap target. Its name shows as a <title> tooltip on mouse hover
 * only, which a finger or a keyboard never sees, and a tap would leave the page before
 * anyone learnt which place it was. So here:
 * - a tap shows a label over the map (the place, its count, a link to its records) and
 *   stays on the page; a second tap on the same place, or the label's link, goes there;
 *   where targets overlap, the tap picks the place whose dot is nearest to the finger;
 * - keyboard focus shows the same label, and Enter follows the link as before;
 * - a mouse click goes straight to the place's page, as without this script.
 * Names come from records: they are set as text (textContent), never as HTML.
 */
(function () {
  "use strict";
  var GAP = 8; // px between the dot and its label

  function dotBox(place) {
    var dot = place.querySelector(".sv-map-point") || place;
    return dot.getBoundingClientRect();
  }

  function nearest(places, x, y) {
    var best = null;
    var bestDistance = Infinity;
    places.forEach(function (place) {
      var box = dotBox(place);
      var dx = box.left + box.width / 2 - x;
      var dy = box.top + box.height / 2 - y;
      var distance = dx * dx + dy * dy;
      if (distance < bestDistance) {
        best = place;
        bestDistance = distance;
      }
    });
    return best;
  }

  function setUp(figure) {
    var places = Array.prototype.slice.call(figure.querySelectorAll(".sv-map-place"));
    if (!places.length) return;

    // aria-hidden: each place's link already has this text as its accessible name.
    var tip = document.createElement("div");
    tip.className = "sv-map-tip";
    tip.hidden = true;
    tip.setAttribute("aria-hidden", "true");
    var name = document.createElement("strong");
    var count = document.createElement("span");
    var go = document.createElement("a");
    go.textContent = "Xem các hồ sơ ›";
    go.tabIndex = -1; // keyboard users follow the dot's own link
    tip.appendChild(name);
    tip.appendChild(count);
    tip.appendChild(go);
    figure.appendChild(tip);

    var shown = null; // the place whose label is shown
    var pinned = null; // the place a tap chose: the next tap on it follows its link
    var lastPointer = "";

    function hrefOf(place) {
      var link = place.querySelector("a");
      return link ? link.getAttribute("href") : null;
    }

    function show(place) {
      if (shown && shown !== place) shown.classList.remove("sv-map-place--active");
      shown = place;
      place.classList.add("sv-map-place--active");
      name.textContent = place.getAttribute("data-name") || "";
      count.textContent = (place.getAttribute("data-count") || "") + " hồ sơ";
      var href = hrefOf(place);
      go.hidden = !href;
      if (href) go.setAttribute("href", href);
      tip.hidden = false;
      position(place);
    }

    // Above the dot, centred on it, kept inside the figure (so never wider than the
    // screen); below the dot when there is no room above it on the screen.
    function position(place) {
      var frame = figure.getBoundingClientRect();
      var box = dotBox(place);
      var width = tip.offsetWidth;
      var height = tip.offsetHeight;
      var centre = box.left + box.width / 2 - frame.left;
      var left = Math.max(0, Math.min(centre - width / 2, figure.clientWidth - width));
      var top = box.top - frame.top - height - GAP;
      if (box.top - height - GAP < 0) top = box.bottom - frame.top + GAP;
      tip.style.left = Math.round(left) + "px";
      tip.style.top = Math.round(top) + "px";
    }

    function hide() {
      if (shown) shown.classList.remove("sv-map-place--active");
      shown = null;
      pinned = null;
      tip.hidden = true;
    }

    figure.addEventListener("pointerdown", function (event) {
      lastPointer = event.pointerType || "";
    });

    figure.addEventListener("click", function (event) {
      var place = event.target.closest && event.target.closest(".sv-map-place");
      if (!place) {
        if (shown && !tip.contains(event.target)) hide(); // a tap beside the dots closes the label
        return;
      }
      var pointer = event.pointerType || lastPointer;
      if (pointer !== "touch" && pointer !== "pen") return; // a mouse or a key: follow the link
      var chosen = nearest(places, event.clientX, event.clientY) || place;
      if (chosen === pinned) {
        if (chosen !== place) {
          event.preventDefault();
          var href = hrefOf(chosen);
          if (href) window.location.assign(href);
        }
        return; // the second tap: the link takes the reader there
      }
      event.preventDefault();
      show(chosen);
      pinned = chosen;
    });

    figure.addEventListener("focusin", function (event) {
      var place = event.target.closest && event.target.closest(".sv-map-place");
      if (place && place !== shown) {
        show(place);
        pinned = null;
      }
    });

    figure.addEventListener("focusout", function (event) {
      if (pinned) return; // a tap chose it: it stays until the next tap elsewhere
      var next = event.relatedTarget;
      if (!next || !figure.contains(next)) hide();
    });

    document.addEventListener("click", function (event) {
      if (!shown || figure.contains(event.target)) return;
      hide();
    });

    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && shown) hide();
    });

    // The label was placed for the map's old size.
    window.addEventListener("resize", function () {
      if (shown) position(shown);
    });
  }

  function init() {
    document.querySelectorAll("figure.sv-chart--map").forEach(setUp);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
