/* The clusters' dashboard map (clusters/cluster_dashboard.html): today's provinces on the country's outlines,
   coloured by the average occupancy of their operating clusters (web/kc-map.js). */
(function () {
  "use strict";
  var node = document.getElementById("cluster-map");
  if (!node || !window.KCMap) return;
  var tiles = JSON.parse(document.getElementById("cluster-tiles").textContent);
  var areas = JSON.parse(document.getElementById("cluster-areas").textContent);
  var focus = Number(node.dataset.focus) || undefined;
  KCMap.create(node, {tiles: tiles, areas: areas, focus: focus, country: !focus});
})();
