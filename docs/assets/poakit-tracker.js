/* poakit: sorting and filtering for the cases dashboard (cases/index). No dependencies.
 *
 * The table comes from the engine (poakit.tracker.dashboard): each header has
 * data-sort="text|number", a cell may carry data-sort-value (dates, numbers, urgency), and
 * each row carries data-status, data-reasons (a JSON list of reason ids) and data-marketplace.
 * The filter controls ship hidden and are shown here, so a page without scripts shows no
 * controls that do nothing.
 */
(function () {
  "use strict";

  function sortKey(row, index, kind) {
    var cell = row.cells[index];
    var raw = cell.hasAttribute("data-sort-value")
      ? cell.getAttribute("data-sort-value")
      : cell.textContent.trim();
    if (raw === "") return null;
    return kind === "number" ? Number(raw) : raw.toLowerCase();
  }

  function compareKeys(a, b) {
    if (typeof a === "number" && typeof b === "number") return a - b;
    return String(a).localeCompare(String(b));
  }

  function sortBy(table, header, index) {
    var kind = header.getAttribute("data-sort");
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
      cell.setAttribute("aria-sort", "none");
    });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (left, right) {
      var a = sortKey(left, index, kind);
      var b = sortKey(right, index, kind);
      if (a === null || b === null) return (a === null) - (b === null); // empty cells last
      var order = compareKeys(a, b);
      return ascending ? order : -order;
    });
    rows.forEach(function (row) {
      body.appendChild(row);
    });
  }

  function matches(row, filters) {
    var reasons = JSON.parse(row.getAttribute("data-reasons") || "[]");
    return (
      (!filters.status || row.getAttribute("data-status") === filters.status) &&
      (!filters.reasons || reasons.indexOf(filters.reasons) >= 0) &&
      (!filters.marketplace || row.getAttribute("data-marketplace") === filters.marketplace) &&
      (!filters.text || row.textContent.toLowerCase().indexOf(filters.text) >= 0)
    );
  }

  function applyFilters(root, table) {
    var filters = {};
    root.querySelectorAll("[data-filter]").forEach(function (control) {
      filters[control.getAttribute("data-filter")] = control.value;
    });
    filters.text = (filters.text || "").trim().toLowerCase(); // the search ignores case
    var rows = table.tBodies[0].rows;
    var shown = 0;
    Array.prototype.forEach.call(rows, function (row) {
      var visible = matches(row, filters);
      row.hidden = !visible;
      if (visible) shown += 1;
    });
    var output = root.querySelector(".poakit-shown");
    if (output) output.textContent = shown + " of " + rows.length + " cases shown";
  }

  function setUp(root) {
    var table = root.querySelector("table");
    if (!table || !table.tHead || root.getAttribute("data-ready")) return;
    root.setAttribute("data-ready", "true");
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, index) {
      if (!header.hasAttribute("data-sort")) return;
      header.setAttribute("aria-sort", "none");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "poakit-sort";
      button.textContent = header.textContent;
      button.addEventListener("click", function () {
        sortBy(table, header, index);
      });
      header.textContent = "";
      header.appendChild(button);
    });
    root.querySelectorAll("[data-filter]").forEach(function (control) {
      control.addEventListener("input", function () {
        applyFilters(root, table);
      });
    });
    var controls = root.querySelector(".poakit-filters");
    if (controls) controls.hidden = false;
    applyFilters(root, table);
  }

  function init() {
    document.querySelectorAll(".poakit-dashboard").forEach(setUp);
  }

  // Material re-renders pages itself when instant navigation is on: follow its page stream.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
