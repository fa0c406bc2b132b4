/* ServiceCRM service worker. Served from /sw.js by offline.views.service_worker, which puts self.SW_CONFIG
 * above this source: asset URLs, a version that changes with them, and the paths it shares with offline.js
 * (offline/client_config.py), so that no path or pattern is spelled here.
 *
 * What it keeps on the phone:
 *  - the shell (CSS, JS, icons, the offline page), cache-first, renewed with each version;
 *  - customer cards, their log forms and Today, network-first: every successful view refreshes the copy, and
 *    the copy is used when there is no connection or the network is slower than SLOW_NETWORK_MS;
 *  - the cards of the customers the user has follow-ups with this week, when a page asks ("precache");
 *  - the list of the customers whose card is saved (name, card, log form, when saved), which the offline page shows.
 * Everything it keeps about customers is wiped whenever the server answers with the login page or refuses the
 * precache for want of a sign-in (signed out here or everywhere, idle too long, account deactivated). The visits
 * waiting to be sent (IndexedDB) are not its to drop there: it cannot tell why the sign-in ended, and after an idle
 * sign-out they must wait for their author. The page script drops them when the server says the sign-in ended for
 * good; the server's Clear-Site-Data does the same where the browser obeys it. Only a log-out, whose reason it sees,
 * makes the worker drop them too.
 */
"use strict";

