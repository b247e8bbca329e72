// Insert a data-derived suggestion into the 不足 text box; staff edit it afterwards.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".js-insert-suggestion");
    if (!button) { return; }
    var box = document.getElementById(button.dataset.target);
    var text = button.parentElement.querySelector(".js-suggestion-text").textContent.trim();
    if (!box || !text) { return; }
    var at = box.selectionStart === box.selectionEnd && document.activeElement === box ? box.selectionStart : box.value.length;
    var before = box.value.slice(0, at);
    var sep = before && !/\n$/.test(before) ? "\n" : "";
    box.value = before + sep + text + box.value.slice(at);
    box.focus();
    var end = (before + sep + text).length;
    box.setSelectionRange(end, end);
    button.disabled = true;
  });
})();
