// The letter form's date preview (archive/admin.py, DatePreviewInput): how the EDTF date will read
// and what it says is known, asked of the server as the editor types. Without this script the
// preview is the one written with the page.
// The admin loads its scripts in the page's head: wait for the form.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  document.querySelectorAll("output.date-preview").forEach(function (output) {
    var input = document.getElementById(output.getAttribute("for"));
    var inferred = document.getElementById("id_date_inferred");
    var timer = null;
    var asked = 0;
    if (!input) {
      return;
    }
    function update() {
      var number = ++asked;
      var query = new URLSearchParams({
        edtf: input.value,
        inferred: inferred && inferred.checked ? "1" : "",
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
    input.addEventListener("input", soon);
    if (inferred) {
      inferred.addEventListener("change", soon);
    }
  });
});
