// The rubric editor: sums that follow the typing (each 一级指标's leaves, the weights against
// the full mark), and the button pressed told to htmx's post. Without this file the page
// still works: the sums are shown again after each button.
(function () {
  "use strict";

  function num(input) {
    var value = parseFloat(input.value);
    return isNaN(value) || !isFinite(value) ? 0 : value;
  }

  function shown(value) { return String(Math.round(value * 100) / 100); }

  function refresh(form) {
    var weights = 0, points = 0;
    form.querySelectorAll("fieldset[data-top]").forEach(function (top) {
      var leaves = 0;
      top.querySelectorAll("input[data-points]").forEach(function (input) { leaves += num(input); });
      points += leaves;
      var weight = top.querySelector("input[data-weight]");
      if (weight) { weights += num(weight); }
      var out = top.querySelector("output[data-leaves-of='" + top.getAttribute("data-top") + "']");
      if (out) {
        out.textContent = shown(leaves);
        out.classList.toggle("off", weight !== null && weight.value !== "" && num(weight) !== leaves);
      }
    });
    var total = form.querySelector("input[data-total]");
    var sum = form.querySelector("#weight-sum");
    if (sum) {
      sum.textContent = shown(weights);
      var reached = total && total.value !== "" && Math.abs(num(total) - weights) < 1e-9;
      sum.classList.toggle("ok", !!reached);
      sum.classList.toggle("off", !reached);
    }
    var mark = form.querySelector("#full-mark");
    if (mark && total) { mark.textContent = total.value === "" ? "未设" : total.value; }
    var all = form.querySelector("#points-sum");
    if (all) { all.textContent = shown(points); }
  }

  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (form && form.classList.contains("rubric-form")) { refresh(form); }
  });

  // htmx posts the form: the hidden "op" field carries the button pressed.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[name=op]") : null;
    if (!button || !button.form) { return; }
    var op = button.form.querySelector("input[type=hidden][name=op]");
    if (op) { op.value = button.value; }
  });

  function all() { document.querySelectorAll("form.rubric-form").forEach(refresh); }
  document.addEventListener("DOMContentLoaded", all);
  document.addEventListener("htmx:afterSwap", all);
  // htmx "settles" a swap a moment later: an element kept by id gets the server's class back
  // then, over a class set here in between (typing right after a swap on a busy machine).
  document.addEventListener("htmx:afterSettle", all);
}());
