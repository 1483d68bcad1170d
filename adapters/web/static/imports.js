// 表格导入: the sheet's upload progress while it is sent (htmx reports it from the request);
// without JavaScript the form posts as it is and the browser shows its own progress.
document.addEventListener("htmx:xhr:progress", function (event) {
  var target = event.target;
  var form = target instanceof Element ? target.closest(".upload-form") : null;
  if (!form || !event.detail || !event.detail.lengthComputable) {
    return;
  }
  var bar = form.querySelector("progress");
  if (bar) {
    bar.hidden = false;
    bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
    bar.textContent = bar.value + "%";
  }
});
