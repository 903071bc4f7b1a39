{% autoescape off %}/* HOM's service worker (hom/pwa, docs/offline.md). Served from /sw.js so that its scope is the site.
   - Static files of every page and the offline page: kept at install ("shell" cache, one per version).
   - The pages the apps declare usable offline (a page tells which, for its user): fetched and kept in
     the "pages" cache while online, served from it without a network. Deleted at logout.
   - Every other page: the network; without one, the offline page (never the browser's error).
   - Background Sync: sends the outbox (static/js/outbox-core.js) when the network comes back. */
"use strict";
var CONFIG = {{ config }};
var SHELL = "hom-shell-" + CONFIG.version;
var PAGES = "hom-pages";

importScripts(CONFIG.outboxCore);

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL).then(function (cache) {
    return cache.addAll(CONFIG.shell);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("hom-shell-") === 0 && name !== SHELL;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }).then(refreshKeptPages));
});

// A new version's pages name new static files: the kept pages are fetched again with it.
function refreshKeptPages() {
  return caches.has(PAGES).then(function (has) {
    if (!has) { return; }
    return caches.open(PAGES).then(function (cache) { return cache.keys(); }).then(function (requests) {
      return keepPages(requests.map(function (request) { return request.url; }));
    });
  });
}

function pageKey(url) {
  var parsed = new URL(url);
  return parsed.origin + parsed.pathname;
}

function keepable(response) {
  return response && response.ok && !response.redirected && response.type === "basic";
}

function keepPages(urls) {
  return caches.open(PAGES).then(function (cache) {
    return Promise.all(urls.map(function (url) {
      return fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
        if (keepable(response)) { return cache.put(pageKey(new URL(url, self.location).href), response); }
      }).catch(function () { /* offline: keep the copy we have */ });
    }));
  });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "keep-pages" && Array.isArray(data.urls)) {
    event.waitUntil(keepPages(data.urls));
  } else if (data.type === "forget-pages") {
    event.waitUntil(caches.delete(PAGES));
  }
});

// caches.match with a cacheName never creates the cache: after logout none is made again.
function kept(key) {
  return caches.has(PAGES).then(function (has) { return has ? caches.match(key, { cacheName: PAGES }) : undefined; });
}

function navigate(request) {
  var key = pageKey(request.url);
  return fetch(request).then(function (response) {
    // A page we keep is refreshed each time it is opened online.
    if (keepable(response)) {
      var copy = response.clone();
      kept(key).then(function (old) {
        if (old) { return caches.open(PAGES).then(function (cache) { return cache.put(key, copy); }); }
      });
    }
    return response;
  }).catch(function () {
    return kept(key).then(function (page) { return page || caches.match(CONFIG.offline); });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate") {
    event.respondWith(navigate(request));
  } else if (CONFIG.shell.indexOf(url.pathname) !== -1) {
    event.respondWith(caches.match(request).then(function (kept) { return kept || fetch(request); }));
  }
});

// Where the browser has Background Sync, the outbox is sent even if no HOM page is open.
self.addEventListener("sync", function (event) {
  if (event.tag !== "hom-outbox") { return; }
  event.waitUntil(self.clients.matchAll({ type: "window" }).then(function (clients) {
    if (clients.length) {
      clients.forEach(function (client) { client.postMessage({ type: "sync" }); });
      return;
    }
    return HomOutbox.sendAll();
  }));
});
{% endautoescape %}
