// The athlete's progress charts: even the partial plotly.js bundle is 1 MB (about 350 KB
// compressed), so on a phone it loads only when asked for; the same numbers are always in the
// tables. Without JavaScript the button stays hidden.
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("show-charts");
  if (!button) return;
  button.hidden = false;
  function draw() {
    document.querySelectorAll("figure.chart[hidden]").forEach(function (figure) {
      var div = figure.querySelector("[data-chart]");
      var data = document.getElementById("chart-" + div.dataset.chart);
      if (!data) return;
      figure.hidden = false;
      var chart = JSON.parse(data.textContent);
      // A phone's narrow plot: fewer date labels, so they stay level and apart.
      if (div.clientWidth < 480 && chart.layout.xaxis) chart.layout.xaxis.nticks = 3;
      Plotly.newPlot(div, chart.data, chart.layout, { responsive: true, displayModeBar: false });
    });
    button.hidden = true;
  }
  button.addEventListener("click", function () {
    if (typeof Plotly !== "undefined") return draw();
    button.disabled = true;
    button.textContent = "Loading charts…";
    var script = document.createElement("script");
    script.src = button.dataset.src;
    script.onload = draw;
    script.onerror = function () {
      script.remove();
      button.disabled = false;
      button.textContent = "Charts did not load: try again";
    };
    document.head.appendChild(script);
  });
});
