// Upload with a progress bar: XHR reports upload progress, fetch() does not.
document.querySelectorAll("form.upload").forEach(function (form) {
  form.addEventListener("submit", function (ev) {
    if (!window.FormData || !window.XMLHttpRequest) return; // plain form post still works
    ev.preventDefault();
    var bar = form.querySelector("progress"), text = form.querySelector(".progress-text");
    var button = form.querySelector("button");
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.upload.onprogress = function (e) {
      if (!e.lengthComputable) return;
      bar.hidden = false;
      bar.value = Math.round((e.loaded / e.total) * 100);
      text.textContent = bar.value < 100 ? " 上传 " + bar.value + "%" : " 已上传，正在校验与计算……";
    };
    xhr.onload = function () {
      var msg = "上传失败（" + xhr.status + "）";
      try { msg = JSON.parse(xhr.responseText).message || JSON.parse(xhr.responseText).detail || msg; }
      catch (e) { if (xhr.status === 413) msg = "文件过大，本次未作任何更改"; }
      if (xhr.status === 200) { window.location.reload(); return; }
      text.textContent = "";
      bar.hidden = true;
      button.disabled = false;
      var box = document.createElement("div");
      box.className = "msg error";
      box.setAttribute("role", "alert");
      box.textContent = msg;
      form.appendChild(box);
    };
    xhr.onerror = function () { text.textContent = " 网络错误，请重试"; button.disabled = false; };
    button.disabled = true;
    form.querySelectorAll(".msg").forEach(function (m) { m.remove(); });
    xhr.send(new FormData(form));
  });
});
