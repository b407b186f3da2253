/* The collaborator's field pages offline (network/views/field_app.py serves this file from /network/field/sw.js).
   The app shell (the offline page and the static files it loads) is cached; pages are fetched from the network
   first and from the cache without signal; the API is never cached here (the page keeps its data in IndexedDB). */
"use strict";
const CACHE = "kc-field-{{ version }}";
const APP_URL = "{{ app_url|escapejs }}";
const STATIC_PREFIX = "{{ static_prefix|escapejs }}";

async function cacheShell() {
  const cache = await caches.open(CACHE);
  const response = await fetch(APP_URL, {credentials: "same-origin"});
  if (!response.ok || response.redirected) return;
  await cache.put(APP_URL, response.clone());
  const html = await response.text();
  const urls = new Set();
  for (const match of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
    if (match[1].startsWith(STATIC_PREFIX)) urls.add(match[1].replace(/&amp;/g, "&"));
  }
  await Promise.all([...urls].map((url) => cache.add(url).catch(() => null)));
}

self.addEventListener("install", (event) => {
  event.waitUntil(cacheShell().catch(() => null).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith("kc-field-") && k !== CACHE)
      .map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith(STATIC_PREFIX)) {
    event.respondWith(caches.open(CACHE).then((cache) => cache.match(request, {ignoreSearch: true})
      .then((hit) => hit || fetch(request).then((response) => {
        if (response.ok) cache.put(request, response.clone());
        return response;
      }))));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).then((response) => {
      if (response.ok && !response.redirected && url.pathname === APP_URL) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(APP_URL, copy));
      }
      return response;
    }).catch(() => caches.open(CACHE).then((cache) => cache.match(url.pathname)
      .then((hit) => hit || cache.match(APP_URL)))));
  }
});
