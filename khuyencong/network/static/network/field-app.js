/* The collaborator's field work without signal (network/templates/network/field_app.html).
   The working set (establishments of the communes covered, open tasks, announcements, choice lists) and the outbox
   live in this phone's IndexedDB, so they survive a reload, closing the browser and restarting the phone. Each
   captured item gets a client id (a UUID) when it is made; the server records an item once per id, so sending again
   after a dropped answer never duplicates it. Plain JavaScript, no framework.
   Safari on iPhone: no Background Sync, BroadcastChannel or Blob in IndexedDB is used (photos are kept as data:
   URLs, strings); what older Safari lacks (crypto.randomUUID, Element.replaceChildren, navigator.storage.persist) is
   feature-detected with a fallback, and the outbox is sent on the "online" event, when the page is shown again
   (iOS resumes a home-screen app without reloading it) and on demand with the "Send now" button. */
(function () {
  "use strict";

  var root = document.getElementById("kc-field-app");
  var guardRoot = root || document.getElementById("kc-outbox-guard");
  if (!guardRoot || !window.indexedDB) return;
  var MSG = JSON.parse((document.getElementById("kc-field-msgs") || {}).textContent || "{}");
  var DB_NAME = guardRoot.dataset.db;
  var SURVEY_FIELDS = ["representative", "phone", "employees", "main_products", "address", "status"];
  var TEXT_FIELDS = {
    survey: ["notes", "latitude", "longitude", "representative", "phone", "employees", "main_products", "address",
      "status"],
    need: ["notes", "latitude", "longitude", "content_code", "expected_cost_vnd"],
    establishment: ["notes", "latitude", "longitude", "commune", "name", "entity_type", "sme_size",
      "representative", "phone", "address", "main_products"],
    task_report: ["note"],
  };

  function t(key, values) {
    var text = MSG[key] || key;
    Object.keys(values || {}).forEach(function (name) {
      text = text.split("%(" + name + ")s").join(String(values[name]));
    });
    return text;
  }

  // --- IndexedDB ------------------------------------------------------------------------------------------------
  var dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          var d = request.result;
          d.createObjectStore("meta", {keyPath: "key"});
          d.createObjectStore("outbox", {keyPath: "client_id"});
          d.createObjectStore("sent", {keyPath: "client_id"});
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return dbPromise;
  }
  function store(name, mode, work) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var tx = d.transaction(name, mode);
        var result = work(tx.objectStore(name));
        tx.oncomplete = function () { resolve(result && "result" in result ? result.result : undefined); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }
  function getAll(name) { return store(name, "readonly", function (s) { return s.getAll(); }); }
  function get(name, key) { return store(name, "readonly", function (s) { return s.get(key); }); }
  function put(name, value) { return store(name, "readwrite", function (s) { s.put(value); }); }
  function remove(name, key) { return store(name, "readwrite", function (s) { s.delete(key); }); }

  function byTime(a, b) { return a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0; }

  // --- small helpers --------------------------------------------------------------------------------------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "className") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }
  function empty(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function hm(d) { return pad(d.getHours()) + ":" + pad(d.getMinutes()); }
  function dmy(d) { return pad(d.getDate()) + "/" + pad(d.getMonth() + 1) + "/" + d.getFullYear(); }
  function isoDmy(text) {
    var p = String(text || "").slice(0, 10).split("-");
    return p.length === 3 ? p[2] + "/" + p[1] + "/" + p[0] : "";
  }
  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : guardRoot.dataset.csrf;
  }

  // --- signing out with items waiting -----------------------------------------------------------------------------
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var logout = guardRoot.dataset.logout;
    if (!logout || form.getAttribute("action") !== logout || form.dataset.confirmed) return;
    event.preventDefault();
    getAll("outbox").then(function (items) {
      if (!items.length || window.confirm(t("logout_warning", {n: items.length}))) {
        form.dataset.confirmed = "1";
        forgetShell().then(function () { form.submit(); });
      }
    });
  }, true);

  // The page kept for use without signal carries the signed-in collaborator's name and outbox: on a phone that two
  // people share, signing out removes it (the outbox itself stays, and goes once its owner signs in again).
  function forgetShell() {
    if (!window.caches) return Promise.resolve();
    return caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) { return k.indexOf("kc-field-") === 0; })
        .map(function (k) { return caches.delete(k); }));
    }).catch(function () { return null; });
  }

  if (!root) return;

  // --- the app --------------------------------------------------------------------------------------------------
  var ws = null;
  var form = root.querySelector("[data-capture]");
  var editing = null; // {client_id, created_at, kind}
  var photo = null;
  var syncing = false;

  var manifest = document.querySelector("link[rel=manifest]");
  if (manifest && manifest.parentNode !== document.head) document.head.appendChild(manifest);

  // Registered once the working set is on screen: on a slow network the worker's first download of the shell
  // would otherwise share the bandwidth with the page's own first load.
  function registerWorker() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register(root.dataset.sw, {scope: root.dataset.scope}).catch(function () { return null; });
  }

  // "Shown": the working set (or, without one yet, the page asking to connect once) is on screen. make bench
  // (bench/field_app.py) reads this mark as the app's time to ready.
  function markShown() {
    if (root.dataset.shown) return;
    root.dataset.shown = "1";
    if (window.performance && performance.mark) performance.mark("kc-field-shown");
  }

  function showNet() {
    var badge = root.querySelector("[data-net]");
    badge.textContent = navigator.onLine ? t("online") : t("offline");
    badge.className = "badge " + (navigator.onLine ? "text-bg-success" : "text-bg-warning");
  }

  function renderWorkingSet() {
    if (!ws) return;
    var when = new Date(ws.data.generated_at);
    root.querySelector("[data-freshness]").textContent = t("freshness", {
      time: hm(when), date: dmy(when), establishments: ws.data.establishments.length.toLocaleString("vi-VN"),
      tasks: ws.data.tasks.length});
    var tasks = root.querySelector("[data-tasks]");
    empty(tasks);
    ws.data.tasks.forEach(function (task) {
      tasks.appendChild(el("div", {className: "list-group-item"}, [
        el("strong", {text: task.title}),
        el("div", {className: "small text-body-secondary",
          text: t("due") + " " + isoDmy(task.due_date) + (task.commune ? " · " + task.commune : "") +
            (task.establishment ? " · " + task.establishment : "")})]));
    });
    if (!ws.data.tasks.length) tasks.appendChild(el("p", {className: "text-body-secondary small", text: t("no_task_open")}));
    var news = root.querySelector("[data-news]");
    empty(news);
    ws.data.announcements.forEach(function (a) {
      news.appendChild(el("details", {className: "list-group-item"}, [
        el("summary", {text: a.title + " · " + dmy(new Date(a.published_at))}),
        el("div", {className: "small", text: a.body})]));
    });
    if (!ws.data.announcements.length) news.appendChild(el("p", {className: "text-body-secondary small", text: t("no_news")}));
  }

  function refresh() {
    if (!navigator.onLine) return Promise.resolve();
    return fetch(root.dataset.workingSet, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        ws = {key: "ws", data: data};
        renderWorkingSet();
        markShown();
        return put("meta", ws);
      })
      .catch(function () { return null; });
  }

  function kindLabel(kind) { return t("kind_" + kind); }

  function itemLabel(item) {
    var p = item.payload, name = "";
    if (ws && (item.kind === "survey" || item.kind === "need")) {
      var e = ws.data.establishments.find(function (x) { return String(x.id) === String(p.establishment); });
      name = e ? e.name : "";
    } else if (item.kind === "establishment") name = p.name;
    else if (item.kind === "task_report" && ws) {
      var task = ws.data.tasks.find(function (x) { return String(x.id) === String(p.task); });
      name = task ? task.title : "";
    }
    return kindLabel(item.kind) + (name ? " · " + name : "") + (item.photo ? " · " + t("with_photo") : "");
  }

  function renderOutbox() {
    return getAll("outbox").then(function (items) {
      items.sort(byTime);
      var list = root.querySelector("[data-outbox]");
      empty(list);
      root.querySelector("[data-outbox-count]").textContent = items.length;
      items.forEach(function (item) {
        var since = new Date(item.created_at);
        var edit = el("button", {type: "button", className: "btn btn-sm btn-outline-primary", text: t("edit")});
        var drop = el("button", {type: "button", className: "btn btn-sm btn-outline-danger", text: t("discard")});
        edit.addEventListener("click", function () { openForm(item.kind, item); });
        drop.addEventListener("click", function () {
          if (window.confirm(t("confirm_discard"))) remove("outbox", item.client_id).then(renderOutbox);
        });
        list.appendChild(el("div", {className: "list-group-item", "data-outbox-item": item.client_id}, [
          el("div", {className: "fw-semibold", text: itemLabel(item)}),
          el("div", {className: "small text-body-secondary", text: t("waiting_since", {time: hm(since), date: dmy(since)})}),
          item.error ? el("div", {className: "small text-danger", "data-refusal": "",
            text: t("refused") + " " + item.error}) : null,
          el("div", {className: "d-flex gap-2 mt-1"}, [edit, drop])]));
      });
      if (!items.length) list.appendChild(el("p", {className: "text-body-secondary small mb-0", text: t("nothing")}));
      return items;
    });
  }

  function renderSent() {
    return getAll("sent").then(function (items) {
      items.sort(byTime).reverse();
      var list = root.querySelector("[data-sent]");
      if (!items.length) return;
      empty(list);
      items.slice(0, 30).forEach(function (item) {
        var r = item.result;
        list.appendChild(el("a", {className: "list-group-item list-group-item-action", href: r.object_url,
          "data-sent-item": item.client_id}, [
          el("div", {className: "fw-semibold", text: kindLabel(r.kind) + " · " + r.object_label}),
          el("div", {className: "small " + (r.conflict ? "text-warning-emphasis" : "text-body-secondary"),
            text: (r.conflict ? t("conflict") + " " : "") + r.message})]));
      });
    });
  }

  // --- the capture form -------------------------------------------------------------------------------------------
  function fill(select, rows, value, label) {
    empty(select);
    select.appendChild(el("option", {value: "", text: t("choose")}));
    rows.forEach(function (row) {
      var option = el("option", {value: String(row.value), text: row.label});
      select.appendChild(option);
    });
    select.value = value == null ? "" : String(value);
  }

  function establishmentRows(filter) {
    var words = (filter || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d")
      .split(/\s+/).filter(Boolean);
    return ws.data.establishments.filter(function (e) {
      var text = (e.name + " " + e.commune_name).toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "")
        .replace(/đ/g, "d");
      return words.every(function (w) { return text.indexOf(w) >= 0; });
    }).slice(0, 300).map(function (e) { return {value: e.id, label: e.name + " · " + e.commune_name}; });
  }

  function field(name) { return form.elements.namedItem(name); }

  function copyOf(id) {
    return ws.data.establishments.find(function (e) { return String(e.id) === String(id); });
  }

  function loadEstablishment() {
    if (!editing || editing.kind !== "survey") return;
    var e = copyOf(field("establishment").value);
    SURVEY_FIELDS.forEach(function (k) { field(k).value = e && e[k] != null ? e[k] : ""; });
  }

  function openForm(kind, item) {
    if (!ws) return;
    var p = item ? item.payload : {};
    editing = {kind: kind, client_id: item ? item.client_id : uuid(), created_at: item ? item.created_at : null,
      occurred_on: p.occurred_on || today()};
    photo = item ? item.photo : null;
    form.reset();
    form.classList.remove("d-none");
    form.querySelector("[data-form-title]").textContent = kindLabel(kind);
    form.querySelector("[data-form-error]").classList.add("d-none");
    form.querySelectorAll("[data-for]").forEach(function (block) {
      block.classList.toggle("d-none", block.dataset.for.split(" ").indexOf(kind) < 0);
    });
    var c = ws.data.choices;
    fill(field("establishment"), establishmentRows(""), p.establishment);
    fill(field("commune"), ws.data.communes.map(function (x) { return {value: x.code, label: x.name}; }), p.commune);
    fill(field("entity_type"), c.entity_types.map(function (x) { return {value: x.code, label: x.name}; }), p.entity_type);
    fill(field("sme_size"), c.sme_sizes.map(function (x) { return {value: x.code, label: x.name}; }), p.sme_size);
    fill(field("status"), c.statuses.map(function (x) { return {value: x.code, label: x.name}; }), "");
    fill(field("content_code"), c.contents.map(function (x) { return {value: x.code, label: x.name}; }), p.content_code);
    fill(field("task"), ws.data.tasks.map(function (x) { return {value: x.id, label: x.title}; }), p.task);
    if (kind === "survey") {
      loadEstablishment();
      Object.keys(p.changes || {}).forEach(function (k) { if (field(k)) field(k).value = p.changes[k]; });
    }
    TEXT_FIELDS[kind].forEach(function (k) {
      if (p[k] != null && field(k) && !(kind === "survey" && SURVEY_FIELDS.indexOf(k) >= 0)) field(k).value = p[k];
    });
    var preview = form.querySelector("[data-photo-preview]");
    preview.classList.toggle("d-none", !photo);
    if (photo) preview.src = photo;
    form.querySelector("[data-gps-text]").textContent = p.latitude ? p.latitude + ", " + p.longitude : "";
    form.scrollIntoView({block: "start"});
  }

  function formError(text) {
    var box = form.querySelector("[data-form-error]");
    box.textContent = text;
    box.classList.remove("d-none");
  }

  function collect() {
    var kind = editing.kind, p = {};
    TEXT_FIELDS[kind].forEach(function (k) {
      if (kind === "survey" && SURVEY_FIELDS.indexOf(k) >= 0) return;
      var v = field(k).value.trim();
      if (v !== "") p[k] = v;
    });
    if (kind === "survey" || kind === "need") {
      if (!field("establishment").value) throw t("no_establishment");
      p.establishment = Number(field("establishment").value);
      p.occurred_on = editing.occurred_on;
    }
    if (kind === "survey") {
      var copy = copyOf(p.establishment);
      p.base_version = copy.version;
      p.changes = {};
      SURVEY_FIELDS.forEach(function (k) {
        var v = field(k).value.trim(), was = copy[k] == null ? "" : String(copy[k]);
        if (v === was) return;
        if (k === "employees") {
          if (v !== "" && !/^\d+$/.test(v)) throw t("bad_employees");
          p.changes[k] = v === "" ? null : Number(v);
        } else p.changes[k] = v;
      });
    }
    if (kind === "need" && p.expected_cost_vnd != null) {
      var digits = p.expected_cost_vnd.replace(/[.\s₫đ]/g, "").replace(/,/g, "");
      if (!/^\d+$/.test(digits)) throw t("bad_cost");
      p.expected_cost_vnd = Number(digits);
    }
    if (kind === "establishment") {
      if (!p.commune) throw t("no_commune");
      if (!p.name) throw t("no_name");
      p.commune = Number(p.commune);
    }
    if (kind === "task_report") {
      if (!field("task").value) throw t("no_task");
      p.task = Number(field("task").value);
      var task = ws.data.tasks.find(function (x) { return x.id === p.task; });
      p.version = task ? task.version : null;
    }
    return p;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var payload;
    try { payload = collect(); } catch (message) { formError(message); return; }
    var now = new Date().toISOString();
    var item = {client_id: editing.client_id, kind: editing.kind, payload: payload, photo: photo,
      created_at: editing.created_at || now, updated_at: now, error: null};
    put("outbox", item).then(function () {
      form.classList.add("d-none");
      editing = null;
      root.querySelector("[data-sync-status]").textContent = t("saved");
      return renderOutbox();
    }).then(function () { if (navigator.onLine) sync(); });
  });
  form.querySelector("[data-cancel]").addEventListener("click", function () {
    form.classList.add("d-none");
    editing = null;
  });
  field("establishment").addEventListener("change", loadEstablishment);
  form.querySelector("[data-est-filter]").addEventListener("input", function (event) {
    var current = field("establishment").value;
    fill(field("establishment"), establishmentRows(event.target.value), current);
  });

  // The photo is made smaller on the phone (long side 1280 px, JPEG) before it is kept and sent.
  form.querySelector("[data-photo-input]").addEventListener("change", function (event) {
    var file = event.target.files && event.target.files[0];
    if (!file) return;
    var reader = new FileReader();
    reader.onload = function () {
      var img = new Image();
      img.onload = function () {
        var scale = Math.min(1, 1280 / Math.max(img.width, img.height));
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(img.width * scale);
        canvas.height = Math.round(img.height * scale);
        canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
        photo = canvas.toDataURL("image/jpeg", 0.8);
        var preview = form.querySelector("[data-photo-preview]");
        preview.src = photo;
        preview.classList.remove("d-none");
      };
      img.onerror = function () { formError(t("photo_fail")); };
      img.src = reader.result;
    };
    reader.readAsDataURL(file);
  });

  form.querySelector("[data-gps]").addEventListener("click", function () {
    var text = form.querySelector("[data-gps-text]");
    if (!navigator.geolocation) { text.textContent = t("gps_fail"); return; }
    text.textContent = t("gps_wait");
    navigator.geolocation.getCurrentPosition(function (pos) {
      field("latitude").value = pos.coords.latitude.toFixed(6);
      field("longitude").value = pos.coords.longitude.toFixed(6);
      text.textContent = field("latitude").value + ", " + field("longitude").value;
    }, function () { text.textContent = t("gps_fail"); }, {enableHighAccuracy: true, timeout: 20000, maximumAge: 60000});
  });

  root.querySelectorAll("[data-new]").forEach(function (button) {
    button.addEventListener("click", function () { openForm(button.dataset.new, null); });
  });

  // --- sending ----------------------------------------------------------------------------------------------------
  function sendOne(item) {
    var body = Object.assign({}, item.payload, {client_id: item.client_id, kind: item.kind, photo: item.photo || null});
    return fetch(root.dataset.sync, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf()},
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.ok) {
          return put("sent", {client_id: item.client_id, created_at: new Date().toISOString(), result: data})
            .then(function () { return remove("outbox", item.client_id); }).then(function () { return "sent"; });
        }
        if (response.status >= 500) throw new Error("server");
        item.error = data.detail || t("server_error");
        return put("outbox", item).then(function () { return "refused"; });
      });
    });
  }

  function sync() {
    if (syncing) return Promise.resolve();
    syncing = true;
    var status = root.querySelector("[data-sync-status]");
    var sent = 0, refused = 0;
    return getAll("outbox").then(function (items) {
      items.sort(byTime);
      if (!items.length) { status.textContent = t("nothing"); return; }
      status.textContent = t("sending");
      return items.reduce(function (chain, item) {
        return chain.then(function () {
          return sendOne(item).then(function (outcome) {
            if (outcome === "sent") sent += 1; else refused += 1;
          });
        });
      }, Promise.resolve()).then(function () {
        status.textContent = refused ? t("sent_refused", {n: sent, r: refused}) : t("sent", {n: sent});
      });
    }).catch(function (error) {
      status.textContent = error && error.message === "server" ? t("server_error") : t("no_signal");
    }).then(function () {
      syncing = false;
      return Promise.all([renderOutbox(), renderSent()]);
    });
  }

  // Asks the browser to keep this site's storage (the outbox) when the phone runs short of space; Safari before 15.2
  // and some browsers have no such request, and keep it by their own rules.
  function keepStorage() {
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(function () { return null; });
  }

  function resume() {
    showNet();
    if (navigator.onLine) refresh().then(sync);
  }

  root.querySelector("[data-sync-now]").addEventListener("click", function () { sync(); });
  root.querySelector("[data-refresh]").addEventListener("click", function () { refresh(); });
  window.addEventListener("online", resume);
  window.addEventListener("offline", showNet);
  window.addEventListener("pageshow", function (event) { if (event.persisted) resume(); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && root.dataset.ready) resume();
  });

  showNet();
  get("meta", "ws").then(function (saved) {
    if (saved) { ws = saved; renderWorkingSet(); }
    return Promise.all([renderOutbox(), renderSent()]);
  }).then(function () {
    if (ws) markShown();
    if (navigator.onLine) return refresh().then(sync);
  }).then(function () {
    markShown();
    root.dataset.ready = "1";
    registerWorker();
    keepStorage();
  });
})();
