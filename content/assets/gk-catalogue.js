// Filters for the 政府信息公开目录 page. Without this script every row stays
// visible, grouped by column, so nothing depends on it.
(function () {
  "use strict";
  var form = document.getElementById("gk-catalogue-filter");
  if (!form) return;
  var groups = document.querySelectorAll(".gk-catalogue-group");

  function apply() {
    var column = form.elements.column.value;
    var year = form.elements.year.value;
    var region = form.elements.region.value;
    var shown = 0;
    groups.forEach(function (group) {
      var inGroup = 0;
      var columnOk = !column || group.getAttribute("data-column") === column;
      group.querySelectorAll("tbody tr").forEach(function (row) {
        var ok = columnOk &&
          (!year || row.getAttribute("data-year") === year) &&
          (!region || row.getAttribute("data-region") === region);
        row.hidden = !ok;
        if (ok) inGroup += 1;
      });
      group.hidden = inGroup === 0;
      shown += inGroup;
    });
    form.elements.count.value = "共 " + shown + " 条";
  }

  form.hidden = false;
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  apply();
})();
