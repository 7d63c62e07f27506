// On every page: the browser's time zone goes with the log-in and sign-up forms (and is
// offered on the account page), so times and the study day follow the student's clock.
(function () {
  "use strict";
  var zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { zone = ""; }
  if (!zone) return;
  document.querySelectorAll("[data-browser-time-zone]").forEach(function (input) { input.value = zone; });
  var select = document.querySelector("[data-time-zone-form] select");
  if (select && select.value === "UTC" && zone !== "UTC") {
    var option = select.querySelector('option[value="' + zone.replace(/"/g, "") + '"]');
    if (option) {
      var hint = document.createElement("p");
      hint.className = "hint";
      hint.textContent = "Your browser says " + zone + ": choose it and save.";
      select.parentNode.appendChild(hint);
    }
  }
})();
