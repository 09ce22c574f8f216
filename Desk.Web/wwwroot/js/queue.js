// Keyboard for the queue and the follow-ups: j / k move, o or Enter opens, / focuses the search box, n focuses the
// selected row's note (follow-ups: type it, Enter records the task done).
(function () {
  let rows = Array.from(document.querySelectorAll('.queue-table tbody tr[data-href]'));
  let current = -1;
  // The live queue swaps the rows in place: take the new ones.
  document.addEventListener('queue:rows-replaced', () => {
    rows = Array.from(document.querySelectorAll('.queue-table tbody tr[data-href]'));
    current = -1;
    rows.forEach(r => r.addEventListener('click', open));
  });
  function open(e) {
    if (e.target.closest('a, button, input, textarea, select, label')) return;
    window.location = e.currentTarget.dataset.href;
  }
  function select(i) {
    if (rows.length === 0) return;
    current = Math.max(0, Math.min(rows.length - 1, i));
    rows.forEach((r, n) => r.classList.toggle('table-active', n === current));
    rows[current].scrollIntoView({ block: 'nearest' });
  }
  rows.forEach(r => r.addEventListener('click', open));
  document.addEventListener('keydown', e => {
    if (e.target.matches('input, textarea, select') || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 'j') { select(current + 1); e.preventDefault(); }
    else if (e.key === 'k') { select(current - 1); e.preventDefault(); }
    else if ((e.key === 'o' || e.key === 'Enter') && current >= 0) { window.location = rows[current].dataset.href; }
    else if (e.key === 'n' && current >= 0) {
      const note = rows[current].querySelector('input[name=Note]');
      if (note) { note.focus(); e.preventDefault(); }
    }
    else if (e.key === '/') { const q = document.querySelector('#q'); if (q) { q.focus(); e.preventDefault(); } }
  });
})();

// Live queue: the desk's event stream says "some ticket changed" (nothing more); the queue then fetches its own page
// again, as the agent, and either puts the fresh rows in place (first page, nothing selected, scrolled to the top) or
// offers them ("3 new or changed tickets — Show") so the list never jumps under the agent's cursor. At most one fetch
// every few seconds, none while the tab is hidden.
(function () {
  const table = document.querySelector('.queue-table');
  const bar = document.getElementById('queue-live');
  if (!bar || !window.EventSource || !window.fetch) return;
  const minGap = 3000;
  let last = 0, timer = null, busy = false, fresh = null;

  function rowsOf(root) {
    const map = new Map();
    root.querySelectorAll('.queue-table tbody tr[data-href]').forEach(r => map.set(r.dataset.href, r.dataset.version));
    return map;
  }
  function quiet() {
    const later = new URL(location.href).searchParams.has('after');
    const busyHands = document.querySelector('.queue-table tr.table-active, .queue-table input[type=checkbox]:checked')
      || (document.activeElement && table && table.contains(document.activeElement));
    return !later && !busyHands && window.scrollY < 40;
  }
  function show(doc) {
    const tbody = doc.querySelector('.queue-table tbody');
    if (!table || !tbody) { location.reload(); return; }
    const before = rowsOf(document);
    table.querySelector('tbody').replaceWith(document.importNode(tbody, true));
    table.querySelectorAll('tbody tr[data-href]').forEach(r => {
      if (before.get(r.dataset.href) !== r.dataset.version) r.classList.add('live-new');
    });
    // A drill-down's chips and count come with the rows, so the count stays the rows'.
    const drill = doc.getElementById('drill-down'), myDrill = document.getElementById('drill-down');
    if (drill && myDrill) myDrill.replaceWith(document.importNode(drill, true));
    doc.querySelectorAll('[data-count]').forEach(c => {
      const mine = document.querySelector(`[data-count="${c.dataset.count}"]`);
      if (mine) mine.textContent = c.textContent;
    });
    bar.hidden = true;
    fresh = null;
    document.dispatchEvent(new CustomEvent('queue:rows-replaced'));
  }
  async function refresh() {
    if (busy) return;
    busy = true; last = Date.now();
    try {
      const response = await fetch(location.href, { headers: { 'X-Desk-Live': '1' }, credentials: 'same-origin' });
      if (!response.ok || response.redirected) return;
      const doc = new DOMParser().parseFromString(await response.text(), 'text/html');
      const now = rowsOf(doc), before = rowsOf(document);
      let news = 0;
      now.forEach((version, href) => { if (before.get(href) !== version) news++; });
      if (news === 0) return;
      if (quiet()) { show(doc); return; }
      fresh = doc;
      bar.querySelector('.queue-live-text').textContent =
        news === 1 ? bar.dataset.newsOne : bar.dataset.newsMany.replace('{0}', news);
      bar.hidden = false;
    } catch (e) { /* the next event tries again */ }
    finally { busy = false; }
  }
  function schedule() {
    if (timer) return;
    if (document.hidden) { document.addEventListener('visibilitychange', schedule, { once: true }); return; }
    timer = setTimeout(() => { timer = null; refresh(); }, Math.max(0, last + minGap - Date.now()));
  }
  document.getElementById('queue-live-show').addEventListener('click', () => { if (fresh) show(fresh); else location.reload(); });
  const events = new EventSource('/live');
  events.addEventListener('tickets', schedule);
  window.addEventListener('pagehide', () => events.close());
})();

// Bulk selection (bulk, views and tags): the rows' check boxes feed the bulk bar; the header box selects the page;
// x selects the current row; the bar shows only the chosen step's fields and counts what is selected.
(function () {
  const form = document.getElementById('bulk-form');
  if (!form) return;
  let boxes = Array.from(document.querySelectorAll('input.bulk-ticket'));
  const all = document.getElementById('select-page');
  const count = document.getElementById('bulk-count');
  const apply = document.getElementById('bulk-apply');
  const step = document.getElementById('bulk-step');
  function update() {
    const n = boxes.filter(b => b.checked).length;
    count.textContent = n === 0 ? count.dataset.none : count.dataset.some.replace('#', n);
    apply.disabled = n === 0;
    form.classList.toggle('has-selection', n > 0);
    if (all) { all.checked = n > 0 && n === boxes.length; all.indeterminate = n > 0 && n < boxes.length; }
    boxes.forEach(b => b.closest('tr').classList.toggle('table-primary', b.checked));
  }
  function showFields() {
    form.querySelectorAll('[data-bulk]').forEach(f => { f.hidden = !f.dataset.bulk.split(' ').includes(step.value); });
  }
  boxes.forEach(b => b.addEventListener('change', update));
  // The live queue put fresh rows in (only ever with nothing selected): their boxes are new ones.
  document.addEventListener('queue:rows-replaced', () => {
    boxes = Array.from(document.querySelectorAll('input.bulk-ticket'));
    boxes.forEach(b => b.addEventListener('change', update));
    update();
  });
  all?.addEventListener('change', () => { boxes.forEach(b => { b.checked = all.checked; }); update(); });
  step.addEventListener('change', showFields);
  form.addEventListener('submit', e => {
    if ((step.value === 'Merge' || step.value === 'RejectAsSpam') && !window.confirm(apply.dataset.confirm)) e.preventDefault();
  });
  document.addEventListener('keydown', e => {
    if (e.key !== 'x' || e.target.matches('input, textarea, select') || e.ctrlKey || e.metaKey || e.altKey) return;
    const row = document.querySelector('.queue-table tbody tr.table-active');
    const box = row?.querySelector('input.bulk-ticket');
    if (box) { box.checked = !box.checked; update(); e.preventDefault(); }
  });
  showFields();
  update();
})();
