// Vigil report page: draws the findings, lock graphs and thread timeline from the embedded report.
// Rule: a string from the report reaches the page only through textContent or an attribute set
// with setAttribute, never parsed as markup, so a hostile thread name stays text. Shown text goes
// through inert(): control characters and bidirectional controls (U+202E and the like) are shown
// as visible \uXXXX escapes, so a thread name can neither reverse the text around it nor fake a
// line; report.css isolates each report string (unicode-bidi: isolate) from Vigil's own words.
(function () {
  'use strict';

  var SEVERITIES = ['error', 'warning', 'info'];
  var PAGE = 100;            // findings added to the page at a time
  var EAGER_LIMIT = 20;      // reports up to this size show their stacks open
  var ROW = 20;              // timeline row height in px (matches .tl-row)
  var SVG_NS = 'http://www.w3.org/2000/svg';
  var LOCK_KINDS = { 'lock-order-cycle': true, 'deadlock': true };

  // C0 and C1 controls (newline and tab too: a name never breaks a stack line), the bidi
  // embeddings, overrides, isolates and marks, and the line and paragraph separators.
  var UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
  function inert(v) {
    return String(v).replace(UNSAFE, function (c) {
      return c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t'
        : '\\u' + ('000' + c.charCodeAt(0).toString(16)).slice(-4);
    });
  }
  function textNode(v) { return document.createTextNode(inert(v)); }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = inert(text);
    return e;
  }

  function svg(tag, attrs) {
    var e = document.createElementNS(SVG_NS, tag);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, String(attrs[k]));
    return e;
  }

  function str(v) { return v === undefined || v === null ? '' : String(v); }
  function arr(v) { return Array.isArray(v) ? v : []; }
  function plural(n, one, many) { return n.toLocaleString('en-US') + ' ' + (n === 1 ? one : (many || one + 's')); }

  // ---------- stacks ----------

  function frameText(f) {
    var where = f.file ? (f.line > 0 ? f.file + ':' + f.line : f.file) : 'Unknown Source';
    return 'at ' + str(f['class']) + '.' + str(f.method) + '(' + where + ')';
  }

  // Application frames in bold; each run of other frames (JDK, libraries) folded.
  function stack(frames) {
    var box = el('div', 'stack');
    frames = arr(frames);
    if (!frames.length) { box.appendChild(el('span', 'jdk', '(no stack)')); return box; }
    var i = 0;
    while (i < frames.length) {
      if (frames[i] && frames[i].app) {
        box.appendChild(el('span', 'app', frameText(frames[i])));
        box.appendChild(document.createTextNode('\n'));
        i++;
        continue;
      }
      var j = i;
      while (j < frames.length && !(frames[j] && frames[j].app)) j++;
      var fold = el('details', 'jdk-frames');
      fold.appendChild(el('summary', null, plural(j - i, 'JDK frame')));
      for (var k = i; k < j; k++) {
        fold.appendChild(el('span', 'jdk', frameText(frames[k] || {})));
        fold.appendChild(document.createTextNode('\n'));
      }
      box.appendChild(fold);
      i = j;
    }
    return box;
  }

  // A <details> whose body is built the first time it opens: large reports stay light.
  function lazyDetails(cls, summaryParts, fill, open) {
    var d = el('details', cls);
    var s = el('summary');
    summaryParts.forEach(function (p) { s.appendChild(typeof p === 'string' ? textNode(p) : p); });
    d.appendChild(s);
    var filled = false;
    function ensure() { if (!filled) { filled = true; fill(d); } }
    d.addEventListener('toggle', function () { if (d.open) ensure(); });
    if (open) { ensure(); d.open = true; }
    return d;
  }

  // ---------- lock graph and scenario ----------

  // Edges on a cycle: those whose target can reach their source again.
  function cycleEdges(edges) {
    var next = Object.create(null);
    edges.forEach(function (e) { (next[e.from] = next[e.from] || []).push(e.to); });
    function reaches(a, b) {
      var seen = Object.create(null), todo = [a];
      while (todo.length) {
        var n = todo.pop();
        if (n === b) return true;
        if (seen[n]) continue;
        seen[n] = true;
        (next[n] || []).forEach(function (m) { todo.push(m); });
      }
      return false;
    }
    return edges.map(function (e) { return reaches(e.to, e.from); });
  }

  function lockGraph(f, d) {
    var edges = arr(d.edges).filter(function (e) {
      return e && typeof e === 'object' && e.from !== undefined && e.from !== null && e.to !== undefined && e.to !== null;
    }).map(function (e) { return { from: String(e.from), to: String(e.to), raw: e }; });
    if (!edges.length) return null;
    var labels = Object.create(null), ids = [];
    arr(d.locks).forEach(function (l) {
      if (l && typeof l === 'object' && l.id !== undefined && l.id !== null && !(String(l.id) in labels)) {
        labels[String(l.id)] = str(l.label);
        ids.push(String(l.id));
      }
    });
    edges.forEach(function (e) {
      [e.from, e.to].forEach(function (id) { if (!(id in labels)) { labels[id] = ''; ids.push(id); } });
    });
    var onCycle = cycleEdges(edges);
    var n = ids.length, R = n <= 2 ? 110 : Math.min(220, 40 + n * 28), pad = 130;
    var W = 2 * (R + pad), H = n <= 2 ? 220 : 2 * R + 110, cx = W / 2, cy = H / 2, r = 22;
    var pos = Object.create(null);
    ids.forEach(function (id, i) {
      var a = (n <= 2 ? Math.PI : -Math.PI / 2) + 2 * Math.PI * i / n;
      pos[id] = { x: cx + R * Math.cos(a), y: cy + R * Math.sin(a), up: n <= 2 ? i === 0 : Math.sin(a) < -0.3 };
    });
    var g = svg('svg', { 'class': 'lock-graph', width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, role: 'img' });
    var title = svg('title', {});
    title.textContent = 'Lock-order graph of ' + plural(n, 'lock') + ' and ' + plural(edges.length, 'edge');
    g.appendChild(title);
    var defs = svg('defs', {});
    ['plain', 'cycle'].forEach(function (kind) {
      var m = svg('marker', { id: 'arrow-' + kind + '-' + f.__index, 'class': kind, viewBox: '0 0 10 10', refX: 9, refY: 5,
        markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
      m.appendChild(svg('path', { d: 'M0,0 L10,5 L0,10 z' }));
      defs.appendChild(m);
    });
    g.appendChild(defs);
    var pairCount = Object.create(null);
    edges.forEach(function (e, i) {
      var a = pos[e.from], b = pos[e.to];
      var grp = svg('g', { 'class': 'edge' + (onCycle[i] ? ' cycle' : ''), 'data-from': e.from, 'data-to': e.to });
      var key = e.from + '\u0000' + e.to;
      var k = pairCount[key] = (pairCount[key] || 0) + 1;
      var path, lx, ly;
      if (e.from === e.to) {
        path = 'M' + (a.x - 10) + ',' + (a.y - r + 2) + ' C' + (a.x - 40) + ',' + (a.y - 80) + ' ' + (a.x + 40) + ',' + (a.y - 80) + ' ' + (a.x + 10) + ',' + (a.y - r + 2);
        lx = a.x; ly = a.y - 68;
      } else {
        var dx = b.x - a.x, dy = b.y - a.y, len = Math.sqrt(dx * dx + dy * dy) || 1;
        var nx = -dy / len, ny = dx / len, bend = (n <= 2 ? 36 : 28) * k;
        var mx = (a.x + b.x) / 2 + nx * bend, my = (a.y + b.y) / 2 + ny * bend;
        var s = trim(a, mx, my, r), t = trim(b, mx, my, r + 2);
        path = 'M' + s.x + ',' + s.y + ' Q' + mx + ',' + my + ' ' + t.x + ',' + t.y;
        lx = (a.x + b.x) / 2 + nx * (bend * 0.5 + 12); ly = (a.y + b.y) / 2 + ny * (bend * 0.5 + 12) + 4;
      }
      grp.appendChild(svg('path', { d: path, 'marker-end': 'url(#arrow-' + (onCycle[i] ? 'cycle' : 'plain') + '-' + f.__index + ')' }));
      var thread = e.raw.thread !== undefined ? str(e.raw.thread) : '';
      if (thread) {
        var t = svg('text', { x: lx, y: ly });
        t.textContent = inert(shorten(thread, 24));
        grp.appendChild(t);
      }
      var et = svg('title', {});
      et.textContent = inert(e.from) + ' \u2192 ' + inert(e.to) + (thread ? ' by ' + inert(thread) : '');
      grp.appendChild(et);
      g.appendChild(grp);
    });
    ids.forEach(function (id) {
      var p = pos[id];
      var inCycle = edges.some(function (e, i) { return onCycle[i] && (e.from === id || e.to === id); });
      var node = svg('g', { 'class': 'node' + (inCycle ? ' cycle' : ''), 'data-lock': id });
      node.appendChild(svg('circle', { cx: p.x, cy: p.y, r: r }));
      var idText = svg('text', { x: p.x, y: p.y + 4, 'class': 'id' });
      idText.textContent = inert(shorten(id, 5));
      node.appendChild(idText);
      if (labels[id]) {
        // Two locks side by side: their labels go to the free corners, clear of the edges.
        var lt = n <= 2 ? svg('text', { x: p.up ? 8 : W - 8, y: p.up ? p.y - r - 36 : p.y + r + 44, 'class': p.up ? 'start' : 'end' })
          : svg('text', { x: p.x, y: p.up ? p.y - r - 7 : p.y + r + 15 });
        lt.textContent = inert(shorten(labels[id], 34));
        node.appendChild(lt);
      }
      var nt = svg('title', {});
      nt.textContent = inert(id + (labels[id] ? ': ' + labels[id] : ''));
      node.appendChild(nt);
      g.appendChild(node);
    });
    return { svg: g, edges: edges, labels: labels };
  }

  function trim(p, tx, ty, by) {
    var dx = tx - p.x, dy = ty - p.y, len = Math.sqrt(dx * dx + dy * dy) || 1;
    return { x: p.x + dx / len * by, y: p.y + dy / len * by };
  }

  function shorten(s, max) { return s.length > max ? s.slice(0, max - 1) + '\u2026' : s; }

  function scenarioTable(d) {
    var sc = d.scenario;
    if (!sc || typeof sc !== 'object') return null;
    var cols = arr(sc.columns).map(str);
    var rows = arr(sc.rows).filter(Array.isArray);
    if (!cols.length || !rows.length) return null;
    var t = el('table', 'scenario');
    var hr = el('tr');
    cols.forEach(function (c) { hr.appendChild(el('th', null, c)); });
    t.appendChild(el('thead')).appendChild(hr);
    var body = t.appendChild(el('tbody'));
    rows.forEach(function (row) {
      var tr = el('tr');
      for (var i = 0; i < cols.length; i++) tr.appendChild(el('td', null, str(row[i])));
      body.appendChild(tr);
    });
    return t;
  }

  function edgeTable(graph, sites) {
    var t = el('table', 'edges');
    var hr = el('tr');
    ['Edge', 'Thread', 'Holding', 'taken at', 'Then takes', 'taken at'].forEach(function (h) { hr.appendChild(el('th', null, h)); });
    t.appendChild(el('thead')).appendChild(hr);
    var body = t.appendChild(el('tbody'));
    function siteAt(i) {
      return typeof i === 'number' && i >= 0 && i < sites.length && sites[i] ? str(sites[i].location) : '?';
    }
    graph.edges.forEach(function (e, i) {
      var tr = el('tr');
      var who = str(e.raw.thread) + (e.raw.threadId !== undefined ? ' #' + str(e.raw.threadId) : '');
      [String(i + 1), who, lockName(graph, e.from), siteAt(e.raw.heldSite), lockName(graph, e.to), siteAt(e.raw.takenSite)]
        .forEach(function (c, j) { tr.appendChild(el('td', j === 3 || j === 5 ? 'mono' : null, c)); });
      body.appendChild(tr);
    });
    return t;
  }

  function lockName(graph, id) { return graph.labels[id] ? id + ' (' + graph.labels[id] + ')' : id; }

  function lockSection(f, card) {
    var d = f.details && typeof f.details === 'object' ? f.details : {};
    var graph = lockGraph(f, d);
    var scenario = scenarioTable(d);
    var view = el('div', 'cycle-view');
    if (graph) view.appendChild(graph.svg);
    if (scenario) {
      var box = el('div', 'scenario-box');
      box.appendChild(el('p', null, 'How the threads interleave:'));
      box.appendChild(scenario);
      view.appendChild(box);
    }
    if (view.childNodes.length) card.appendChild(view);
    if (graph) card.appendChild(edgeTable(graph, arr(f.sites)));
    if (!graph || !scenario) {
      card.appendChild(el('p', 'note lock-missing', (!graph && !scenario ? 'Lock graph and scenario'
        : !graph ? 'Lock graph' : 'Scenario') + ' not available: the finding carries no usable ' +
        (!graph ? 'details.edges' : 'details.scenario') + '.'));
    }
  }

  // ---------- controls ----------

  function searchBox(id, placeholder, label) {
    var box = el('input');
    box.type = 'search';
    box.id = id;
    box.placeholder = placeholder;
    box.setAttribute('aria-label', label);
    return box;
  }

  function countLabel(id) {
    var count = el('span', 'count');
    count.id = id;
    return count;
  }

  // ---------- findings ----------

  function threadItem(t) {
    var li = el('li', 'thread');
    var line = [el('b', 'thread-name', str(t.name)), ' #' + str(t.id) + (t.daemon ? ' daemon' : '') + ' ',
      el('span', 'state' + (t.alive === false ? ' ended' : ''), str(t.state) + (t.alive === false ? ' (ended)' : ''))];
    li.appendChild(lazyDetails('thread-stack', line, function (d) { d.appendChild(stack(t.stack)); }, false));
    return li;
  }

  function findingCard(f, eager) {
    var sev = SEVERITIES.indexOf(f.severity) >= 0 ? f.severity : 'info';
    var card = el('article', 'finding ' + sev);
    card.setAttribute('data-kind', str(f.kind));
    card.setAttribute('data-severity', sev);
    var h = el('h3');
    h.appendChild(el('span', 'sev ' + sev, sev));
    h.appendChild(document.createTextNode(' '));
    h.appendChild(el('code', 'kind', str(f.kind)));
    h.appendChild(document.createTextNode(' '));
    h.appendChild(el('span', 'title', str(f.title)));
    var d = f.details && typeof f.details === 'object' ? f.details : {};
    if (LOCK_KINDS[f.kind] && (d.mode === 'observed' || d.mode === 'predicted')) {
      h.appendChild(el('span', 'mode', d.mode === 'observed' ? 'observed in this run' : 'predicted: can deadlock'));
    }
    card.appendChild(h);
    var sites = arr(f.sites);
    if (sites.length && sites[0]) {
      var where = el('p', 'where', 'at ');
      where.appendChild(el('code', null, str(sites[0].location)));
      card.appendChild(where);
    }
    card.appendChild(el('p', 'message', str(f.message)));
    if (f.howToFix) {
      var fix = el('p', 'fix');
      fix.appendChild(el('b', null, 'Why it matters and how to fix it: '));
      fix.appendChild(textNode(str(f.howToFix)));
      card.appendChild(fix);
    }
    var facts = detailFacts(d, LOCK_KINDS[f.kind]);
    if (facts) card.appendChild(facts);
    if (LOCK_KINDS[f.kind]) lockSection(f, card);
    sites.forEach(function (s) {
      s = s || {};
      card.appendChild(lazyDetails('site', [str(s.role) + ' at ', el('code', null, str(s.location))],
        function (box) { box.appendChild(stack(s.frames)); }, eager));
    });
    var threads = arr(f.threads);
    if (threads.length) {
      card.appendChild(lazyDetails('threads', [plural(threads.length, 'thread') + ' involved'], function (box) {
        var ul = el('ul', 'threads');
        threads.forEach(function (t) { ul.appendChild(threadItem(t || {})); });
        box.appendChild(ul);
      }, eager));
    }
    var fp = el('p', 'fp', 'fingerprint ');
    fp.appendChild(el('code', null, str(f.fingerprint)));
    card.appendChild(fp);
    return card;
  }

  // The finding's other details (counts, reasons), as "key value" pairs; the lock graph's own
  // details are drawn elsewhere. Nested values are shown as compact JSON text.
  var LOCK_DETAILS = { mode: true, locks: true, edges: true, scenario: true };
  function detailFacts(d, lockKind) {
    var keys = Object.keys(d).filter(function (k) { return !(lockKind && LOCK_DETAILS[k]); });
    if (!keys.length) return null;
    var p = el('p', 'facts');
    keys.forEach(function (k) {
      var v = d[k];
      var text = v !== null && typeof v === 'object' ? JSON.stringify(v) : str(v);
      var fact = el('span', 'fact');
      fact.setAttribute('data-detail', k);
      fact.appendChild(el('span', 'key', k));
      fact.appendChild(textNode(' ' + shorten(text, 200)));
      p.appendChild(fact);
    });
    return p;
  }

  // What the search box matches: everything a user reads on the card, built once on first search.
  function searchText(f) {
    if (f.__text === undefined) {
      var parts = [f.kind, f.severity, f.title, f.message, f.howToFix, f.fingerprint];
      arr(f.sites).forEach(function (s) { if (s) parts.push(s.role, s.location); });
      arr(f.threads).forEach(function (t) { if (t) parts.push(t.name, t.state); });
      var d = f.details;
      if (d && typeof d === 'object') arr(d.locks).forEach(function (l) { if (l) parts.push(l.id, l.label); });
      f.__text = parts.map(str).join('\n').toLowerCase();
    }
    return f.__text;
  }

  function findingsView(findings) {
    var controls = document.getElementById('finding-controls');
    var list = document.getElementById('finding-list');
    findings.forEach(function (f, i) { f.__index = i; });
    var eager = findings.length <= EAGER_LIMIT;

    var kinds = Object.create(null);
    findings.forEach(function (f) { kinds[f.kind] = (kinds[f.kind] || 0) + 1; });
    var kindSel = el('select');
    kindSel.id = 'kind-filter';
    kindSel.setAttribute('aria-label', 'Kind');
    var all = el('option', null, 'all kinds');
    all.value = '';
    kindSel.appendChild(all);
    Object.keys(kinds).sort().forEach(function (k) {
      var o = el('option', null, k + ' (' + kinds[k] + ')');
      o.value = k;
      kindSel.appendChild(o);
    });
    controls.appendChild(kindSel);

    var sevBoxes = {};
    SEVERITIES.forEach(function (s) {
      var lab = el('label');
      var cb = el('input');
      cb.type = 'checkbox';
      cb.checked = true;
      cb.id = 'severity-' + s;
      sevBoxes[s] = cb;
      lab.appendChild(cb);
      lab.appendChild(document.createTextNode(' '));
      lab.appendChild(el('span', 'sev ' + s, s));
      controls.appendChild(lab);
    });

    var search = controls.appendChild(searchBox('finding-search', 'Search titles, messages, sites, threads\u2026', 'Search findings'));
    var count = controls.appendChild(countLabel('finding-count'));

    var shown = [], rendered = 0;
    var more = el('div', 'more');
    var moreButton = el('button');
    moreButton.type = 'button';
    moreButton.id = 'more-findings';
    more.appendChild(moreButton);

    function renderMore() {
      var frag = document.createDocumentFragment();
      var end = Math.min(shown.length, rendered + PAGE);
      for (var i = rendered; i < end; i++) frag.appendChild(findingCard(shown[i], eager));
      rendered = end;
      list.insertBefore(frag, more);
      var left = shown.length - rendered;
      more.hidden = left <= 0;
      moreButton.textContent = 'Show ' + Math.min(PAGE, left).toLocaleString('en-US') + ' more (' + left.toLocaleString('en-US') + ' not shown)';
    }

    function apply() {
      var kind = kindSel.value, q = search.value.trim().toLowerCase();
      shown = findings.filter(function (f) {
        var sev = SEVERITIES.indexOf(f.severity) >= 0 ? f.severity : 'info';
        return sevBoxes[sev].checked && (!kind || f.kind === kind) && (!q || searchText(f).indexOf(q) >= 0);
      });
      list.textContent = '';
      list.appendChild(more);
      rendered = 0;
      if (!findings.length) {
        list.insertBefore(el('p', 'note', 'No findings: Vigil saw nothing to report in this run.'), more);
      } else if (!shown.length) {
        list.insertBefore(el('p', 'note', 'No finding matches the filters.'), more);
      }
      count.textContent = shown.length === findings.length ? plural(findings.length, 'finding')
        : shown.length.toLocaleString('en-US') + ' of ' + plural(findings.length, 'finding');
      renderMore();
    }

    moreButton.addEventListener('click', renderMore);
    kindSel.addEventListener('change', apply);
    SEVERITIES.forEach(function (s) { sevBoxes[s].addEventListener('change', apply); });
    search.addEventListener('input', apply);
    apply();
  }

  // ---------- timeline ----------

  function time(s) {
    if (!s) return NaN;
    var t = Date.parse(s);
    return isNaN(t) ? NaN : t;
  }

  function seconds(ms) { return (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + ' s'; }

  /**
   * Rows drawn only in view (plus a margin) inside {@code scroll}: 100,000 rows cost ~40 elements.
   * {@code row(item, i)} makes the element of item i; {@code show(list)} replaces the items.
   */
  function virtualRows(scroll, spacer, row) {
    var shown = [], from = -1, to = -1;
    function paint(force) {
      var first = Math.max(0, Math.floor(scroll.scrollTop / ROW) - 10);
      var last = Math.min(shown.length, first + Math.ceil((scroll.clientHeight || 400) / ROW) + 20);
      if (!force && first === from && last === to) return;
      from = first; to = last;
      while (spacer.firstChild) spacer.removeChild(spacer.firstChild);
      var frag = document.createDocumentFragment();
      for (var i = first; i < last; i++) frag.appendChild(row(shown[i], i));
      spacer.appendChild(frag);
    }
    scroll.addEventListener('scroll', function () { paint(false); });
    return {
      show: function (list) {
        shown = list;
        spacer.style.height = (shown.length * ROW) + 'px';
        scroll.style.height = Math.max(3, Math.min(shown.length, 18)) * ROW + 2 + 'px';
        spacer.style.position = 'relative';
        scroll.scrollTop = 0;
        paint(true);
      }
    };
  }

  function timelineView(report) {
    var body = document.getElementById('timeline-body');
    var threads = arr(report.threads).filter(function (t) { return t && typeof t === 'object'; });
    if (!threads.length) { body.appendChild(el('p', 'note', 'The report has no thread lifetimes.')); return; }
    var leaked = Object.create(null);
    arr(report.findings).forEach(function (f) {
      if (f.kind === 'thread-leak') arr(f.threads).forEach(function (t) { if (t) leaked[t.id] = true; });
    });
    var run = report.run || {};
    var t0 = time(run.start), t1 = time(run.end);
    threads.forEach(function (t) {
      t.__s = time(t.start); t.__e = time(t.end);
      if (!isNaN(t.__s) && (isNaN(t0) || t.__s < t0)) t0 = t.__s;
      if (!isNaN(t.__e) && (isNaN(t1) || t.__e > t1)) t1 = t.__e;
    });
    if (isNaN(t0) || isNaN(t1) || t1 <= t0) { t0 = isNaN(t0) ? 0 : t0; t1 = t0 + 1; }
    var span = t1 - t0;
    threads.sort(function (a, b) {
      var sa = isNaN(a.__s) ? -Infinity : a.__s, sb = isNaN(b.__s) ? -Infinity : b.__s;
      return sa !== sb ? (sa < sb ? -1 : 1) : (a.id || 0) - (b.id || 0);
    });

    var controls = el('div', 'controls');
    controls.id = 'timeline-controls';
    var q = controls.appendChild(searchBox('timeline-search', 'Filter threads by name\u2026', 'Filter threads'));
    var origin = el('select');
    origin.id = 'timeline-origin';
    origin.setAttribute('aria-label', 'Origin');
    ['', 'application', 'jdk', 'vigil', 'pre-existing'].forEach(function (o) {
      var opt = el('option', null, o || 'all origins');
      opt.value = o;
      origin.appendChild(opt);
    });
    controls.appendChild(origin);
    var aliveLab = el('label');
    var alive = el('input');
    alive.type = 'checkbox';
    alive.id = 'timeline-alive';
    aliveLab.appendChild(alive);
    aliveLab.appendChild(document.createTextNode(' alive at report time only'));
    controls.appendChild(aliveLab);
    var count = controls.appendChild(countLabel('timeline-count'));
    body.appendChild(controls);

    var legend = el('div', 'legend');
    [['application', 'application'], ['jdk', 'JDK'], ['vigil', 'Vigil'], ['pre-existing', 'pre-existing'],
      ['leaked', 'leaked (in a thread-leak finding)']].forEach(function (p) {
      var s = el('span');
      s.appendChild(el('i', 'tl-bar ' + p[0]));
      s.appendChild(document.createTextNode(p[1]));
      legend.appendChild(s);
    });
    legend.appendChild(el('span', null, 'A bar that reaches the right edge was still alive when the report was written.'));
    body.appendChild(legend);

    var axis = el('div', 'tl-axis');
    axis.appendChild(el('span', null, str(run.start || new Date(t0).toISOString())));
    axis.appendChild(el('span', null, 'report at +' + seconds(span)));
    body.appendChild(axis);

    var scroll = el('div', 'tl-scroll');
    scroll.id = 'timeline-rows';
    var spacer = el('div');
    scroll.appendChild(spacer);
    body.appendChild(scroll);

    var runsByThread = tasksByThread(report);
    var shown = threads;
    function row(t, i) {
      var r = el('div', 'tl-row');
      r.style.top = (i * ROW) + 'px';
      r.setAttribute('data-thread-id', str(t.id));
      r.title = inert(str(t.name)) + ' #' + inert(str(t.id)) + ' \u00b7 ' + inert(str(t.origin)) + (t.daemon ? ' daemon' : '') +
        ' \u00b7 ' + inert(str(t.state)) + '\nstarted ' + inert(t.start || 'before Vigil') +
        (t.parentName ? ' by ' + inert(t.parentName) : '') + (t.startSite && t.startSite.location ? ' at ' + inert(t.startSite.location) : '') +
        '\nended ' + inert(t.end || 'no: alive at report time');
      r.appendChild(el('div', 'tl-name', str(t.name)));
      var track = el('div', 'tl-track');
      var s = isNaN(t.__s) ? t0 : t.__s, e = isNaN(t.__e) ? t1 : t.__e;
      var cls = 'tl-bar ' + (['application', 'jdk', 'vigil', 'pre-existing'].indexOf(t.origin) >= 0 ? t.origin : '') +
        (isNaN(t.__e) ? ' alive' : '') + (leaked[t.id] ? ' leaked' : '');
      var bar = el('div', cls);
      bar.style.left = ((s - t0) / span * 100) + '%';
      bar.style.width = (Math.max(0, e - s) / span * 100) + '%';
      track.appendChild(bar);
      (runsByThread[t.id] || []).forEach(function (k) { track.appendChild(taskSegment(k, 'run', t0, t1, span)); });
      r.appendChild(track);
      return r;
    }
    var rows = virtualRows(scroll, spacer, row);
    function apply() {
      var text = q.value.trim().toLowerCase(), o = origin.value, onlyAlive = alive.checked;
      shown = threads.filter(function (t) {
        return (!o || t.origin === o) && (!onlyAlive || isNaN(t.__e)) && (!text || str(t.name).toLowerCase().indexOf(text) >= 0);
      });
      count.textContent = shown.length === threads.length ? plural(threads.length, 'thread')
        : shown.length.toLocaleString('en-US') + ' of ' + plural(threads.length, 'thread');
      rows.show(shown);
    }
    q.addEventListener('input', apply);
    origin.addEventListener('change', apply);
    alive.addEventListener('change', apply);
    apply();
  }

  // ---------- tasks ----------

  var TASK_STATES = ['queued', 'running', 'completed', 'failed', 'cancelled'];

  function taskList(report) {
    return arr(report.tasks).filter(function (k) { return k && typeof k === 'object'; });
  }

  /** Tasks that ran, by the id of the worker thread that ran them: drawn on that thread's row. */
  function tasksByThread(report) {
    var m = Object.create(null);
    taskList(report).forEach(function (k) {
      if (k.threadId !== undefined && k.threadId !== null && k.started) (m[k.threadId] = m[k.threadId] || []).push(k);
    });
    return m;
  }

  function taskTitle(k) {
    return 'task #' + inert(str(k.id)) + ' \u00b7 ' + inert(str(k.state)) + ' \u00b7 executor #' + inert(str(k.executorId)) +
      '\nsubmitted ' + inert(str(k.submitted)) + (k.submittedAt ? ' at ' + inert(k.submittedAt) : '') +
      '\nstarted ' + (k.started ? inert(k.started) + ' on ' + inert(str(k.thread)) : 'no: queued') +
      '\nended ' + inert(k.ended || 'no');
  }

  /** One part of a task's life as a bar: 'wait' (submitted to started) or 'run' (started to ended). */
  function taskSegment(k, part, t0, t1, span) {
    var s = time(part === 'run' ? k.started : k.submitted);
    var e = part === 'run' ? time(k.ended) : time(k.started);
    if (isNaN(s)) s = t0;
    var open = isNaN(e);
    if (open) e = t1;
    var state = TASK_STATES.indexOf(k.state) >= 0 ? k.state : '';
    var seg = el('div', 'tl-task ' + part + ' ' + state + (open ? ' open' : ''));
    seg.style.left = ((Math.max(s, t0) - t0) / span * 100) + '%';
    seg.style.width = (Math.max(0, Math.min(e, t1) - Math.max(s, t0)) / span * 100) + '%';
    seg.title = taskTitle(k);
    seg.setAttribute('data-task-id', str(k.id));
    return seg;
  }

  function taskTimelineView(report) {
    var body = document.getElementById('tasks-body');
    if (!body) return;
    var tasks = taskList(report);
    var run = report.run || {};
    var t0 = time(run.start), t1 = time(run.end);
    tasks.forEach(function (k) {
      var s = time(k.submitted), e = time(k.ended);
      if (!isNaN(s) && (isNaN(t0) || s < t0)) t0 = s;
      if (!isNaN(e) && (isNaN(t1) || e > t1)) t1 = e;
    });
    if (isNaN(t0) || isNaN(t1) || t1 <= t0) { t0 = isNaN(t0) ? 0 : t0; t1 = t0 + 1; }
    var span = t1 - t0;

    var controls = el('div', 'controls');
    controls.id = 'tasks-controls';
    var q = controls.appendChild(searchBox('tasks-search', 'Filter tasks by submit site or thread\u2026', 'Filter tasks'));
    var stateSel = el('select');
    stateSel.id = 'tasks-state';
    stateSel.setAttribute('aria-label', 'State');
    [''].concat(TASK_STATES).forEach(function (o) {
      var opt = el('option', null, o || 'all states');
      opt.value = o;
      stateSel.appendChild(opt);
    });
    controls.appendChild(stateSel);
    var count = controls.appendChild(countLabel('tasks-count'));
    body.appendChild(controls);

    var legend = el('div', 'legend');
    [['wait', 'queued (submitted, not started)'], ['run completed', 'ran, completed'], ['run failed', 'ran, failed'],
      ['run cancelled', 'cancelled'], ['run running', 'running at report time']].forEach(function (p) {
      var s = el('span');
      s.appendChild(el('i', 'tl-task legend-box ' + p[0]));
      s.appendChild(document.createTextNode(p[1]));
      legend.appendChild(s);
    });
    var notListed = report.agent && report.agent.truncated ? report.agent.truncated.tasksNotListed : 0;
    legend.appendChild(el('span', null, 'Open tasks and the most recent finished ones' +
      (notListed ? '; ' + plural(notListed, 'older task') + ' not listed' : '') +
      '. Each run is also drawn on its worker\'s row in the thread timeline.'));
    body.appendChild(legend);

    var scroll = el('div', 'tl-scroll');
    scroll.id = 'tasks-rows';
    var spacer = el('div');
    scroll.appendChild(spacer);
    body.appendChild(scroll);

    function row(k, i) {
      var r = el('div', 'tl-row');
      r.style.top = (i * ROW) + 'px';
      r.setAttribute('data-task-id', str(k.id));
      r.title = taskTitle(k);
      r.appendChild(el('div', 'tl-name', '#' + str(k.id) + ' ' + str(k.submittedAt)));
      var track = el('div', 'tl-track');
      track.appendChild(taskSegment(k, 'wait', t0, t1, span));
      if (k.started) track.appendChild(taskSegment(k, 'run', t0, t1, span));
      r.appendChild(track);
      return r;
    }
    var rows = virtualRows(scroll, spacer, row);
    function apply() {
      var text = q.value.trim().toLowerCase(), st = stateSel.value;
      var shown = tasks.filter(function (k) {
        return (!st || k.state === st) && (!text || (str(k.submittedAt) + ' ' + str(k.thread)).toLowerCase().indexOf(text) >= 0);
      });
      count.textContent = shown.length === tasks.length ? plural(tasks.length, 'task')
        : shown.length.toLocaleString('en-US') + ' of ' + plural(tasks.length, 'task');
      rows.show(shown);
    }
    q.addEventListener('input', apply);
    stateSel.addEventListener('change', apply);
    apply();
  }

  // ---------- start ----------

  if (window.performance && performance.mark) performance.mark('vigil-script-start');
  try {
    var report = JSON.parse(document.getElementById('vigil-data').textContent);
    if (window.performance && performance.mark) performance.mark('vigil-data-parsed');
    findingsView(arr(report.findings));
    timelineView(report);
    taskTimelineView(report);
    document.body.setAttribute('data-ready', 'true');
  } catch (err) {
    var box = document.getElementById('page-error');
    box.textContent = 'This page could not draw the report: ' + err;
    box.hidden = false;
    document.body.setAttribute('data-ready', 'error');
  }
  if (window.performance && performance.mark) performance.mark('vigil-ready');
})();
