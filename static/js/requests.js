// "Alles selecteren" on HR's requests page ticks every request without reloading the page.
// Without JavaScript the link loads the page with every request ticked.
(function () {
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-select-requests]");
    if (!link) {
      return;
    }
    event.preventDefault();
    var on = link.getAttribute("data-select-requests") === "all";
    document.querySelectorAll("input[name='requests']").forEach(function (box) {
      box.checked = on;
    });
  });
})();
