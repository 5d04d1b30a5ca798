
(function () {
  'use strict';
  var banner = document.getElementById('js-error');
  function fail(message) {
    banner.hidden = false;
    banner.textContent = 'This page could not run its filters: ' + message;
  }
  window.addEventListener('error', function (ev) { fail(ev.message); });
  document.addEventListener('securitypolicyviolation', function (ev) {
    fail('blocked by the content security policy (' + ev.violatedDirective + ')');
  });
  var form = document.getElementById('filters');
  var kind = document.getElementById('f-kind');
  var actor = document.getElementById('f-actor');
  var year = document.getElementById('f-year');
  var text = document.getElementById('f-text');
  var reset = document.getElementById('f-reset');
  var count = document.getElementById('count');
  var entries = Array.prototype.slice.call(document.querySelectorAll('article.entry'));
  var sections = Array.prototype.slice.call(document.querySelectorAll('section.month, section.year'));
  var marks = {};
  Array.prototype.forEach.call(document.querySelectorAll('[data-mark]'), function (m) {
    (marks[m.getAttribute('data-mark')] = marks[m.getAttribute('data-mark')] || []).push(m);
  });
  entries.forEach(function (a) { a.setAttribute('data-text', a.textContent.toLowerCase()); });
  function words(a, name) { return (a.getAttribute(name) || '').split(' '); }
  function keep(a, k, who, y, q) {
    if (k && a.getAttribute('data-kind') !== k && a.getAttribute('data-sub') !== k) { return false; }
    if (who && words(a, 'data-actors').indexOf(who) < 0) { return false; }
    if (y && words(a, 'data-years').indexOf(y) < 0) { return false; }
    if (q && a.getAttribute('data-text').indexOf(q) < 0) { return false; }
    return true;
  }
  function apply() {
    var k = kind.value, who = actor.value, y = year.value, q = text.value.trim().toLowerCase();
    var shown = 0;
    entries.forEach(function (a) {
      var ok = keep(a, k, who, y, q);
      a.hidden = !ok;
      (marks[a.getAttribute('data-e')] || []).forEach(function (m) {
        m.classList.toggle('off', !ok);
      });
      if (ok) { shown += 1; }
    });
    sections.forEach(function (s) { s.hidden = !s.querySelector('article.entry:not([hidden])'); });
    count.textContent = 'Showing ' + shown + ' of ' + entries.length + ' entries';
    reset.disabled = !(k || who || y || q);
    boxes.forEach(collapse);
  }
  var boxes = Array.prototype.slice.call(document.querySelectorAll('.ovbox'));
  function collapse(box) {
    // Lanes left with no entry by the filters fold away; the labels follow their lanes.
    var svg = box.querySelector('svg.ov');
    if (!svg) { return; }
    var full = Number(svg.getAttribute('data-full') || svg.getAttribute('height'));
    svg.setAttribute('data-full', String(full));
    var shift = 0;
    Array.prototype.forEach.call(svg.querySelectorAll('rect.lane'), function (rect) {
      var n = rect.getAttribute('data-lane');
      var group = svg.querySelector('g[data-lane="' + n + '"]');
      var sticky = box.querySelector('.sticky[data-lane="' + n + '"]');
      var empty = !group.querySelector('[data-mark]:not(.off)');
      [rect, group].forEach(function (el) {
        el.setAttribute('transform', 'translate(0 ' + (-shift) + ')');
        el.classList.toggle('off', empty);
      });
      if (sticky) {
        sticky.hidden = empty;
        sticky.style.top = (Number(rect.getAttribute('data-y')) - shift) + 'px';
      }
      if (empty) { shift += Number(rect.getAttribute('data-h')); }
    });
    var height = full - shift;
    svg.setAttribute('height', String(height));
    var vb = svg.getAttribute('viewBox').split(' ');
    svg.setAttribute('viewBox', vb[0] + ' ' + vb[1] + ' ' + vb[2] + ' ' + height);
    var labels = box.querySelector('.stickies');
    if (labels) { labels.hidden = false; box.classList.add('js-lanes'); }
  }
  function busiest(scroll) {
    // Where to scroll so that the box, as wide as it is, holds the most entries: the
    // window of years with the most, centred on where its entries are.
    var years = Array.prototype.slice.call(scroll.querySelectorAll('text[data-year]'));
    var width = scroll.clientWidth, most = -1, centre = 0;
    years.forEach(function (start) {
      var x0 = Number(start.getAttribute('x')), n = 0, sum = 0;
      years.forEach(function (other) {
        var x = Number(other.getAttribute('x')), k = Number(other.getAttribute('data-n'));
        if (x >= x0 && x <= x0 + width - 120) { n += k; sum += k * x; }
      });
      if (n > most) { most = n; centre = n ? sum / n : x0; }
    });
    return Math.max(0, centre - width / 2);
  }
  function view(opening) {
    var byActor = document.getElementById('v-actor').checked;
    var shown = document.getElementById(byActor ? 'view-actor' : 'view-kind');
    document.getElementById('view-kind').hidden = byActor;
    document.getElementById('view-actor').hidden = !byActor;
    var scroll = shown.querySelector('.scroll');
    if (!scroll.querySelector('svg')) { return; }
    var label = year.value && scroll.querySelector('text[data-year="' + year.value + '"]');
    if (label) {
      scroll.scrollLeft = Math.max(0, Number(label.getAttribute('x')) - 80);
    } else if (opening) {
      scroll.scrollLeft = busiest(scroll);
    } else {
      return;
    }
    // The first year wholly in view, for readers of the DOM (and the tests).
    var first = Array.prototype.filter.call(scroll.querySelectorAll('text[data-year]'), function (t) {
      return Number(t.getAttribute('x')) - 60 >= scroll.scrollLeft - 1;
    })[0];
    if (first) { scroll.setAttribute('data-opened-at', first.getAttribute('data-year')); }
  }
  var query = new URLSearchParams(window.location.search);
  [['kind', kind], ['actor', actor], ['year', year], ['q', text]].forEach(function (p) {
    var v = query.get(p[0]);
    if (v !== null) { p[1].value = v; }
  });
  if (query.get('lanes') === 'actor') { document.getElementById('v-actor').checked = true; }
  form.addEventListener('submit', function (ev) { ev.preventDefault(); });
  form.addEventListener('input', apply);
  form.addEventListener('change', function (ev) { apply(); view(ev.target.name === 'lanes'); });
  reset.addEventListener('click', function () {
    kind.value = ''; actor.value = ''; year.value = ''; text.value = '';
    apply();
    view(false);
  });
  form.hidden = false;
  apply();
  view(true);
}());
