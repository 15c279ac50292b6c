// Site behaviour, loaded from a file so the Content-Security-Policy needs no inline scripts.
document.addEventListener("DOMContentLoaded", function () {
  // Forms marked data-confirm ask before submitting (removing a member, rejecting, ...).
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });
});
