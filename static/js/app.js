// ServiceCRM's own behaviour: the call timer and the customer picker. No inline scripts (CSP: 'self').
(function () {
  "use strict";

  function formatDuration(seconds) {
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    var mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }

  // "4:30" or "1:02:03" to seconds; a plain number is minutes (what people type by hand).
  function parseDuration(text) {
    text = String(text || "").trim().replace(",", ".");
    if (!text) return 0;
    var parts = text.split(":");
    if (parts.length === 1) return Math.round((parseFloat(text) || 0) * 60);
    return parts.reduce(function (total, part) { return total * 60 + (parseInt(part, 10) || 0); }, 0);
  }

  // Call timer: start/stop fills the duration field (m:ss) while the user talks.
  function initCallTimer(root) {
    var button = root.querySelector("[data-call-timer-toggle]");
    var display = root.querySelector("[data-call-timer-display]");
    var form = root.closest("form");
    var target = form && form.querySelector("[data-call-timer-target]");
    if (!button || !target) return;
    var startedAt = null, base = 0, ticker = null;

    function elapsed() { return base + Math.floor((Date.now() - startedAt) / 1000); }
    function tick() { var s = elapsed(); display.textContent = formatDuration(s); target.value = formatDuration(s); }

    button.addEventListener("click", function () {
      if (startedAt === null) {
        base = parseDuration(target.value);
        startedAt = Date.now();
        ticker = window.setInterval(tick, 1000);
        button.textContent = "Stop call timer";
        button.setAttribute("aria-pressed", "true");
        button.classList.replace("btn-outline-success", "btn-danger");
      } else {
        tick();
        window.clearInterval(ticker);
        startedAt = null;
        button.textContent = "Resume call timer";
        button.setAttribute("aria-pressed", "false");
        button.classList.replace("btn-danger", "btn-outline-success");
      }
    });
    // A timer still running when the form is sent records the time up to the click.
    form.addEventListener("submit", function () { if (startedAt !== null) tick(); });
    if (target.value) display.textContent = formatDuration(parseDuration(target.value));
  }

  // Customer picker: a search box whose results set a hidden id.
  function initPicker(root) {
    var value = root.querySelector("[data-picker-value]");
    var query = root.querySelector("[data-picker-query]");
    var label = root.querySelector("[data-picker-label]");
    var results = root.querySelector(".picker-results");
    root.addEventListener("click", function (event) {
      var choice = event.target.closest("[data-picker-choice]");
      if (choice) {
        value.value = choice.getAttribute("data-picker-choice");
        label.textContent = "Chosen: " + choice.getAttribute("data-picker-choice-label");
        query.placeholder = choice.getAttribute("data-picker-choice-label");
        query.value = "";
        results.innerHTML = "";
      } else if (event.target.closest("[data-picker-clear]")) {
        value.value = "";
        label.textContent = "Nobody chosen";
        query.placeholder = "Search by name or phone";
        query.value = "";
        results.innerHTML = "";
      }
    });
    // Enter in the search box must not submit the whole customer form.
    query.addEventListener("keydown", function (event) { if (event.key === "Enter") event.preventDefault(); });
  }

  function init(scope) {
    scope.querySelectorAll("[data-call-timer]").forEach(initCallTimer);
    scope.querySelectorAll("[data-customer-picker]").forEach(initPicker);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
})();
