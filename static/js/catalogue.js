// On a phone the filter panel starts folded, so the results are in view; it opens on a tap.
// Without JavaScript it simply stays open.
(function () {
  function foldFiltersOnSmallScreens() {
    if (window.matchMedia("(max-width: 991.98px)").matches) {
      document.querySelectorAll(".filter-panel[open]").forEach(function (panel) {
        if (!panel.dataset.touched) {
          panel.removeAttribute("open");
        }
      });
    }
  }
  document.addEventListener("DOMContentLoaded", foldFiltersOnSmallScreens);
  document.addEventListener("toggle", function (event) {
    if (event.target.classList && event.target.classList.contains("filter-panel")) {
      event.target.dataset.touched = "1";
    }
  }, true);
})();
