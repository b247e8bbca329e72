// Signature canvas for the letter signing page: pointer events cover mouse, pen
// and touch; the drawing is sent as a PNG data URL in a hidden field.
//
// The form is posted with fetch (Accept: application/json): a wrong password
// or another form error comes back as JSON and is shown at its field while the
// page, and the signature drawn on the canvas, stay as they are. The server
// never sends the signature image back. Success answers with the address of
// the completion page.
(function () {
  "use strict";
  var canvas = document.getElementById("signature-pad");
  var form = document.getElementById("sign-form");
  if (!canvas || !form) { return; }
  var field = form.querySelector("input[name=signature]");
  var password = form.querySelector("input[name=password]");
  var submit = document.getElementById("sign-submit");
  var clearButton = document.getElementById("signature-clear");
  var emptyNote = document.getElementById("signature-empty");
  var errorBox = document.getElementById("sign-errors");
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

  // -- posting without leaving the page ------------------------------------------

  function text(id, messages) {
    var node = document.getElementById(id);
    if (node) { node.textContent = (messages || []).join(" "); }
    return node;
  }

  function showErrors(errors) {
    var general = (errors.form || []).concat(errors.body_sha256 || []);
    errorBox.textContent = general.join(" ");
    errorBox.classList.toggle("d-none", general.length === 0);
    text("signature-error", errors.signature);
    text("password-error", errors.password);
    password.classList.toggle("is-invalid", !!errors.password);
    if (errors.password) {
      password.value = "";
      password.focus();
    } else if (general.length) {
      errorBox.scrollIntoView({ block: "center" });
    }
  }

  function failed(message) {
    showErrors({ form: [message] });
  }

  function answer(response) {
    var type = response.headers.get("Content-Type") || "";
    if (type.indexOf("application/json") === 0) {
      return response.json().then(function (data) {
        if (data.redirect) {
          window.location.assign(data.redirect);
          return;
        }
        showErrors(data.errors || {});
      });
    }
    if (response.status === 429) {
      failed(form.dataset.lockedMessage);
    } else if (response.redirected) {
      window.location.assign(response.url); // e.g. the login page after the session expired
    } else {
      failed(form.dataset.failedMessage);
    }
    return null;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!inked) {
      if (emptyNote) { emptyNote.classList.remove("d-none"); }
      return;
    }
    field.value = canvas.toDataURL("image/png");
    submit.disabled = true;
    fetch(form.action || window.location.href, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    })
      .then(answer)
      .catch(function () { failed(form.dataset.failedMessage); })
      .then(function () { submit.disabled = false; });
  });

  setup();
})();
