/* HOM's own script: small behaviours that CSP forbids inline. Loaded with defer. */
(function () {
  "use strict";
  // Progress bars: width comes from data-progress (0-100), never from a style attribute.
  function paintProgress(root) {
    root.querySelectorAll("[data-progress]").forEach(function (bar) {
      bar.style.width = Math.max(0, Math.min(100, Number(bar.dataset.progress) || 0)) + "%";
    });
  }
  // Forms that ask for confirmation before a destructive action.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });
  // Selects that submit their form on change (filters), with a button kept for no-JS.
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-autosubmit]")) { event.target.form.requestSubmit(); }
  });
  document.addEventListener("DOMContentLoaded", function () { paintProgress(document); });
  document.addEventListener("htmx:afterSettle", function (event) { paintProgress(event.target); });
})();
