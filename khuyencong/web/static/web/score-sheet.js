/* A council member's scoring sheet (projects/council_sheet.html): the total out of the sheet's scale, live, as the
   server will compute it (weighted points over the points possible; "not applicable" criteria left out). */
(function () {
  "use strict";
  var form = document.getElementById("score-form");
  var out = document.getElementById("live-total");
  if (!form || !out) return;
  var scale = parseFloat(form.dataset.scale);
  function update() {
    var got = 0, possible = 0, bad = false;
    form.querySelectorAll(".kc-score").forEach(function (input) {
      var na = form.querySelector('.kc-na[data-code="' + input.dataset.code + '"]');
      input.disabled = !!(na && na.checked);
      if (input.disabled) return;
      var weight = parseFloat(input.dataset.weight), max = parseFloat(input.dataset.max);
      var text = input.value.trim().replace(",", ".");
      possible += max * weight;
      if (text === "") { bad = true; return; }
      var value = parseFloat(text);
      if (isNaN(value) || value < 0 || value > max) { bad = true; return; }
      got += value * weight;
    });
    out.textContent = (bad || !possible) ? "—" : (Math.round(got / possible * scale * 100) / 100).toLocaleString("vi-VN");
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
