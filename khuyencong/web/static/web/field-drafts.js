/* A record started without a connection is not lost: what is typed is kept on the phone (localStorage) until the
   centre has it. On submit the draft is marked pending; the record's page (loading this script with
   data-clear-sent) clears pending drafts once it loads. Used by network/field_form.html and field_detail.html. */
(function () {
  "use strict";
  var PREFIX = "kc-field-draft-";

  if (document.currentScript && document.currentScript.hasAttribute("data-clear-sent")) {
    // The record reached the centre: drop the drafts kept on this phone for the forms that were being sent.
    try {
      Object.keys(localStorage).forEach(function (key) {
        if (key.indexOf(PREFIX) !== 0) return;
        var sent = JSON.parse(localStorage.getItem(key) || "null");
        if (!sent || sent.pending) localStorage.removeItem(key);
      });
    } catch (e) { /* storage off */ }
    return;
  }

  var form = document.getElementById("field-form");
  if (!form) return;
  var key = form.dataset.draftKey;
  var fields = function () {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.type !== "file" && el.name !== "csrfmiddlewaretoken";
    });
  };
  var save = function (pending) {
    var values = {};
    fields().forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) (values[el.name] = values[el.name] || []).push(el.value);
      } else if (el.multiple) {
        values[el.name] = Array.prototype.map.call(el.selectedOptions, function (o) { return o.value; });
      } else {
        values[el.name] = el.value;
      }
    });
    try { localStorage.setItem(key, JSON.stringify({values: values, pending: pending, at: Date.now()})); } catch (e) {
      /* storage full or off */
    }
  };
  var draft = null;
  try { draft = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { draft = null; }
  if (form.dataset.bound) {
    if (draft) save(false);  // the server answered with the typed values: the draft is not pending any more
  } else if (draft && draft.values) {
    fields().forEach(function (el) {
      var value = draft.values[el.name];
      if (value === undefined) return;
      if (el.type === "checkbox" || el.type === "radio") el.checked = Array.isArray(value) && value.indexOf(el.value) !== -1;
      else if (el.multiple) Array.prototype.forEach.call(el.options, function (o) { o.selected = value.indexOf(o.value) !== -1; });
      else el.value = value;
    });
    draft.pending = false;
    try { localStorage.setItem(key, JSON.stringify(draft)); } catch (e) { /* storage full or off */ }
    document.querySelector("[data-testid=draft-restored]").classList.remove("d-none");
  }
  form.addEventListener("input", function () { save(false); });
  form.addEventListener("change", function () { save(false); });
  form.addEventListener("submit", function () { save(true); });
})();
