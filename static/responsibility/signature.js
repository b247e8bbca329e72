// Signature canvas for the letter signing page: pointer events cover mouse, pen
// and touch; the drawing is sent as a PNG data URL in a hidden field.
(function () {
  "use strict";
  var canvas = document.getElementById("signature-pad");
  var form = document.getElementById("sign-form");
  if (!canvas || !form) { return; }
  var field = form.querySelector("input[name=signature]");
  var clearButton = document.getElementById("signature-clear");
  var emptyNote = document.getElementById("signature-empty");
  var ctx = canvas.getContext("2d");
  var drawing = false;
  var last = null;
  var inked = false;

  function setup() {
    // Match the bitmap to the displayed size so strokes are sharp on phones,
    // capped at 2x so the PNG stays under the server's size limit.
    var ratio = Math.min(Math.max(window.devicePixelRatio || 1, 1), 2);
    var rect = canvas.getBoundingClientRect();
    canvas.width = Math.round(rect.width * ratio);
    canvas.height = Math.round(rect.height * ratio);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.lineWidth = 2.5;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "#000";
    inked = false;
    field.value = "";
  }

  function point(event) {
    var rect = canvas.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  }

  canvas.addEventListener("pointerdown", function (event) {
    event.preventDefault();
    drawing = true;
    last = point(event);
    if (canvas.setPointerCapture) { canvas.setPointerCapture(event.pointerId); }
    ctx.beginPath();
    ctx.arc(last.x, last.y, ctx.lineWidth / 2, 0, Math.PI * 2);
    ctx.fillStyle = "#000";
    ctx.fill();
  });
  canvas.addEventListener("pointermove", function (event) {
    if (!drawing) { return; }
    event.preventDefault();
    var p = point(event);
    ctx.beginPath();
    ctx.moveTo(last.x, last.y);
    ctx.lineTo(p.x, p.y);
    ctx.stroke();
    last = p;
    inked = true;
    if (emptyNote) { emptyNote.classList.add("d-none"); }
  });
  function stop() { drawing = false; last = null; }
  canvas.addEventListener("pointerup", stop);
  canvas.addEventListener("pointercancel", stop);
  canvas.addEventListener("pointerleave", stop);

  if (clearButton) {
    clearButton.addEventListener("click", function () {
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      setup();
    });
  }

  form.addEventListener("submit", function (event) {
    if (!inked) {
      event.preventDefault();
      if (emptyNote) { emptyNote.classList.remove("d-none"); }
      return;
    }
    field.value = canvas.toDataURL("image/png");
  });

  setup();
})();
