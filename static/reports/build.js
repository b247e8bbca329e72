// Report build panel: start a build without leaving the page and poll its
// status (a small JSON endpoint) until the PDF is ready or the build fails.
(function () {
  "use strict";
  var ACTIVE = { queued: true, running: true };

  function show(el, visible) { if (el) { el.classList.toggle("d-none", !visible); } }

  function render(panel, s) {
    var active = !!ACTIVE[s.status];
    panel.querySelector(".js-build-status").textContent = s.status_label;
    var bar = panel.querySelector(".js-build-progress");
    var pct = panel.querySelector(".js-build-percent");
    bar.value = s.progress;
    bar.textContent = s.progress + "%";
    pct.textContent = s.progress + "%";
    show(bar, active);
    show(pct, active);
    var note = panel.querySelector(".js-build-note");
    note.textContent = s.note || "";
    show(note, !!s.note);
    var error = panel.querySelector(".js-build-error");
    error.textContent = s.error ? s.error + (s.pdf_url ? " 上一次生成的报告仍可下载。" : "") : "";
    show(error, !!s.error);
    var link = panel.querySelector(".js-download");
    if (s.pdf_url) { link.href = s.pdf_url; }
    show(link, !!s.pdf_url);
    panel.querySelector(".js-build-button").disabled = active;
    panel.dataset.status = s.status || "";
    return active;
  }

  function poll(panel) {
    fetch(panel.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (s) { if (render(panel, s)) { setTimeout(function () { poll(panel); }, 1000); } })
      .catch(function () { setTimeout(function () { poll(panel); }, 3000); });
  }

  function start(panel, form) {
    window.portalPostForm(form)
      .then(function (r) { return r.json(); })
      .then(function (s) { if (render(panel, s)) { poll(panel); } })
      .catch(function () { form.submit(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".report-build").forEach(function (panel) {
      var form = panel.querySelector(".js-build-form");
      form.addEventListener("submit", function (event) { event.preventDefault(); start(panel, form); });
      poll(panel);
    });
  });
})();
