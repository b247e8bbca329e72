// Searchable people pickers (Tom Select). Without JavaScript the plain
// multi-select still works; no inline script (Content-Security-Policy).
document.addEventListener("DOMContentLoaded", function () {
  if (typeof window.TomSelect === "undefined") {
    return;
  }
  document.querySelectorAll("select.js-people-select").forEach(function (el) {
    new window.TomSelect(el, {
      plugins: ["remove_button"],
      maxOptions: null,
      hidePlaceholder: true,
      placeholder: el.getAttribute("data-placeholder") || "",
      render: {
        no_results: function () {
          var div = document.createElement("div");
          div.className = "no-results";
          div.textContent = el.getAttribute("data-no-results") || "";
          return div;
        }
      }
    });
  });
});
