// Proposal wizard (loaded from a file: the Content-Security-Policy allows no inline scripts).
// - Rows: "Remove" takes a new row off the page and marks a saved one for removal at the next save (with an
//   undo); the plain "Delete" tick box stays for browsers without JavaScript. Rows are added by htmx.
// - Milestones: each row's activity list offers the activities on the page at once, saved or not.
// - Community: a search box above the list, grouped by city, hides the communities that do not match.
(function () {
  "use strict";

  function deleteBox(row) { return row.querySelector('input[type=checkbox][name$="-DELETE"]'); }

  function renumber(container) {
    var n = 0;
    container.querySelectorAll(":scope > [data-row]").forEach(function (row) {
      if (row.hidden) { return; }
      n += 1;
      var number = row.querySelector("[data-row-number]");
      if (number) { number.textContent = String(n); }
    });
  }

  function changed(form) { form.dispatchEvent(new Event("change", { bubbles: true })); }

  function prepareRow(row) {
    if (row.dataset.prepared) { return; }
    row.dataset.prepared = "1";
    var box = deleteBox(row);
    var button = row.querySelector("[data-remove-row]");
    if (!box || !button) { return; }
    var wrapper = box.closest(".form-check") || box.parentElement;
    wrapper.hidden = true;
    button.hidden = false;
    button.addEventListener("click", function () {
      var form = row.closest("form");
      var container = row.parentElement;
      if (!row.dataset.saved) {
        row.remove(); // never saved: the formset skips a row that is not posted
      } else {
        box.checked = true;
        row.hidden = true;
        var note = document.createElement("p");
        note.className = "small text-muted border rounded p-2 mb-2";
        note.setAttribute("data-removed-note", "");
        note.textContent = form.dataset.removedText + " ";
        var undo = document.createElement("button");
        undo.type = "button";
        undo.className = "btn btn-link btn-sm p-0 align-baseline";
        undo.textContent = form.dataset.undoText;
        undo.addEventListener("click", function () {
          box.checked = false;
          row.hidden = false;
          note.remove();
          renumber(container);
          syncActivities(form);
          changed(form);
        });
        note.appendChild(undo);
        row.insertAdjacentElement("afterend", note);
      }
      renumber(container);
      syncActivities(form);
      changed(form);
    });
  }

  // The activities a milestone may name: every activity row on the page with a title and not removed.
  function activityOptions(form) {
    var rows = form.querySelector('[data-rows="activities"]');
    if (!rows) { return null; }
    var options = [];
    rows.querySelectorAll(":scope > [data-row]").forEach(function (row) {
      var box = deleteBox(row);
      if (row.hidden || (box && box.checked)) { return; }
      var title = row.querySelector('input[name$="-title"]');
      var text = title ? title.value.trim() : "";
      if (!text) { return; }
      options.push([row.dataset.saved || "new-" + row.dataset.index, text]);
    });
    return options;
  }

  function syncActivities(form) {
    var options = activityOptions(form);
    if (options === null) { return; }
    form.querySelectorAll("select[data-activity-select]").forEach(function (select) {
      var current = select.value;
      var empty = select.options.length ? select.options[0].text : "---------";
      select.replaceChildren(new Option(empty, ""));
      options.forEach(function (pair) {
        select.appendChild(new Option(pair[1], pair[0], false, pair[0] === current));
      });
      if (!options.some(function (pair) { return pair[0] === current; })) { select.value = ""; }
    });
  }

  function prepareForm(form) {
    form.querySelectorAll("[data-row]").forEach(prepareRow);
    form.querySelectorAll("[data-rows]").forEach(renumber);
    syncActivities(form);
    form.addEventListener("input", function (event) {
      if (event.target.matches('[data-rows="activities"] input[name$="-title"]')) { syncActivities(form); }
    });
  }

  function prepareSearch(select) {
    var input = document.createElement("input");
    input.type = "search";
    input.className = "form-control mb-1";
    input.placeholder = select.dataset.search;
    input.setAttribute("aria-label", select.dataset.search);
    input.setAttribute("aria-controls", select.id);
    input.setAttribute("data-search-for", select.id);
    select.insertAdjacentElement("beforebegin", input);
    input.addEventListener("input", function () {
      var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var first = null;
      select.querySelectorAll("optgroup").forEach(function (group) {
        var shown = 0;
        group.querySelectorAll("option").forEach(function (option) {
          var text = (group.label + " " + option.text).toLowerCase();
          var match = words.every(function (w) { return text.indexOf(w) !== -1; });
          option.hidden = !match;
          if (match) { shown += 1; if (!first) { first = option; } }
        });
        group.hidden = shown === 0;
      });
      var selected = select.selectedOptions[0];
      if (first && (!selected || !selected.value || selected.hidden)) { select.value = first.value; }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-wizard-rows]").forEach(prepareForm);
    document.querySelectorAll("select[data-search]").forEach(prepareSearch);
  });

  // A row added by htmx: prepare it, number it, offer the activities, focus its first field.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || !target.matches("[data-rows]")) { return; }
    var form = target.closest("form");
    target.querySelectorAll(":scope > [data-row]").forEach(prepareRow);
    renumber(target);
    syncActivities(form);
    var rows = target.querySelectorAll(":scope > [data-row]");
    var last = rows[rows.length - 1];
    var field = last && last.querySelector("input:not([type=hidden]), select, textarea");
    if (field) { field.focus(); }
    changed(form);
  });
})();
