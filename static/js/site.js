// Site behaviour, loaded from a file so the Content-Security-Policy needs no inline scripts.
document.addEventListener("DOMContentLoaded", function () {
  // Forms marked data-confirm ask before submitting (removing a member, rejecting, ...).
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });
});

// A picture marked data-closed-on-phone (the fund flow) starts folded on a phone, below its tables: one tap
// on its summary opens it. Without scripts it is simply open.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.matchMedia("(max-width: 575.98px)").matches) { return; }
  document.querySelectorAll("details[data-closed-on-phone]").forEach(function (details) {
    details.removeAttribute("open");
  });
});
