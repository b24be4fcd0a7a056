// The editors' workbench: select a passage of a source's text (archive/admin.py, quotes_view)
// and open the form of a new claim, requested action, response or evidence with the quote
// filled in. The W3C TextQuoteSelector (exact, prefix, suffix) and TextPositionSelector
// (start, end) come from Apache Annotator (static/vendor/apache-annotator/), counted in the
// element's text, which is the source's text alone: the highlights' labels are attributes.
// Without this script the page lists the quotes, and rows are added from their own forms.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var scope = document.querySelector("#source-text[data-annotate]");
  var panel = document.getElementById("annotate-panel");
  var keyboardButton = document.querySelector("button.annotate-keyboard");
  if (!scope || !panel || !window.ApacheAnnotator) {
    return;
  }
  var heading = panel.querySelector("#annotate-heading");
  var quoteShown = panel.querySelector(".annotate-quote");
  var placeShown = panel.querySelector(".annotate-place");
  var links = Array.prototype.slice.call(panel.querySelectorAll("a[data-new-quote]"));
  links.forEach(function (link) {
    link.dataset.base = link.getAttribute("href");
  });

  function selectedRange() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
      return null;
    }
    var range = selection.getRangeAt(0);
    if (!scope.contains(range.startContainer) || !scope.contains(range.endContainer)) {
      return null; // a selection reaching outside the text is not a quote of it
    }
    return range.toString().trim() ? range : null;
  }

  function describe(thenFocus) {
    var range = selectedRange();
    if (!range) {
      return;
    }
    Promise.all([
      window.ApacheAnnotator.describeTextQuote(range, scope),
      window.ApacheAnnotator.describeTextPosition(range, scope),
    ]).then(function (selectors) {
      show(selectors[0], selectors[1], thenFocus);
    });
  }

  function show(quote, position, thenFocus) {
    quoteShown.textContent = quote.exact; // text, never markup
    placeShown.textContent =
      "Characters " + position.start + " to " + position.end + " of the text" +
      (quote.prefix || quote.suffix ? ", told apart from its other occurrences by the words around it." : ".");
    var filled = new URLSearchParams({
      quote_exact: quote.exact,
      quote_prefix: quote.prefix || "",
      quote_suffix: quote.suffix || "",
    }).toString();
    links.forEach(function (link) {
      link.setAttribute("href", link.dataset.base + "&" + filled);
    });
    panel.dataset.start = position.start;
    panel.dataset.end = position.end;
    panel.hidden = false;
    if (thenFocus) {
      heading.focus();
    }
  }

  scope.addEventListener("mouseup", function () {
    describe(false);
  });

  // The keyboard: the text becomes a caret-navigable field that refuses every edit.
  function setKeyboardMode(on) {
    keyboardButton.setAttribute("aria-pressed", on ? "true" : "false");
    if (on) {
      scope.setAttribute("contenteditable", "true");
      scope.setAttribute("spellcheck", "false");
      scope.setAttribute("aria-readonly", "true");
      scope.setAttribute("aria-label", "The source's text: select with Shift and the arrow keys, then press Enter");
      scope.focus();
    } else {
      scope.removeAttribute("contenteditable");
      scope.removeAttribute("aria-readonly");
      scope.removeAttribute("aria-label");
    }
  }
  if (keyboardButton) {
    keyboardButton.hidden = false;
    keyboardButton.addEventListener("click", function () {
      setKeyboardMode(keyboardButton.getAttribute("aria-pressed") !== "true");
    });
  }
  ["beforeinput", "paste", "drop", "cut"].forEach(function (type) {
    scope.addEventListener(type, function (event) {
      event.preventDefault(); // the source's text is changed in its own form, never here
    });
  });
  scope.addEventListener("keydown", function (event) {
    if (scope.getAttribute("contenteditable") !== "true") {
      return;
    }
    if (event.key === "Enter") {
      event.preventDefault();
      describe(true);
    } else if (event.key === "Escape") {
      setKeyboardMode(false);
      keyboardButton.focus();
    }
  });
});
