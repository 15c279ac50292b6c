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
