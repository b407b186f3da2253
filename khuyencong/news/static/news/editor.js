// The news body's small toolbar: wraps the selected text of the textarea in a tag the sanitiser keeps.
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); } }
  ready(function () {
    var area = document.querySelector("textarea[data-news-editor]");
    var bar = document.querySelector("[data-news-toolbar]");
    if (!area || !bar) { return; }
    area.parentNode.insertBefore(bar, area);
    bar.hidden = false;
    function wrap(open, close) {
      var start = area.selectionStart, end = area.selectionEnd, text = area.value;
      area.value = text.slice(0, start) + open + text.slice(start, end) + close + text.slice(end);
      area.focus();
      area.selectionStart = start + open.length;
      area.selectionEnd = end + open.length;
    }
    bar.addEventListener("click", function (e) {
      var button = e.target.closest("button");
      if (!button) { return; }
      if (button.hasAttribute("data-link")) {
        var url = window.prompt(button.title, "https://");
        if (url) { wrap('<a href="' + url.replace(/"/g, "") + '">', "</a>"); }
        return;
      }
      var tag = button.getAttribute("data-wrap");
      if (tag === "li") { wrap("<ul><li>", "</li></ul>"); } else { wrap("<" + tag + ">", "</" + tag + ">"); }
    });
  });
})();
