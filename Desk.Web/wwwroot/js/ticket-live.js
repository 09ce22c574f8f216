// Live ticket page: one event stream per tab. "presence" lists the other agents on this ticket (any desk) and whether
// they type; "ticket" says its version moved: the page asks what changed and by whom, and offers a reload. Typing here
// is told to the desk at most every four seconds.
(function () {
  const box = document.getElementById('ticket-live');
  if (!box || !window.EventSource) return;
  const number = box.dataset.ticket;
  let version = Number(box.dataset.version);
  const presence = document.getElementById('ticket-presence');
  const changed = document.getElementById('ticket-changed');
  const events = new EventSource(`/live?ticket=${encodeURIComponent(number)}&version=${version}`);

  events.addEventListener('presence', e => {
    const people = JSON.parse(e.data);
    presence.textContent = people.map(p => (p.typing ? box.dataset.typing : box.dataset.viewing).replace('{0}', p.name)).join(' · ');
  });
  events.addEventListener('ticket', async e => {
    if (Number(e.data) <= version) return;
    try {
      const response = await fetch(`/live/tickets/${encodeURIComponent(number)}/change`, { credentials: 'same-origin' });
      if (!response.ok) return;
      const change = await response.json();
      if (change.version <= version) return;
      changed.querySelector('.ticket-changed-text').textContent =
        box.dataset.changed.replace('{0}', change.who) + (change.what ? ': ' + change.what : '') + '.';
      changed.hidden = false;
    } catch (err) { /* the next event tries again */ }
  });
  window.addEventListener('pagehide', () => events.close());

  const token = document.querySelector('input[name=__RequestVerificationToken]');
  let told = 0;
  document.addEventListener('input', e => {
    if (!token || !e.target.matches('textarea, input[type=text], input:not([type])')) return;
    if (Date.now() - told < 4000) return;
    told = Date.now();
    fetch(`/live/tickets/${encodeURIComponent(number)}/typing`, {
      method: 'POST', credentials: 'same-origin', headers: { RequestVerificationToken: token.value },
    }).catch(() => {});
  });
})();
