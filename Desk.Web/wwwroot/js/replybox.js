// The ticket page's reply box: drafts saved while typing and on leaving, canned replies searched and filled in, and after a
// refused step the agent's entries put back in the step's form. The page works without it; this only keeps typing safe.
(() => {
    const form = document.getElementById('reply-form');
    if (!form) return;

    // Every form of the page says what the page showed, so that a refusal can list what changed since.
    const seenAudit = form.elements['SeenAuditId']?.value, seenEntry = form.elements['SeenEntryId']?.value;
    for (const other of document.querySelectorAll('form')) {
        if (other === form || !other.elements['Version'] || other.elements['SeenAuditId']) continue;
        for (const [name, value] of [['SeenAuditId', seenAudit], ['SeenEntryId', seenEntry]]) {
            const input = document.createElement('input');
            input.type = 'hidden'; input.name = name; input.value = value;
            other.appendChild(input);
        }
    }

    // A refused step: its fields as the agent filled them, in its form, opened.
    const kept = document.getElementById('kept-step');
    if (kept) {
        const { step, fields } = JSON.parse(kept.textContent);
        const stepForm = [...document.querySelectorAll('form')].find(f => f !== form && f.getAttribute('action')?.toLowerCase().endsWith('/steps/' + step.toLowerCase())
            || f !== form && f.getAttribute('action')?.toLowerCase().endsWith('/actions/' + step.toLowerCase()));
        if (stepForm) {
            for (const [name, value] of Object.entries(fields)) {
                const field = stepForm.elements[name];
                if (!field || value === null || value === undefined) continue;
                if (field instanceof RadioNodeList) field.value = String(value);
                else if (field.type === 'checkbox') field.checked = value === true || value === 'true';
                else field.value = String(value);
            }
            const details = stepForm.closest('details');
            if (details) details.open = true;
        }
    }

    // Drafts: saved every few seconds when changed, and when the page is left or hidden (a crash loses at most 3 s).
    const box = document.getElementById('reply-text');
    const state = document.getElementById('draft-state');
    const url = form.dataset.draftUrl;
    const token = form.elements['__RequestVerificationToken']?.value;
    let saved = box.value, sending = false, inFlight = null;
    const body = text => {
        const data = new FormData();
        data.append('text', text);
        if (token) data.append('__RequestVerificationToken', token);
        return data;
    };
    const save = async () => {
        if (sending || box.value === saved) return;
        const text = box.value;
        try {
            inFlight = new AbortController();
            const response = await fetch(url, { method: 'POST', body: body(text), credentials: 'same-origin', signal: inFlight.signal });
            if (response.ok) {
                saved = text;
                if (box.value === text) state.textContent = state.dataset.saved;
            }
        } catch { /* offline for a moment: the next round tries again */ }
    };
    setInterval(save, 3000);
    box.addEventListener('input', () => { state.textContent = ''; });
    // Sending: no more draft saves, and one still on its way is called off (it must not bring back the draft the send drops).
    form.addEventListener('submit', () => { sending = true; inFlight?.abort(); });
    const leave = () => {
        if (sending || box.value === saved) return;
        navigator.sendBeacon(url, body(box.value));
        saved = box.value;
    };
    window.addEventListener('pagehide', leave);
    document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') leave(); });

    // Canned replies: typing in the search narrows the list (title, text, group); choosing one puts its text in the box.
    const macro = document.getElementById('macro'), search = document.getElementById('macro-search');
    macro?.addEventListener('change', () => {
        const text = macro.selectedOptions[0]?.dataset.text;
        if (text) { box.value = text; box.dispatchEvent(new Event('input')); }
    });
    search?.addEventListener('input', () => {
        const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
        let first = null;
        for (const option of macro.querySelectorAll('option[data-text]')) {
            const haystack = `${option.textContent} ${option.dataset.text} ${option.parentElement.label ?? ''}`.toLowerCase();
            option.hidden = !words.every(w => haystack.includes(w));
            if (!option.hidden && !first) first = option;
        }
        for (const group of macro.querySelectorAll('optgroup')) group.hidden = ![...group.children].some(o => !o.hidden);
        macro.dataset.matches = String(macro.querySelectorAll('option[data-text]:not([hidden])').length);
    });
    search?.addEventListener('keydown', e => {
        if (e.key !== 'Enter') return;
        e.preventDefault(); // Enter picks the first match instead of sending the form
        const first = macro.querySelector('option[data-text]:not([hidden])');
        if (first) { macro.value = first.value; macro.dispatchEvent(new Event('change')); }
    });
})();
