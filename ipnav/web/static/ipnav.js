// ipnav pages: draw the ECharts options embedded by the server, the query builder, confirmations.
(function () {
  "use strict";
  function openHits(query) {
    // the page says where its hits are listed: patents at /search, trademarks at /trademarks
    var data = document.getElementById("chart-options");
    var page = (data && data.getAttribute("data-hits")) || "/search";
    window.location.href = page + "?q=" + encodeURIComponent(query);
  }
  function draw(el, option) {
    if (!window.echarts || !el) return;
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    if (document.documentElement.lang === "en" && option.title && option.title.subtext) {
      // chart titles are written Chinese first with the English below: English users read English first
      option.title = Object.assign({}, option.title, { text: option.title.subtext, subtext: option.title.text });
    }
    if (option.empty && option.graphic) {  // an empty analysis says why in the user's language
      var empty = option.empty[document.documentElement.lang === "en" ? "en" : "zh"];
      option.graphic = option.graphic.map(function (g) {
        return Object.assign({}, g, { style: Object.assign({}, g.style, { text: empty }) });
      });
    }
    if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
      option = Object.assign({}, option, { animation: false });  // the user asked for no motion
    }
    chart.setOption(option);
    // drill-down: an item carrying a query (ipnav.analytics.drill) opens the hits behind it
    chart.on("click", function (params) {
      var query = params.data && params.data.drill;
      if (query) openHits(query);
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function charts() {
    var data = document.getElementById("chart-options");
    if (data) {
      var options = JSON.parse(data.textContent);
      var drawAll = function () {
        document.querySelectorAll(".chart[data-kind]").forEach(function (el) {
          var option = options[el.getAttribute("data-kind")];
          if (option) draw(el, option);
        });
      };
      if (data.textContent.indexOf('"map": "china"') >= 0 || data.textContent.indexOf('"map":"china"') >= 0) {
        fetch("/assets/china.json").then(function (r) { return r.json(); })
          .then(function (geo) { window.echarts.registerMap("china", geo); drawAll(); }, drawAll);
      } else {
        drawAll();
      }
    }
    var mapData = document.getElementById("map-data");
    var mapEl = document.getElementById("indicator-map");
    if (mapData && mapEl) {
      // the China map, or a province's (data-map names the file: /assets/map/chongqing.json)
      var key = mapEl.getAttribute("data-map") || "china";
      var url = key === "china" ? "/assets/china.json" : "/assets/map/" + key + ".json";
      fetch(url).then(function (r) { return r.json(); }).then(function (geo) {
        window.echarts.registerMap(key, geo);
        var values = JSON.parse(mapData.textContent);
        var max = Math.max.apply(null, values.map(function (v) { return v.value || 0; }).concat([0.0001]));
        draw(mapEl, {
          tooltip: { trigger: "item" },
          visualMap: { min: 0, max: max, left: "left", text: ["高", "低"], calculable: true },
          series: [{ type: "map", map: key, roam: true, data: values }],
        });
      });
    }
  }
  function builder() {
    var add = document.getElementById("b-add");
    if (!add) return;
    add.addEventListener("click", function () {
      var q = document.getElementById("q");
      var field = document.getElementById("b-field").value;
      var value = document.getElementById("b-value").value.trim();
      if (!value) return;
      if (/\s/.test(value) && !/^[\[("]/.test(value) && !/^[<>]=?/.test(value)) value = '"' + value.replace(/"/g, "") + '"';
      var clause = /^[<>]=?/.test(value) ? field + value : field + "=" + value;
      var op = document.getElementById("b-op").value;
      var current = q.value.trim();
      q.value = current ? (op === "NOT" ? current + " AND NOT " + clause : "(" + current + ") " + op + " " + clause)
                        : (op === "NOT" ? "NOT " + clause : clause);
      document.getElementById("b-value").value = "";
      q.focus();
    });
  }
  function confirmations() {
    document.querySelectorAll("form.confirm").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(document.documentElement.lang === "en" ? "Delete?" : "确定删除?")) event.preventDefault();
      });
    });
  }
  function selectAll() {  // a header checkbox ticks every row checkbox of its table
    document.querySelectorAll("input.select-all").forEach(function (all) {
      all.addEventListener("change", function () {
        all.closest("table").querySelectorAll("input.pick").forEach(function (box) {
          if (box.checked !== all.checked) { box.checked = all.checked; box.dispatchEvent(new Event("change")); }
        });
      });
    });
  }
  function columns() {  // the hit table's columns as the user chose them, remembered in this browser
    var choices = document.querySelectorAll("input.col-choice");
    if (!choices.length) return;
    var stored = null;
    try { stored = JSON.parse(localStorage.getItem("ipnav.columns") || "null"); } catch (e) { stored = null; }
    function apply() {
      choices.forEach(function (box) {
        document.querySelectorAll('[data-col="' + box.value + '"]').forEach(function (cell) { cell.hidden = !box.checked; });
      });
    }
    if (Array.isArray(stored)) choices.forEach(function (box) { box.checked = stored.indexOf(box.value) >= 0; });
    apply();
    choices.forEach(function (box) {
      box.addEventListener("change", function () {
        apply();
        var shown = [];
        choices.forEach(function (b) { if (b.checked) shown.push(b.value); });
        localStorage.setItem("ipnav.columns", JSON.stringify(shown));
      });
    });
  }
  function selection() {  // hits chosen across the pages of one query, kept for this browser tab
    var form = document.getElementById("selection-form");
    if (!form) return;
    var q = new URLSearchParams(location.search).get("q") || "";
    var key = "ipnav.selection:" + q;
    var chosen = [];
    try { chosen = JSON.parse(sessionStorage.getItem(key) || "[]"); } catch (e) { chosen = []; }
    var boxes = document.querySelectorAll("input.pick[form=selection-form]");
    var count = document.getElementById("selected-count");
    function save() {
      sessionStorage.setItem(key, JSON.stringify(chosen));
      count.textContent = chosen.length;
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = !chosen.length; });
    }
    boxes.forEach(function (box) {
      box.checked = chosen.indexOf(box.value) >= 0;
      box.addEventListener("change", function () {
        var at = chosen.indexOf(box.value);
        if (box.checked && at < 0) chosen.push(box.value);
        if (!box.checked && at >= 0) chosen.splice(at, 1);
        save();
      });
    });
    form.addEventListener("submit", function () {  // the chosen hits of other pages go along
      form.querySelectorAll("input.carried").forEach(function (el) { el.remove(); });
      var here = {};
      boxes.forEach(function (box) { here[box.value] = true; });
      chosen.forEach(function (value) {
        if (here[value]) return;
        var input = document.createElement("input");
        input.type = "hidden"; input.name = "numbers"; input.value = value; input.className = "carried";
        form.appendChild(input);
      });
    });
    document.getElementById("clear-selection").addEventListener("click", function () {
      chosen = [];
      boxes.forEach(function (box) { box.checked = false; });
      save();
    });
    save();
  }
  document.addEventListener("DOMContentLoaded", function () {
    charts(); builder(); confirmations(); selectAll(); columns(); selection();
  });
})();
