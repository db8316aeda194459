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
  function draw() {
    if (!window.echarts) { return; }
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var d = JSON.parse(el.getAttribute("data-chart"));
      var kind = el.getAttribute("data-kind");
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      var option = kind === "lights" ? lights(el, d) : progress(el, d);
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
  window.addEventListener("load", function () { draw(); focusMark(); });
})();
