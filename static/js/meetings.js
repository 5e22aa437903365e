// "Zelfde tijden": a meeting row added in the admin starts with the times of the row above it,
// so a course of several days is a date per row. Without JavaScript the save does the same for
// a new row whose times are left empty.
(function () {
  "use strict";

  document.addEventListener("formset:added", function (event) {
    var row = event.target;
    if (!row.querySelector || !row.querySelector("input.meeting-start")) {
      return;
    }
    var previous = row.previousElementSibling;
    while (previous && !previous.querySelector("input.meeting-start")) {
      previous = previous.previousElementSibling;
    }
    if (!previous) {
      return;
    }
    ["meeting-start", "meeting-end"].forEach(function (name) {
      var from = previous.querySelector("input." + name);
      var to = row.querySelector("input." + name);
      if (from && to && !to.value) {
        to.value = from.value;
      }
    });
  });
})();
