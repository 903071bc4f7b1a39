/* The outbox on the device (docs/offline.md): records saved without a network, in IndexedDB, sent once
   through the API when the network is back. Used by the pages (static/js/offline.js) and by the service
   worker (Background Sync), so it touches neither the document nor the window.

   An item: {client_id (UUID drawn here), user (who entered it), kind ("walk_in" | "registration" |
   "visit"), entered_at (ISO time on the device), data (the API's fields), label (a registration's name,
   to choose it for a visit), person (a visit's registration: its client_id), migrant_id (the person's id
   once the registration is sent), error (the server's refusal; not sent again)}.
   The server is idempotent on client_id: an item sent twice (the answer was lost) is created once.
   Items are deleted as soon as the server has them; what stays on the device is only what waits. */
(function (scope) {
  "use strict";
  if (scope.HomOutbox) { return; }
  var DB = "hom-outbox";
  var STORE = "items";
  var META = "meta";

  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function open() {
    var req = scope.indexedDB.open(DB, 1);
    req.onupgradeneeded = function () {
      var db = req.result;
      var items = db.createObjectStore(STORE, { keyPath: "client_id" });
      items.createIndex("user", "user");
      db.createObjectStore(META);
    };
    return request(req);
  }

  function withStore(name, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(name, mode);
        var result = work(tx.objectStore(name));
        tx.oncomplete = function () { db.close(); resolve(result && result.value); };
        tx.onerror = function () { db.close(); reject(tx.error); };
        tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function list(user) {
    return open().then(function (db) {
      var tx = db.transaction(STORE, "readonly");
      return request(tx.objectStore(STORE).index("user").getAll(String(user))).then(function (items) {
        db.close();
        return items.sort(function (a, b) { return a.entered_at < b.entered_at ? -1 : a.entered_at > b.entered_at ? 1 : 0; });
      });
    });
  }

  function put(item) {
    return withStore(STORE, "readwrite", function (store) { store.put(item); });
  }

  function remove(clientId) {
    return withStore(STORE, "readwrite", function (store) { store.delete(clientId); });
  }

  function clear(user) {
    return list(user).then(function (items) {
      return withStore(STORE, "readwrite", function (store) {
        items.forEach(function (item) { store.delete(item.client_id); });
      });
    });
  }

  function setMeta(key, value) {
    return withStore(META, "readwrite", function (store) {
      if (value === null || value === undefined) { store.delete(key); } else { store.put(value, key); }
    });
  }

  function getMeta(key) {
    return open().then(function (db) {
      return request(db.transaction(META, "readonly").objectStore(META).get(key)).then(function (value) {
        db.close();
        return value;
      });
    });
  }

  function uuid() {
    if (scope.crypto && scope.crypto.randomUUID) { return scope.crypto.randomUUID(); }
    var bytes = scope.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function endpoint(item) {
    if (item.kind === "walk_in") { return "/api/v1/walk-ins/"; }
    if (item.kind === "registration") { return "/api/v1/migrants/"; }
    return "/api/v1/migrants/" + item.migrant_id + "/visits/";
  }

  function body(item) {
    var data = Object.assign({}, item.data, { client_id: item.client_id, entered_at: item.entered_at });
    if (item.kind === "registration") { data.on_duplicate = "review"; }
    return JSON.stringify(data);
  }

  function refusal(payload) {
    if (!payload) { return "?"; }
    if (payload.detail) { return String(payload.detail); }
    var parts = [];
    Object.keys(payload.errors || payload).forEach(function (key) {
      var value = (payload.errors || payload)[key];
      parts.push(key + " : " + (Array.isArray(value) ? value.join(" ") : JSON.stringify(value)));
    });
    return parts.join(" ; ");
  }

  // Sends one item; resolves to "sent", "review", "refused", "waiting" (its registration is not sent
  // yet or was refused) or "stop" (no network, signed out, server trouble: try again later).
  function sendOne(item, csrf) {
    if (item.error) { return Promise.resolve("refused"); }
    if (item.kind === "visit" && !item.migrant_id) { return Promise.resolve("waiting"); }
    return fetch(endpoint(item), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf || "" },
      body: body(item),
    }).then(function (response) {
      if (response.status === 200 || response.status === 201) {
        return response.json().then(function (saved) {
          return afterSent(item, saved).then(function () {
            return saved.review ? "review" : "sent";
          });
        });
      }
      if (response.status === 400 || response.status === 404 || response.status === 409) {
        return response.json().catch(function () { return null; }).then(function (payload) {
          item.error = refusal(payload);
          return put(item).then(function () { return "refused"; });
        });
      }
      return "stop";
    }, function () { return "stop"; });
  }

  // The server has it: the visits waiting for this registration learn the person's id, then it goes.
  function afterSent(item, saved) {
    var update = Promise.resolve();
    if (item.kind === "registration") {
      update = list(item.user).then(function (items) {
        return Promise.all(items.filter(function (other) {
          return other.kind === "visit" && other.person === item.client_id;
        }).map(function (visit) {
          visit.migrant_id = saved.id;
          return put(visit);
        }));
      });
    }
    return update.then(function () { return remove(item.client_id); });
  }

  function sendItems(user, csrf) {
    var result = { sent: 0, review: 0, refused: 0, waiting: 0, stopped: false };
    return list(user).then(function (items) {
      var chain = Promise.resolve();
      items.forEach(function (item) {
        chain = chain.then(function () {
          if (result.stopped) { return; }
          // A visit may have learnt its person's id from the registration just sent.
          return list(user).then(function (fresh) {
            var current = fresh.filter(function (other) { return other.client_id === item.client_id; })[0];
            if (!current) { return; }
            return sendOne(current, csrf).then(function (outcome) {
              if (outcome === "stop") { result.stopped = true; } else { result[outcome] += 1; }
              if (outcome === "review") { result.sent += 1; }
            });
          });
        });
      });
      return chain.then(function () { return result; });
    });
  }

  // One sender at a time per device (pages and the worker share the lock where the browser has it).
  function send(user, csrf) {
    var locks = scope.navigator && scope.navigator.locks;
    if (locks && locks.request) {
      return locks.request("hom-outbox", function () { return sendItems(user, csrf); });
    }
    return sendItems(user, csrf);
  }

  // For the service worker: the user and the CSRF token the last page left (cleared at logout).
  function sendAll() {
    return Promise.all([getMeta("user"), getMeta("csrf")]).then(function (values) {
      if (!values[0]) { return null; }
      return send(values[0], values[1]);
    });
  }

  scope.HomOutbox = {
    uuid: uuid, list: list, put: put, remove: remove, clear: clear, send: send, sendAll: sendAll,
    setMeta: setMeta, getMeta: getMeta,
  };
})(typeof self !== "undefined" ? self : window);
