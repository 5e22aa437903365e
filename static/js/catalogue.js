// The filter panels ("Filters" and, inside it, "Meer filters") are open on wide screens and
// folded on phones, so the results are in view. Whatever the user opens or folds stays so when
// htmx replaces the results and filters, or restores them from its history.
// Without JavaScript the panels are simply open.
(function () {
  var folded = window.matchMedia("(max-width: 991.98px)").matches;
  var chosen = {}; // panel id -> open, as the user left it

  function applyPanelState() {
    document.querySelectorAll(".filter-panel[id]").forEach(function (panel) {
      panel.open = Object.prototype.hasOwnProperty.call(chosen, panel.id)
        ? chosen[panel.id]
        : !folded;
    });
  }

  document.addEventListener("DOMContentLoaded", applyPanelState);
  document.addEventListener("htmx:afterSwap", applyPanelState);
  document.addEventListener("htmx:historyRestore", applyPanelState);
  document.addEventListener("toggle", function (event) {
    var panel = event.target;
    if (panel.classList && panel.classList.contains("filter-panel") && panel.id) {
      chosen[panel.id] = panel.open;
    }
  }, true);
})();
