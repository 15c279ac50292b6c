// The offline portal in the page: registers the service worker, keeps the field kit fresh, saves a field
// form as a draft on this device when there is no connection (photos made smaller and stripped of their
// metadata by drawing them again on a canvas), sends the drafts when the connection returns (or with
// "Send now"), reopens a refused draft with the server's messages at its fields, shows the drafts badge
// and list, and warns on sign-out when drafts wait. Drafts live in IndexedDB (static/pwa/store.js).
(function () {
  "use strict";
  var script = document.currentScript;
  var SW_URL = script.dataset.sw;
  var KIT_URL = script.dataset.kit;
  var DRAFTS_URL = script.dataset.drafts;
  var MAX_SIDE = 1600;
  var KIT_EVERY_MS = 10 * 60 * 1000;
  var store = window.PWAStore;
  var userMeta = document.querySelector('meta[name="pwa-user"]');
  var user = userMeta ? userMeta.content : "";
  var T = {};
  try { T = JSON.parse(document.getElementById("pwa-strings").textContent); } catch (e) { T = {}; }

  function t(name, values) {
    var text = T[name] || name;
    Object.keys(values || {}).forEach(function (k) { text = text.split("{" + k + "}").join(values[k]); });
    return text;
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : null;
  }

  function when(iso) {
    try { return new Date(iso).toLocaleString(document.documentElement.lang || undefined); } catch (e) { return iso; }
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  // Service worker ------------------------------------------------------------------------------------
  var workerReady = null;
  function tellWorker(message) {
    if (!workerReady) { return Promise.resolve(); }
    return workerReady.then(function (reg) {
      var worker = reg.active || navigator.serviceWorker.controller;
      if (worker) { worker.postMessage(message); }
      return reg;
    });
  }

  if ("serviceWorker" in navigator && SW_URL) {
    workerReady = navigator.serviceWorker.register(SW_URL, { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    });
    workerReady.catch(function () { workerReady = null; });
    tellWorker({ type: "user", id: user });
  }

  function refreshKit(force) {
    if (!user || !navigator.onLine) { return; }
    var key = "pwa-kit-" + user;
    var last = Number(window.localStorage.getItem(key) || 0);
    if (!force && Date.now() - last < KIT_EVERY_MS) { return; }
    window.localStorage.setItem(key, String(Date.now()));
    tellWorker({ type: "kit" });
  }

  function readKit() {
    return fetch(KIT_URL, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok && (r.headers.get("Content-Type") || "").indexOf("json") !== -1 ? r.json() : null; })
      .catch(function () { return null; });
  }

  function whoAmI() {
    if (user) { return Promise.resolve(user); }
    // The offline page is kept without cookies: the person is the one the kept field kit belongs to.
    return readKit().then(function (kit) { return kit ? String(kit.user) : ""; });
  }

  // Badge and list --------------------------------------------------------------------------------------
  function refreshViews() {
    return whoAmI().then(function (who) {
      return store.list(who).then(function (drafts) { showBadge(drafts); showList(drafts, who); });
    });
  }

  function showBadge(drafts) {
    var badge = document.querySelector("[data-drafts-badge]");
    if (!badge) { return; }
    var failed = drafts.filter(function (d) { return d.status === "failed"; }).length;
    var waiting = drafts.length - failed;
    badge.textContent = t("badge", { waiting: waiting, failed: failed });
    badge.hidden = drafts.length === 0;
    badge.classList.toggle("btn-danger", failed > 0);
    badge.classList.toggle("btn-warning", failed === 0);
  }

  function showList(drafts, who) {
    var box = document.querySelector("[data-drafts-list]");
    if (!box || !who) { return; }
    var items = box.querySelector("[data-drafts-items]");
    items.textContent = "";
    box.hidden = drafts.length === 0 && !box.hasAttribute("data-drafts-always");
    if (!drafts.length) { items.appendChild(el("li", { "class": "list-group-item text-muted" }, t("none"))); }
    drafts.forEach(function (draft) {
      var li = el("li", { "class": "list-group-item d-flex flex-wrap gap-2 align-items-center", "data-draft": draft.id });
      var label = el("div", { "class": "flex-grow-1" });
      label.appendChild(el("div", { "class": "fw-semibold" }, draft.title));
      var status = draft.status === "failed" ? t("failed") : (draft.status === "sending" ? t("sending") : t("waiting"));
      var line = el("div", { "class": "small" });
      line.appendChild(el("span", { "class": "badge " + (draft.status === "failed" ? "text-bg-danger" : "text-bg-warning"), "data-draft-status": draft.status }, status));
      line.appendChild(document.createTextNode(" " + t("savedAt", { time: when(draft.updated) })));
      label.appendChild(line);
      if (draft.problem) { label.appendChild(el("div", { "class": "small text-danger", "data-draft-problem": "" }, t(draft.problem))); }
      li.appendChild(label);
      var open = el("a", { "class": "btn btn-sm btn-outline-primary", href: draft.url + "?draft=" + encodeURIComponent(draft.id) }, t("open"));
      var remove = el("button", { "class": "btn btn-sm btn-outline-danger", type: "button" }, t("delete"));
      remove.addEventListener("click", function () {
        if (window.confirm(t("confirmDelete"))) { store.remove(who, draft.id).then(refreshViews); }
      });
      li.appendChild(open); li.appendChild(remove);
      items.appendChild(li);
    });
  }

  // Sending ---------------------------------------------------------------------------------------------
  var sending = null;
  function sendWaiting() {
    if (!user || sending) { return sending || Promise.resolve([]); }
    var note = document.querySelector("[data-drafts-status]");
    sending = store.sendAll(user, csrfToken()).then(function (results) {
      var sent = results.filter(function (r) { return r.state === "sent"; }).length;
      if (note && results.length) {
        note.textContent = sent ? t("sentOne") + " (" + sent + ")" : "";
      }
      return results;
    }).catch(function () { return []; }).then(function (results) {
      sending = null;
      return refreshViews().then(function () { return results; });
    });
    return sending;
  }

  function askForSync() {
    if (!workerReady) { return; }
    workerReady.then(function (reg) {
      if (reg.sync) { return reg.sync.register("send-drafts"); }
    }).catch(function () { return null; });
  }

  // Photos: at most MAX_SIDE pixels, drawn again on a canvas, which leaves the camera's metadata (place,
  // time, device) behind; stored as a JPEG Blob.
  // createImageBitmap decodes the file without a blob: address, which the Content-Security-Policy refuses.
  function shrinkPhoto(file) {
    if (!window.createImageBitmap) { return Promise.resolve(null); }
    return window.createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      if (bitmap.close) { bitmap.close(); }
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) { resolve(blob); }, "image/jpeg", 0.85);
      });
    }).catch(function () { return null; });
  }

  function draftFromForm(form, submitter, previous) {
    var data = new FormData(form);
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    var fields = [];
    var files = [];
    var work = [];
    data.forEach(function (value, name) {
      if (name === "idempotency_key") { return; }
      if (typeof value === "string") { fields.push([name, value]); return; }
      if (!value || !value.size) { return; }
      if (value.type && value.type.indexOf("image/") === 0) {
        work.push(shrinkPhoto(value).then(function (blob) {
          // A file the browser cannot draw goes as it is: the server checks it and says what is wrong.
          if (blob) { files.push([name, blob, value.name.replace(/\.[^.]*$/, "") + ".jpg"]); }
          else { files.push([name, value, value.name]); }
        }));
      } else {
        files.push([name, value, value.name]);
      }
    });
    return Promise.all(work).then(function () {
      var now = new Date().toISOString();
      var heading = document.querySelector("main h1");
      return {
        id: previous ? previous.id : store.uuid(),
        user: String(user),
        kind: form.dataset.offlineForm,
        url: window.location.pathname,
        title: (heading ? heading.textContent.trim() : document.title).slice(0, 200),
        fields: fields,
        // A reopened draft keeps its photos unless new ones were chosen.
        files: files.length || !previous ? files : (previous.files || []),
        status: "waiting",
        errors: {},
        problem: "",
        created: previous ? previous.created : now,
        updated: now,
      };
    });
  }

  function notice(form, text, kind) {
    var box = form.querySelector("[data-pwa-notice]");
    if (!box) {
      box = el("div", { "class": "alert", role: "status", "data-pwa-notice": "" });
      form.insertBefore(box, form.firstChild);
    }
    box.className = "alert alert-" + (kind || "info");
    box.textContent = text;
    box.scrollIntoView({ block: "nearest" });
  }

  // The server's messages, at their fields (and the form-wide ones at the top).
  function showErrors(form, errors) {
    form.querySelectorAll("[data-pwa-error]").forEach(function (n) { n.remove(); });
    Object.keys(errors || {}).forEach(function (name) {
      var messages = errors[name];
      var field = name === "__all__" ? null : form.querySelector('[name="' + CSS.escape(name) + '"]');
      var box = el("div", { "class": field ? "invalid-feedback d-block" : "alert alert-danger", "data-pwa-error": name });
      box.textContent = messages.join(" ");
      if (field) {
        field.classList.add("is-invalid");
        var holder = field.closest(".mb-3, fieldset, .form-check") || field.parentNode;
        holder.appendChild(box);
      } else {
        form.insertBefore(box, form.firstChild);
      }
    });
  }

  function fillForm(form, draft) {
    var seen = {};
    draft.fields.forEach(function (pair) {
      var name = pair[0]; var value = pair[1];
      if (name === "csrfmiddlewaretoken") { return; }
      var inputs = form.querySelectorAll('[name="' + CSS.escape(name) + '"]');
      inputs.forEach(function (input) {
        if (input.type === "radio") { input.checked = input.value === value; }
        else if (input.type === "checkbox") { if (!seen[name]) { input.checked = false; } if (input.value === value || value === "on") { input.checked = true; } }
        else if (input.type === "file" || input.type === "submit") { return; }
        else if (input.multiple && input.options) {
          Array.prototype.forEach.call(input.options, function (o) { if (o.value === value) { o.selected = true; } });
        } else { input.value = value; }
      });
      seen[name] = true;
    });
    if (draft.files && draft.files.length) {
      var kept = el("p", { "class": "small text-muted", "data-pwa-photos": "" }, t("photosKept", { n: draft.files.length }));
      var fileInput = form.querySelector('input[type="file"]');
      if (fileInput) { fileInput.parentNode.appendChild(kept); }
    }
    showErrors(form, draft.errors);
    if (draft.status === "failed") { notice(form, t("refused"), "danger"); }
  }

  function enhanceForm(form) {
    var params = new URLSearchParams(window.location.search);
    var draftId = params.get("draft");
    var current = null;
    var key = form.querySelector('input[name="idempotency_key"]');
    if (!key) {
      key = el("input", { type: "hidden", name: "idempotency_key" });
      form.appendChild(key);
    }
    key.value = store.uuid();
    var loading = draftId && user ? store.get(user, draftId).then(function (draft) {
      if (draft) { current = draft; key.value = draft.id; fillForm(form, draft); }
    }) : Promise.resolve();
    if (!navigator.onLine) {
      readKit().then(function (kit) {
        if (kit) { notice(form, t("offlineAsOf", { time: when(kit.fetched_at) }), "warning"); }
      });
    }
    form.addEventListener("submit", function (event) {
      // Online, a fresh form is posted as always (with its key). A reopened draft, or any form without a
      // connection, goes through the drafts.
      if (navigator.onLine && !current) { return; }
      event.preventDefault();
      var submitter = event.submitter;
      loading.then(function () {
        return draftFromForm(form, submitter, current);
      }).then(function (draft) {
        current = draft;
        return store.put(draft).then(function () { return draft; });
      }).then(function (draft) {
        refreshViews();
        if (!navigator.onLine) {
          askForSync();
          notice(form, t("saved"), "warning");
          return;
        }
        return store.send(draft, csrfToken()).then(function (result) {
          if (result.state === "sent") { window.location.assign(result.redirect || DRAFTS_URL); return; }
          return store.get(user, draft.id).then(function (saved) {
            current = saved || draft;
            if (result.state === "failed") { showErrors(form, current.errors); notice(form, t("refused"), "danger"); }
            else { notice(form, t(current.problem || "saved"), "warning"); }
            refreshViews();
          });
        });
      });
    });
  }

  // The field kit as a list of forms ready for use without a connection.
  function showKit() {
    var box = document.querySelector("[data-field-kit]");
    if (!box) { return; }
    readKit().then(function (kit) {
      var asOf = box.querySelector("[data-kit-as-of]");
      var items = box.querySelector("[data-kit-items]");
      box.hidden = false;
      if (!kit) { asOf.textContent = t("noKit"); return; }
      asOf.textContent = t("kitAsOf", { time: when(kit.fetched_at) });
      items.textContent = "";
      [["projects", "title"], ["sessions", "title"], ["organizations", "name"]].forEach(function (part) {
        var rows = kit[part[0]] || [];
        if (!rows.length) { return; }
        items.appendChild(el("h3", { "class": "h6 mt-2" }, t(part[0])));
        var list = el("div", { "class": "list-group mb-2" });
        rows.forEach(function (row) {
          var extra = row.periods && row.periods.length ? " · " + row.periods[0].start + " – " + row.periods[0].end : "";
          list.appendChild(el("a", { "class": "list-group-item list-group-item-action", href: row.form }, row[part[1]] + extra));
        });
        items.appendChild(list);
      });
    });
  }

  // Sign-out: warn when drafts wait; then the worker forgets this person's pages.
  function guardSignOut() {
    document.querySelectorAll('form[action$="/accounts/logout/"]').forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.dataset.pwaConfirmed) { tellWorker({ type: "signout" }); return; }
        event.preventDefault();
        store.list(user).then(function (drafts) {
          if (drafts.length && !window.confirm(t("signOutWarning", { n: drafts.length }))) { return; }
          form.dataset.pwaConfirmed = "1";
          return tellWorker({ type: "signout" }).then(function () { form.requestSubmit(); });
        }).catch(function () { form.dataset.pwaConfirmed = "1"; form.requestSubmit(); });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!store || !window.indexedDB) { return; }
    document.querySelectorAll("form[data-offline-form]").forEach(enhanceForm);
    document.querySelectorAll("[data-drafts-send]").forEach(function (button) {
      button.addEventListener("click", function () { sendWaiting(); });
    });
    guardSignOut();
    refreshViews();
    showKit();
    if (user && navigator.onLine) { refreshKit(false); sendWaiting(); }
  });
  window.addEventListener("online", function () { refreshKit(true); sendWaiting(); });
}());
