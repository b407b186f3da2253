/* The maps' common part (the dashboard's and the coverage page's): Leaflet over the outlines of the country and of
   today's provinces that our server sends (Natural Earth, see web/map_outlines.py), so a map works with no internet;
   a choropleth of the figure the map shows, one value per province, with its legend; a tile layer only when the
   server sets one (KC_MAP_TILE_URL). Texts come from the page (data-* attributes), already in Vietnamese. */
(function () {
  "use strict";
  if (!window.L) return;

  var SHADES = ["#e3eef8", "#c3dbef", "#9cc3e4", "#74a9d6", "#4f8fc6", "#3273b0"];
  var NO_VALUE = "#dee2e6";  // no figure (a rate without a denominator)
  var ZERO = "#fbfbf9";  // a count of 0: its own class, not the lightest shade
  var OUTSIDE = "#e4e7ea";  // a province the figure does not cover (another province than the page's)
  var FOCUS = "#fff3bf";  // the page's province when it has no figure to colour it by
  var number = new Intl.NumberFormat("vi-VN", {maximumFractionDigits: 1});

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Upper bounds of the classes above 0: equal round steps up to the largest value (a rate stops at 100).
  function classes(values, unit) {
    var max = Math.max.apply(null, values.concat([0]));
    if (unit === "percent") max = 100;
    if (max <= 0) return [];
    var steps = Math.min(SHADES.length, unit === "percent" ? 5 : Math.max(1, Math.ceil(max)));
    var raw = max / steps;
    var magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    var nice = [1, 2, 2.5, 5, 10].map(function (m) { return m * magnitude; }).filter(function (s) { return s >= raw; })[0];
    if (unit !== "percent" && nice < 1) nice = 1;
    var bounds = [];
    for (var b = nice; bounds.length < SHADES.length; b += nice) {
      bounds.push(b);
      if (b >= max) break;
    }
    return bounds;
  }

  function shade(value, bounds) {
    if (value === null || value === undefined) return NO_VALUE;
    if (Number(value) === 0) return ZERO;
    for (var i = 0; i < bounds.length; i++) { if (value <= bounds[i]) return SHADES[i + SHADES.length - bounds.length]; }
    return SHADES[SHADES.length - 1];
  }

  // The legend's rows [colour, text]: one per class, "0" and "no figure" when some province has them; a map of a
  // single province shows its value alone.
  function legendRows(areas, bounds, unit, noValueText) {
    var valued = areas.filter(function (a) { return a.value !== null && a.value !== undefined; });
    if (areas.length === 1) {
      return [[shade(areas[0].value, bounds), areas[0].display || noValueText]];
    }
    var suffix = unit === "percent" ? " %" : "";
    var rows = [];
    if (valued.some(function (a) { return Number(a.value) === 0; })) rows.push([ZERO, "0" + suffix]);
    bounds.forEach(function (upper, i) {
      var low = i === 0 ? 0 : bounds[i - 1];
      rows.push([SHADES[i + SHADES.length - bounds.length],
                 "> " + number.format(low) + " – " + number.format(upper) + suffix]);
    });
    if (valued.length < areas.length) rows.push([NO_VALUE, noValueText]);
    return rows;
  }

  function legend(map, title, rows) {
    var control = L.control({position: "bottomright"});
    control.onAdd = function () {
      var box = el("div", "kc-map-legend");
      box.appendChild(el("div", "kc-map-legend-title", title));
      rows.forEach(function (r) {
        var row = el("div", "kc-map-legend-row");
        var swatch = el("span", "kc-map-swatch");
        swatch.style.background = r[0];
        row.appendChild(swatch);
        row.appendChild(document.createTextNode(r[1]));
        box.appendChild(row);
      });
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    control.addTo(map);
  }

  /* Creates the map in `node`. `options`: tiles {url, attribution}; areas [{code, value, display}] for the
     choropleth (its title in node.dataset.legend, the unit in node.dataset.unit, "percent" for a rate; a province
     not listed stays neutral); focus: a province code to frame; country: frame the whole country; points:
     [[lat, lng], …] framed otherwise. Returns {map, ready}: `ready` resolves once the outlines
     are drawn (or could not be fetched: the points are still shown). */
  function create(node, options) {
    options = options || {};
    var tiles = options.tiles || {};
    var map = L.map(node, {preferCanvas: true, zoomSnap: 0.25, attributionControl: Boolean(tiles.url)});
    node.classList.add(tiles.url ? "kc-map-tiled" : "kc-map-plain");
    if (tiles.url) L.tileLayer(tiles.url, {attribution: tiles.attribution}).addTo(map);
    map.createPane("kc-outlines").style.zIndex = 350;
    var svg = L.svg({pane: "kc-outlines"});
    var byCode = {};
    (options.areas || []).forEach(function (a) { byCode[a.code] = a; });
    var unit = node.dataset.unit || "";
    var values = (options.areas || []).filter(function (a) { return a.value !== null && a.value !== undefined; })
      .map(function (a) { return Number(a.value); });
    var bounds = options.areas ? classes(values, unit) : [];
    var points = options.points || [];

    function frame(layer) {
      if (options.focus && layer && layer.getBounds().isValid()) {
        map.fitBounds(layer.getBounds(), {padding: [12, 12], animate: false});
      } else if (points.length && !options.country) {
        map.fitBounds(points, {padding: [20, 20], maxZoom: 12, animate: false});
      }
    }
    // Viet Nam until the outlines come (or when they cannot).
    map.fitBounds([[8.4, 102.1], [23.4, 109.5]]);
    if (points.length && !options.country) map.fitBounds(points, {padding: [20, 20], maxZoom: 12});

    var ready = fetch(node.dataset.outlines, {credentials: "same-origin", headers: {Accept: "application/geo+json"}})
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
      .then(function (geo) {
        var focused = null;
        var provinces = L.geoJSON(geo, {
          renderer: svg, pane: "kc-outlines",
          filter: function (f) { return f.properties.kind === "province"; },
          style: function (f) {
            var area = byCode[f.properties.code];
            var focus = options.focus && f.properties.code === options.focus;
            var fill = area ? shade(area.value, bounds) : (focus ? FOCUS : OUTSIDE);
            return {color: focus ? "#212529" : "#8a9199", weight: focus ? 2 : 0.8, fillColor: fill,
                    fillOpacity: tiles.url ? 0.55 : 1, className: "kc-map-province"};
          },
          onEachFeature: function (f, layer) {
            if (f.properties.code === options.focus) focused = layer;
            var area = byCode[f.properties.code];
            var tip = el("div");
            tip.appendChild(el("strong", "", f.properties.name));
            if (area) {
              tip.appendChild(el("br"));
              tip.appendChild(document.createTextNode((node.dataset.legend || "") + ": " +
                (area.display || node.dataset.noValue || "—")));
            }
            layer.bindTooltip(tip, {sticky: true});
          },
        }).addTo(map);
        L.geoJSON(geo, {renderer: svg, pane: "kc-outlines", interactive: false,
          filter: function (f) { return f.properties.kind === "country"; },
          style: {color: "#343a40", weight: 1.6, fill: false, className: "kc-map-country"}}).addTo(map);
        if (options.areas && options.areas.length) {
          legend(map, node.dataset.legend || "", legendRows(options.areas, bounds, unit, node.dataset.noValue || "—"));
        }
        if (options.focus) frame(focused);
        else if (options.country) map.fitBounds(provinces.getBounds(), {padding: [8, 8], animate: false});
        node.dataset.state = "drawn";
      })
      .catch(function () { node.dataset.state = "no-outlines"; });
    return {map: map, ready: ready};
  }

  window.KCMap = {create: create};
})();
