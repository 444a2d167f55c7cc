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

// Results grid: Up/Down (and Enter) move within a column; Left/Right move along the row once
// the cursor is at the edge of what is typed (or all of it is selected), as in a spreadsheet.
document.addEventListener("keydown", function (event) {
  const input = event.target;
  if (!input.matches || !input.matches("table.grid input")) return;
  if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
  let next = null;
  if (event.key === "ArrowDown" || event.key === "Enter" || event.key === "ArrowUp") {
    const row = parseInt(input.dataset.row, 10) + (event.key === "ArrowUp" ? -1 : 1);
    next = document.querySelector(
      'table.grid input[data-row="' + row + '"][data-col="' + input.dataset.col + '"]'
    );
  } else if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
    const length = input.value.length;
    const all = input.selectionStart === 0 && input.selectionEnd === length;
    const atStart = input.selectionStart === 0 && input.selectionEnd === 0;
    const atEnd = input.selectionStart === length && input.selectionEnd === length;
    const left = event.key === "ArrowLeft";
    if (!(all || (left ? atStart : atEnd))) return;
    const cells = Array.from(
      document.querySelectorAll('table.grid input[data-row="' + input.dataset.row + '"]')
    );
    next = cells[cells.indexOf(input) + (left ? -1 : 1)] || null;
  }
  if (next) {
    event.preventDefault();
    next.focus();
    next.select();
  }
});

// Copy buttons: `data-copy` names the field whose text goes to the clipboard; the status next
// to it says it worked (the Clipboard API needs a secure context, else select-and-copy).
document.addEventListener("click", function (event) {
  const button = event.target.closest ? event.target.closest("[data-copy]") : null;
  if (!button) return;
  const field = document.querySelector(button.dataset.copy);
  if (!field) return;
  const status = button.parentElement.querySelector("[data-copy-status]");
  function done(text) { if (status) status.textContent = text; }
  function fallback() {
    field.select();
    done(document.execCommand && document.execCommand("copy") ? "Copied." : "Selected: press Ctrl+C.");
  }
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(function () { done("Copied."); }, fallback);
  } else {
    fallback();
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
