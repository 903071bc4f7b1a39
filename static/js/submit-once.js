/* A convenience against double clicks: the submit buttons of a form that is sent are
   disabled until the answer comes. The protection itself is the form's one-time key
   (hom.submissions), which holds even without this script. */
(function () {
  "use strict";
  function buttons(form) {
    return form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]");
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || form.method.toLowerCase() !== "post") { return; }
    // After the browser has collected the form's data, so that the clicked button is still sent.
    window.setTimeout(function () {
      buttons(form).forEach(function (button) { button.disabled = true; });
    }, 0);
    // A page left open (back button, or an answer that never comes) gets its buttons back.
    window.setTimeout(function () {
      buttons(form).forEach(function (button) { button.disabled = false; });
    }, 10000);
  });
  // htmx forms stay on the page: their buttons come back when the answer arrives.
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target.closest && event.target.closest("form");
    if (form) { buttons(form).forEach(function (button) { button.disabled = false; }); }
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      document.querySelectorAll("form button[disabled][type=submit]").forEach(function (button) { button.disabled = false; });
    }
  });
})();
