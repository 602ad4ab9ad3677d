// jobpulse: starts every chart of the page, and the tools of its tables
// (below). A chart is a
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

  // Tables: every table block can be downloaded as CSV or JSON (from the
  // query's whole result, kept as JSON in the block); interactive ones can
  // also be sorted by a column, searched and paged. The table is built by the
  // server and stays readable without this script. Text from the data only
  // ever goes into textContent, never into markup.
  var pageSize = 25;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      e.setAttribute(k, attrs[k]);
    });
    if (text !== undefined) {
      e.textContent = text;
    }
    return e;
  }

  // csvField quotes a field, and keeps a spreadsheet from reading text as a
  // formula (text starting with =, +, -, @, tab or return gets a ').
  function csvField(v) {
    if (v === null || v === undefined) {
      return '';
    }
    var s = String(v);
    if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) {
      s = "'" + s;
    }
    if (/[",\r\n]/.test(s)) {
      s = '"' + s.replace(/"/g, '""') + '"';
    }
    return s;
  }

  function toCSV(data) {
    var lines = [data.columns.map(csvField).join(',')];
    data.rows.forEach(function (row) {
      lines.push(row.map(csvField).join(','));
    });
    return lines.join('\r\n') + '\r\n';
  }

  function toJSON(data) {
    return JSON.stringify(data.rows.map(function (row) {
      var o = {};
      data.columns.forEach(function (c, i) {
        o[c] = row[i];
      });
      return o;
    }), null, 2) + '\n';
  }

  function download(name, type, body) {
    var url = URL.createObjectURL(new Blob([body], { type: type }));
    var a = el('a', { href: url, download: name });
    document.body.appendChild(a);
    a.click();
    a.remove();
    window.setTimeout(function () {
      URL.revokeObjectURL(url);
    }, 1000);
  }

  function enhance(block) {
    var table = block.querySelector('table');
    var script = block.querySelector('script.table-data');
    if (!table) {
      return;
    }
    var bar = el('div', { class: 'table-tools' });
    var name = (block.getAttribute('data-name') || 'data').replace(/[^a-z0-9_-]/gi, '_');
    if (script) {
      var data;
      try {
        data = JSON.parse(script.textContent);
      } catch (err) {
        console.error('jobpulse: bad table data: ' + err);
      }
      if (data) {
        var csv = el('button', { type: 'button', class: 'download' }, 'CSV');
        csv.addEventListener('click', function () {
          download(name + '.csv', 'text/csv;charset=utf-8', toCSV(data));
        });
        var json = el('button', { type: 'button', class: 'download' }, 'JSON');
        json.addEventListener('click', function () {
          download(name + '.json', 'application/json', toJSON(data));
        });
        bar.appendChild(el('span', { class: 'label' }, 'Download'));
        bar.appendChild(csv);
        bar.appendChild(json);
      }
    }
    if (block.hasAttribute('data-interactive')) {
      interactive(block, table, bar);
    }
    if (bar.childNodes.length > 0) {
      block.insertBefore(bar, block.firstChild);
    }
  }

  function interactive(block, table, bar) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var shown = rows;
    var page = 0;
    var status = el('p', { class: 'table-status', 'aria-live': 'polite' });
    var nav = el('div', { class: 'table-pages' });
    var prev = el('button', { type: 'button' }, 'Previous');
    var next = el('button', { type: 'button' }, 'Next');
    nav.appendChild(prev);
    nav.appendChild(status);
    nav.appendChild(next);

    function render() {
      var pages = Math.max(1, Math.ceil(shown.length / pageSize));
      page = Math.min(page, pages - 1);
      while (body.firstChild) {
        body.removeChild(body.firstChild);
      }
      shown.slice(page * pageSize, (page + 1) * pageSize).forEach(function (r) {
        body.appendChild(r);
      });
      status.textContent = shown.length === 0 ? 'No matching rows' :
        (pages > 1 ? 'Page ' + (page + 1) + ' of ' + pages + ', ' : '') + shown.length + ' rows';
      prev.disabled = page === 0;
      next.disabled = page >= pages - 1;
      nav.hidden = rows.length <= pageSize && shown.length === rows.length;
    }
    prev.addEventListener('click', function () {
      page--;
      render();
    });
    next.addEventListener('click', function () {
      page++;
      render();
    });

    if (rows.length > 10) {
      var search = el('input', { type: 'search', placeholder: 'Filter rows', 'aria-label': 'Filter rows' });
      search.addEventListener('input', function () {
        var q = search.value.trim().toLowerCase();
        shown = rows.filter(function (r) {
          return q === '' || r.textContent.toLowerCase().indexOf(q) >= 0;
        });
        page = 0;
        render();
      });
      bar.insertBefore(search, bar.firstChild);
    }

    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, col) {
      var button = el('button', { type: 'button', class: 'sort' }, th.textContent);
      th.textContent = '';
      th.appendChild(button);
      button.addEventListener('click', function () {
        var asc = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(heads, function (h) {
          h.removeAttribute('aria-sort');
        });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        var numeric = th.classList.contains('num');
        var key = function (r) {
          var cell = r.cells[col];
          if (numeric) {
            var v = parseFloat(cell.getAttribute('data-v'));
            return isNaN(v) ? -Infinity : v;
          }
          return cell.textContent.toLowerCase();
        };
        var order = rows.map(function (r, i) {
          return { r: r, k: key(r), i: i };
        });
        order.sort(function (a, b) {
          var c = a.k < b.k ? -1 : a.k > b.k ? 1 : 0;
          return c === 0 ? a.i - b.i : (asc ? c : -c);
        });
        rows = order.map(function (o) {
          return o.r;
        });
        var q = block.querySelector('input[type=search]');
        page = 0;
        shown = rows.filter(function (r) {
          return !q || q.value.trim() === '' || r.textContent.toLowerCase().indexOf(q.value.trim().toLowerCase()) >= 0;
        });
        render();
      });
    });
    block.appendChild(nav);
    render();
  }

  function startTables() {
    document.querySelectorAll('div.table-block').forEach(enhance);
  }

  function startAll() {
    start();
    startTables();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', startAll);
  } else {
    startAll();
  }
})();
