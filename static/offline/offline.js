// On site and offline: installs the service worker, keeps visits logged with no connection on the phone and sends
// them when it comes back (as the user who logged them, and only then), clears the phone when a sign-in ends, and
// closes the quick search. No inline scripts (CSP: 'self').
(function () {
  "use strict";

  var script = document.getElementById("offline-script");
  var configElement = document.getElementById("offline-config");
  if (!script || !configElement) return;
  // Paths shared with the service worker, from offline/client_config.py.
  var config = JSON.parse(configElement.textContent);
  var user = script.dataset.user || "";
  // On a page for nobody: what the server says this phone must drop, given why its last sign-in ended.
  var wipe = script.dataset.offlineWipe || config.wipe.all;
  var DB_NAME = config.queueDatabase;
  var STORE = "visits";
  var PRECACHE_EVERY_MS = 10 * 60 * 1000;
  var SEND_TIMEOUT_MS = 15000;
  var LOGOUT_PATIENCE_MS = 3000;
  var LOG_FORM_PATH = new RegExp(config.logFormPattern);

  // ---- Small helpers -------------------------------------------------------------------------------------------
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; } catch (e) { return ""; }
  }

  // The promise's value, or `fallback` if it takes longer than `ms`.
  function within(ms, promise, fallback) {
    return Promise.race([promise, new Promise(function (resolve) { setTimeout(resolve, ms, fallback); })]);
  }

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  function localDateTimeValue(date) {
    var pad = function (n) { return String(n).padStart(2, "0"); };
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) + "T" +
      pad(date.getHours()) + ":" + pad(date.getMinutes());
  }

  function statusBox(kind, id) {
    var main = document.getElementById("main");
    if (!main) return null;
    var box = id && document.getElementById(id);
    if (!box) {
      box = document.createElement("div");
      if (id) box.id = id;
      box.setAttribute("role", "status");
      main.insertBefore(box, main.firstChild);
    }
    box.className = "alert alert-" + kind + " offline-status";
    return box;
  }

  // ---- The queue of visits kept on the phone (IndexedDB) --------------------------------------------------------
  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "client_key" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : undefined); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  var queue = {
    put: function (item) { return withStore("readwrite", function (store) { store.put(item); }); },
    remove: function (key) { return withStore("readwrite", function (store) { store.delete(key); }); },
    all: function () {
      if (!window.indexedDB) return Promise.resolve([]);
      return withStore("readonly", function (store) { return store.getAll(); }).then(function (items) {
        return (items || []).sort(function (a, b) { return a.saved_at < b.saved_at ? -1 : 1; });
      });
    },
  };

  // One visit to the server. States: sent, invalid (the server will never take it as it is), rejected (not now:
  // logged out, CSRF, server error) or network (no connection).
  function send(item, announce) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller && setTimeout(function () { controller.abort(); }, SEND_TIMEOUT_MS);
    return fetch(config.sync, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      signal: controller ? controller.signal : undefined,
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
      // logged_by: who logged it on the phone, so that the server can refuse it from anyone else's session.
      body: JSON.stringify({ client_key: item.client_key, customer: item.customer, data: item.data, announce: !!announce,
        logged_by: item.user }),
    }).then(function (response) {
      clearTimeout(timer);
      if (response.status === 200 || response.status === 201) {
        return response.json().then(function (body) { return { state: "sent", body: body }; });
      }
      if (response.status === 400 || response.status === 404) {
        return response.json().catch(function () { return {}; }).then(function (body) { return { state: "invalid", body: body }; });
      }
      return { state: "rejected", status: response.status };
    }, function () {
      clearTimeout(timer);
      return { state: "network" };
    });
  }

  function errorText(body) {
    var errors = (body && body.errors) || {};
    var lines = [];
    Object.keys(errors).forEach(function (field) {
      (errors[field] || []).forEach(function (error) { lines.push(error.message || String(error)); });
    });
    return lines.join(" ") || "The server did not accept it.";
  }

  var flushing = null;
  var loggingOut = false;
  function flushQueue() {
    if (!user || !navigator.onLine || !window.indexedDB) return Promise.resolve(0);
    if (flushing) return flushing;
    var sent = 0;
    flushing = queue.all().then(function (items) {
      var next = function (index) {
        var item = items[index];
        if (!item) return sent;
        if (item.user !== user || item.error) return next(index + 1);
        return send(item, false).then(function (result) {
          if (result.state === "sent") { sent += 1; return queue.remove(item.client_key).then(function () { return next(index + 1); }); }
          if (result.state === "invalid") {
            item.error = errorText(result.body);
            return queue.put(item).then(function () { return next(index + 1); });
          }
          return sent; // No connection, or not logged in: try again later.
        });
      };
      return next(0);
    }).then(function (count) {
      flushing = null;
      document.documentElement.dataset.offlineSent = String((parseInt(document.documentElement.dataset.offlineSent || "0", 10)) + count);
      return showPending(count).then(function () { return count; });
    }, function () { flushing = null; return 0; });
    return flushing;
  }

  function showPending(justSent) {
    return queue.all().then(function (all) {
      var items = all.filter(function (item) { return item.user === user; });
      // Logged by someone signed out idle on this phone: never sent as this user, kept until they sign in here.
      var others = all.filter(function (item) { return item.user !== user && !item.error; }).length;
      var waiting = items.filter(function (item) { return !item.error; });
      var failed = items.filter(function (item) { return item.error; });
      var box = document.getElementById("offline-pending");
      if (!items.length && !justSent && !others) { if (box) box.remove(); return; }
      box = statusBox(failed.length ? "warning" : (waiting.length || others ? "info" : "success"), "offline-pending");
      box.textContent = "";
      if (justSent) box.appendChild(document.createTextNode(plural(justSent, "visit", "visits") + " saved on this phone " + (justSent === 1 ? "was" : "were") + " sent. "));
      if (others) {
        box.appendChild(document.createTextNode(plural(others, "visit", "visits") + " logged on this phone by someone else " +
          (others === 1 ? "is" : "are") + " kept for them: " + (others === 1 ? "it is" : "they are") +
          " sent when they sign in here again, and lost if you log out. "));
      }
      if (waiting.length) {
        box.appendChild(document.createTextNode(plural(waiting.length, "visit is", "visits are") + " saved on this phone, waiting for a connection. "));
        var button = document.createElement("button");
        button.type = "button";
        button.className = "btn btn-sm btn-primary";
        button.textContent = "Send now";
        button.addEventListener("click", flushQueue);
        box.appendChild(button);
      }
      failed.forEach(function (item) {
        var line = document.createElement("p");
        line.className = "mb-0 mt-2";
        var link = document.createElement("a");
        link.href = item.customer_url;
        link.textContent = item.customer_name || "a customer";
        line.appendChild(document.createTextNode("A visit with "));
        line.appendChild(link);
        line.appendChild(document.createTextNode(" could not be sent: " + item.error + " Log it again from the card."));
        box.appendChild(line);
      });
    }).catch(function () {});
  }

  // ---- The log form: sent with an idempotency key, kept on the phone when there is no connection ----------------
  function formData(form) {
    var data = {};
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken" || typeof value !== "string") return;
      if (name in data) data[name] = [].concat(data[name], value); else data[name] = value;
    });
    return data;
  }

  function nativeSubmit(form) {
    var token = form.querySelector("[name=csrfmiddlewaretoken]");
    if (token && csrfToken()) token.value = csrfToken(); // a saved copy of the form may carry an old token
    form.dataset.nativeSubmit = "1";
    HTMLFormElement.prototype.submit.call(form);
  }

  function keepOnPhone(form, item) {
    return queue.put(item).then(function () {
      var box = statusBox("success", "offline-saved");
      box.textContent = "Saved on this phone — it will be sent when you are back online. ";
      var back = document.createElement("a");
      back.href = item.customer_url;
      back.className = "btn btn-primary";
      back.textContent = "Back to " + (item.customer_name || "the customer");
      box.appendChild(back);
      form.hidden = true;
      window.scrollTo(0, 0);
      return showPending(0);
    }, function () {
      var box = statusBox("danger", "offline-saved");
      box.textContent = "This phone could not keep the visit (storage is blocked). Write it down and log it later.";
    });
  }

  function initLogForm() {
    var match = LOG_FORM_PATH.exec(location.pathname);
    var form = match && document.querySelector("#main form[method=post]");
    if (!form || !form.querySelector("[name=channel]")) return;
    var customerUrl = config.card.replace(config.idPlaceholder, match[1]);
    var crumb = document.querySelector('#main a[href="' + customerUrl + '"]');
    var customerName = crumb ? crumb.textContent.trim() : "";

    if (document.documentElement.dataset.fromCache !== undefined) {
      // A saved copy: the visit happens now, and the channel asked for is in the address.
      var when = form.querySelector("[name=occurred_at]");
      if (when) when.value = localDateTimeValue(new Date());
      var channel = new URLSearchParams(location.search).get("channel");
      var radio = channel && form.querySelector('[name=channel][value="' + channel + '"]');
      if (radio) radio.checked = true;
    }

    form.addEventListener("submit", function (event) {
      if (form.dataset.nativeSubmit || event.defaultPrevented) return;
      event.preventDefault();
      if (form.dataset.sending) return;
      form.dataset.clientKey = form.dataset.clientKey || uuid();
      var item = {
        client_key: form.dataset.clientKey, customer: parseInt(match[1], 10), customer_name: customerName,
        customer_url: customerUrl, data: formData(form), saved_at: new Date().toISOString(), user: user,
      };
      if (!navigator.onLine) { keepOnPhone(form, item); return; }
      form.dataset.sending = "1";
      form.setAttribute("aria-busy", "true");
      send(item, true).then(function (result) {
        delete form.dataset.sending;
        form.removeAttribute("aria-busy");
        if (result.state === "sent") location.assign(result.body.customer_url || customerUrl);
        else if (result.state === "network") keepOnPhone(form, item);
        // Errors are shown beside the fields by the server's own page; nothing was stored, so posting is safe.
        else nativeSubmit(form);
      });
    });
  }

  // ---- A page read from the phone rather than the server --------------------------------------------------------
  function initSavedCopy() {
    var savedAt = document.documentElement.dataset.fromCache;
    if (savedAt === undefined) return;
    document.querySelectorAll("#main .messages").forEach(function (el) { el.remove(); });
    var when = savedAt ? new Date(savedAt) : null;
    var box = statusBox("secondary", "offline-copy");
    box.textContent = "No connection: this is the copy saved on this phone" +
      (when && !isNaN(when) ? " on " + when.toLocaleString([], { dateStyle: "medium", timeStyle: "short" }) : "") +
      ". It may be out of date.";
  }

  // ---- The offline page: which customers this phone has ---------------------------------------------------------
  function initSavedList() {
    var list = document.querySelector("[data-offline-saved-list]");
    if (!list || !window.caches) return;
    // The service worker keeps this list as it saves cards: [{name, card, log, savedAt}].
    caches.match(config.savedList, { cacheName: config.caches.saved }).then(function (hit) {
      return hit ? hit.json() : [];
    }).catch(function () { return []; }).then(function (saved) {
      var customers = saved.slice().sort(function (a, b) { return a.name.localeCompare(b.name); });
      list.textContent = "";
      if (!customers.length) {
        var none = document.createElement("li");
        none.className = "list-group-item text-body-secondary";
        none.textContent = "No customer is saved on this phone yet. Open a customer's card while online to keep it here.";
        list.appendChild(none);
      }
      customers.forEach(function (customer) {
        var item = document.createElement("li");
        item.className = "list-group-item p-0";
        var link = document.createElement("a");
        link.className = "d-block px-3 py-2 saved-customer";
        link.href = customer.card;
        link.textContent = customer.name;
        item.appendChild(link);
        list.appendChild(item);
      });
    });
  }

  // ---- Service worker and this week's cards ---------------------------------------------------------------------
  function initServiceWorker() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register(config.serviceWorker, { scope: "/" }).catch(function () {});
    navigator.serviceWorker.addEventListener("message", function (event) {
      var data = event.data || {};
      if (data.type === "precached") {
        document.documentElement.dataset.precached = String(data.count);
        if (data.count >= 0 && !loggingOut) localStorage.setItem("servicecrm:precached:" + user, String(Date.now()));
      }
    });
    if (!user || !navigator.onLine) return;
    var last = parseInt(localStorage.getItem("servicecrm:precached:" + user) || "0", 10);
    if (Date.now() - last < PRECACHE_EVERY_MS) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) registration.active.postMessage({ type: "precache" });
    });
  }

  // ---- Log-out clears what the phone keeps ----------------------------------------------------------------------
  // Customer pages kept on the phone (not the visits waiting to be sent).
  function clearSavedPages() {
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "clear" });
    }
    if (!window.caches) return Promise.resolve();
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) { return name.indexOf(config.caches.shell) !== 0; }).map(function (name) {
        return caches.delete(name);
      }));
    });
  }

  function clearLocalStorage() {
    Object.keys(localStorage).forEach(function (key) { if (key.indexOf("servicecrm:") === 0) localStorage.removeItem(key); });
  }

  function clearPhone() {
    var jobs = [clearSavedPages()];
    if (window.indexedDB) {
      jobs.push(new Promise(function (resolve) {
        var request = indexedDB.deleteDatabase(DB_NAME);
        request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
      }));
    }
    clearLocalStorage();
    return Promise.all(jobs).catch(function () {});
  }

  // Signed out idle: the customer pages go, the visits not yet sent wait for their author to sign in again.
  function clearPagesKeepVisits() {
    clearLocalStorage(); // when this phone last saved the week's cards: it has none now
    return clearSavedPages().catch(function () {}).then(function () {
      return window.indexedDB ? queue.all() : [];
    }).then(function (items) {
      var waiting = items.filter(function (item) { return !item.error; }).length;
      if (!waiting) return;
      var box = statusBox("info", "offline-pending");
      box.textContent = plural(waiting, "visit", "visits") + " saved on this phone will be sent when you sign in.";
    }).catch(function () {});
  }

  function initLogout() {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      // The log-out button, and any other form that signs out (data-signs-out: "sign out everywhere").
      var signsOut = new URL(form.action, location.href).pathname === config.logoutPage || form.dataset.signsOut !== undefined;
      if (!signsOut || form.dataset.nativeSubmit) return;
      event.preventDefault();
      loggingOut = true;
      // A last try to send what waits, but a slow connection must not keep anyone from logging out.
      within(LOGOUT_PATIENCE_MS, flushQueue(), 0).then(function () {
        return within(LOGOUT_PATIENCE_MS, queue.all(), []);
      }).catch(function () { return []; }).then(function (items) {
        var waiting = items.filter(function (item) { return !item.error; }).length;
        if (waiting && !window.confirm(plural(waiting, "visit", "visits") + " saved on this phone " +
            (waiting === 1 ? "has" : "have") + " not been sent yet. Log out anyway and lose " + (waiting === 1 ? "it" : "them") + "?")) {
          loggingOut = false;
          return;
        }
        var leave = function () {
          if (form.dataset.nativeSubmit) return;
          form.dataset.nativeSubmit = "1";
          HTMLFormElement.prototype.submit.call(form);
        };
        // The service worker also drops the saved pages when the log-out goes through, so a stuck clean-up can wait.
        within(LOGOUT_PATIENCE_MS, clearPhone(), null).then(leave, leave);
      });
    });
  }

  // ---- Quick search at the top of every page -------------------------------------------------------------------
  function initQuickSearch() {
    var input = document.getElementById("nav-search");
    var results = document.getElementById("nav-search-results");
    if (!input || !results) return;
    var close = function () { results.textContent = ""; };
    input.addEventListener("keydown", function (event) { if (event.key === "Escape") close(); });
    document.addEventListener("click", function (event) { if (!event.target.closest(".app-search")) close(); });
    var noConnection = function (event) {
      if (event.detail && event.detail.elt !== input) return;
      results.textContent = "";
      var note = document.createElement("p");
      note.className = "list-group-item mb-0 quick-results";
      note.textContent = "Search needs a connection. Customers saved on this phone are listed on the offline page.";
      results.appendChild(note);
    };
    document.body.addEventListener("htmx:sendError", noConnection);
  }

  function init() {
    initServiceWorker();
    initSavedCopy();
    initLogForm();
    initSavedList();
    initLogout();
    initQuickSearch();
    if (user) { showPending(0); flushQueue(); }
    // The server sent a page for nobody (the login page): whoever used this phone is signed out. Signed out here or
    // everywhere, or deactivated (or the server does not know): nothing of theirs stays on it, visits not yet sent
    // included, as the phone may be in someone else's hands. Idle too long: the customer pages go, and the visits
    // wait for their author. The server's Clear-Site-Data header does the same where the browser obeys it.
    else if (document.documentElement.dataset.fromCache === undefined && document.documentElement.dataset.offlinePage === undefined) {
      if (wipe === config.wipe.pages) clearPagesKeepVisits(); else clearPhone();
    }
  }

  window.addEventListener("online", function () { flushQueue(); });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
