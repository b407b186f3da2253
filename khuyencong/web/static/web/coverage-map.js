/* The coverage page's map (network/coverage.html): the province on the country's outlines, coloured by its rate of
   communes with a collaborator (web/kc-map.js), and the establishments with a GPS point, green where their commune
   has a collaborator, red where it has none. */
(function () {
  "use strict";
  var node = document.getElementById("coverage-map");
  if (!node || !window.KCMap) return;
  var points = JSON.parse(document.getElementById("coverage-points").textContent);
  var tiles = JSON.parse(document.getElementById("coverage-tiles").textContent);
  var areas = JSON.parse(document.getElementById("coverage-areas").textContent);
  var made = KCMap.create(node, {tiles: tiles, areas: areas, focus: Number(node.dataset.focus),
                                 points: points.map(function (p) { return [p.lat, p.lng]; })});
  points.forEach(function (p) {
    var covered = p.by.length > 0;
    L.circleMarker([p.lat, p.lng], {radius: 5, color: "#fff", weight: 1, fillColor: covered ? "#198754" : "#dc3545",
                                     fillOpacity: 0.9})
      .bindTooltip(p.name + " — " + p.commune + (covered ? " (" + p.by.join(", ") + ")" : ""))
      .addTo(made.map);
  });
  node.dataset.points = String(points.length);
})();
