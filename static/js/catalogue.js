// The filter panel is open on wide screens and folded on phones, so the results are in view.
// Whatever the user chooses stays so when htmx replaces the results and filters.
// Without JavaScript the panel is simply open.
(function () {
  var panelOpen = !window.matchMedia("(max-width: 991.98px)").matches;

  function applyPanelState() {
    document.querySelectorAll(".filter-panel").forEach(function (panel) {
      panel.open = panelOpen;
    });
  }

  document.addEventListener("DOMContentLoaded", applyPanelState);
  document.addEventListener("htmx:afterSwap", applyPanelState);
  document.addEventListener("toggle", function (event) {
    if (event.target.classList && event.target.classList.contains("filter-panel")) {
      panelOpen = event.target.open;
    }
  }, true);
})();
