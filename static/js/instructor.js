// "Add another" rows without a page reload. Without JavaScript the same buttons submit
// the form and the server adds the row, so this is only a shortcut.
(function () {
  "use strict";

  // A row's fields are named "<rows>-<n>..." ("options-2-text"); rows inside a row
  // (a blank's answers, "gaps-1-accept-0") name their prefix in data-row-prefix.
  function renumber(el, index, prefix) {
    var pattern = prefix
      ? new RegExp("^(" + prefix.replace(/[-]/g, "\\-") + ")-\\d+")
      : /^([a-z_]+)-\d+/;
    ["name", "id", "for"].forEach(function (attr) {
      var value = el.getAttribute(attr);
      if (value) {
        el.setAttribute(attr, value.replace(pattern, "$1-" + index));
      }
    });
  }

  // The paragraph picker follows the section chosen in the form: the other sections'
  // paragraphs are hidden and disabled (never sent), and the button that draws the form
  // again for a new section, needed only without JavaScript, goes.
  document.querySelectorAll("[data-no-script]").forEach(function (el) {
    el.hidden = true;
  });
  document.addEventListener("change", function (event) {
    if (event.target.id !== "section") {
      return;
    }
    var slug = event.target.value;
    document.querySelectorAll(".paragraph-picker [data-section]").forEach(function (group) {
      var on = group.getAttribute("data-section") === slug;
      group.hidden = !on;
      group.querySelectorAll("input").forEach(function (box) {
        box.disabled = !on;
      });
    });
    var shown = document.querySelector("input[name=paragraphs_section]");
    if (shown) {
      shown.value = slug;
    }
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
    var prefix = container.getAttribute("data-row-prefix");
    copy.classList.remove("has-error");
    copy.querySelectorAll(".error").forEach(function (el) {
      el.remove(); // the copied row's message belongs to the row it was copied from
    });
    copy.querySelectorAll("input, label").forEach(function (el) {
      renumber(el, index, prefix);
      if (prefix && el.tagName === "INPUT") {
        el.setAttribute("aria-describedby", prefix + "-title");
      }
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
