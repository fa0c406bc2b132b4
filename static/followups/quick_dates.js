// "Tomorrow", "In 3 days", "Next week" buttons beside a follow-up's date: one tap instead of a date picker.
(function () {
  "use strict";

  function isoDate(date) {
    var month = String(date.getMonth() + 1).padStart(2, "0"), day = String(date.getDate()).padStart(2, "0");
    return date.getFullYear() + "-" + month + "-" + day;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-quick-date]");
    if (!button) return;
    var input = document.getElementById(button.getAttribute("data-quick-date-for"));
    if (!input) return;
    var date = new Date();  // the browser's own day, which is the user's
    date.setDate(date.getDate() + parseInt(button.getAttribute("data-quick-date"), 10));
    input.value = isoDate(date);
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });
})();
