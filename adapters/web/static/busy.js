// Long work (closing, finalising, publishing a large round): a form marked data-busy says so
// while the server works, and cannot be sent twice. Without JavaScript the form posts as is.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.matches || !form.matches("form[data-busy]") || event.defaultPrevented) return;
  var button = form.querySelector("button[type=submit], button:not([type])");
  if (form.dataset.sent === "1") { event.preventDefault(); return; }
  form.dataset.sent = "1";
  if (button) { button.setAttribute("aria-disabled", "true"); button.classList.add("busy"); }
  var say = form.querySelector(".busy-status");
  if (!say) {
    say = document.createElement("span");
    say.className = "busy-status";
    say.setAttribute("role", "status");
    form.appendChild(say);
  }
  say.textContent = form.dataset.busy;
});
