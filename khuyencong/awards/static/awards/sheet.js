// The live total of a juror's scoring sheet: each criterion's sum (capped at its maximum) and the total out of 100.
(function () {
  "use strict";
  function update(form) {
    var sums = {};
    form.querySelectorAll("[data-band]").forEach(function (input) {
      var value = parseInt(input.value, 10);
      var max = parseInt(input.max, 10);
      if (isNaN(value) || value < 0) { value = 0; }
      if (value > max) { value = max; }
      sums[input.dataset.criterion] = (sums[input.dataset.criterion] || 0) + value;
    });
    var total = 0;
    form.querySelectorAll("[data-criterion-total]").forEach(function (cell) {
      var code = cell.dataset.criterionTotal;
      var v = sums[code] || 0;
      cell.textContent = v;
      total += v;
    });
    form.querySelector("[data-sheet-total]").textContent = total;
  }
  document.querySelectorAll("form[data-score-sheet]").forEach(function (form) {
    form.addEventListener("input", function () { update(form); });
    update(form);
  });
})();
