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
