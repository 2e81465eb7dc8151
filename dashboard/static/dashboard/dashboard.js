// Draws the dashboard's charts from the JSON the page carries; the tables under each chart
// hold the same numbers for printing and screen readers.
(function () {
  "use strict";
  const source = document.getElementById("dashboard-data");
  if (!source || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  const font = getComputedStyle(document.body).fontFamily;
  const base = { textStyle: { fontFamily: font }, animation: false };
  const charts = [];

  function draw(id, option) {
    const el = document.getElementById(id);
    if (!el) return;
    const chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(Object.assign({}, base, option));
    charts.push(chart);
  }

  draw("chart-causes", {
    tooltip: { trigger: "item" },
    series: [{ type: "pie", radius: ["35%", "70%"], data: data.causes.filter((c) => c.value > 0),
               label: { formatter: "{b}\n{c}" } }],
  });
  draw("chart-trend", {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 36, bottom: 28 },
    xAxis: { type: "category", data: data.trend.months },
    yAxis: { type: "value", minInterval: 1, name: data.trend.unit },
    series: data.trend.series.map((s) => ({ name: s.name, type: "line", data: s.data, smooth: true })),
  });
  draw("chart-findings", {
    tooltip: { trigger: "item" },
    series: [{ type: "pie", radius: "65%", data: data.findings.filter((c) => c.value > 0), label: { formatter: "{b} {c}" } }],
  });
  draw("chart-money", {
    tooltip: { trigger: "axis" },
    grid: { left: 70, right: 16, top: 16, bottom: 28 },
    xAxis: { type: "category", data: data.money_trend.months },
    yAxis: { type: "value", name: data.money_trend.unit },
    series: [{ name: data.money_trend.name, type: "bar", data: data.money_trend.data }],
  });
  if (data.children.names.length) {
    draw("chart-children", {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 60 },
      xAxis: { type: "category", data: data.children.names, axisLabel: { rotate: 30 } },
      yAxis: { type: "value", minInterval: 1, name: data.children.unit },
      series: data.children.series.map((s) => ({ name: s.name, type: "bar", data: s.data })),
    });
  }
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
  window.addEventListener("beforeprint", () => charts.forEach((c) => c.resize()));
  document.querySelectorAll("[data-print]").forEach((b) => b.addEventListener("click", () => window.print()));
})();
