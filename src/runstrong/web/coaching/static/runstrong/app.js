// Rest timer: confirming a set starts a countdown of that exercise's rest.
(function () {
  let timer = null;
  function startRest(seconds) {
    const box = document.getElementById("rest-timer");
    if (!box || !seconds) return;
    clearInterval(timer);
    let left = seconds;
    box.hidden = false;
    box.textContent = "Rest " + left + " s";
    timer = setInterval(function () {
      left -= 1;
      if (left <= 0) {
        clearInterval(timer);
        box.textContent = "Go!";
        setTimeout(function () { box.hidden = true; }, 3000);
        return;
      }
      box.textContent = "Rest " + left + " s";
    }, 1000);
  }
  document.addEventListener("htmx:afterSettle", function (event) {
    const swapped = event.detail.target;
    const row = swapped && swapped.id ? document.getElementById(swapped.id) : null;
    if (row && row.classList.contains("set-row") && row.classList.contains("logged")) {
      startRest(parseInt(row.dataset.rest, 10));
    }
  });
})();

// Results grid: arrow keys (and Enter) move between cells of the same column.
document.addEventListener("keydown", function (event) {
  const input = event.target;
  if (!input.matches || !input.matches("table.grid input")) return;
  const moves = { ArrowDown: 1, Enter: 1, ArrowUp: -1 };
  if (!(event.key in moves)) return;
  const row = parseInt(input.dataset.row, 10) + moves[event.key];
  const next = document.querySelector(
    'table.grid input[data-row="' + row + '"][data-col="' + input.dataset.col + '"]'
  );
  if (next) {
    event.preventDefault();
    next.focus();
    next.select();
  }
});

// Charts: the figure comes as a JSON data block next to its div (no inline script).
document.addEventListener("DOMContentLoaded", function () {
  if (typeof Plotly === "undefined") return;
  document.querySelectorAll("[data-chart]").forEach(function (div) {
    const data = document.getElementById("chart-" + div.dataset.chart);
    if (!data) return;
    const figure = JSON.parse(data.textContent);
    // A phone's narrow plot: fewer date labels, so they stay level and apart.
    if (div.clientWidth < 480 && figure.layout.xaxis) figure.layout.xaxis.nticks = 3;
    Plotly.newPlot(div, figure.data, figure.layout, { responsive: true, displayModeBar: false });
  });
});
