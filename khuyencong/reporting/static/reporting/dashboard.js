/* Charts (Apache ECharts, Vietnamese locale) and the map (Leaflet) of the KC dashboard.
   The data comes from the page as JSON (json_script); numbers are shown in triệu / tỷ like the rest of the app. */
(function () {
  "use strict";
  function data(id) {
    const el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function group(n, places) {
    return n.toLocaleString("vi-VN", {maximumFractionDigits: places});
  }
  // 12.500.000.000 → "12,5 tỷ"; 450.000.000 → "450 triệu"
  function money(v) {
    if (v === null || v === undefined) { return "—"; }
    const a = Math.abs(v);
    if (a >= 1e9) { return group(v / 1e9, 2) + " tỷ"; }
    if (a >= 1e6) { return group(v / 1e6, 2) + " triệu"; }
    return group(v, 0) + " ₫";
  }
  function axisMoney(v) {
    const a = Math.abs(v);
    if (a >= 1e9) { return group(v / 1e9, 1) + " tỷ"; }
    if (a >= 1e6) { return group(v / 1e6, 0) + " tr"; }
    return group(v, 0);
  }
  const charts = data("kc-charts");
  const made = [];
  function chart(id) {
    const el = document.getElementById(id);
    if (!el || !window.echarts) { return null; }
    const c = echarts.init(el, null, {locale: "VI", renderer: "canvas"});
    made.push(c);
    return c;
  }
  const palette = ["#1f5f8b", "#2e9d6f", "#e0a100", "#c2410c", "#6d28d9", "#0891b2"];
  const narrow = window.matchMedia("(max-width: 575.98px)").matches;

  // Trend: counts as bars on the left axis, money as lines on the right axis.
  const trend = chart("chart-trend");
  if (trend && charts) {
    const series = charts.trend.series.map(function (s, i) {
      const isMoney = s.unit === "vnd";
      return {name: s.name, type: isMoney ? "line" : "bar", yAxisIndex: isMoney ? 1 : 0, data: s.values,
              smooth: isMoney, color: palette[i],
              tooltip: {valueFormatter: isMoney ? money : function (v) { return group(v, 0); }}};
    });
    trend.setOption({
      tooltip: {trigger: "axis"}, legend: {top: 0, type: "scroll"},
      grid: {left: 8, right: 8, top: narrow ? 56 : 40, bottom: 8, containLabel: true},
      xAxis: {type: "category", data: charts.trend.years.map(String)},
      yAxis: [{type: "value", minInterval: 1}, {type: "value", axisLabel: {formatter: axisMoney}, splitLine: {show: false}}],
      series: series
    });
  }

  // Funnel: planned → allocated → contracted → advanced → disbursed → settled.
  const funnel = chart("chart-funnel");
  if (funnel && charts) {
    funnel.setOption({
      tooltip: {trigger: "item", formatter: function (p) { return charts.funnel[p.dataIndex].name + ": " + money(p.value); }},
      xAxis: {type: "value", axisLabel: {formatter: axisMoney}},
      yAxis: {type: "category", inverse: true, data: charts.funnel.map(function (f) { return f.short; })},
      grid: {left: 8, right: 24, top: 8, bottom: 8, containLabel: true},
      series: [{type: "bar", data: charts.funnel.map(function (f, i) {
        return {value: f.value, itemStyle: {color: palette[i % palette.length]}};
      }), label: {show: !narrow, position: "right", formatter: function (p) { return money(p.value); }}}]
    });
  }

  // Money planned by KC content (horizontal bars, the largest first).
  const content = chart("chart-content");
  if (content && charts) {
    const rows = charts.content.slice(0, 10).reverse();
    content.setOption({
      tooltip: {trigger: "item", formatter: function (p) { return p.name + "<br>" + money(p.value); }},
      grid: {left: 8, right: 24, top: 8, bottom: 8, containLabel: true},
      xAxis: {type: "value", axisLabel: {formatter: axisMoney}},
      yAxis: {type: "category", data: rows.map(function (r) { return r.name; }),
              axisLabel: {width: narrow ? 120 : 260, overflow: "truncate"}},
      series: [{type: "bar", data: rows.map(function (r) { return r.value; }), color: palette[0],
                label: {show: true, position: "insideRight", color: "#fff", formatter: function (p) { return money(p.value); }}}]
    });
  }

  // Money by fund: planned, allocated, disbursed side by side.
  const fund = chart("chart-fund");
  if (fund && charts) {
    fund.setOption({
      tooltip: {trigger: "axis", valueFormatter: money}, legend: {top: 0, type: "scroll"},
      grid: {left: 8, right: 8, top: narrow ? 56 : 40, bottom: 8, containLabel: true},
      xAxis: {type: "category", data: charts.fund.funds},
      yAxis: {type: "value", axisLabel: {formatter: axisMoney}},
      series: charts.fund.series.map(function (s, i) {
        return {name: s.name, type: "bar", data: s.values, color: palette[i]};
      })
    });
  }

  // Coverage of communes by province (%).
  const coverage = chart("chart-coverage");
  if (coverage && charts) {
    coverage.setOption({
      tooltip: {trigger: "axis", valueFormatter: function (v) { return v === null ? "—" : group(v, 1) + " %"; }},
      grid: {left: 8, right: 8, top: 16, bottom: 8, containLabel: true},
      xAxis: {type: "category", data: charts.coverage.map(function (r) { return r.name; }),
              axisLabel: {interval: 0, rotate: charts.coverage.length > 4 || narrow ? 30 : 0}},
      yAxis: {type: "value", max: 100, axisLabel: {formatter: "{value} %"}},
      series: [{type: "bar", data: charts.coverage.map(function (r) { return r.value; }), color: palette[1],
                label: {show: true, position: "top", formatter: function (p) { return group(p.value, 1) + " %"; }}}]
    });
  }
  window.addEventListener("resize", function () { made.forEach(function (c) { c.resize(); }); });

  // Map (web/kc-map.js): today's provinces coloured by the supported establishments, the supported establishments
  // with a GPS point on top; the outlines come from our server, tiles only when the server sets a tile layer.
  const points = data("kc-points") || [];
  const mapEl = document.getElementById("kc-map");
  if (mapEl && window.KCMap) {
    const areas = data("kc-map-areas") || [];
    const focus = mapEl.dataset.focus ? Number(mapEl.dataset.focus) : null;
    const map = KCMap.create(mapEl, {tiles: data("kc-tiles"), areas: areas.length ? areas : null, focus: focus,
      country: !focus, points: points.map(function (p) { return [p.lat, p.lng]; })}).map;
    points.forEach(function (p) {
      const withProject = p.projects.length > 0;
      const marker = L.circleMarker([p.lat, p.lng], {radius: withProject ? 7 : 5, weight: 1, fillOpacity: 0.85,
        color: withProject ? "#b35c00" : "#2e9d6f", fillColor: withProject ? "#f08c00" : "#51cf66"});
      const tip = document.createElement("div");
      const name = document.createElement("strong");
      name.textContent = p.name;
      tip.appendChild(name);
      tip.appendChild(document.createElement("br"));
      tip.appendChild(document.createTextNode(p.place));
      p.projects.forEach(function (t) {
        tip.appendChild(document.createElement("br"));
        tip.appendChild(document.createTextNode("• " + t));
      });
      marker.bindTooltip(tip).addTo(map);
    });
    mapEl.dataset.points = String(points.length);
  }
})();
