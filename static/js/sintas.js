// Sintas: a little progressive enhancement; every page works without it.
(function () {
  "use strict";
  // Ask before anything destructive: <form data-confirm="message">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
    form.dataset.submitting = "1";
  });
  // Warn before leaving a form with unsaved changes, so nothing typed is lost by accident.
  var dirty = false;
  document.addEventListener("input", function (event) {
    if (event.target.form && event.target.form.hasAttribute("data-keep")) { dirty = true; }
  });
  window.addEventListener("beforeunload", function (event) {
    var submitting = document.querySelector("form[data-submitting]");
    if (dirty && !submitting) { event.preventDefault(); event.returnValue = ""; }
  });
})();
