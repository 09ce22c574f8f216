// Keyboard for the queue and the follow-ups: j / k move, o or Enter opens, / focuses the search box, n focuses the
// selected row's note (follow-ups: type it, Enter records the task done).
(function () {
  const rows = Array.from(document.querySelectorAll('.queue-table tbody tr[data-href]'));
  let current = -1;
  function select(i) {
    if (rows.length === 0) return;
    current = Math.max(0, Math.min(rows.length - 1, i));
    rows.forEach((r, n) => r.classList.toggle('table-active', n === current));
    rows[current].scrollIntoView({ block: 'nearest' });
  }
  rows.forEach((r, n) => r.addEventListener('click', e => {
    if (e.target.closest('a, button, input, textarea, select, label')) return;
    window.location = r.dataset.href;
  }));
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

// Bulk selection (bulk, views and tags): the rows' check boxes feed the bulk bar; the header box selects the page;
// x selects the current row; the bar shows only the chosen step's fields and counts what is selected.
(function () {
  const form = document.getElementById('bulk-form');
  if (!form) return;
  const boxes = Array.from(document.querySelectorAll('input.bulk-ticket'));
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
