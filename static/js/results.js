// A link from the results grid opens that question's details and moves focus to it.
(function () {
  "use strict";
  function open() {
    var target = location.hash && document.getElementById(location.hash.slice(1));
    if (!target) return;
    var details = target.querySelector("details");
    if (details) details.open = true;
    target.focus();
  }
  window.addEventListener("hashchange", open);
  open();
})();
