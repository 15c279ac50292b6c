// Training pages: "mark everyone present" on the attendance sheet (unmarked rows only).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-mark-all]").forEach(function (button) {
    button.addEventListener("click", function () {
      var value = button.dataset.markAll;
      document.querySelectorAll("fieldset.attendance-row").forEach(function (row) {
        if (!row.querySelector("input[type=radio]:checked")) {
          var input = row.querySelector('input[type=radio][value="' + value + '"]');
          if (input) { input.checked = true; }
        }
      });
    });
  });
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
