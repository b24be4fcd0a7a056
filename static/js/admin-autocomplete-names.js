// The admin's autocomplete fields (Django's select2) name their box only by what is chosen: an
// empty one has no name a screen reader can say (axe-core: aria-input-field-name). Each box
// takes its field's label, on the page and in every inline row added later.
(function () {
  "use strict";
  function name(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = document.querySelector('label[for="' + select.id + '"]');
      var container = select.nextElementSibling;
      if (!label || !container) {
        return;
      }
      var words = label.textContent.replace(/:\s*$/, "").trim();
      container.querySelectorAll(".select2-selection, .select2-selection__rendered, .select2-search__field").forEach(function (box) {
        box.setAttribute("aria-label", words);
      });
    });
  }
  // After Django's autocomplete.js has made the boxes: it does so in a jQuery ready handler,
  // which jQuery runs asynchronously; this one, registered later, runs after it.
  if (window.django && window.django.jQuery) {
    window.django.jQuery(function () {
      name(document);
    });
  }
  document.addEventListener("formset:added", function (event) {
    setTimeout(function () {
      name(event.target);
    }, 0);
  });
})();
