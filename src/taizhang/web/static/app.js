/* taizhang dashboard: draws the ECharts charts from data-chart attributes; no build step. */
(function () {
  "use strict";
  function lights(el, d) {
    var colors = { red: "#c62828", yellow: "#f9a825", green: "#2e7d32", grey: "#90a4ae" };
    var names = { red: "红灯", yellow: "黄灯", green: "绿灯", grey: "未报送/未到期" };
    return {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, bottom: 8, top: 32, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: d.units, inverse: true },
      series: ["red", "yellow", "green", "grey"].map(function (c) {
        return { name: names[c], type: "bar", stack: "all", data: d[c], itemStyle: { color: colors[c] } };
      })
    };
  }
  function progress(el, d) {
    var unit = el.getAttribute("data-unit") || "";
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 24, bottom: 8, top: 32, containLabel: true },
      xAxis: { type: "time" },
      yAxis: { type: "value", name: unit },
      series: [
        { name: "序时进度", type: "line", data: d.expected, showSymbol: false,
          lineStyle: { type: "dashed", color: "#555" }, itemStyle: { color: "#555" } },
        { name: "实际完成", type: "line", data: d.reported, symbol: "circle", symbolSize: 9,
          showSymbol: true, showAllSymbol: true,
          itemStyle: { color: "#c62828" } },
        { name: "目标值", type: "line", data: [], markLine: { silent: true, symbol: "none",
          data: [{ yAxis: d.target }], lineStyle: { color: "#2e7d32" } } }
      ]
    };
  }
  function amplification(el, d) {
    // the children's targets as bars (a range's upper bound as a lighter bar on top), the
    // parent's target as a line across them
    var upper = d.maxima.map(function (m, i) { return m === null ? 0 : m - d.values[i]; });
    var series = [
      { name: "下级目标", type: "bar", stack: "t", data: d.values, itemStyle: { color: "#1565c0" } },
      { name: "区间上限", type: "bar", stack: "t", data: upper, itemStyle: { color: "#90caf9" } }
    ];
    if (d.parent_value !== null) {
      series.push({ name: d.parent + "目标", type: "line", data: [], markLine: { silent: true, symbol: "none",
        label: { position: "insideEndTop", formatter: d.parent + " " + d.parent_value + d.unit }, data: [{ yAxis: d.parent_value }],
        lineStyle: { color: "#c62828", width: 2 } } });
    }
    return {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 8, right: 24, bottom: 8, top: 32, containLabel: true },
      xAxis: { type: "category", data: d.units, axisLabel: { interval: 0, rotate: d.units.length > 12 ? 60 : 0 } },
      yAxis: { type: "value", name: d.unit, min: function (v) { return Math.max(0, Math.floor(v.min - 1)); } },
      series: series
    };
  }
  function draw() {
    if (!window.echarts) { return; }
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var d = JSON.parse(el.getAttribute("data-chart"));
      var kind = el.getAttribute("data-kind");
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      var option = kind === "lights" ? lights(el, d) : kind === "amplification" ? amplification(el, d) : progress(el, d);
      option.animation = false;
      chart.setOption(option);
      window.addEventListener("resize", function () { chart.resize(); });
      el.setAttribute("data-drawn", "1");
    });
  }
  function focusMark() {
    var m = document.querySelector(".doc mark.current") ||
      (location.hash && document.querySelector(".doc " + location.hash));
    if (m && m.scrollIntoView) { m.scrollIntoView({ block: "center" }); }
  }
  /* Behaviours wired here, not in inline handlers: the Content-Security-Policy allows scripts
     from this site only. */
  function wire() {
    document.querySelectorAll("[data-check-all]").forEach(function (box) {
      box.addEventListener("click", function () {
        document.querySelectorAll(box.getAttribute("data-check-all")).forEach(function (c) {
          c.checked = box.checked;
        });
      });
    });
    document.querySelectorAll("[data-autosubmit]").forEach(function (input) {
      input.addEventListener("change", function () { input.form.submit(); });
    });
    document.querySelectorAll("a[data-back]").forEach(function (a) {
      a.addEventListener("click", function (e) {
        if (history.length > 1) { e.preventDefault(); history.back(); }
      });
    });
  }
  document.addEventListener("DOMContentLoaded", wire);
  window.addEventListener("load", function () { draw(); focusMark(); });
})();
