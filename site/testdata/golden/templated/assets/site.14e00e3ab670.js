// jobpulse: starts every chart of the page. A chart is a
// <div class="chart" data-chart="ID"> whose ECharts option is the JSON in the
// element with that ID (<script type="application/json" id="ID">). The option
// is data only: it is parsed with JSON.parse, never evaluated.
(function () {
  'use strict';

  var dark = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  var charts = [];

  function theme() {
    return dark && dark.matches ? 'dark' : null;
  }

  function draw(item) {
    if (item.chart) {
      item.chart.dispose();
    }
    item.chart = window.echarts.init(item.div, theme(), { renderer: 'canvas' });
    item.chart.setOption(item.option);
  }

  function start() {
    var divs = document.querySelectorAll('div.chart[data-chart]');
    if (divs.length === 0) {
      return;
    }
    if (!window.echarts) {
      console.error('jobpulse: ECharts did not load; charts cannot be drawn');
      return;
    }
    divs.forEach(function (div) {
      var data = document.getElementById(div.getAttribute('data-chart'));
      if (!data) {
        console.error('jobpulse: no chart data for ' + div.getAttribute('data-chart'));
        return;
      }
      var option;
      try {
        option = JSON.parse(data.textContent);
      } catch (err) {
        console.error('jobpulse: bad chart data in ' + data.id + ': ' + err);
        return;
      }
      var height = parseInt(div.getAttribute('data-height'), 10);
      if (height > 0) {
        div.style.height = height + 'px';
      }
      var item = { div: div, option: option, chart: null };
      draw(item);
      charts.push(item);
    });

    var pending = 0;
    window.addEventListener('resize', function () {
      window.cancelAnimationFrame(pending);
      pending = window.requestAnimationFrame(function () {
        charts.forEach(function (item) {
          item.chart.resize();
        });
      });
    });
    if (dark && dark.addEventListener) {
      dark.addEventListener('change', function () {
        charts.forEach(draw);
      });
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
