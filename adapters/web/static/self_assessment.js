// 自查自评: uploads with a progress bar. The leaf's 上传 button sends the whole form (what
// was typed, and only that leaf's file) as an XMLHttpRequest; the answer is the form again,
// with the new file beside its leaf or the refusal beside it, and replaces it. Without this
// file the same button posts the form as multipart and the page comes back the same way.
(function () {
  "use strict";

  function part(sheet, name, index) {
    return sheet.querySelector("[data-" + name + "=\"" + index + "\"]");
  }

  function say(sheet, index, text) {
    var box = part(sheet, "errors", index);
    if (!box) { return; }
    var p = document.createElement("p");
    p.className = "error";
    p.textContent = text;
    box.textContent = "";
    box.appendChild(p);
  }

  function progress(sheet, index, percent, text) {
    var box = part(sheet, "progress-box", index);
    var bar = part(sheet, "progress", index);
    var status = part(sheet, "status", index);
    if (box) { box.hidden = false; }
    if (bar) { bar.value = percent; }
    if (status) { status.textContent = text; }
  }

  function replaced(sheet, html) {
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var fresh = holder.querySelector("#sheet");
    if (!fresh) { return null; }
    sheet.replaceWith(fresh);
    return fresh;
  }

  function upload(button) {
    var form = button.form;
    var sheet = document.getElementById("sheet");
    var index = button.getAttribute("data-upload");
    var input = part(sheet, "file", index);
    var file = input && input.files && input.files[0];
    if (!file) { say(sheet, index, "请先选择要上传的文件"); return; }
    var most = parseInt(sheet.getAttribute("data-max-bytes"), 10);
    if (most && file.size > most) {
      say(sheet, index, "文件过大：「" + file.name + "」超过上限 " + sheet.getAttribute("data-max-size"));
      return;
    }
    var data = new FormData(form);
    form.querySelectorAll("input[type=file]").forEach(function (other) {
      if (other !== input) { data.delete(other.name); }
    });
    data.set("upload", button.value);
    var token = form.querySelector("input[name=_csrf_token]");
    var xhr = new XMLHttpRequest();
    xhr.open("POST", button.formAction);
    xhr.setRequestHeader("HX-Request", "true");
    if (token) { xhr.setRequestHeader("x-csrftoken", token.value); }
    button.disabled = true;
    progress(sheet, index, 0, "正在上传 0%");
    xhr.upload.addEventListener("progress", function (event) {
      if (!event.lengthComputable) { return; }
      var percent = Math.floor(event.loaded * 100 / event.total);
      progress(sheet, index, percent, "正在上传 " + percent + "%");
    });
    xhr.addEventListener("load", function () {
      var kind = xhr.getResponseHeader("content-type") || "";
      var fresh = kind.indexOf("text/html") === 0 ? replaced(sheet, xhr.responseText) : null;
      if (!fresh) {
        button.disabled = false;
        progress(sheet, index, 0, "");
        say(sheet, index, xhr.status === 413 ? "文件过大：超过上限 " + sheet.getAttribute("data-max-size")
          : "上传未成功（" + xhr.status + "），请重试");
        return;
      }
      if (xhr.status < 300) {
        progress(fresh, index, 100, "上传完成 100%");
      }
    });
    xhr.addEventListener("error", function () {
      button.disabled = false;
      progress(sheet, index, 0, "");
      say(sheet, index, "网络中断，上传未完成，请重试");
    });
    xhr.send(data);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-upload]") : null;
    if (!button || !button.form || !window.FormData || !window.XMLHttpRequest) { return; }
    event.preventDefault();
    upload(button);
  });
}());
