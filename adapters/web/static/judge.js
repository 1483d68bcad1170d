// The judge's scoring page: a live total, and a confirmation before submitting.
// Without this file the page still works: the total is shown after saving, and submitting
// goes through a confirmation page.
(function () {
  "use strict";

  function total(form) {
    var sum = 0;
    form.querySelectorAll("input[data-leaf]").forEach(function (input) {
      var value = parseFloat(input.value);
      if (!isNaN(value) && isFinite(value)) { sum += value; }
    });
    var out = form.querySelector("#total");
    if (out) { out.textContent = String(Math.round(sum * 100) / 100); }
  }

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (input.matches && input.matches("input[data-leaf]") && input.form) { total(input.form); }
  });

  // htmx posts the form itself: the button pressed is told by the hidden "action" field (a
  // plain post carries the button's own value after it, which the server takes).
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[name=action]") : null;
    if (!button || !button.form) { return; }
    var action = button.form.querySelector("input[type=hidden][name=action]");
    if (action) { action.value = button.value; }
    if (!button.hasAttribute("data-confirm")) { return; }
    if (!window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
      return;
    }
    var confirmed = button.form.querySelector("input[name=confirmed]");
    if (confirmed) { confirmed.value = "1"; }
  });

  function refresh() {
    document.querySelectorAll("form.score-form").forEach(total);
  }
  document.addEventListener("DOMContentLoaded", refresh);
  document.addEventListener("htmx:afterSwap", refresh);
  // After htmx settles, elements kept by id have the server's class again: recompute.
  document.addEventListener("htmx:afterSettle", refresh);
}());
