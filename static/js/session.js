// Nothing typed is lost (no inline script: the Content-Security-Policy forbids it).
// 1. The expiry warning: requests renew the session (at most once a minute,
//    portal.sessions), so it lasts at least data-age seconds after the last
//    one. Tabs share the time of the last page
//    load through localStorage; a few minutes before the end the warning
//    offers "继续使用", which renews the session with one small request.
// 2. A form kept by the server (portal.kept_forms) is filled in again; it is
//    never submitted for the user.
// 3. A form whose text is larger than the server accepts is not sent: the
//    field says so and keeps what was typed.
(function () {
  "use strict";
  var KEY = "portal.session.lastRequest";

  function stored() {
    try { return Number(window.localStorage.getItem(KEY)) || 0; } catch (e) { return 0; }
  }

  function store(time) {
    try { window.localStorage.setItem(KEY, String(time)); } catch (e) { /* private mode: this tab only */ }
  }

  function minutesAndSeconds(ms) {
    var s = Math.max(0, Math.ceil(ms / 1000));
    var m = Math.floor(s / 60);
    return m > 0 ? m + " 分 " + (s % 60) + " 秒" : s + " 秒";
  }

  function setUpWarning(box) {
    var age = Number(box.dataset.age) * 1000;
    var warn = Number(box.dataset.warn) * 1000;
    var message = box.querySelector(".js-session-message");
    var form = box.querySelector(".js-session-extend");
    var login = box.querySelector(".js-session-login");
    var last = Date.now();
    var expired = false;
    store(last);

    function show(text, isExpired) {
      message.textContent = text;
      form.classList.toggle("d-none", isExpired);
      login.classList.toggle("d-none", !isExpired);
      box.classList.remove("d-none");
    }

    function tick() {
      if (expired) { return; }
      var left = age - (Date.now() - Math.max(last, stored()));
      if (left <= 0) {
        expired = true;
        show("会话已过期，请重新登录。本页填写的内容提交时会被保留，登录后可继续填写。", true);
      } else if (left <= warn) {
        show("您已较长时间没有操作，会话将在 " + minutesAndSeconds(left) + "后过期。", false);
      } else {
        box.classList.add("d-none");
      }
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.portalPostForm(form).then(function (r) {
        if (!r.ok) { throw new Error(String(r.status)); }
        last = Date.now();
        store(last);
        tick();
      }).catch(function () {
        expired = true;
        show("会话已过期，请重新登录。本页填写的内容提交时会被保留，登录后可继续填写。", true);
      });
    });
    tick();
    window.setInterval(tick, 1000);
  }

  function bestForm(kept) {
    var best = null;
    var bestScore = 0;
    document.querySelectorAll("main form").forEach(function (form) {
      if ((form.getAttribute("method") || "").toLowerCase() !== "post") { return; }
      var score = new URL(form.action, window.location.href).pathname === kept.action ? 1000 : 0;
      Object.keys(kept.data).forEach(function (name) { if (form.elements.namedItem(name)) { score += 1; } });
      if (score > bestScore) { best = form; bestScore = score; }
    });
    return best;
  }

  function fill(form, name, values) {
    var fields = form.querySelectorAll("[name='" + CSS.escape(name) + "']");
    var next = 0;
    fields.forEach(function (field) {
      var type = (field.type || "").toLowerCase();
      if (type === "hidden" || type === "password" || type === "file" || type === "submit") { return; }
      if (type === "checkbox" || type === "radio") {
        field.checked = values.indexOf(field.value) !== -1;
      } else if (field.tagName === "SELECT" && field.multiple) {
        Array.prototype.forEach.call(field.options, function (o) { o.selected = values.indexOf(o.value) !== -1; });
      } else if (next < values.length) {
        field.value = values[next];
        next += 1;
      }
      field.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function markDropped(form, name) {
    var field = form.querySelector("[name='" + CSS.escape(name) + "']");
    if (!field) { return; }
    field.classList.add("is-invalid");
    var note = document.createElement("div");
    note.className = "invalid-feedback kept-field-error";
    note.textContent = "内容过长，未能保留，请缩短后重新填写。";
    field.insertAdjacentElement("afterend", note);
  }

  function restoreKeptForm(script) {
    var kept = JSON.parse(script.textContent);
    var form = bestForm(kept);
    if (!form) { return; }
    Object.keys(kept.data).forEach(function (name) { fill(form, name, kept.data[name]); });
    kept.dropped.forEach(function (name) { markDropped(form, name); });
    form.classList.add("kept-form-restored");
    if (window.history.replaceState) {  // a reload must not look for the used token
      var url = new URL(window.location.href);
      url.searchParams.delete("_restore");
      window.history.replaceState(null, "", url.pathname + url.search + url.hash);
    }
  }

  function megabytes(bytes) { return (bytes / 1048576).toFixed(1) + " MB"; }

  function guardSize(limit) {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if ((form.getAttribute("method") || "").toLowerCase() !== "post") { return; }
      var multipart = (form.enctype || "").toLowerCase() === "multipart/form-data";
      var total = 0;
      var biggest = null;
      var biggestSize = 0;
      Array.prototype.forEach.call(form.elements, function (field) {
        if (!field.name || field.disabled || field.type === "file" || typeof field.value !== "string") { return; }
        var size = multipart ? new Blob([field.value]).size : encodeURIComponent(field.value).length;
        total += size + field.name.length + 2;
        if (size > biggestSize) { biggest = field; biggestSize = size; }
      });
      if (total <= limit || !biggest) { return; }
      event.preventDefault();
      event.stopImmediatePropagation();
      biggest.classList.add("is-invalid");
      var note = biggest.parentNode.querySelector(".js-too-large") || document.createElement("div");
      note.className = "invalid-feedback kept-field-error js-too-large";
      note.textContent = "内容过长（约 " + megabytes(total) + "，上限 " + megabytes(limit) + "），未提交，请缩短后再提交。";
      biggest.insertAdjacentElement("afterend", note);
      biggest.focus();
    }, true);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("session-warning");
    if (box) {
      setUpWarning(box);
      guardSize(Number(box.dataset.postLimit));
    }
    var kept = document.getElementById("kept-form");
    if (kept) { restoreKeptForm(kept); }
  });
})();
