// ipnav pages: draw the ECharts options embedded by the server, the query builder, confirmations.
(function () {
  "use strict";
  function openHits(query) {
    window.location.href = "/search?q=" + encodeURIComponent(query);
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
  document.addEventListener("DOMContentLoaded", function () { charts(); builder(); confirmations(); });
})();
