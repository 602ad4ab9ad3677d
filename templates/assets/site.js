// jobpulse: starts every chart of the page, the tools of its tables, the
// links to its SQL and the search box (below). A chart is a
// <div class="chart" data-chart="ID"> whose ECharts option is the JSON in the
// element with that ID (<script type="application/json" id="ID">). The option
// is data only: it is parsed with JSON.parse, never evaluated.
(function () {
  'use strict';

  var dark = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  // A reader who asks for less motion gets charts drawn at once, without
  // ECharts' entrance animation.
  var still = window.matchMedia ? window.matchMedia('(prefers-reduced-motion: reduce)') : null;
  var charts = [];

  function theme() {
    return dark && dark.matches ? 'dark' : null;
  }

  function draw(item) {
    if (item.chart) {
      item.chart.dispose();
    }
    var placeholder = item.div.querySelector('.chart-placeholder');
    if (placeholder) {
      item.div.removeChild(placeholder);
    }
    item.chart = window.echarts.init(item.div, theme(), { renderer: 'canvas' });
    item.chart.setOption(fit(item.option, item.div.clientWidth));
    // A chart with data-links opens the page of the category clicked (the
    // chart's data table links the same pages, for keyboards).
    var links = item.div.getAttribute('data-links');
    if (links) {
      try {
        links = JSON.parse(links);
      } catch (err) {
        console.error('jobpulse: bad chart links: ' + err);
        return;
      }
      item.chart.on('click', function (p) {
        var href = Object.prototype.hasOwnProperty.call(links, p.name) ? links[p.name] : null;
        if (typeof href === 'string') {
          window.location.href = href;
        }
      });
    }
  }

  // fit returns the option for a chart width pixels wide: on a narrow
  // screen the labels of a category axis of many categories are turned
  // and shortened (the tooltip and the data table give them whole), and a
  // pie is made smaller to leave its labels room, so that none is dropped,
  // cut or laid over another.
  function fit(option, width) {
    var narrow = width < 560;
    var out = JSON.parse(JSON.stringify(option));
    if (still && still.matches) {
      out.animation = false;
    }
    [].concat(out.xAxis || []).forEach(function (axis) {
      if (axis.type !== 'category' || !axis.data || !axis.axisLabel) {
        return;
      }
      var room = (width - 60) / axis.data.length;
      if (narrow && room >= 56 && room < 90) {
        axis.axisLabel.rotate = 0; // room for a wrapped label under each
        axis.axisLabel.width = room - 8;
        axis.axisLabel.overflow = 'break';
        axis.axisLabel.lineHeight = 14;
      } else if (narrow && room < 90) {
        axis.axisLabel.rotate = room < 40 ? 90 : 45;
        axis.axisLabel.width = 80;
        axis.axisLabel.overflow = 'truncate';
        if (axis.nameLocation === 'middle') {
          axis.nameGap = axis.axisLabel.rotate === 90 ? 100 : 80; // below the turned labels
        }
      }
    });
    [].concat(out.series || []).forEach(function (series) {
      if (series.type === 'pie' && narrow) {
        series.radius = Array.isArray(series.radius) ? ['28%', '50%'] : '50%';
      }
    });
    return out;
  }

  // ECharts is loaded only when a chart it draws comes near the screen
  // (the server draws bars and lines itself): a page whose charts are all
  // below the first screen costs a phone nothing until the reader scrolls.
  var echartsState = null; // null, 'loading', 'ready' or 'failed'
  var echartsWaiting = [];

  function withECharts(fn) {
    if (echartsState === 'ready') {
      fn();
      return;
    }
    echartsWaiting.push(fn);
    if (echartsState !== null) {
      return;
    }
    echartsState = 'loading';
    var meta = document.querySelector('meta[name="jobpulse-echarts"]');
    if (!meta) {
      echartsState = 'failed';
      console.error('jobpulse: no ECharts on this page; charts cannot be drawn');
      return;
    }
    var script = document.createElement('script');
    script.src = meta.getAttribute('content');
    script.onload = function () {
      if (!window.echarts) {
        echartsState = 'failed';
        console.error('jobpulse: ECharts did not load; charts cannot be drawn');
        return;
      }
      echartsState = 'ready';
      var fns = echartsWaiting;
      echartsWaiting = [];
      fns.forEach(function (f) {
        f();
      });
    };
    script.onerror = function () {
      echartsState = 'failed';
      console.error('jobpulse: ECharts did not load; charts cannot be drawn');
    };
    document.head.appendChild(script);
  }

  function start() {
    var divs = document.querySelectorAll('div.chart[data-chart]');
    if (divs.length === 0) {
      return;
    }
    var items = [];
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
      items.push({ div: div, option: option, chart: null, height: height > 0 ? height : 360 });
    });
    function show(item) {
      withECharts(function () {
        item.div.style.height = item.height + 'px';
        draw(item);
        charts.push(item);
      });
    }
    if (!('IntersectionObserver' in window)) {
      items.forEach(show);
    } else {
      var seen = new IntersectionObserver(function (entries) {
        entries.forEach(function (e) {
          if (!e.isIntersecting) {
            return;
          }
          seen.unobserve(e.target);
          items.forEach(function (item) {
            if (item.div === e.target) {
              show(item);
            }
          });
        });
      }, { rootMargin: '200px 0px' });
      items.forEach(function (item) {
        seen.observe(item.div);
      });
    }

    var pending = 0;
    window.addEventListener('resize', function () {
      window.cancelAnimationFrame(pending);
      pending = window.requestAnimationFrame(function () {
        charts.forEach(function (item) {
          item.chart.setOption(fit(item.option, item.div.clientWidth), { notMerge: true });
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

  // shownText is the text of a row or cell as it shows, in lower case:
  // without the hidden hints of links ("Go (skill)" filters and sorts as
  // "go").
  function shownText(node) {
    var text = '';
    (function walk(n) {
      n.childNodes.forEach(function (c) {
        if (c.nodeType === 3) {
          text += c.nodeValue;
        } else if (c.nodeType === 1 && !c.classList.contains('visually-hidden')) {
          walk(c);
        }
      });
    })(node);
    return text.toLowerCase();
  }

  // Tables: interactive ones can be sorted by a column, searched and paged.
  // The table is built by the server and stays readable without this
  // script, with its links to the query's data files (CSV and JSON, beside
  // the page) and its SQL. Text from the data only ever goes into
  // textContent, never into markup.
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

  // toolsOf returns the bar of tools of a table block: the one the server
  // put there with the link to the block's SQL (for a chart's data table,
  // the chart's), or a new one.
  function toolsOf(block) {
    var owner = block.parentNode && block.parentNode.closest ? block.parentNode.closest('figure.chart-block') : null;
    owner = owner || block;
    for (var c = owner.firstElementChild; c; c = c.nextElementSibling) {
      if (c.classList.contains('table-tools')) {
        return { bar: c, placed: true };
      }
    }
    return { bar: el('div', { class: 'table-tools' }), placed: false };
  }

  function enhance(block) {
    var table = block.querySelector('table');
    if (!table || !block.hasAttribute('data-interactive')) {
      return;
    }
    var tools = toolsOf(block);
    interactive(block, table, tools.bar);
    if (!tools.placed && tools.bar.childNodes.length > 0) {
      block.insertBefore(tools.bar, block.firstChild);
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
          return q === '' || shownText(r).indexOf(q) >= 0;
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
          return shownText(cell);
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
          return !q || q.value.trim() === '' || shownText(r).indexOf(q.value.trim().toLowerCase()) >= 0;
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

  // The SQL of a page: a link to #sql-NAME opens that query's details.
  function openTarget() {
    var id = '';
    try {
      id = decodeURIComponent(window.location.hash.slice(1));
    } catch (err) {
      return; // not a fragment of ours
    }
    var target = id ? document.getElementById(id) : null;
    if (target && target.tagName === 'DETAILS') {
      target.open = true;
    }
  }

  // Search: the form in the header searches search.json at the site root
  // (its data-index, relative to the page), loaded on first use. Titles and
  // descriptions are text from the site's data: the list is built with
  // textContent, never from markup.
  var maxResults = 10;

  function fold(s) {
    return String(s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  }

  function words(s) {
    return fold(s).split(/[^\p{L}\p{N}]+/u).filter(function (w) {
      return w !== '';
    });
  }

  // alternatives returns the words a typed word q stands for: itself, and
  // every word of a group of the index's same whose word starts with q
  // (three letters at least: "develop" stands for engineer too).
  function alternatives(q, same) {
    var alts = [q];
    if (q.length >= 3) {
      same.forEach(function (group) {
        if (group.some(function (w) { return w.lastIndexOf(q, 0) === 0; })) {
          alts = alts.concat(group);
        }
      });
    }
    return alts;
  }

  // matches reports whether every typed word, or a word it stands for,
  // starts a word of ws.
  function matches(query, ws) {
    return query.every(function (alts) {
      return alts.some(function (q) {
        return ws.some(function (w) {
          return w.lastIndexOf(q, 0) === 0;
        });
      });
    });
  }

  // rank orders the matches of an entry, best first: 0 the name typed
  // whole, 1 an alias typed whole, 2 the words typed start words of the
  // name, 3 of the name and aliases, 4 the text typed stands inside the
  // name or an alias (three letters at least), or the words typed start
  // words of the name, aliases and description; -1 for no match.
  function rank(q, entry) {
    if (q.key === entry.key) {
      return 0;
    }
    if (entry.aliasKeys.indexOf(q.key) >= 0) {
      return 1;
    }
    if (matches(q.words, entry.titleWords)) {
      return 2;
    }
    if (matches(q.words, entry.nameWords)) {
      return 3;
    }
    if ((q.key.length >= 3 && entry.names.some(function (n) { return n.indexOf(q.key) >= 0; })) ||
        matches(q.words, entry.nameWords.concat(entry.descWords))) {
      return 4;
    }
    return -1;
  }

  // search returns the best entries for the text typed: by rank, then the
  // greater weight (the demand behind an entry), then the index's order.
  function search(index, text) {
    var ws = words(text);
    if (ws.length === 0) {
      return [];
    }
    var q = {
      key: ws.join(' '),
      words: ws.map(function (w) { return alternatives(w, index.same); })
    };
    var found = [];
    index.pages.forEach(function (entry, i) {
      var r = rank(q, entry);
      if (r >= 0) {
        found.push({ entry: entry, rank: r, i: i });
      }
    });
    found.sort(function (a, b) {
      return a.rank - b.rank || b.entry.weight - a.entry.weight || a.i - b.i;
    });
    return found.slice(0, maxResults).map(function (f) {
      return f.entry;
    });
  }

  // readIndex turns search.json into entries ready to match.
  function readIndex(data, base) {
    var same = (Array.isArray(data.same) ? data.same : []).map(function (group) {
      return (Array.isArray(group) ? group : []).map(fold);
    });
    var pages = (Array.isArray(data.pages) ? data.pages : []).map(function (p) {
      var titleWords = words(p.title);
      var aliases = (Array.isArray(p.aliases) ? p.aliases : []).map(function (a) {
        return words(a).join(' ');
      });
      var nameWords = titleWords.slice();
      aliases.forEach(function (a) {
        nameWords = nameWords.concat(a.split(' '));
      });
      return {
        title: String(p.title || ''),
        url: new URL(String(p.url || ''), base).href,
        section: String(p.section || ''),
        note: String(p.note || ''),
        weight: Number(p.weight) || 0,
        key: titleWords.join(' '),
        aliasKeys: aliases,
        names: [titleWords.join(' ')].concat(aliases),
        titleWords: titleWords,
        nameWords: nameWords,
        descWords: words(p.description)
      };
    });
    return { same: same, pages: pages };
  }

  function startSearch() {
    var form = document.querySelector('form.site-search');
    var input = form ? form.querySelector('input[type=search]') : null;
    if (!input) {
      return;
    }
    var base = new URL(form.getAttribute('data-index') || 'search.json', document.baseURI);
    var list = el('ul', { class: 'search-results', id: 'site-search-results', hidden: '' });
    var status = el('p', { class: 'visually-hidden', 'aria-live': 'polite' });
    form.appendChild(list);
    form.appendChild(status);
    input.setAttribute('aria-controls', list.id);
    var index = null;
    var loading = null;

    function load() {
      if (!loading) {
        loading = window.fetch(base.href).then(function (r) {
          if (!r.ok) {
            throw new Error('HTTP ' + r.status);
          }
          return r.json();
        }).then(function (data) {
          index = readIndex(data, base);
          return index;
        });
      }
      return loading;
    }

    function close() {
      list.hidden = true;
    }

    function links() {
      return Array.prototype.slice.call(list.querySelectorAll('a'));
    }

    function show(text, message) {
      while (list.firstChild) {
        list.removeChild(list.firstChild);
      }
      if (text.trim() === '') {
        status.textContent = '';
        close();
        return;
      }
      var found = message ? [] : search(index, text);
      found.forEach(function (entry) {
        var a = el('a', { href: entry.url });
        a.appendChild(el('span', { class: 'search-title' }, entry.title));
        if (entry.section && entry.section !== entry.title) {
          a.appendChild(el('span', { class: 'search-section' }, entry.section));
        }
        if (entry.note) {
          a.appendChild(el('span', { class: 'search-section' }, entry.note));
        }
        var li = el('li');
        li.appendChild(a);
        list.appendChild(li);
      });
      if (found.length === 0) {
        list.appendChild(el('li', { class: 'search-none' }, message || 'No page matches'));
      }
      status.textContent = message || (found.length === 0 ? 'No page matches' :
        found.length + (found.length === 1 ? ' page matches' : ' pages match'));
      list.hidden = false;
    }

    function update() {
      var text = input.value;
      if (index) {
        show(text);
        return;
      }
      load().then(function () {
        if (input.value === text) {
          show(text);
        }
      }, function (err) {
        console.warn('jobpulse: search index ' + base.href + ': ' + err);
        show(text, 'Search is not available here');
      });
    }

    input.addEventListener('focus', function () {
      load().catch(function () {});
      if (input.value.trim() !== '') {
        update();
      }
    });
    input.addEventListener('input', update);
    // A click on a result must not take the focus away first (and close
    // the list) in browsers that do not focus links on click.
    list.addEventListener('mousedown', function (e) {
      e.preventDefault();
    });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var first = links()[0];
      if (first) {
        window.location.href = first.href;
      }
    });
    form.addEventListener('keydown', function (e) {
      var all = links();
      var at = all.indexOf(document.activeElement);
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        if (!index || all.length === 0) {
          return;
        }
        e.preventDefault();
        if (list.hidden) {
          show(input.value);
          all = links();
        }
        var next = e.key === 'ArrowDown' ? at + 1 : (at < 0 ? all.length - 1 : at - 1);
        if (next < 0 || next >= all.length) {
          input.focus();
        } else {
          all[next].focus();
        }
      } else if (e.key === 'Escape' && !list.hidden) {
        e.preventDefault();
        close();
        input.focus();
      }
    });
    form.addEventListener('focusout', function (e) {
      if (!e.relatedTarget || !form.contains(e.relatedTarget)) {
        close();
      }
    });
  }

  // On a phone the navigation scrolls sideways: bring the entry of the page
  // or its section into view, without scrolling the page itself.
  function showCurrentNav() {
    var a = document.querySelector('.site-nav a[aria-current]');
    var ul = a ? a.closest('ul') : null;
    if (!ul || ul.scrollWidth <= ul.clientWidth) {
      return;
    }
    var box = ul.getBoundingClientRect();
    var r = a.getBoundingClientRect();
    if (r.left < box.left || r.right > box.right) {
      ul.scrollLeft += r.left - box.left - 16;
    }
  }

  // Where a table or the navigation scrolls sideways, a cue shows on the
  // side that has more (see .scroll-cue in style.css).
  function scrollCues() {
    var boxes = [];
    document.querySelectorAll('.table-wrap, .heat-wrap, .site-nav ul').forEach(function (box) {
      var holder = box.parentNode;
      if (!box.closest('.site-nav')) {
        holder = el('div', { class: 'scroll-cue' });
        box.parentNode.insertBefore(holder, box);
        holder.appendChild(box);
      }
      holder.classList.add('scroll-cue');
      boxes.push({ box: box, holder: holder });
      box.addEventListener('scroll', function () {
        mark(box, holder);
      }, { passive: true });
    });
    function mark(box, holder) {
      var more = [];
      if (box.scrollLeft > 1) {
        more.push('left');
      }
      if (box.scrollLeft + box.clientWidth < box.scrollWidth - 1) {
        more.push('right');
      }
      holder.setAttribute('data-more', more.join(' '));
    }
    function markAll() {
      boxes.forEach(function (b) {
        mark(b.box, b.holder);
      });
    }
    markAll();
    window.addEventListener('resize', markAll);
  }

  function startAll() {
    start();
    startTables();
    startSearch();
    showCurrentNav();
    scrollCues();
    openTarget();
    window.addEventListener('hashchange', openTarget);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', startAll);
  } else {
    startAll();
  }
})();
