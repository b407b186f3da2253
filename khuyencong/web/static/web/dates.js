/* A calendar on every date input of the app (core.forms.DateInput, marked data-kc-date), also on those htmx swaps in.
   The input stays a text field in dd/mm/yyyy: without this script people type the date, with it they may still type
   it or pick it. Phones get the same text field and calendar, never the native picker: an <input type="date"> shows
   the phone's language (12/07/2026 for 7 December in an English phone browser). */
(function () {
  "use strict";
  if (!window.flatpickr) return;

  var labelsNode = document.getElementById("kc-date-labels");
  var labels = labelsNode ? JSON.parse(labelsNode.textContent) : {};
  var base = (document.documentElement.lang === "vi" && flatpickr.l10ns.vn) || flatpickr.l10ns.default;
  var locale = Object.assign({}, base, {
    months: {shorthand: base.months.shorthand, longhand: labels.months || base.months.longhand},
    firstDayOfWeek: 1,
    yearAriaLabel: labels.yearAriaLabel || base.yearAriaLabel,
    monthAriaLabel: labels.monthAriaLabel || base.monthAriaLabel,
    scrollTitle: labels.scrollTitle || base.scrollTitle
  });

  // The formats the server accepts (DATE_INPUT_FORMATS): d/m/Y, d-m-Y, d.m.Y, and Y-m-d from links and phones.
  // An impossible date (31/02) gives undefined rather than flatpickr's rollover to 3 March.
  function parse(text) {
    var m = /^\s*(\d{1,2})([\/.-])(\d{1,2})\2(\d{4})\s*$/.exec(text);
    var day, month, year;
    if (m) {
      day = +m[1]; month = +m[3]; year = +m[4];
    } else if ((m = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$/.exec(text))) {
      year = +m[1]; month = +m[2]; day = +m[3];
    } else {
      return undefined;
    }
    var date = new Date(year, month - 1, day);
    date.setFullYear(year);
    var real = date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day;
    return real ? date : undefined;
  }

  function enhance(input) {
    if (input._flatpickr || input.type !== "text") return;
    var typed = input.value;
    input.addEventListener("input", function () { typed = input.value; });
    // flatpickr empties a field whose text it cannot read; what the person typed is put back so that the server's
    // error message sits next to it (nothing typed is lost).
    function keep(dates, text, fp) {
      if (!fp.selectedDates.length && !fp.input.value && typed) fp.input.value = typed;
    }
    var fp = flatpickr(input, {
      dateFormat: "d/m/Y",
      ariaDateFormat: "d/m/Y",
      allowInput: true,
      disableMobile: true,
      locale: locale,
      parseDate: parse,
      errorHandler: function () {},
      onChange: keep,
      onClose: keep
    });
    if (fp.prevMonthNav) fp.prevMonthNav.setAttribute("aria-label", labels.previousMonth || "");
    if (fp.nextMonthNav) fp.nextMonthNav.setAttribute("aria-label", labels.nextMonth || "");
    input.addEventListener("input", function () {
      var date = parse(input.value);
      if (date) fp.jumpToDate(date);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && fp.isOpen) fp.close();
    });
  }

  function enhanceAll(root) {
    if (root.matches && root.matches("input[data-kc-date]")) enhance(root);
    if (root.querySelectorAll) root.querySelectorAll("input[data-kc-date]").forEach(enhance);
  }

  document.addEventListener("htmx:load", function (event) { enhanceAll(event.detail.elt); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  } else {
    enhanceAll(document);
  }
})();
