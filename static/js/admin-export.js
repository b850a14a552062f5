// The admin export form's "Select all" toggle, bound here instead of an inline handler (the
// CSP refuses those). onSelectToggleChange comes from import-export's form media.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".select-toggle").forEach((toggle) => {
    toggle.addEventListener("change", onSelectToggleChange);
  });
});
