// Roster pages: copy an invitation link, and send a form once (a double click would only
// repeat an import that is safe to repeat, but it would show the links of the second one).
(function () {
  "use strict";
  function say(text) {
    var status = document.getElementById("copy-status");
    if (status) status.textContent = text;
  }
  function copied(button) {
    var before = button.dataset.label || button.textContent;
    button.dataset.label = before;
    button.textContent = "Copied";
    say("Link copied");
    window.setTimeout(function () { button.textContent = before; }, 2000);
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy]");
    if (!button) return;
    var input = document.getElementById(button.dataset.copy);
    if (!input) return;
    input.focus();
    input.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(
        function () { copied(button); },
        function () { say("Copy failed: the link is selected, press Ctrl+C"); }
      );
    } else {
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      if (ok) copied(button); else say("The link is selected: press Ctrl+C to copy it");
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-once")) return;
    if (form.dataset.sent === "1") { event.preventDefault(); return; }
    form.dataset.sent = "1";
  });
  // Back to a page kept in the browser's cache: its forms may be sent again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-once]").forEach(function (form) {
      delete form.dataset.sent;
    });
  });
})();
