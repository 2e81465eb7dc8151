// Draws recognition and satisfaction month by month (rates in %, left axis) with the number of
// households surveyed (bars, right axis); the table under the chart holds the same numbers.
(function () {
  "use strict";
  const source = document.getElementById("trend-data");
  if (!source || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  const el = document.getElementById("chart-survey-trend");
  if (!el) return;
  const L = data.labels;
  const chart = window.echarts.init(el, null, { renderer: "svg" });
  const marker = data.baseline
    ? { symbol: "none", label: { formatter: L.baseline }, lineStyle: { type: "dashed" }, data: [{ xAxis: data.baseline }] }
    : undefined;
  chart.setOption({
    textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 56, right: 56, top: 40, bottom: 28 },
    xAxis: { type: "category", data: data.months },
    yAxis: [
      { type: "value", name: L.rate_axis, min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      { type: "value", name: L.n_axis, minInterval: 1, splitLine: { show: false } },
    ],
    series: [
      { name: L.n, type: "bar", yAxisIndex: 1, data: data.n, itemStyle: { opacity: 0.35 } },
      { name: L.recognition, type: "line", data: data.recognition, connectNulls: false, markLine: marker },
      { name: L.satisfaction, type: "line", data: data.satisfaction, connectNulls: false },
    ],
  });
  window.addEventListener("resize", () => chart.resize());
  window.addEventListener("beforeprint", () => chart.resize());
  document.querySelectorAll("[data-print]").forEach((b) => b.addEventListener("click", () => window.print()));
})();
