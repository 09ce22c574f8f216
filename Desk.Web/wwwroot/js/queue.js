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
