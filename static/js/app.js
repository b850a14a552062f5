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
  // A form with data-check-choices (the ballot) needs a choice in each [data-choice] group:
  // a missing one is marked next to it, and nothing is asked or sent until all are made.
  function missingChoices(form) {
    var text = form.getAttribute("data-check-choices");
    if (text === null) return false;
    var missing = [];
    form.querySelectorAll("[data-choice]").forEach(function (group) {
      if (group.querySelector("input:checked")) return;
      missing.push(group);
      if (group.classList.contains("has-error")) return;
      var error = document.createElement("small");
      error.className = "error";
      error.setAttribute("role", "alert");
      error.id = "choice-error-" + missing.length;
      error.textContent = text;
      group.appendChild(error);
      group.classList.add("has-error");
      group.setAttribute("aria-describedby", error.id);
    });
    if (missing.length) {
      missing[0].scrollIntoView({ block: "center" });
      missing[0].querySelector("input").focus({ preventScroll: true });
    }
    return missing.length > 0;
  }
  // A choice made clears its group's error.
  document.addEventListener("change", function (event) {
    var group = event.target.closest && event.target.closest("[data-choice].has-error");
    if (!group) return;
    group.classList.remove("has-error");
    group.removeAttribute("aria-describedby");
    group.querySelectorAll(".error").forEach(function (error) { error.remove(); });
  });
  // Buttons with data-confirm ask before submitting (no inline script: CSP forbids it).
  document.addEventListener("submit", function (event) {
    if (event.defaultPrevented) return; // htmx took this form over: asked in htmx:confirm
    if (missingChoices(event.target)) {
      event.preventDefault();
      return;
    }
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
