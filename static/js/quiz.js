// The quiz with the keyboard: focus lands on the question (or the first error, or "Next"),
// number keys pick options, Enter checks and goes on. Without JavaScript the forms and
// links work the same; only the shortcuts are missing (and their hints hidden).
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var form = document.querySelector("form.answer-form");
  var next = document.querySelector("[data-next]");
  var fine = window.matchMedia("(hover: hover) and (pointer: fine)").matches;

  function typing(el) {
    if (!el) return false;
    if (el.tagName === "TEXTAREA" || el.tagName === "SELECT") return true;
    return el.tagName === "INPUT" && !/^(radio|checkbox|submit|button)$/.test(el.type);
  }

  // On a phone, focusing a text box would open the keyboard over the question: focus the
  // question itself there, so a screen reader still starts at it.
  var target = document.querySelector("[data-focus-first]");
  if (!target && form) {
    target = form.querySelector("[aria-invalid=true]");
    if (!target) {
      var first = form.querySelector("input:not([type=hidden]), select, textarea, [data-focus]");
      target = first && (fine || !typing(first)) ? first : form.closest("section");
    }
  }
  if (!target) target = next;
  if (target && document.activeElement !== target) {
    if (!target.hasAttribute("tabindex") && !/^(A|INPUT|SELECT|TEXTAREA|BUTTON)$/.test(target.tagName)) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus({ preventScroll: false });
  }

  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey || e.defaultPrevented) return;
    var el = document.activeElement;
    if (form && /^[1-9]$/.test(e.key) && !typing(el)) {
      var choices = form.querySelectorAll("input[name=choice]");
      var choice = choices[Number(e.key) - 1];
      if (choice) {
        e.preventDefault();
        choice.checked = choice.type === "radio" ? true : !choice.checked;
        choice.focus();
        choice.dispatchEvent(new Event("change", { bubbles: true }));
      }
      return;
    }
    if (e.key !== "Enter") return;
    if (form && el && form.contains(el) && el.tagName === "INPUT" && !typing(el)) {
      e.preventDefault(); // a radio or check box: check the answer, as a text box would
      form.requestSubmit();
    } else if (!form && next && (el === document.body || el === null || el.id === "main")) {
      e.preventDefault();
      next.click();
    }
  });
})();
