// Flashcard study, smoother: flip in place (Space or the link), rate with 1-4.
// Without this file the page still works: the link loads the back, the buttons post.
(function () {
  "use strict";
  var root = document.querySelector("[data-study]");
  if (!root) return;

  var link = document.getElementById("show-answer");
  var template = document.getElementById("card-back-template");
  var submitting = false;

  root.querySelectorAll(".keys-hint").forEach(function (el) { el.hidden = false; });

  function backShown() { return document.getElementById("card-back") !== null; }

  function flip() {
    if (backShown() || !template || !link) return;
    var back = template.content.firstElementChild.cloneNode(true);
    var flipRow = link.closest(".flip");
    flipRow.replaceWith(back);
    back.focus();
    wireForm(back.querySelector("form.rating-form"));
  }

  function wireForm(form) {
    if (!form) return;
    // One rating per card: a second click or key press while the first is on its way is
    // dropped here; the server ignores a repeated step anyway.
    form.addEventListener("submit", function (event) {
      if (submitting) { event.preventDefault(); return; }
      submitting = true;
      form.classList.add("is-submitting");
    });
  }

  function rate(value) {
    var button = root.querySelector('.rating-form button[data-key="' + value + '"]');
    if (button && !submitting) button.click();
  }

  if (link) {
    link.addEventListener("click", function (event) {
      if (!template) return;
      event.preventDefault();
      flip();
    });
  }
  wireForm(root.querySelector("form.rating-form"));

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.isComposing) return;
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || event.target.isContentEditable) return;
    if (event.key === " " || event.key === "Spacebar") {
      // Leave Space to a focused button or another link; on "Show answer" it flips.
      if (tag === "button" || (tag === "a" && event.target !== link)) return;
      event.preventDefault();
      flip();
    } else if (/^[1-4]$/.test(event.key) && backShown()) {
      event.preventDefault();
      rate(event.key);
    }
  });
})();
