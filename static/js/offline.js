/* Offline use of HOM's pages (docs/offline.md), loaded with defer on every page.
   - Registers the service worker (hom/pwa) and, for staff, asks it to keep the pages usable offline.
   - Forms marked data-offline-form are saved in the outbox (outbox-core.js) when the device is offline
     (always, for data-offline-always): a client id and the time entered are added, nothing is posted.
   - The outbox is sent at each page load, when the network comes back, on "Send now", and by the
     worker's Background Sync; the counter says what waits; the server's refusals can be discarded.
   - Logging out warns if records wait, then deletes them and the kept pages from the device. */
(function () {
  "use strict";
  if (!window.HomOutbox) { return; }
  var Outbox = window.HomOutbox;

  function meta(name) {
    var tag = document.querySelector('meta[name="' + name + '"]');
    return tag ? tag.getAttribute("content") : "";
  }

  var user = meta("hom-user");
  var pages = meta("hom-offline-pages").split(" ").filter(Boolean);
  var sending = false;
  var lastReview = 0;
  var lastSent = 0;
  var KEPT = "hom-pages-kept";
  var KEEP_EVERY_MS = 60 * 60 * 1000;

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) { return decodeURIComponent(match[1]); }
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function text(template, n) { return template.replace("__N__", String(n)); }

  // --- The counter -----------------------------------------------------------------------------
  function render() {
    var box = document.getElementById("hom-outbox");
    if (!box || !user) { return Promise.resolve(); }
    return Outbox.list(user).then(function (items) {
      var refusedIds = items.filter(function (item) { return item.error; }).map(function (item) { return item.client_id; });
      // A visit whose registration was refused cannot be sent: it is listed with the refusals.
      var blocked = items.filter(function (item) {
        return !item.error && item.kind === "visit" && !item.migrant_id && refusedIds.indexOf(item.person) !== -1;
      });
      var waiting = items.filter(function (item) { return !item.error && blocked.indexOf(item) === -1; });
      var refused = items.filter(function (item) { return item.error || blocked.indexOf(item) !== -1; });
      window.localStorage.setItem(WAITING + "-" + user, String(items.length));
      var label = box.querySelector("[data-outbox-text]");
      var parts = [];
      if (!navigator.onLine) { parts.push(box.dataset.offline); }
      if (waiting.length) { parts.push(text(waiting.length === 1 ? box.dataset.one : box.dataset.many, waiting.length)); }
      if (sending) { parts.push(box.dataset.sending); }
      if (!waiting.length && !sending && lastSent) { parts.push(box.dataset.sent); }
      label.textContent = parts.join(" ");
      box.querySelector("[data-outbox-send]").hidden = !(waiting.length && navigator.onLine && !sending);
      var review = box.querySelector("[data-outbox-review]");
      review.hidden = !lastReview;
      if (lastReview) {
        review.textContent = text(box.dataset.review, lastReview);
        review.href = box.dataset.reviewUrl;
      }
      var list = box.querySelector("[data-outbox-refused]");
      list.innerHTML = "";
      list.hidden = !refused.length;
      refused.forEach(function (item) {
        var line = document.createElement("li");
        // A walk-in has no name: its kind, translated by the page, stands for it.
        var name = item.label || box.getAttribute("data-kind-" + item.kind) || item.kind;
        line.textContent = (item.error ? box.dataset.refused + " " + name + " — " + item.error
          : name + " — " + box.dataset.blocked) + " ";
        var discard = document.createElement("button");
        discard.type = "button";
        discard.className = "btn btn-sm btn-link p-0 align-baseline";
        discard.textContent = box.dataset.discard;
        discard.addEventListener("click", function () { Outbox.remove(item.client_id).then(render); });
        line.appendChild(discard);
        list.appendChild(line);
      });
      box.hidden = !(parts.length || refused.length || lastReview);
      box.className = "alert py-2 small " + (refused.length ? "alert-warning" : "alert-info");
    });
  }

  // --- Sending ---------------------------------------------------------------------------------
  function sync() {
    if (!user || sending || !navigator.onLine) { return Promise.resolve(); }
    sending = true;
    return render().then(function () { return Outbox.send(user, csrfToken()); }).then(function (result) {
      sending = false;
      if (result && result.review) { lastReview += result.review; }
      if (result && result.sent) { lastSent += result.sent; }
      return render();
    }, function () { sending = false; return render(); });
  }

  // --- Saving a form on the device ---------------------------------------------------------------
  function formData(form) {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.disabled || field.type === "hidden" || field.type === "submit" ||
          field.name === "person" || field.closest("[data-commune-search]")) { return; }
      if (field.type === "checkbox") {
        // A yes/no field has no value of its own ("on"); a list of choices has one per box.
        if (field.value !== "on") {
          if (!Array.isArray(data[field.name])) { data[field.name] = []; }
          if (field.checked) { data[field.name].push(field.value); }
        } else {
          data[field.name] = field.checked;
        }
      } else if (field.type === "radio") {
        if (field.checked) { data[field.name] = field.value; }
      } else if (field.tagName === "SELECT" && field.multiple) {
        data[field.name] = Array.prototype.filter.call(field.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; });
      } else if (field.value !== "") {
        data[field.name] = field.value;
      }
    });
    Object.keys(data).forEach(function (key) {
      if (Array.isArray(data[key]) && !data[key].length) { delete data[key]; }
    });
    if ("not_a_duplicate" in data) { data.confirm = data.not_a_duplicate; delete data.not_a_duplicate; }
    return data;
  }

  function saved(form, item) {
    var box = document.getElementById("hom-outbox-saved");
    if (!box) { return; }
    box.className = "alert alert-success py-2";
    box.querySelector("[data-saved-text]").textContent = box.dataset.saved;
    var link = box.querySelector("[data-saved-link]");
    link.hidden = item.kind !== "registration";
    if (item.kind === "registration") {
      link.textContent = box.dataset.visit + " (" + item.label + ")";
      link.href = box.dataset.visitUrl + "?person=" + encodeURIComponent(item.client_id);
    }
    box.hidden = false;
    box.scrollIntoView({ block: "nearest" });
  }

  function problem(message) {
    var box = document.getElementById("hom-outbox-saved");
    if (!box) { return; }
    box.className = "alert alert-danger py-2";
    box.querySelector("[data-saved-text]").textContent = message;
    box.querySelector("[data-saved-link]").hidden = true;
    box.hidden = false;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var kind = form.getAttribute && form.getAttribute("data-offline-form");
    if (!kind || !user || (navigator.onLine && !form.hasAttribute("data-offline-always"))) { return; }
    event.preventDefault();
    event.stopImmediatePropagation();
    var box = document.getElementById("hom-outbox-saved");
    if (!form.checkValidity()) {
      form.reportValidity();
      if (box) { problem(box.dataset.invalid); }
      return;
    }
    var item = {
      client_id: Outbox.uuid(), user: user, kind: kind, entered_at: new Date().toISOString(),
      data: formData(form), error: null,
    };
    if (kind === "registration") {
      item.label = [item.data.first_name, item.data.last_name].filter(Boolean).join(" ");
    }
    if (kind === "visit") {
      var person = form.querySelector("[data-offline-persons]");
      if (!person || !person.value) { if (box) { problem(box.dataset.noPerson); } return; }
      item.person = person.value;
      item.label = person.options[person.selectedIndex].textContent;
    }
    Outbox.put(item).then(function () {
      form.reset();
      saved(form, item);
      return render();
    }).then(function () {
      registerBackgroundSync();
      return sync();
    }).then(fillPersons);
  }, true);

  // The visit page's list of persons registered on this device and still waiting to be sent.
  function fillPersons() {
    var select = document.querySelector("[data-offline-persons]");
    if (!select || !user) { return; }
    return Outbox.list(user).then(function (items) {
      var wanted = new URLSearchParams(window.location.search).get("person") || select.value;
      var persons = items.filter(function (item) { return item.kind === "registration" && !item.error; });
      select.innerHTML = "";
      if (!persons.length) {
        var none = document.createElement("option");
        none.value = "";
        none.textContent = select.dataset.empty;
        select.appendChild(none);
        return;
      }
      persons.forEach(function (item) {
        var option = document.createElement("option");
        option.value = item.client_id;
        option.textContent = item.label;
        option.selected = item.client_id === wanted;
        select.appendChild(option);
      });
    });
  }

  function registerBackgroundSync() {
    if (!("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) { return registration.sync.register("hom-outbox"); }
    }).catch(function () { /* Background Sync is a bonus: the pages send too */ });
  }

  // --- Logging out --------------------------------------------------------------------------------
  // The logout form is sent at once (no waiting on IndexedDB, which would race the next page): the
  // warning reads the count the counter left in localStorage, and the page after the logout deletes
  // the user's waiting records, the kept pages and what the worker was told.
  var WAITING = "hom-outbox-waiting";
  var LOGGED_OUT = "hom-outbox-logged-out";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-offline-logout") || !user) { return; }
    var waiting = Number(window.localStorage.getItem(WAITING + "-" + user) || 0);
    var box = document.getElementById("hom-outbox");
    if (waiting && box && !window.confirm(text(box.dataset.logout, waiting))) {
      event.preventDefault();
      return;
    }
    window.localStorage.setItem(LOGGED_OUT, user);
  }, true);

  function forgetLoggedOut() {
    var gone = window.localStorage.getItem(LOGGED_OUT);
    if (!gone) { return Promise.resolve(); }
    var forget = [Outbox.clear(gone), Outbox.setMeta("user", null), Outbox.setMeta("csrf", null)];
    if (window.caches) { forget.push(window.caches.delete("hom-pages")); }
    window.localStorage.removeItem(KEPT);
    window.localStorage.removeItem(WAITING + "-" + gone);
    return Promise.all(forget).catch(function () {}).then(function () {
      window.localStorage.removeItem(LOGGED_OUT);
    });
  }

  // --- Start ------------------------------------------------------------------------------------
  function start() {
    forgetLoggedOut().then(begin);
  }

  function begin() {
    var sw = meta("hom-sw");
    if (sw && "serviceWorker" in navigator) {
      navigator.serviceWorker.register(sw, { scope: "/" }).then(function () {
        return navigator.serviceWorker.ready;
      }).then(function (registration) {
        // The pages are fetched again at most once an hour (and when another user signs in): each
        // visit of a kept page refreshes it anyway, and slow links should not pay three pages a click.
        var kept = JSON.parse(window.localStorage.getItem(KEPT) || "{}");
        var recent = kept.user === user && Date.now() - (kept.at || 0) < KEEP_EVERY_MS;
        if (!pages.length || !navigator.onLine || !registration.active) { return; }
        return window.caches.has("hom-pages").then(function (has) {
          if (has && recent) { return; }
          registration.active.postMessage({ type: "keep-pages", urls: pages });
          window.localStorage.setItem(KEPT, JSON.stringify({ user: user, at: Date.now() }));
        });
      }).catch(function () { /* no worker (private window, old browser): the pages work online */ });
      navigator.serviceWorker.addEventListener("message", function (event) {
        if (event.data && event.data.type === "sync") { sync(); }
      });
    }
    if (!user) { return; }
    Outbox.setMeta("user", user).then(function () { return Outbox.setMeta("csrf", csrfToken()); })
      .catch(function () {});
    var box = document.getElementById("hom-outbox");
    if (box) { box.querySelector("[data-outbox-send]").addEventListener("click", sync); }
    window.addEventListener("online", sync);
    window.addEventListener("offline", render);
    fillPersons();
    render().then(sync);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
