// policygen: the site dashboard's filter, inlined into index.html (the one
// page with a script). Progressive enhancement: without it the whole table
// shows and the filter stays hidden. It reads the table and makes no request.
(function () {
  'use strict';
  var form = document.getElementById('filter');
  var table = document.getElementById('reviews');
  if (!form || !table) return;
  var input = document.getElementById('filter-text');
  var shown = document.getElementById('filter-shown');
  var toggles = Array.prototype.slice.call(form.querySelectorAll('button[data-status]'));
  var drafts = form.querySelector('button[data-draft]');
  var groups = Array.prototype.slice.call(table.tBodies);

  // Lower case, accents and apostrophes dropped: "Tŷ" matches "ty", "childrens" matches "children's".
  function fold(text) {
    return text.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f'\u2019]/g, '').replace(/\s+/g, ' ');
  }

  var rows = [];
  groups.forEach(function (body) {
    Array.prototype.forEach.call(body.rows, function (tr) {
      if (!tr.classList.contains('group')) {
        rows.push({ tr: tr, status: body.getAttribute('data-status'), draft: tr.hasAttribute('data-draft'), text: null });
      }
    });
  });
  var total = rows.length.toLocaleString('en-GB');
  var timer = null;

  function apply() {
    if (rows.length && rows[0].text === null) {
      rows.forEach(function (row) { row.text = fold(row.tr.textContent); });
    }
    var words = fold(input.value).split(' ').filter(Boolean);
    var wanted = toggles.filter(function (b) { return b.getAttribute('aria-pressed') === 'true'; })
      .map(function (b) { return b.getAttribute('data-status'); });
    var draftsOnly = drafts !== null && drafts.getAttribute('aria-pressed') === 'true';
    var count = 0;
    var inGroup = {};
    rows.forEach(function (row) {
      var match = (wanted.length === 0 || wanted.indexOf(row.status) >= 0) &&
        (!draftsOnly || row.draft) &&
        words.every(function (w) { return row.text.indexOf(w) >= 0; });
      row.tr.hidden = !match;
      if (match) {
        count += 1;
        inGroup[row.status] = (inGroup[row.status] || 0) + 1;
      }
    });
    // A group's heading says how many of its rows are shown while filtering.
    var filtering = words.length > 0 || wanted.length > 0 || draftsOnly;
    groups.forEach(function (body) {
      var status = body.getAttribute('data-status');
      var heading = body.querySelector('tr.group th');
      body.hidden = !inGroup[status];
      if (heading) {
        if (heading.getAttribute('data-all') === null) heading.setAttribute('data-all', heading.textContent);
        heading.textContent = filtering
          ? heading.getAttribute('data-label') + ': ' + (inGroup[status] || 0).toLocaleString('en-GB') + ' of ' +
            (body.rows.length - 1).toLocaleString('en-GB') + ' shown'
          : heading.getAttribute('data-all');
      }
    });
    // Announced once typing pauses, not on every key.
    var message = count.toLocaleString('en-GB') + ' of ' + total + ' shown';
    clearTimeout(timer);
    timer = setTimeout(function () { shown.textContent = message; }, 250);
  }

  input.addEventListener('input', apply);
  toggles.concat(drafts ? [drafts] : []).forEach(function (button) {
    button.addEventListener('click', function () {
      var pressed = button.getAttribute('aria-pressed') === 'true';
      button.setAttribute('aria-pressed', pressed ? 'false' : 'true');
      apply();
    });
  });
  form.addEventListener('submit', function (event) { event.preventDefault(); });
  form.hidden = false;
  shown.textContent = total + ' of ' + total + ' shown';
})();
