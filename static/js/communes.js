/* The commune picker (hom/territories/widgets.py): reveals the search box above the grouped
   <select>, and puts the commune chosen among the results (htmx partial) into the <select>.
   Keyboard: arrow down from the box into the results, up/down between them, Enter chooses,
   Escape goes back to the box. Loaded with defer, once per page whatever the number of pickers. */
(function () {
  "use strict";
  if (window.homCommunePicker) { return; }
  window.homCommunePicker = true;

  function setUp(root) {
    root.querySelectorAll("[data-commune-picker]").forEach(function (picker) {
      if (picker.dataset.ready) { return; }
      picker.dataset.ready = "1";
      var search = picker.querySelector("[data-commune-search]");
      search.hidden = false;
      search.querySelector("input").disabled = false;
    });
  }

  function choices(picker) {
    return Array.prototype.slice.call(picker.querySelectorAll("[data-commune-choice]"));
  }

  function clear(picker) {
    picker.querySelector("[data-commune-results]").innerHTML = "";
  }

  function choose(button) {
    var picker = button.closest("[data-commune-picker]");
    var select = picker.querySelector("select");
    var value = picker.dataset.valueKey === "code" ? button.dataset.code : button.dataset.pk;
    select.value = value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    picker.querySelector("[data-commune-status]").textContent = button.textContent;
    picker.querySelector("[data-commune-search] input").value = "";
    clear(picker);
    select.focus();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-commune-choice]");
    if (button) { choose(button); }
  });

  document.addEventListener("keydown", function (event) {
    var picker = event.target.closest && event.target.closest("[data-commune-picker]");
    if (!picker) { return; }
    var list = choices(picker);
    var input = picker.querySelector("[data-commune-search] input");
    var index = list.indexOf(event.target);
    if (event.key === "ArrowDown" && (event.target === input || index >= 0) && list.length) {
      event.preventDefault();
      list[Math.min(index + 1, list.length - 1)].focus();
    } else if (event.key === "ArrowUp" && index >= 0) {
      event.preventDefault();
      if (index === 0) { input.focus(); } else { list[index - 1].focus(); }
    } else if (event.key === "Enter" && event.target === input) {
      event.preventDefault();
      if (list.length) { choose(list[0]); }
    } else if (event.key === "Escape" && (event.target === input || index >= 0)) {
      clear(picker);
      input.focus();
    }
  });

  // The count of results, read out by the live region (the results themselves are not).
  document.addEventListener("htmx:afterSwap", function (event) {
    var picker = event.target.closest && event.target.closest("[data-commune-picker]");
    if (!picker || !event.target.matches("[data-commune-results]")) { return; }
    var count = event.target.querySelector("[data-commune-count]");
    picker.querySelector("[data-commune-status]").textContent = count ? count.textContent : "";
  });

  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  document.addEventListener("htmx:afterSettle", function (event) { setUp(event.target); });
  if (document.readyState !== "loading") { setUp(document); }
})();
