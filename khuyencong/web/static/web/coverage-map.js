/* The coverage page's map (network/coverage.html): establishments with a GPS point, green where their commune has
   a collaborator, red where it has none. Without a tile server (the default, offline) the points are drawn on a
   plain background. */
(function () {
  "use strict";
  var node = document.getElementById("coverage-map");
  if (!node || !window.L) return;
  var points = JSON.parse(document.getElementById("coverage-points").textContent);
  var tiles = JSON.parse(document.getElementById("coverage-tiles").textContent);
  var map = L.map(node, {preferCanvas: true, attributionControl: Boolean(tiles.url)});
  if (tiles.url) L.tileLayer(tiles.url, {attribution: tiles.attribution}).addTo(map);
  var bounds = [];
  points.forEach(function (p) {
    var covered = p.by.length > 0;
    L.circleMarker([p.lat, p.lng], {radius: 5, color: covered ? "#198754" : "#dc3545", weight: 1, fillOpacity: 0.8})
      .bindTooltip(p.name + " — " + p.commune + (covered ? " (" + p.by.join(", ") + ")" : ""))
      .addTo(map);
    bounds.push([p.lat, p.lng]);
  });
  map.fitBounds(bounds, {padding: [20, 20], maxZoom: 13});
})();
