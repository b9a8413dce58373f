// Charts drawn with Apache ECharts (served from the local npm package, never a CDN).
(function () {
  var el = document.getElementById("chart-data");
  if (!el) return;
  var data = JSON.parse(el.textContent);
  if (typeof echarts === "undefined") {
    document.querySelectorAll(".chart").forEach(function (c) {
      c.textContent = "图表组件未安装（请运行 scripts/setup.sh 安装 ECharts）";
      c.style.height = "auto";
    });
    return;
  }
  var charts = [];
  function draw(node, option) {
    var c = echarts.init(node, null, { renderer: "svg" });
    option.animation = false; // figures, not a show: drawn at once (and screenshots are whole)
    c.setOption(option);
    charts.push(c);
  }
  var grid = { left: 48, right: 16, top: 36, bottom: 28, containLabel: true };
  document.querySelectorAll(".chart").forEach(function (node) {
    var kind = node.dataset.kind;
    if (kind === "kpi") {
      var s = (data.series || []).find(function (x) { return x.kpi === node.dataset.kpi; });
      if (!s) return;
      var pct = s.unit === "%";
      var series = [
        { name: "当月值", type: "line", data: s.monthly.map(function (v, i) {
            return { value: v, symbol: s.small[i] ? "emptyCircle" : "circle", symbolSize: s.small[i] ? 9 : 6 };
          }), connectNulls: false },
        { name: "线性趋势", type: "line", data: s.trend, lineStyle: { type: "dashed" }, symbol: "none" }
      ];
      if (s.target !== null && s.target !== undefined) {
        series.push({ name: "目标", type: "line", data: s.months.map(function () { return s.target; }),
                      symbol: "none", lineStyle: { color: "#b91c1c" } });
      }
      if (pct && s.projected !== null) {
        series.push({ name: "年末预计", type: "scatter", symbol: "diamond", symbolSize: 12,
                      data: s.months.map(function (m, i) { return i === 11 ? s.projected : null; }) });
      }
      draw(node, {
        tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: grid,
        xAxis: { type: "category", data: s.months },
        yAxis: { type: "value", scale: true, max: pct ? 100 : null,
                 axisLabel: { formatter: pct ? "{value}%" : "{value}" } },
        series: series
      });
    } else if (kind === "breakdown") {
      var b = data.breakdown || [];
      draw(node, {
        tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: grid,
        xAxis: { type: "category", data: b.map(function (x) { return x.name; }), axisLabel: { interval: 0 } },
        yAxis: { type: "value" },
        series: [
          { name: "得分", type: "bar", data: b.map(function (x) { return x.score; }), itemStyle: { color: "#9b1c1c" } },
          { name: "分值", type: "bar", data: b.map(function (x) { return x.max; }), itemStyle: { color: "#cbd2d9" } }
        ]
      });
    } else if (kind === "units") {
      draw(node, {
        tooltip: { trigger: "axis" }, grid: grid,
        xAxis: { type: "category", data: data.units, axisLabel: { interval: 0 } },
        yAxis: { type: "value", min: 0, max: 100 },
        series: [{ name: "得分", type: "bar", data: data.scores, itemStyle: { color: "#9b1c1c" }, label: { show: true, position: "top" } }]
      });
    } else if (kind === "unit-kpi") {
      var k = (data.kpis || []).find(function (x) { return x.kpi === node.dataset.kpi; });
      if (!k) return;
      draw(node, {
        tooltip: { trigger: "axis" }, grid: grid,
        xAxis: { type: "category", data: k.units.map(function (u) { return u.unit; }), axisLabel: { interval: 0 } },
        yAxis: { type: "value", scale: true, max: 100, axisLabel: { formatter: "{value}%" } },
        series: [{ type: "bar", data: k.units.map(function (u) { return u.value; }), itemStyle: { color: "#1d4ed8" } }]
      });
    }
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
