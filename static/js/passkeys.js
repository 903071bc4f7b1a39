/* Passkeys (django-otp-webauthn): its own script runs the browser's ceremony and calls the
   server; this one only reloads the page once a passkey is added, so that the list shows it. */
(function () {
  "use strict";
  document.addEventListener("otp_webauthn.register_complete", function () {
    window.location.reload();
  });
})();
