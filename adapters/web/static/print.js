// A button that prints the page (公示, certificates); without JavaScript, the browser's own
// print command does the same.
document.addEventListener("click", function (event) {
  var target = event.target;
  if (target instanceof Element && target.closest("[data-print]")) {
    window.print();
  }
});
