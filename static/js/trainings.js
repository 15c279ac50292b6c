// Attendance sheet: filter by organization or name, live counts in the bar at the bottom of the screen, and
// "mark the unmarked present" for the rows shown (the page works without it: every row is shown and saved).
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form[data-attendance]");
  if (!form) { return; }
  var rows = Array.prototype.slice.call(form.querySelectorAll("fieldset.attendance-row"));
  var groups = Array.prototype.slice.call(form.querySelectorAll("section.attendance-group"));
  var tools = form.querySelector("[data-attendance-tools]");
  var org = form.querySelector("[data-attendance-org]");
  var search = form.querySelector("[data-attendance-search]");
  var shown = form.querySelector("[data-attendance-shown]");
  var shownTemplate = form.dataset.shownText || "";

  function recount() {
    var counts = {};
    rows.forEach(function (row) {
      var checked = row.querySelector("input[type=radio]:checked");
      var key = checked ? checked.value : "";
      counts[key] = (counts[key] || 0) + 1;
      if (checked) { row.classList.remove("is-unmarked"); }
    });
    form.querySelectorAll("[data-count]").forEach(function (cell) {
      cell.textContent = (counts[cell.dataset.count] || 0).toLocaleString(document.documentElement.lang || undefined);
    });
  }

  function applyFilter() {
    var orgValue = org ? org.value : "";
    var needle = search ? search.value.trim().toLowerCase() : "";
    var visible = 0;
    groups.forEach(function (group) {
      var groupShown = 0;
      var inOrg = !orgValue || group.dataset.org === orgValue;
      group.querySelectorAll("fieldset.attendance-row").forEach(function (row) {
        var show = inOrg && (!needle || row.dataset.name.indexOf(needle) !== -1);
        row.hidden = !show;
        if (show) { groupShown += 1; }
      });
      group.hidden = groupShown === 0;
      visible += groupShown;
    });
    if (shown && shownTemplate) {
      shown.textContent = shownTemplate.replace("{shown}", visible).replace("{total}", rows.length);
    }
  }

  if (tools) { tools.hidden = false; }
  if (org) { org.addEventListener("change", applyFilter); }
  if (search) { search.addEventListener("input", applyFilter); }
  form.addEventListener("change", recount);

  form.querySelectorAll("[data-mark-all]").forEach(function (button) {
    button.addEventListener("click", function () {
      var value = button.dataset.markAll;
      rows.forEach(function (row) {
        if (row.hidden || row.querySelector("input[type=radio]:checked")) { return; }
        var input = row.querySelector('input[type=radio][value="' + value + '"]');
        if (input) { input.checked = true; }
      });
      recount();
    });
  });
  recount();
});

// Mentoring visit form: "add an action" appends a new empty row of the agreed-actions formset, numbered
// from the formset's TOTAL_FORMS counter (the server page works without it: one empty row is always there).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-add-action]").forEach(function (button) {
    var prefix = button.dataset.addAction;
    var form = button.closest("form");
    var total = form.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var max = form.querySelector('input[name="' + prefix + '-MAX_NUM_FORMS"]');
    var template = form.querySelector("template[data-action-template]");
    var rows = form.querySelector("[data-action-rows]");
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      if (max && index >= parseInt(max.value, 10)) { return; }
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var first = rows.lastElementChild && rows.lastElementChild.querySelector("input");
      if (first) { first.focus(); }
    });
  });
});
