// Autocomplete boxes (Select2) say which field they fill in: Select2 names its box after the
// chosen value only, so an empty box has no name and a screen reader only hears "combobox".
// Here each box is named by its select's label, followed by the value chosen.
(function () {
  "use strict";

  function labelFor(select) {
    if (!select.id) {
      return null;
    }
    return document.querySelector('label[for="' + select.id + '"]');
  }

  function name(select) {
    var label = labelFor(select);
    var container = select.nextElementSibling;
    if (!label || !container || !container.classList.contains("select2")) {
      return;
    }
    if (!label.id) {
      label.id = select.id + "-label";
    }
    var box = container.querySelector(".select2-selection");
    if (box) {
      var rendered = container.querySelector(".select2-selection__rendered");
      var ids = [label.id];
      if (rendered && rendered.id) {
        ids.push(rendered.id);
      }
      box.setAttribute("aria-labelledby", ids.join(" "));
      if (rendered) {
        rendered.setAttribute("aria-labelledby", label.id);
      }
    }
    var search = container.querySelector(".select2-search__field");
    if (search) {
      search.setAttribute("aria-labelledby", label.id);
    }
  }

  function nameAll(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(name);
  }

  // Django starts Select2 when the document is ready, and in new inline rows after
  // "formset:added"; both run before these.
  window.addEventListener("load", function () {
    nameAll(document);
  });
  document.addEventListener("formset:added", function (event) {
    window.setTimeout(function () {
      nameAll(event.target);
    }, 0);
  });
})();
