// The portal's service worker. Served at /sw.js by empowerment.pwa, which writes self.PWA in front of this
// file: the version (a hash of the shell files, new with each deploy that changes them), the shell files and
// the addresses of the offline page, the field kit and the drafts page.
//
// What it keeps:
// - the shell (static files and the offline page, fetched without cookies) in "pwa-<version>-shell";
// - a signed-in person's pages only when the server marked the answer with X-Offline-Cache: <user id> (the
//   three field forms, the drafts page, the field kit), in "pwa-<version>-user-<id>". Nothing else: no page
//   of an anonymous visitor, nothing of /admin/ and nothing of /staff/ but the marked field forms.
// When another person uses the browser, or on sign-out, the other person's pages are dropped. A new version
// drops every cache of the old one.
"use strict";
importScripts(self.PWA.store);

var CFG = self.PWA;
var PREFIX = "pwa-" + CFG.version + "-";
var SHELL = PREFIX + "shell";
var USER_KEY = "/__pwa/current-user";
var MARK = "X-Offline-Cache";

function userCache(id) { return PREFIX + "user-" + id; }

function currentUser() {
  return caches.open(SHELL).then(function (cache) { return cache.match(USER_KEY); })
    .then(function (response) { return response ? response.text() : ""; });
}

// Remember who uses the browser now; the pages kept for anyone else are dropped.
function setUser(id) {
  id = id ? String(id) : "";
  return caches.open(SHELL).then(function (cache) {
    return cache.put(USER_KEY, new Response(id));
  }).then(function () { return caches.keys(); }).then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("-user-") !== -1 && name !== userCache(id);
    }).map(function (name) { return caches.delete(name); }));
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL).then(function (cache) {
    // One by one: a shell file that went missing must not keep the worker from installing.
    var files = CFG.shell.map(function (url) { return cache.add(url).catch(function () { return null; }); });
    return Promise.all(files.concat([fetch(CFG.offline, { credentials: "omit" }).then(function (r) {
      return cache.put(CFG.offline, r);
    })]));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("pwa-") === 0 && name.indexOf(PREFIX) !== 0;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "user") { event.waitUntil(setUser(data.id)); }
  if (data.type === "signout") { event.waitUntil(setUser("")); }
  if (data.type === "kit") { event.waitUntil(refreshKit()); }
});

// Keep a marked answer in its person's cache; an answer no longer marked is forgotten.
function keep(request, response) {
  var owner = response.headers.get(MARK);
  var url = request.url.split("?")[0];
  if (response.ok && owner) {
    var copy = response.clone();
    return currentUser().then(function (id) {
      return (id === owner ? Promise.resolve() : setUser(owner)).then(function () {
        return caches.open(userCache(owner));
      });
    }).then(function (cache) { return cache.put(url, copy); }).then(function () { return response; });
  }
  return currentUser().then(function (id) {
    return id ? caches.open(userCache(id)).then(function (cache) { return cache.delete(url); }) : null;
  }).then(function () { return response; });
}

function fromUserCache(request) {
  return currentUser().then(function (id) {
    if (!id) { return undefined; }
    return caches.open(userCache(id)).then(function (cache) {
      return cache.match(request.url.split("?")[0]);
    });
  });
}

// The field kit, and the form pages it names fetched ahead so that they open without a connection.
function refreshKit() {
  return fetch(CFG.kit, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
    return keep(new Request(CFG.kit), response).then(function () { return response.clone().json(); });
  }).then(function (kit) {
    var forms = [].concat(kit.projects, kit.sessions, kit.organizations).map(function (item) { return item.form; });
    return forms.slice(0, CFG.prefetchLimit).reduce(function (chain, url) {
      return chain.then(function () {
        return fetch(url, { credentials: "same-origin" }).then(function (r) { return keep(new Request(url), r); })
          .catch(function () { return null; });
      });
    }, Promise.resolve());
  }).catch(function () { return null; });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf("/admin/") === 0) { return; }
  if (url.pathname.indexOf(CFG.static) === 0) {
    event.respondWith(caches.open(SHELL).then(function (cache) { return cache.match(request); })
      .then(function (hit) { return hit || fetch(request); }));
    return;
  }
  if (request.mode === "navigate" || url.pathname === CFG.kit) {
    event.respondWith(fetch(request).then(function (response) {
      return keep(request, response);
    }, function () {
      return fromUserCache(request).then(function (hit) {
        if (hit) { return hit; }
        if (request.mode !== "navigate") { return Response.error(); }
        return caches.open(SHELL).then(function (cache) { return cache.match(CFG.offline); });
      });
    }));
  }
});

// Background sync, where the browser has it: the drafts go as soon as the connection returns, even with
// the portal closed. Elsewhere the pages send them on their next visit or when the connection returns.
self.addEventListener("sync", function (event) {
  if (event.tag === "send-drafts") {
    event.waitUntil(currentUser().then(function (id) { return id ? self.PWAStore.sendAll(id, null) : null; }));
  }
});
