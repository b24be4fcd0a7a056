// A field's live preview (core/widgets.py, LivePreview): the sentence beside it, asked of the
// server again as the editor types or picks, with the values of every field the <output>'s
// `for` names, by their names. Without this script the preview is the one written with the page.
// The admin loads its scripts in the page's head: wait for the form.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  document.querySelectorAll("output[data-preview-url]").forEach(function (output) {
    var fields = Array.prototype.map
      .call(output.htmlFor, function (id) {
        return document.getElementById(id);
      })
      .filter(Boolean);
    var timer = null;
    var asked = 0;
    function update() {
      var number = ++asked;
      var query = new URLSearchParams();
      fields.forEach(function (field) {
        query.set(field.name, field.type === "checkbox" ? (field.checked ? "on" : "") : field.value);
      });
      fetch(output.dataset.previewUrl + "?" + query.toString(), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (answer) {
          if (answer && number === asked) {
            output.textContent = answer.preview; // text, never markup
          }
        })
        .catch(function () {}); // offline: the preview stays as it was
    }
    function soon() {
      clearTimeout(timer);
      timer = setTimeout(update, 200);
    }
    fields.forEach(function (field) {
      field.addEventListener("input", soon);
      field.addEventListener("change", soon);
      // An autocomplete (Django's select2) announces its choice through jQuery alone.
      if (window.django && window.django.jQuery && field.classList.contains("admin-autocomplete")) {
        window.django.jQuery(field).on("change", soon);
      }
    });
  });
});
