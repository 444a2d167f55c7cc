// The plan review's inline item editor: focus moves into the editor when it opens and back to
// the item when it closes (Save or Cancel); Escape inside the editor cancels it.
(function () {
  var returnTo = null;
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.elt;
    if (!target || !target.id || target.id.indexOf("item-") !== 0) {
      target = event.detail.target;
    }
    var row = target && target.id ? document.getElementById(target.id) : null;
    if (!row || !row.classList.contains("item")) return;
    var editor = row.querySelector("form.item-editor");
    if (editor) {
      returnTo = row.id;
      var invalid = editor.querySelector(".has-error input, .has-error select");
      var first = invalid || editor.querySelector("input:not([type=hidden]), select");
      if (first) { first.focus(); if (first.select) first.select(); }
    } else {
      var link = row.querySelector("a.item-edit");
      if (link) link.focus();
      returnTo = null;
    }
  });
  // The week pane: after a week or athlete is chosen, focus goes to the pane's title.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail.target && event.detail.target.id === "draft-pane") {
      var title = document.getElementById("pane-title");
      if (title) { title.setAttribute("tabindex", "-1"); title.focus(); }
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var editor = event.target.closest && event.target.closest("form.item-editor");
    if (!editor) return;
    var cancel = editor.querySelector("a.cancel");
    if (cancel) { event.preventDefault(); cancel.click(); }
  });
})();
