/* Charts of the needs report, drawn by the vendored Chart.js from the json_script data. */
(function () {
  "use strict";
  var COLOURS = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#d63384", "#20c997"];
  function draw() {
    var source = document.getElementById("report-charts");
    if (!source || typeof window.Chart === "undefined") { return; }
    JSON.parse(source.textContent).forEach(function (chart) {
      var canvas = document.querySelector('canvas[data-chart="' + chart.key + '"]');
      if (!canvas) { return; }
      chart.datasets.forEach(function (dataset, index) {
        dataset.backgroundColor = COLOURS[index % COLOURS.length];
        dataset.borderColor = COLOURS[index % COLOURS.length];
        dataset.spanGaps = false;
      });
      new window.Chart(canvas, {
        type: chart.type,
        data: { labels: chart.labels, datasets: chart.datasets },
        options: { responsive: true, maintainAspectRatio: true, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
      });
    });
  }
  document.addEventListener("click", function (event) {
    if (event.target.matches("[data-print]")) { window.print(); }
  });
  document.addEventListener("DOMContentLoaded", draw);
})();
