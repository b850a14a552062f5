// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest(".nav-toggle");
    if (!toggle) return;
    var nav = document.getElementById(toggle.getAttribute("aria-controls"));
    var open = toggle.getAttribute("aria-expanded") === "true";
    toggle.setAttribute("aria-expanded", String(!open));
    nav.classList.toggle("open", !open);
  });
  function confirmMessage(form, submitter) {
    return (submitter && submitter.dataset.confirm) || (form && form.dataset.confirm) || "";
  }
  // Buttons with data-confirm ask before submitting (no inline script: CSP forbids it).
  document.addEventListener("submit", function (event) {
    if (event.defaultPrevented) return; // htmx took this form over: asked in htmx:confirm
    var message = confirmMessage(event.target, event.submitter);
    if (message && !window.confirm(message)) event.preventDefault();
  });
  // The same question for forms that htmx submits, before it sends the request.
  document.addEventListener("htmx:confirm", function (event) {
    var trigger = event.detail.triggeringEvent;
    var form = event.detail.elt.closest("form");
    var message = confirmMessage(form, trigger && trigger.submitter);
    if (!message) return;
    event.preventDefault();
    if (window.confirm(message)) event.detail.issueRequest(true);
  });
  // A refused autosave: the fields its message names (data-invalid) are marked invalid and
  // described by it; the next answer for the same form clears the marks it no longer names.
  document.addEventListener("htmx:afterSettle", function (event) {
    var form = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("form");
    if (!form || !form.id) return;
    form.querySelectorAll("[aria-invalid]").forEach(function (field) {
      field.removeAttribute("aria-invalid");
      var ids = (field.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
        return id && !/-error$/.test(id);
      });
      if (ids.length) field.setAttribute("aria-describedby", ids.join(" "));
      else field.removeAttribute("aria-describedby");
    });
    form.querySelectorAll("[data-invalid]").forEach(function (message) {
      message.getAttribute("data-invalid").split(" ").forEach(function (id) {
        var field = id && document.getElementById(id);
        if (!field) return;
        field.setAttribute("aria-invalid", "true");
        var ids = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
        if (ids.indexOf(message.id) < 0) ids.push(message.id);
        field.setAttribute("aria-describedby", ids.join(" "));
      });
    });
  });
})();
