/* The analyst report's behaviour: the year selector, the charts (ECharts, drawn when their year is
   shown), sortable tables, the filters of the scorecards and findings, the indicator drill-down.
   No network: everything it uses is in this folder. */
(function () {
  "use strict";
  var options = JSON.parse(document.getElementById("chart-options").textContent);
  var locale = document.body.dataset.lang === "en" ? "EN" : "ZH";
  var drawn = [];

  function visibleYear() { return document.querySelector("section.year:not([hidden])"); }

  function draw(section) {
    section.querySelectorAll(".chart").forEach(function (el) {
      if (echarts.getInstanceByDom(el)) return;
      var chart = echarts.init(el, null, {renderer: "canvas", locale: locale});
      chart.setOption(options[el.dataset.chart]);
      drawn.push(chart);
    });
    document.body.dataset.drawn = section.dataset.year;  // for readers (and tests) waiting on the charts
  }

  function showYear(year) {
    document.querySelectorAll("section.year").forEach(function (s) { s.hidden = s.dataset.year !== year; });
    var section = visibleYear();
    if (section) draw(section);
  }

  var select = document.getElementById("year");
  var wanted = /year=(\d{4})/.exec(location.hash);
  if (wanted && select.querySelector('option[value="' + wanted[1] + '"]')) select.value = wanted[1];
  select.addEventListener("change", function () {
    history.replaceState(null, "", "#year=" + select.value);
    showYear(select.value);
  });
  document.querySelectorAll("nav a[data-part]").forEach(function (a) {
    a.addEventListener("click", function (e) {
      var target = visibleYear() && visibleYear().querySelector("h2." + a.dataset.part);
      if (target) { e.preventDefault(); target.scrollIntoView(); }
    });
  });
  // the language link keeps the year
  var lang = document.getElementById("lang");
  lang.addEventListener("click", function () { lang.href = lang.getAttribute("href").split("#")[0] + "#year=" + select.value; });
  window.addEventListener("resize", function () { drawn.forEach(function (c) { c.resize(); }); });

  // Sortable tables: click a header; numbers by data-v, text by its Chinese collation.
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll(":scope > thead th").forEach(function (th, col) {
      if (!th.textContent.trim()) return;
      th.classList.add("sort");
      th.addEventListener("click", function () {
        var asc = th.dataset.dir !== "asc";
        table.querySelectorAll(":scope > thead th").forEach(function (h) { delete h.dataset.dir; });
        th.dataset.dir = asc ? "asc" : "desc";
        var body = table.tBodies[0];
        var groups = Array.prototype.filter.call(body.rows, function (r) { return r.classList.contains("row"); })
          .map(function (r) {
            var next = r.nextElementSibling;
            return [r, next && next.classList.contains("detail") ? next : null];
          });
        var num = th.dataset.type === "num";
        function key(r) {
          var cell = r.cells[col];
          if (!num) return cell.textContent.trim();
          var v = parseFloat(cell.dataset.v);
          return isNaN(v) ? null : v;
        }
        groups.sort(function (a, b) {
          var x = key(a[0]), y = key(b[0]);
          if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;  // empty cells last
          var c = num ? x - y : x.localeCompare(y, "zh-CN");
          return asc ? c : -c;
        });
        groups.forEach(function (g) { body.appendChild(g[0]); if (g[1]) body.appendChild(g[1]); });
      });
    });
  });

  // Filters: a text box and selects over the rows' data-* attributes.
  document.querySelectorAll(".filters").forEach(function (box) {
    var table = document.getElementById(box.dataset.for);
    var controls = box.querySelectorAll("[data-filter]");
    function apply() {
      var shown = 0;
      table.querySelectorAll(":scope > tbody > tr.row").forEach(function (row) {
        var ok = true;
        controls.forEach(function (c) {
          var v = c.value.trim().toLowerCase();
          if (!v) return;
          if (c.dataset.filter === "text") ok = ok && row.dataset.text.indexOf(v) >= 0;
          else ok = ok && (row.dataset[c.dataset.filter] || "").toLowerCase() === v;
        });
        row.hidden = !ok;
        var detail = row.nextElementSibling;
        if (detail && detail.classList.contains("detail") && !ok) {
          detail.hidden = true;
          row.querySelector(".toggle").setAttribute("aria-expanded", "false");
        }
        if (ok) shown++;
      });
      box.querySelector(".shown").textContent = shown;
    }
    controls.forEach(function (c) { c.addEventListener("input", apply); c.addEventListener("change", apply); });
  });

  // Drill down: a project's indicators under its row.
  document.querySelectorAll("button.toggle").forEach(function (button) {
    button.addEventListener("click", function () {
      var detail = button.closest("tr").nextElementSibling;
      detail.hidden = !detail.hidden;
      button.setAttribute("aria-expanded", String(!detail.hidden));
    });
  });

  showYear(select.value);
})();
