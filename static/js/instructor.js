// "Add another" rows without a page reload. Without JavaScript the same buttons submit
// the form and the server adds the row, so this is only a shortcut.
(function () {
  "use strict";

  function renumber(el, index) {
    ["name", "id", "for"].forEach(function (attr) {
      var value = el.getAttribute(attr);
      if (value) {
        el.setAttribute(attr, value.replace(/^([a-z_]+)-\d+/, "$1-" + index));
      }
    });
  }

  // The paragraph guide follows the section chosen in the form.
  document.addEventListener("change", function (event) {
    if (event.target.id !== "section") {
      return;
    }
    document.querySelectorAll(".paragraph-guide [data-section]").forEach(function (group) {
      group.hidden = group.getAttribute("data-section") !== event.target.value;
    });
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-row]");
    if (!button) {
      return;
    }
    var container = button.closest("[data-rows]");
    var rows = container ? container.querySelectorAll(".row-entry") : [];
    if (!rows.length) {
      return; // let the form submit: the server adds the row
    }
    event.preventDefault();
    var last = rows[rows.length - 1];
    var copy = last.cloneNode(true);
    var index = rows.length;
    copy.querySelectorAll("input, label").forEach(function (el) {
      renumber(el, index);
      if (el.tagName === "INPUT") {
        if (el.type === "checkbox") {
          el.checked = false;
        } else if (el.type === "radio") {
          el.checked = false; // the single right option: its value is the row number
          el.value = String(index);
        } else {
          el.value = "";
        }
        el.removeAttribute("aria-invalid");
      } else if (!el.querySelector("input")) {
        // "Option 4" -> "Option 5"; a label wrapping its checkbox keeps its text
        el.textContent = el.textContent.replace(/\d+(\s*)$/, String(index + 1) + "$1");
      }
    });
    last.after(copy);
    var first = copy.querySelector("input");
    if (first) {
      first.focus();
    }
  });
})();
