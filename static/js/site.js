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

// A table or picture wider than its box scrolls inside the box: the box takes the keyboard's focus so that
// it can be scrolled without a mouse (marked on load and when the screen changes size).
(function () {
  function markScrollable() {
    document.querySelectorAll(".table-responsive, .chart-box").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        if (!box.hasAttribute("tabindex")) { box.setAttribute("tabindex", "0"); box.dataset.scrollFocus = "1"; }
      } else if (box.dataset.scrollFocus) {
        box.removeAttribute("tabindex");
        delete box.dataset.scrollFocus;
      }
    });
  }
  document.addEventListener("DOMContentLoaded", markScrollable);
  window.addEventListener("resize", markScrollable);
}());
