// A list to put in order ([data-sortable]): drag an item, or move it with its up/down
// buttons. Each item keeps its position <select> (the no-JavaScript form): every move
// writes the new positions into them, so the server reads the same fields either way.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.querySelectorAll("[data-sortable]").forEach(function (list) {
    var status = list.parentNode.querySelector("[data-sortable-status]");
    var dragged = null;

    function items() { return Array.prototype.slice.call(list.querySelectorAll("[data-sortable-item]")); }
    function text(item) { return item.querySelector("[data-sortable-text]").textContent.trim(); }

    function renumber() {
      var all = items();
      all.forEach(function (item, i) {
        item.querySelector("[data-sortable-position]").value = String(i + 1);
        item.querySelector("[data-place]").textContent = String(i + 1);
        item.querySelector("[data-move='-1']").disabled = i === 0;
        item.querySelector("[data-move='1']").disabled = i === all.length - 1;
      });
    }

    function announce(item) {
      var all = items();
      if (status) status.textContent = text(item) + ": position " + (all.indexOf(item) + 1) + " of " + all.length + ".";
    }

    // Start from the order the selects hold (a form sent back with an error), else as shown.
    var start = items();
    var chosen = start.map(function (item) { return Number(item.querySelector("[data-sortable-position]").value) || 0; });
    if (chosen.every(function (v) { return v > 0; }) && new Set(chosen).size === chosen.length) {
      start.slice().sort(function (a, b) {
        return chosen[start.indexOf(a)] - chosen[start.indexOf(b)];
      }).forEach(function (item) { list.appendChild(item); });
    }
    renumber();

    list.addEventListener("click", function (e) {
      var button = e.target.closest("[data-move]");
      if (!button || button.disabled) return;
      var item = button.closest("[data-sortable-item]");
      var step = Number(button.getAttribute("data-move"));
      var sibling = step < 0 ? item.previousElementSibling : item.nextElementSibling;
      if (!sibling) return;
      list.insertBefore(item, step < 0 ? sibling : sibling.nextElementSibling);
      renumber();
      var again = item.querySelector("[data-move='" + step + "']");
      (again.disabled ? item.querySelector("[data-move='" + -step + "']") : again).focus();
      announce(item);
    });

    items().forEach(function (item) {
      item.setAttribute("draggable", "true");
      item.addEventListener("dragstart", function (e) {
        dragged = item;
        item.classList.add("dragging");
        e.dataTransfer.effectAllowed = "move";
        e.dataTransfer.setData("text/plain", text(item));
      });
      item.addEventListener("dragend", function () {
        item.classList.remove("dragging");
        items().forEach(function (i) { i.classList.remove("drop-before", "drop-after"); });
        dragged = null;
      });
    });

    function after(item, y) {
      var box = item.getBoundingClientRect();
      return y > box.top + box.height / 2;
    }
    list.addEventListener("dragover", function (e) {
      var over = e.target.closest && e.target.closest("[data-sortable-item]");
      if (!dragged || !over) return;
      e.preventDefault();
      items().forEach(function (i) { i.classList.remove("drop-before", "drop-after"); });
      if (over !== dragged) over.classList.add(after(over, e.clientY) ? "drop-after" : "drop-before");
    });
    list.addEventListener("drop", function (e) {
      var over = e.target.closest && e.target.closest("[data-sortable-item]");
      if (!dragged || !over) return;
      e.preventDefault();
      if (over !== dragged) list.insertBefore(dragged, after(over, e.clientY) ? over.nextElementSibling : over);
      renumber();
      announce(dragged);
    });
  });
})();

// The quiz with the keyboard: focus lands on the question (or the first error, or "Next"),
// number keys pick options, Enter checks and goes on. Without JavaScript the forms and
// links work the same; only the shortcuts are missing (and their hints hidden).
(function () {
  "use strict";
  var form = document.querySelector("form.answer-form");
  var next = document.querySelector("[data-next]");
  // Shortcut hints only where there is a keyboard to speak of: not on touch screens.
  var fine = !("ontouchstart" in window) && !(navigator.maxTouchPoints > 0);
  document.documentElement.classList.add("js", fine ? "keys" : "touch");
  if (form && !form.querySelector("input[name=choice]")) {
    var pick = form.querySelector("[data-choices-only]");
    if (pick) pick.remove();
  }

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
      var fields = form.querySelectorAll(
        "input:not([type=hidden]), select, textarea, button[data-move]:not([disabled])");
      var first = Array.prototype.find.call(fields, function (el) { return el.getClientRects().length > 0; });
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
