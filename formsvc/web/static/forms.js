// Progressive enhancement of the forms: without this file everything still works
// through the server (add/remove rows and the language switch are submit buttons).
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  function renumber(row, listId, from, to) {
    var oldPrefix = listId + "-" + from + "-", newPrefix = listId + "-" + to + "-";
    var oldExact = listId + "-" + from, newExact = listId + "-" + to;
    row.querySelectorAll("[name],[id],[for],[aria-describedby],button[value]").forEach(function (el) {
      ["name", "id", "for", "aria-describedby", "value"].forEach(function (attr) {
        var v = el.getAttribute(attr);
        if (v === null || (attr === "value" && el.tagName !== "BUTTON")) { return; }
        v = v.split(oldPrefix).join(newPrefix);
        if (v === oldExact || v === "remove:" + oldExact) { v = v.replace(oldExact, newExact); }
        el.setAttribute(attr, v);
      });
    });
  }

  function clear(row) {
    row.querySelectorAll("input, textarea, select").forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") { el.checked = false; }
      else if (el.tagName === "SELECT") { el.selectedIndex = 0; }
      else { el.value = ""; }
      el.removeAttribute("aria-invalid");
    });
    row.querySelectorAll(".error-message").forEach(function (el) { el.remove(); });
    row.querySelectorAll(".field-error").forEach(function (el) { el.classList.remove("field-error"); });
  }

  function numberRows(group) {
    group.querySelectorAll(":scope > [data-row]").forEach(function (row, i) {
      var n = row.querySelector("[data-row-number]");
      if (n) { n.textContent = String(i + 1); }
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-add], button[data-remove]");
    if (!button) { return; }
    var group = button.closest("[data-repeat]");
    if (!group) { return; }
    var listId = group.getAttribute("data-repeat");
    var rows = group.querySelectorAll(":scope > [data-row]");
    event.preventDefault();
    if (button.hasAttribute("data-add")) {
      var last = rows[rows.length - 1];
      var max = -1;
      rows.forEach(function (row) {
        var m = row.querySelector("button[data-remove]").value.match(/-(\d+)$/);
        if (m) { max = Math.max(max, parseInt(m[1], 10)); }
      });
      var copy = last.cloneNode(true);
      var from = last.querySelector("button[data-remove]").value.match(/-(\d+)$/)[1];
      renumber(copy, listId, from, max + 1);
      clear(copy);
      last.after(copy);
      numberRows(group);
      var first = copy.querySelector("input, select, textarea");
      if (first) { first.focus(); }
    } else {
      var row = button.closest("[data-row]");
      if (rows.length > 1) {
        var next = row.nextElementSibling;
        row.remove();
        numberRows(group);
        (next && next.querySelector("input, select, textarea") || group.querySelector("button[data-add]")).focus();
      } else {
        clear(row);
      }
    }
  });
})();
