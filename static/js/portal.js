// Small behaviours without inline script (the Content-Security-Policy forbids it).
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.classList && el.classList.contains("js-autosubmit") && el.form) {
    el.form.submit();
  }
});
document.addEventListener("click", function (event) {
  var el = event.target.closest ? event.target.closest("[data-confirm]") : null;
  if (el && !window.confirm(el.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});

// POST a form with fetch for a JSON answer, its CSRF token in the header.
window.portalPostForm = function (form) {
  var data = new FormData(form);
  return fetch(form.action, {
    method: "POST",
    body: data,
    headers: { Accept: "application/json", "X-CSRFToken": data.get("csrfmiddlewaretoken") },
    credentials: "same-origin"
  });
};