var CONFIG = self.SW_CONFIG;
var SHELL_CACHE = CONFIG.caches.shell + CONFIG.version;
var PAGES_CACHE = CONFIG.caches.pages;
var SAVED_CACHE = CONFIG.caches.saved;
var PAGE_LIMIT = 80;
var SLOW_NETWORK_MS = 4000;
var CARD_PATH = new RegExp(CONFIG.cardPattern);
var LOG_FORM_PATH = new RegExp(CONFIG.logFormPattern);

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL_CACHE).then(function (cache) {
      // One by one: a single missing asset must not stop the worker from installing.
      return Promise.all(CONFIG.shell.map(function (url) {
        return cache.add(new Request(url, { credentials: "same-origin" })).catch(function () {});
      }));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf(CONFIG.caches.shell) === 0 && name !== SHELL_CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function isPagePath(path) {
  return CARD_PATH.test(path) || LOG_FORM_PATH.test(path) || path === CONFIG.today;
}

function landedOnLogin(response) {
  return response && new URL(response.url || self.location.href).pathname === CONFIG.loginPage;
}

// Bumped whenever customer data is dropped: a page fetched before that must not be stored after it.
var generation = 0;

function clearPages() {
  generation += 1;
  return Promise.all([caches.delete(PAGES_CACHE), caches.delete(SAVED_CACHE)]);
}

// Nobody is signed in on this phone any more: no customer page stays on it (a lost phone).
function dropPages() {
  return clearPages().catch(function () {});
}

// The user logs out on this phone and has agreed to lose the visits not yet sent (offline.js asked).
function dropQueue() {
  return new Promise(function (resolve) {
    if (!self.indexedDB) { resolve(); return; }
    var request = indexedDB.deleteDatabase(CONFIG.queueDatabase);
    request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
  });
}

// A background request answered as for nobody: redirected to the login page (not followed), or 401.
function refusedForNobody(response) {
  return response.type === "opaqueredirect" || response.status === 401;
}

function withId(template, id) {
  return template.replace(CONFIG.idPlaceholder, id);
}

// ---- The list of saved customers: [{name, card, log, savedAt}], one JSON entry that only this worker writes ----
function readList() {
  return caches.match(CONFIG.savedList, { cacheName: SAVED_CACHE }).then(function (hit) {
    return hit ? hit.json() : [];
  }).catch(function () { return []; });
}

// Changes run one after another, so that two pages saved at once do not overwrite each other's entry.
var listChanges = Promise.resolve();

function changeList(started, change) {
  listChanges = listChanges.then(function () {
    if (started !== generation) return;
    return readList().then(function (customers) {
      var changed = change(customers);
      if (started !== generation) return;
      return caches.open(SAVED_CACHE).then(function (cache) {
        return cache.put(CONFIG.savedList, new Response(JSON.stringify(changed), {
          headers: { "Content-Type": "application/json" },
        }));
      });
    });
  }).catch(function () {});
  return listChanges;
}

function remember(customer, started) {
  return changeList(started, function (customers) {
    var others = customers.filter(function (other) { return other.card !== customer.card; });
    return others.concat([{ name: customer.name, card: customer.card, log: customer.log, savedAt: new Date().toISOString() }]);
  });
}

function forget(cards) {
  return changeList(generation, function (customers) {
    return customers.filter(function (customer) { return cards.indexOf(customer.card) === -1; });
  });
}

function getJson(url) {
  return fetch(url, { credentials: "same-origin", redirect: "manual", headers: { Accept: "application/json" } })
    .then(function (response) {
      if (refusedForNobody(response)) return dropPages().then(function () { return null; });
      return response.ok ? response.json() : null;
    });
}

// A card viewed online, listed under the name the server gives now (the customer may have been renamed).
function listCard(customerId, started) {
  return getJson(withId(CONFIG.savedCustomer, customerId)).then(function (customer) {
    if (customer) return remember(customer, started);
  }).catch(function () {});
}

function trim(cache) {
  return cache.keys().then(function (keys) {
    var extra = keys.slice(0, Math.max(0, keys.length - PAGE_LIMIT));
    return Promise.all(extra.map(function (key) { return cache.delete(key); })).then(function () {
      var cards = extra.map(function (key) { return new URL(key.url).pathname; }).filter(function (path) {
        return CARD_PATH.test(path);
      });
      if (cards.length) return forget(cards);
    });
  });
}

// Stores a page under its path without the query, stamped with when it was saved.
function storePage(key, response, started) {
  return response.blob().then(function (body) {
    if (started !== generation) return;
    var headers = new Headers(response.headers);
    headers.set("X-Saved-At", new Date().toISOString());
    var copy = new Response(body, { status: response.status, statusText: response.statusText, headers: headers });
    return caches.open(PAGES_CACHE).then(function (cache) {
      // Delete first so that the key moves to the end: the oldest entries are trimmed first.
      return cache.delete(key).then(function () { return cache.put(key, copy); }).then(function () { return trim(cache); });
    });
  });
}

function fetchAndStore(path) {
  var key = self.location.origin + path;
  var started = generation;
  // The header tells customers.views.customer_detail that this is no visit to the card (not the "last customer").
  return fetch(key, { credentials: "same-origin", headers: { "X-Offline-Precache": "1" } }).then(function (response) {
    if (landedOnLogin(response)) return dropPages().then(function () { return false; });
    if (!response.ok || response.redirected) return false;
    return storePage(key, response, started).then(function () { return true; });
  }).catch(function () { return false; });
}

// The log form of a card just viewed, if the phone does not have it yet: enough to log a visit offline.
function ensureLogForm(customerId) {
  var path = withId(CONFIG.logForm, customerId);
  return caches.open(PAGES_CACHE).then(function (cache) {
    return cache.match(self.location.origin + path).then(function (hit) { return hit || fetchAndStore(path); });
  });
}

// A saved page, marked so that offline.js can say it is a saved copy.
function fromCache(response) {
  var savedAt = response.headers.get("X-Saved-At") || "";
  return response.text().then(function (html) {
    return new Response(html.replace("<html", '<html data-from-cache="' + savedAt + '"'), {
      status: 200, headers: { "Content-Type": "text/html; charset=utf-8" },
    });
  });
}

function offlinePage() {
  return caches.match(CONFIG.offlinePage).then(function (hit) {
    return hit || new Response("No connection, and this page is not saved on this phone.", {
      status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  });
}

function networkFirst(event, url) {
  var key = url.origin + url.pathname;
  var card = CARD_PATH.exec(url.pathname);
  var started = generation;
  var network = fetch(event.request).then(function (response) {
    if (landedOnLogin(response)) return dropPages().then(function () { return response; });
    if (response.ok && !response.redirected && response.type === "basic") {
      var saving = storePage(key, response.clone(), started);
      if (card) {
        saving = saving.then(function () {
          return Promise.all([listCard(card[1], started), ensureLogForm(card[1])]);
        });
      }
      event.waitUntil(saving.catch(function () {}));
    }
    return response;
  });
  // Keep the worker alive until the page is saved, even when the saved copy answered first.
  event.waitUntil(network.catch(function () {}));
  return caches.open(PAGES_CACHE).then(function (cache) {
    return cache.match(key, { ignoreSearch: true });
  }).then(function (hit) {
    if (!hit) return network.catch(offlinePage);
    var slow = new Promise(function (resolve) { setTimeout(resolve, SLOW_NETWORK_MS, null); });
    return Promise.race([network.catch(function () { return null; }), slow]).then(function (response) {
      return response || fromCache(hit);
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && request.mode === "navigate" && url.pathname === CONFIG.logoutPage) {
    // Logging out drops what the phone keeps, whatever the page's script did. The browser sends the log-out
    // itself (no respondWith): the worker only cleans up beside it.
    event.waitUntil(Promise.all([clearPages(), dropQueue()]).catch(function () {}));
    return;
  }
  if (request.method !== "GET") return;

  if (request.mode === "navigate" && isPagePath(url.pathname)) {
    event.respondWith(networkFirst(event, url));
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).then(function (response) {
      if (landedOnLogin(response)) return dropPages().then(function () { return response; });
      return response;
    }).catch(offlinePage));
  } else if (CONFIG.shell.indexOf(url.pathname) !== -1) {
    event.respondWith(caches.match(request, { ignoreSearch: true }).then(function (hit) {
      return hit || fetch(request);
    }));
  }
});

// Cards of this week's follow-ups, asked for by a page (offline.js) now and then while online.
function precache() {
  var started = generation;
  return getJson(CONFIG.precache)
    .then(function (body) {
      return Promise.all(((body && body.customers) || []).map(function (customer) {
        return fetchAndStore(customer.card).then(function (saved) {
          return fetchAndStore(customer.log).then(function () {
            return saved && remember(customer, started).then(function () { return true; });
          });
        });
      }));
    })
    .then(function (results) { return results.filter(Boolean).length; })
    .catch(function () { return -1; });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var reply = function (message) { if (event.source) event.source.postMessage(message); };
  if (data.type === "precache") {
    event.waitUntil(precache().then(function (count) { reply({ type: "precached", count: count }); }));
  } else if (data.type === "clear") {
    event.waitUntil(clearPages().then(function () { reply({ type: "cleared" }); }));
  }
});
