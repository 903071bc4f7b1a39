/* Uploads on a slow link (issue 19). A file input rendered by hom.uploads.UploadInput carries
   its limits: data-max-bytes, accept, and the messages to show (data-too-big, data-wrong-type).
   1. A chosen file over the limit or of a refused type is refused here, before a byte is sent:
      the message shows under the field and the form is not submitted.
   2. A form with a file is sent by XMLHttpRequest with a progress bar; the answer replaces the
      page as a normal submission would (a redirect is followed, a page with errors is shown).
   The server checks everything again (hom.uploads.check_upload); without this script the form
   works as before. */
(function () {
  "use strict";
  var SELECTOR = "input[type=file][data-max-bytes]";

  function extensionAllowed(input, file) {
    var accept = (input.getAttribute("accept") || "").toLowerCase().split(",").map(function (s) { return s.trim(); })
      .filter(function (s) { return s.charAt(0) === "."; });
    if (!accept.length) { return true; }
    var name = file.name.toLowerCase();
    return accept.some(function (extension) { return name.slice(-extension.length) === extension; });
  }

  function feedback(input) {
    var id = input.id + "-client-error";
    var element = document.getElementById(id);
    if (!element) {
      element = document.createElement("div");
      element.id = id;
      element.className = "invalid-feedback d-block";
      element.setAttribute("role", "alert");
      element.setAttribute("data-testid", "upload-error");
      input.insertAdjacentElement("afterend", element);
      input.setAttribute("aria-describedby", ((input.getAttribute("aria-describedby") || "") + " " + id).trim());
    }
    return element;
  }

  function problem(input) {
    var max = parseInt(input.getAttribute("data-max-bytes"), 10);
    for (var i = 0; i < input.files.length; i++) {
      var file = input.files[i];
      if (max && file.size > max) { return input.getAttribute("data-too-big"); }
      if (!extensionAllowed(input, file)) { return input.getAttribute("data-wrong-type"); }
    }
    return "";
  }

  function check(input) {
    var message = problem(input);
    input.setCustomValidity(message);
    input.classList.toggle("is-invalid", Boolean(message));
    if (message || document.getElementById(input.id + "-client-error")) { feedback(input).textContent = message; }
    return !message;
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches(SELECTOR)) { check(event.target); }
  });

  function showProgress(form, label) {
    var bar = form.querySelector("progress[data-upload-progress]");
    if (!bar) {
      bar = document.createElement("progress");
      bar.max = 100;
      bar.value = 0;
      bar.className = "w-100 mt-2";
      bar.setAttribute("data-upload-progress", "");
      bar.setAttribute("aria-label", label);
      form.appendChild(bar);
    }
    return bar;
  }

  function replacePage(xhr) {
    // The answer is shown as the browser would have shown it: after a redirect, the page it led
    // to (already fetched, with its one-time messages) under its own address.
    var url = xhr.responseURL;
    document.open();
    document.write(xhr.responseText);
    document.close();
    if (url && url !== window.location.href) { window.history.replaceState(null, "", url); }
  }

  // Capture phase: before submit-once.js, which leaves a prevented submission alone.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var inputs = Array.prototype.slice.call(form.querySelectorAll(SELECTOR));
    if (!inputs.length) { return; }
    var ok = inputs.map(check).every(Boolean);
    if (!ok) {
      event.preventDefault();
      event.stopImmediatePropagation();
      inputs.filter(function (input) { return !input.checkValidity(); })[0].focus();
      return;
    }
    // htmx forms send themselves; without a file there is nothing to follow.
    if (form.hasAttribute("hx-post") || !window.FormData || !inputs.some(function (input) { return input.files.length; })) {
      return;
    }
    event.preventDefault();
    var data = new FormData(form);
    if (event.submitter && event.submitter.name) { data.append(event.submitter.name, event.submitter.value); }
    var bar = showProgress(form, inputs[0].getAttribute("data-progress-label") || "");
    form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]").forEach(function (button) {
      button.disabled = true;  // until the answer replaces the page
    });
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    xhr.upload.addEventListener("progress", function (progress) {
      if (progress.lengthComputable) { bar.value = Math.round(100 * progress.loaded / progress.total); }
    });
    xhr.addEventListener("load", function () { replacePage(xhr); });
    xhr.addEventListener("error", function () { form.submit(); });  // let the browser try the plain way
    xhr.send(data);
  }, true);
})();
