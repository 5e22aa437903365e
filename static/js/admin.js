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

  // Django starts Select2 when the document is ready (jQuery runs that a moment later, maybe
  // after "load") and in new inline rows: each box is named as soon as it is drawn.
  function nameAdded(mutations) {
    mutations.forEach(function (mutation) {
      mutation.addedNodes.forEach(function (node) {
        if (node.nodeType !== 1) {
          return;
        }
        if (node.classList.contains("select2")) {
          var select = node.previousElementSibling;
          if (select && select.matches("select.admin-autocomplete")) {
            name(select);
          }
        } else if (node.querySelector(".select2")) {
          nameAll(node);
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    nameAll(document);
    new MutationObserver(nameAdded).observe(document.body, { childList: true, subtree: true });
  });
})();

// The "filter" box of a many-to-many field (Django's SelectFilter, drawn on "load") labels its
// magnifying glass with aria-label on a bare span, which ARIA does not allow: it is an image.
(function () {
  "use strict";

  function markIcons(root) {
    root.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    markIcons(document);
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) {
        mutation.addedNodes.forEach(function (node) {
          if (node.nodeType === 1) {
            markIcons(node);
          }
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  });
})();
