// Draws achieved against target by county: households on the left axis, people on the right (bars
// for what was achieved, dashed lines for the targets). The tables under the chart hold the numbers.
(function () {
  "use strict";
  const source = document.getElementById("targets-data");
  const el = document.getElementById("chart-targets");
  if (!source || !el || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  const chart = window.echarts.init(el, null, { renderer: "svg" });
  chart.setOption({
    textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 56, right: 56, top: 40, bottom: 60 },
    xAxis: { type: "category", data: data.names, axisLabel: { rotate: data.names.length > 6 ? 30 : 0 } },
    yAxis: data.axes.map((name, i) => ({ type: "value", name: name, minInterval: 1, splitLine: { show: i === 0 } })),
    series: data.series.map((s, i) => i % 2 === 0
      ? { name: s.name, type: "bar", yAxisIndex: s.axis, data: s.data }
      : { name: s.name, type: "line", yAxisIndex: s.axis, data: s.data, lineStyle: { type: "dashed" }, connectNulls: false }),
  });
  window.addEventListener("resize", () => chart.resize());
  window.addEventListener("beforeprint", () => chart.resize());
})();
