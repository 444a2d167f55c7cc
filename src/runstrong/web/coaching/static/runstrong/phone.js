// The athlete's session page on a phone.
//
// Each ✓ saves its set: the tap is kept on the phone (localStorage) with an Idempotency-Key
// until the server has answered, so a tap made without signal is sent when the connection
// returns and stored once. Every answer shows next to its set. The rest timer follows the
// plan (after a superset's round, after both sides), counts wall-clock time, and sounds and
// vibrates where the phone allows; timed sets get a hold timer. A service worker keeps the
// next sessions' pages for the gym without signal. Without JavaScript the ✓ buttons are
// plain form posts, so none of this is needed to log a session.
(function () {
  "use strict";

  const QUEUE_KEY = "runstrong:set-queue";
  const RETRY_MS = 15000;
  const form = document.querySelector("form.log[data-set-url]");
  const dock = document.getElementById("phone-dock");
  const banner = document.getElementById("offline-banner");
  const bar = document.getElementById("rest-timer");

  // ------------------------------------------------------------------ the queue of taps
  function queueRead() {
    try {
      const items = JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]");
      return Array.isArray(items) ? items : [];
    } catch (error) {
      return [];
    }
  }

  function queueWrite(items) {
    try {
      localStorage.setItem(QUEUE_KEY, JSON.stringify(items));
    } catch (error) {
      // Storage full or refused (private mode): the tap is still sent while online.
    }
    showBanner();
  }

  function queueAdd(entry) {
    // A set tapped again before its first tap was sent: only the newest value goes.
    const items = queueRead().filter(function (item) {
      return !(item.url === entry.url && item.prefix === entry.prefix);
    });
    items.push(entry);
    queueWrite(items);
  }

  function queueRemove(key) {
    queueWrite(queueRead().filter(function (item) { return item.key !== key; }));
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return "set-" + crypto.randomUUID();
    return "set-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  async function send(entry) {
    let response;
    try {
      response = await fetch(entry.url, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          Accept: "application/json",
          "Content-Type": "application/x-www-form-urlencoded",
          "Idempotency-Key": entry.key,
          "X-CSRFToken": csrfToken(),
        },
        body: new URLSearchParams(entry.body).toString(),
      });
    } catch (error) {
      return { kind: "offline" };
    }
    const type = response.headers.get("Content-Type") || "";
    if (!type.includes("application/json")) {
      if (response.redirected) return { kind: "signed-out" };
      if (response.status === 403) return { kind: "stale" };
      if (response.status === 404) return { kind: "refused", answer: { message: GONE } };
      return { kind: "server" };
    }
    let answer;
    try {
      answer = await response.json();
    } catch (error) {
      return { kind: "server" };
    }
    if (response.ok) return { kind: "saved", answer: answer };
    if (response.status >= 500 || response.status === 429) return { kind: "server" };
    return { kind: "refused", answer: answer };
  }

  const GONE = "this session is no longer in your plan (a new plan replaced it).";
  let flushing = false;
  let again = false;
  let retryTimer = null;

  async function flush() {
    if (flushing) {
      again = true; // a tap while sending: its turn comes right after
      return;
    }
    flushing = true;
    again = false;
    clearTimeout(retryTimer);
    let stopped = false;
    try {
      for (const entry of queueRead()) {
        rowShow(entry, "pending");
        const result = await send(entry);
        if (result.kind === "saved") {
          queueRemove(entry.key);
          rowSaved(entry, result.answer);
        } else if (result.kind === "refused") {
          queueRemove(entry.key);
          rowRefused(entry, result.answer);
        } else {
          rowShow(entry, result.kind);
          stopped = true;
          break; // no connection or a server problem: try again later, in order
        }
      }
    } finally {
      flushing = false;
      showBanner();
      if (queueRead().length) retryTimer = setTimeout(flush, stopped && !again ? RETRY_MS : 0);
    }
  }

  // ------------------------------------------------------------------ what each set shows
  function rowOf(entry) {
    if (!form || entry.url !== form.dataset.setUrl) return null;
    return document.getElementById(entry.prefix);
  }

  function message(row, kind, html) {
    const box = row.querySelector(".set-msg");
    if (box) {
      box.className = "set-msg " + kind;
      box.innerHTML = html;
    }
  }

  function escape(text) {
    const div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  const ROW_STATES = ["pending", "queued", "failed", "logged"];
  const WAITING = {
    pending: ["…", "Saving…"],
    offline: ["✓ kept", "Kept on this phone; sent when the connection returns."],
    server: ["Retry", "Not saved yet: the server had a problem. It is kept on this phone."],
    "signed-out": ["Retry", "Not sent: you are signed out. Sign in again; the set is kept on this phone."],
    stale: ["Retry", "Not sent: this page is out of date. Reload it; the set is kept on this phone."],
  };

  function rowState(row, state) {
    ROW_STATES.forEach(function (name) { row.classList.toggle(name, name === state); });
  }

  function rowShow(entry, kind) {
    const row = rowOf(entry);
    if (!row) return;
    const [tick, text] = WAITING[kind];
    rowState(row, kind === "pending" ? "pending" : "queued");
    row.querySelector(".tick").textContent = tick;
    row.querySelector(".tick").title = text;
    // Waiting for a connection is no failure: the amber "✓ kept" and the banner say it.
    let html = kind === "offline" ? "" : "<p>" + escape(text) + "</p>";
    if (kind === "signed-out") html += '<p><a href="/login/">Sign in</a></p>';
    if (kind !== "pending" && kind !== "offline") {
      html += '<button type="button" class="retry">Send now</button>';
    }
    message(row, kind === "pending" ? "" : "waiting", html);
  }

  function rowSaved(entry, answer) {
    const row = rowOf(entry);
    if (row) {
      rowState(row, "logged");
      row.querySelector(".tick").textContent = "✓ saved";
      row.querySelectorAll("input.num").forEach(function (input) { input.classList.remove("invalid"); });
      // A set of a session the coach's new plan replaced went to the session that took over.
      message(row, "", answer.moved ? '<p class="ok">' + escape(answer.message) + "</p>" : "");
    }
    if (answer.session && form && entry.url === form.dataset.setUrl) sessionShow(answer.session);
  }

  function rowRefused(entry, answer) {
    const row = rowOf(entry);
    if (!row) return;
    const errors = answer.errors || {};
    rowState(row, "failed");
    row.querySelector(".tick").textContent = "✓";
    row.querySelector("input.done").classList.toggle("invalid", !!(errors.done && errors.done.length));
    row.querySelector("input.load").classList.toggle("invalid", !!(errors.load && errors.load.length));
    const lines = (errors.done || []).concat(errors.load || []);
    if (!lines.length) lines.push(answer.message || "Not saved.");
    message(row, "error", lines.map(function (line) {
      return '<p class="error">Not saved: ' + escape(line) + "</p>";
    }).join(""));
  }

  function sessionShow(session) {
    const status = document.getElementById("session-status");
    if (status) {
      status.querySelector(".status-text").textContent = session.text;
      status.className = "session-status " + session.state;
    }
    if (session.state === form.dataset.state) return;
    form.dataset.state = session.state;
    if (session.state === "open") return;
    // Finished by its last set: the sets are history now; how it felt can still follow.
    form.querySelectorAll(".set-row input.num, .set-row button").forEach(function (el) {
      el.disabled = true;
    });
    const missed = document.querySelector(".missed-box");
    if (missed) missed.remove();
    const finish = document.getElementById("finish-button");
    if (finish && session.state === "details") {
      finish.textContent = "Save effort, pain and notes";
      const hint = finish.nextElementSibling;
      if (hint) hint.textContent = "Every set is saved: this only adds how it felt.";
      const heading = document.querySelector("#session-details h2");
      if (heading) heading.textContent = "How did it feel?";
    }
  }

  // ------------------------------------------------------------------ tapping a set
  function number(text) {
    let value = String(text).trim();
    if ((value.match(/,/g) || []).length === 1 && value.indexOf(".") < 0) value = value.replace(",", ".");
    if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(value)) return NaN;
    return parseFloat(value);
  }

  // The same words the server uses (forms.py LoggedNumberField), so offline taps say them too.
  function localErrors(row) {
    const done = row.querySelector("input.done").value;
    const load = row.querySelector("input.load").value;
    const errors = { done: [], load: [] };
    if (!done.trim()) {
      errors.done.push("The box is empty: type the " + row.dataset.measure + " you did, e.g. 10.");
    } else if (isNaN(number(done))) {
      errors.done.push("Type a number, e.g. 12 or 16,5.");
    } else if (number(done) < 0) {
      errors.done.push("Type 0 or more.");
    }
    if (load.trim() && isNaN(number(load))) errors.load.push("Type a number, e.g. 12 or 16,5.");
    else if (load.trim() && number(load) < 0) errors.load.push("Type 0 or more.");
    return errors.done.length || errors.load.length ? errors : null;
  }

  function tap(row) {
    if (!form || form.dataset.state !== "open") return;
    const errors = localErrors(row);
    const prefix = row.dataset.prefix;
    const entry = {
      key: newKey(),
      url: form.dataset.setUrl,
      prefix: prefix,
      at: Date.now(),
      body: { prefix: prefix },
    };
    entry.body[prefix + "-done"] = row.querySelector("input.done").value;
    entry.body[prefix + "-load"] = row.querySelector("input.load").value;
    if (errors) {
      rowRefused(entry, { errors: errors });
      return;
    }
    sound.unlock();
    queueAdd(entry);
    rowShow(entry, "pending");
    if (!navigator.onLine) rowShow(entry, "offline");
    afterSet(row);
    flush();
  }

  // ------------------------------------------------------------------ the dock: banner + timer
  function dockResize() {
    const height = dock && !dock.hidden ? dock.offsetHeight : 0;
    document.documentElement.style.setProperty("--dock-height", height + "px");
  }

  function dockUpdate() {
    if (!dock) return;
    dock.hidden = (!banner || banner.hidden) && (!bar || bar.hidden);
    dockResize();
  }

  function showBanner() {
    if (!banner) return;
    const waiting = queueRead().length;
    const sets = waiting === 1 ? "1 set" : waiting + " sets";
    let html = "";
    if (!navigator.onLine && waiting) {
      html = "<strong>Offline</strong> · " + sets + " waiting to send. They go when the connection returns.";
    } else if (!navigator.onLine) {
      html = "<strong>Offline</strong> · sets you tap are kept on this phone.";
    } else if (waiting) {
      html = sets + " waiting to send. " + '<button type="button" class="retry">Send now</button>';
    }
    banner.innerHTML = html;
    banner.hidden = !html;
    banner.dataset.waiting = String(waiting);
    const here = queueRead().filter(function (entry) { return rowOf(entry); }).length;
    const note = document.querySelector("#session-status .status-waiting");
    if (note) note.textContent = here ? here + " kept on this phone, not sent yet." : "";
    dockUpdate();
  }

  // ------------------------------------------------------------------ rest and hold timers
  const sound = (function () {
    let context = null;
    return {
      // Phones let a page make sound only after a tap: the first ✓ opens the audio.
      unlock: function () {
        const Audio = window.AudioContext || window.webkitAudioContext;
        if (!Audio) return;
        try {
          if (!context) context = new Audio();
          if (context.state === "suspended") context.resume();
        } catch (error) {
          context = null;
        }
      },
      ring: function () {
        if (navigator.vibrate) {
          try { navigator.vibrate([200, 100, 200]); } catch (error) { /* not allowed */ }
        }
        if (!context) return;
        [0, 0.25].forEach(function (delay) {
          const tone = context.createOscillator();
          const gain = context.createGain();
          tone.frequency.value = 880;
          gain.gain.value = 0.2;
          tone.connect(gain).connect(context.destination);
          tone.start(context.currentTime + delay);
          tone.stop(context.currentTime + delay + 0.15);
        });
      },
    };
  })();

  const timer = { kind: null, end: 0, start: 0, row: null, ticking: null, hideLater: null };

  function barShow(label, left, buttons) {
    if (!bar) return;
    clearTimeout(timer.hideLater);
    bar.querySelector(".rest-label").textContent = label;
    bar.querySelector(".rest-left").textContent = left;
    bar.querySelector(".rest-more").hidden = buttons.indexOf("more") < 0;
    const skip = bar.querySelector(".rest-skip");
    skip.hidden = buttons.indexOf("skip") < 0 && buttons.indexOf("stop") < 0;
    skip.textContent = buttons.indexOf("stop") >= 0 ? "Stop" : "Skip";
    bar.dataset.kind = timer.kind || "";
    bar.hidden = false;
    dockUpdate();
  }

  function barHide() {
    clearInterval(timer.ticking);
    timer.kind = null;
    if (bar) bar.hidden = true;
    dockUpdate();
  }

  function clock(seconds) {
    const minutes = Math.floor(seconds / 60);
    const rest = seconds % 60;
    return minutes ? minutes + ":" + String(rest).padStart(2, "0") : seconds + " s";
  }

  // Wall-clock time: each render reads Date.now(), so a locked phone or a throttled
  // interval never makes the timer fall behind.
  function render() {
    if (!timer.kind) return;
    const now = Date.now();
    const left = Math.max(0, Math.ceil((timer.end - now) / 1000));
    if (timer.kind === "rest") {
      if (left <= 0) return restOver();
      barShow("Rest", clock(left), ["more", "skip"]);
    } else if (timer.kind === "hold") {
      if (left <= 0) return holdOver(Math.round((timer.end - timer.start) / 1000));
      barShow("Hold", clock(left), ["stop"]);
    }
  }

  function startTicking() {
    clearInterval(timer.ticking);
    timer.ticking = setInterval(render, 250);
    render();
  }

  function restStart(seconds) {
    if (!(seconds > 0)) return;
    timer.kind = "rest";
    timer.end = Date.now() + seconds * 1000;
    startTicking();
  }

  function restOver() {
    clearInterval(timer.ticking);
    timer.kind = "done";
    sound.ring();
    barShow("Rest over:", "next set", []);
    timer.hideLater = setTimeout(barHide, 6000);
  }

  function holdStart(row) {
    const done = row.querySelector("input.done");
    const seconds = number(done.value);
    if (!(seconds > 0)) {
      rowRefused({ prefix: row.dataset.prefix, url: form.dataset.setUrl }, {
        errors: { done: ["Type how many seconds to hold first."] },
      });
      return;
    }
    sound.unlock();
    timer.kind = "hold";
    timer.row = row;
    timer.start = Date.now();
    timer.end = timer.start + seconds * 1000;
    startTicking();
  }

  function holdOver(seconds) {
    clearInterval(timer.ticking);
    const row = timer.row;
    timer.kind = "done";
    sound.ring();
    if (row) {
      row.querySelector("input.done").value = String(seconds);
      message(row, "", "<p>Held " + seconds + " s: tap ✓ to save it.</p>");
    }
    barShow("Hold done:", seconds + " s", []);
    timer.hideLater = setTimeout(barHide, 6000);
  }

  function done(row) {
    return ["logged", "pending", "queued"].some(function (name) { return row.classList.contains(name); });
  }

  // One round is one set of every exercise in the block (A1 and A2 of a superset) and both
  // sides of a per-side exercise: the rest comes after the round, never inside it.
  function afterSet(row) {
    const rows = Array.prototype.slice.call(form.querySelectorAll(".set-row"));
    const round = rows.filter(function (other) {
      return other.dataset.block === row.dataset.block && other.dataset.number === row.dataset.number;
    });
    const open = round.filter(function (other) { return !done(other); });
    const next = open[0] || rows.filter(function (other) { return !done(other); })[0];
    if (!next) {
      if (timer.kind !== "hold") barHide();
      return; // the session's last set: nothing to rest for
    }
    if (open.length) {
      // Inside the round: straight on to the partner exercise or the other side.
      if (timer.kind !== "hold") barHide();
    } else {
      restStart(parseInt(row.dataset.rest, 10));
    }
    // Bring the next set into view above the dock, never under it.
    requestAnimationFrame(function () {
      next.scrollIntoView({ block: "nearest", behavior: "smooth" });
    });
  }

  // ------------------------------------------------------------------ offline pages
  function serviceWorker() {
    const meta = document.querySelector('meta[name="runstrong-sw"]');
    if (!meta || !("serviceWorker" in navigator)) return;
    const keep = document.querySelector('meta[name="runstrong-offline"]');
    const pages = (keep ? keep.content.split(" ") : []).filter(Boolean).map(function (page) {
      const at = page.lastIndexOf("@");
      return { url: page.slice(0, at), version: page.slice(at + 1) };
    });
    navigator.serviceWorker
      .register(meta.content)
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function (registration) {
        if (!registration.active) return;
        if (!navigator.serviceWorker.controller) registration.active.postMessage({ type: "claim" });
        registration.active.postMessage({ type: "keep", pages: pages, current: location.pathname });
      })
      .catch(function () { /* no offline pages: the page itself still works */ });
  }

  // ------------------------------------------------------------------ wiring
  function restoreQueued() {
    queueRead().forEach(function (entry) {
      const row = rowOf(entry);
      if (!row) return;
      row.querySelector("input.done").value = entry.body[entry.prefix + "-done"];
      row.querySelector("input.load").value = entry.body[entry.prefix + "-load"];
      rowShow(entry, "offline");
    });
  }

  if (form) {
    form.querySelectorAll(".set-row .hold").forEach(function (button) { button.hidden = false; });
    form.addEventListener("click", function (event) {
      const tick = event.target.closest(".set-row .tick");
      if (tick) {
        event.preventDefault();
        tap(tick.closest(".set-row"));
        return;
      }
      const hold = event.target.closest(".set-row .hold");
      if (hold) holdStart(hold.closest(".set-row"));
    });
    form.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || !event.target.matches(".set-row input.num")) return;
      event.preventDefault();
      tap(event.target.closest(".set-row"));
    });
    form.addEventListener("submit", function (event) {
      const finish = document.getElementById("finish-button");
      if (event.submitter && event.submitter.name === "prefix") {
        event.preventDefault(); // Enter outside a set box: save the session, as the button says
        if (finish && !finish.disabled) form.requestSubmit(finish);
        return;
      }
      if (!navigator.onLine) {
        event.preventDefault();
        const note = document.getElementById("finish-note") || document.createElement("p");
        note.id = "finish-note";
        note.className = "error";
        note.textContent = "No connection: nothing is lost. Save again once you are back online.";
        (finish || form).insertAdjacentElement("afterend", note);
      }
    });
  }
  document.addEventListener("click", function (event) {
    if (event.target.closest(".retry")) flush();
  });
  if (bar) {
    bar.querySelector(".rest-more").addEventListener("click", function () {
      if (timer.kind === "rest") timer.end += 15000;
      render();
    });
    bar.querySelector(".rest-skip").addEventListener("click", function () {
      if (timer.kind === "hold") return holdOver(Math.floor((Date.now() - timer.start) / 1000));
      barHide();
    });
  }
  // The dock comes after the whole session in the tab order: Esc skips the rest (or stops a
  // hold) from wherever the keyboard is.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !bar || bar.hidden) return;
    const skip = bar.querySelector(".rest-skip");
    if (!skip.hidden) skip.click();
  });
  window.addEventListener("online", function () { showBanner(); flush(); });
  window.addEventListener("offline", showBanner);
  document.addEventListener("visibilitychange", render);
  if (window.ResizeObserver && dock) new ResizeObserver(dockResize).observe(dock);

  restoreQueued();
  showBanner();
  if (queueRead().length && navigator.onLine) flush();
  serviceWorker();
})();
