/* Sổ vàng: the "Chia sẻ" button of a record page (_record.html.j2, `intro`).
 *
 * Loaded only on pages whose front matter says `share: true` (theme/main.html).
 * Phones open their own share sheet (Zalo, Messenger, …) through the Web Share
 * API; elsewhere the link is copied to the clipboard, and where even that is
 * refused (an old browser, a page not served over HTTPS) the link is put in a
 * text field, selected, for the reader to copy. The button stays hidden
 * without this script: it could do nothing.
 *
 * The address shared is the page's canonical URL when the site has one
 * (mkdocs.yml site_url), else the address in the bar without its #fragment.
 * The title is the record's name from the button's data-title, which the
 * generator escaped; it is read as text and never inserted as HTML.
 */
(function () {
  "use strict";
  var COPIED = "Đã sao chép liên kết";
  var SELECTED = "Hãy sao chép liên kết trong ô dưới đây";

  function pageUrl() {
    var canonical = document.querySelector('link[rel="canonical"]');
    if (canonical && canonical.href) return canonical.href;
    return location.href.split("#")[0];
  }

  function say(status, text) {
    // Emptied first, so that the same words after a second click are announced again.
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = text;
    }, 30);
  }

  // The last resort: the link in a field, selected. execCommand("copy") still works in
  // browsers without the asynchronous clipboard; if it does not, the reader copies by hand.
  function showField(box, status, url) {
    var field = box.querySelector(".sv-rec-share__url");
    if (!field) return;
    field.value = url;
    field.hidden = false;
    field.focus();
    field.select();
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (e) {
      copied = false;
    }
    say(status, copied ? COPIED : SELECTED);
  }

  function copy(box, status, url) {
    var clipboard = navigator.clipboard;
    if (!clipboard || typeof clipboard.writeText !== "function") {
      showField(box, status, url);
      return;
    }
    clipboard.writeText(url).then(
      function () {
        say(status, COPIED);
      },
      function () {
        showField(box, status, url);
      }
    );
  }

  function init() {
    document.querySelectorAll("[data-share]").forEach(function (box) {
      var button = box.querySelector("button");
      var status = box.querySelector('[role="status"]');
      if (!button || !status) return;
      button.addEventListener("click", function () {
        var url = pageUrl();
        var title = button.getAttribute("data-title") || document.title;
        if (typeof navigator.share === "function") {
          // Called inside the click: the share sheet needs the user's gesture.
          navigator.share({ title: title, url: url }).then(
            function () {},
            function (error) {
              // The reader closed the sheet: nothing to do. Anything else: copy instead.
              if (error && error.name === "AbortError") return;
              copy(box, status, url);
            }
          );
          return;
        }
        copy(box, status, url);
      });
      button.hidden = false;
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
