// Drafts kept on this device (IndexedDB) and their sending; loaded by the pages and by the service worker.
// A draft belongs to the person who wrote it: every read filters on the user id, so another account on the
// same browser never sees it. The draft's id is its idempotency key: sent twice, it is received once.
(function (scope) {
  "use strict";
  var DB_NAME = "pwa-drafts";
  var STORE = "drafts";

  function open() {
    return new Promise(function (resolve, reject) {
      var request = scope.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var store = request.result.createObjectStore(STORE, { keyPath: "id" });
        store.createIndex("user", "user");
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function uuid() {
    if (scope.crypto && scope.crypto.randomUUID) { return scope.crypto.randomUUID(); }
    var bytes = scope.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40; bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function list(user) {
    if (!user) { return Promise.resolve([]); }
    return run("readonly", function (store) { return store.index("user").getAll(String(user)); })
      .then(function (rows) { return rows.sort(function (a, b) { return a.created < b.created ? -1 : 1; }); });
  }

  function get(user, id) {
    return run("readonly", function (store) { return store.get(id); }).then(function (draft) {
      return draft && draft.user === String(user) ? draft : null;
    });
  }

  function put(draft) { return run("readwrite", function (store) { store.put(draft); }); }

  function remove(user, id) {
    return get(user, id).then(function (draft) {
      if (draft) { return run("readwrite", function (store) { store.delete(id); }); }
    });
  }

  // Send one draft as its form would be posted, asking for the JSON answer. Resolves with the draft's new
  // state: "sent" (removed from the device), "failed" (refused: the server's messages kept on the draft),
  // or "waiting" (no connection, signed out, server trouble: tried again later).
  function send(draft, csrfToken) {
    var body = new FormData();
    draft.fields.forEach(function (pair) {
      if (pair[0] === "csrfmiddlewaretoken" && csrfToken) { return; }
      body.append(pair[0], pair[1]);
    });
    if (csrfToken) { body.append("csrfmiddlewaretoken", csrfToken); }
    (draft.files || []).forEach(function (file) { body.append(file[0], file[1], file[2]); });
    body.set("idempotency_key", draft.id);
    draft.status = "sending";
    return put(draft).then(function () {
      return scope.fetch(draft.url, {
        method: "POST", body: body, credentials: "same-origin", redirect: "manual",
        headers: { "Accept": "application/json", "X-Requested-With": "fetch", "Idempotency-Key": draft.id },
      });
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === 0) {
        return response.json().then(function (answer) {
          if (answer.ok) {
            return remove(draft.user, draft.id).then(function () { return { state: "sent", redirect: answer.redirect }; });
          }
          draft.status = "failed"; draft.errors = answer.errors || {}; draft.problem = "refused";
          return put(draft).then(function () { return { state: "failed" }; });
        });
      }
      // Redirected to the sign-in page, or a server error: keep it for later. A refusal without a form
      // (403, 404: the person may no longer reach the form) is a refusal.
      if (response.status === 403 || response.status === 404) {
        draft.status = "failed"; draft.errors = {}; draft.problem = "refused";
      } else {
        draft.status = "waiting"; draft.problem = response.type === "opaqueredirect" ? "signIn" : "serverBusy";
      }
      return put(draft).then(function () { return { state: draft.status }; });
    }, function () {
      draft.status = "waiting"; draft.problem = "";
      return put(draft).then(function () { return { state: "waiting" }; });
    });
  }

  // Send every waiting draft of the person, one after another.
  function sendAll(user, csrfToken) {
    return list(user).then(function (drafts) {
      var results = [];
      return drafts.filter(function (d) { return d.status !== "failed"; }).reduce(function (chain, draft) {
        return chain.then(function () { return send(draft, csrfToken); }).then(function (r) { results.push(r); });
      }, Promise.resolve()).then(function () { return results; });
    });
  }

  scope.PWAStore = { list: list, get: get, put: put, remove: remove, send: send, sendAll: sendAll, uuid: uuid };
}(self));
