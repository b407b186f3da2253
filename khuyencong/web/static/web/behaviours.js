/* Small behaviours that templates ask for with data- attributes, so that no page needs an inline handler or script
   (the Content-Security-Policy allows scripts from our static files only). Listeners sit on the document, so they
   also serve content that htmx swaps in.

   data-autosubmit        on a <select> or input: changing it submits its form (a plain submit, as the page's
                          "Choose" button would; the button stays for those without JavaScript)
   data-print             on a button: prints the page
   data-filter-list="#id" on a search input: hides the children of #id whose data-name (folded by the server's
                          `fold` filter: lower case, no diacritics, đ → d) does not contain the folded input
   data-geolocate         on a button inside an element with data-lat-field and data-lng-field (the ids of the
                          inputs to fill) and data-ok / data-fail / data-none messages; its [data-geolocate-status]
                          says what happened ({m} in data-ok is the accuracy in metres)
   data-error-summary     on the list of a form's errors (components/error_summary.html, tabindex=-1): it takes the
                          focus when the page opens, so a phone shows it and a screen reader reads it; its links
                          focus the field they name
   data-kc-date           on a date input with a pattern: a mismatch is told with the input's title (Vietnamese),
                          not the browser's own sentence in the browser's language */
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/gi, "d").toLowerCase();
  }

  document.addEventListener("change", function (event) {
    var field = event.target.closest && event.target.closest("[data-autosubmit]");
    if (field && field.form) field.form.submit();
  });

  document.addEventListener("click", function (event) {
    if (!event.target.closest) return;
    if (event.target.closest("[data-print]")) {
      window.print();
      return;
    }
    var button = event.target.closest("[data-geolocate]");
    if (button) locate(button);
    var link = event.target.closest("[data-error-summary] a[href^='#']");
    if (link) {
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (field) {
        event.preventDefault();
        field.scrollIntoView({block: "center"});
        field.focus({preventScroll: true});
      }
    }
  });

  document.addEventListener("invalid", function (event) {
    var input = event.target;
    if (input.matches && input.matches("input[data-kc-date]") && input.validity.patternMismatch) {
      input.setCustomValidity(input.title);
    }
  }, true);

  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusErrorSummary);
  } else {
    focusErrorSummary();
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("input[data-kc-date]")) event.target.setCustomValidity("");
    var input = event.target.closest && event.target.closest("[data-filter-list]");
    if (!input) return;
    var list = document.querySelector(input.dataset.filterList);
    if (!list) return;
    var wanted = fold(input.value.trim());
    list.querySelectorAll("[data-name]").forEach(function (item) {
      item.hidden = Boolean(wanted) && item.dataset.name.indexOf(wanted) === -1;
    });
  });

  function locate(button) {
    var box = button.closest("[data-lat-field]");
    var status = box.querySelector("[data-geolocate-status]");
    var say = function (text) { status.textContent = text; };
    if (!navigator.geolocation) {
      say(box.dataset.none);
      return;
    }
    button.disabled = true;
    say("");
    navigator.geolocation.getCurrentPosition(function (position) {
      document.getElementById(box.dataset.latField).value = position.coords.latitude.toFixed(6);
      document.getElementById(box.dataset.lngField).value = position.coords.longitude.toFixed(6);
      button.disabled = false;
      say(box.dataset.ok.replace("{m}", Math.round(position.coords.accuracy)));
    }, function () {
      button.disabled = false;
      say(box.dataset.fail);
    }, {enableHighAccuracy: true, timeout: 15000});
  }
})();
