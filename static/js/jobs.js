// Progress of any background job (portal.jobs): a panel with
// data-job-status-url polls that small JSON endpoint until the job is done or
// failed, without reloading the page. A form .js-job-start inside the panel
// starts the job with fetch; its button is disabled while the job runs.
//
// The endpoint answers {status: "queued"|"running"|"done"|"failed"|null,
// status_label, progress (0-100), note, error, download_url?, next_url?, and
// any other URL a .js-job-file link names in data-job-url};
// next_url, when the job is done, is opened (e.g. an import's result page).
(function () {
  "use strict";
  var ACTIVE = { queued: true, running: true };

  function show(el, visible) { if (el) { el.classList.toggle("d-none", !visible); } }

  function text(panel, selector, value) {
    var el = panel.querySelector(selector);
    if (el) { el.textContent = value; }
    return el;
  }

  function render(panel, s) {
    var active = !!ACTIVE[s.status];
    text(panel, ".js-job-status", s.status_label);
    var bar = panel.querySelector(".js-job-progress");
    if (bar) { bar.value = s.progress; bar.textContent = s.progress + "%"; show(bar, active); }
    show(text(panel, ".js-job-percent", s.progress + "%"), active);
    show(text(panel, ".js-job-note", s.note || ""), !!s.note);
    var keep = s.download_url && panel.dataset.jobKeptNote ? " " + panel.dataset.jobKeptNote : "";
    show(text(panel, ".js-job-error", s.error ? s.error + keep : ""), !!s.error);
    var link = panel.querySelector(".js-job-download");
    if (link) {
      if (s.download_url) { link.href = s.download_url; }
      show(link, !!s.download_url);
    }
    // Other files of the same job: data-job-url names the key of the status holding the URL.
    panel.querySelectorAll(".js-job-file").forEach(function (file) {
      var url = s[file.dataset.jobUrl];
      if (url) { file.href = url; }
      show(file, !!url);
    });
    panel.querySelectorAll(".js-job-start button").forEach(function (b) { b.disabled = active; });
    panel.dataset.status = s.status || "";
    if (s.status === "done" && s.next_url) { window.location.assign(s.next_url); }
    return active;
  }

  function poll(panel) {
    fetch(panel.dataset.jobStatusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (s) { if (render(panel, s)) { setTimeout(function () { poll(panel); }, 1000); } })
      .catch(function () { setTimeout(function () { poll(panel); }, 3000); });
  }

  function start(panel, form) {
    panel.querySelectorAll(".js-job-start button").forEach(function (b) { b.disabled = true; });
    window.portalPostForm(form)
      .then(function (r) { return r.json(); })
      .then(function (s) { if (render(panel, s)) { poll(panel); } })
      .catch(function () { form.submit(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-job-status-url]").forEach(function (panel) {
      panel.querySelectorAll(".js-job-start").forEach(function (form) {
        form.addEventListener("submit", function (event) { event.preventDefault(); start(panel, form); });
      });
      poll(panel);
    });
  });
})();
