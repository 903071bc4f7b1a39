/* Project dossiers: the print button of the printable summary (CSP forbids inline handlers). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });
})();
