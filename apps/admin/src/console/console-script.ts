/**
 * The console pages' only script (inline, CSP nonce). Pages read fully without it; it adds the
 * actions, which go to the JSON API (the admin reads no form bodies): run/check one PO, the
 * audited status change, retry now, check range, select all, copy payload. Builds DOM with
 * textContent only, never HTML from data.
 */
export const CONSOLE_SCRIPT = String.raw`
(function () {
  'use strict';
  var out = document.getElementById('action-result');
  function say(text, cls) {
    if (!out) return;
    var p = document.createElement('p');
    p.className = cls || '';
    p.setAttribute('role', cls === 'error' ? 'alert' : 'status');
    p.textContent = text;
    out.replaceChildren(p);
  }
  async function post(url, body) {
    var res = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
    var data = {};
    try { data = await res.json(); } catch (e) { data = { error: 'unreadable answer' }; }
    if (res.status >= 400) {
      var issues = (data.issues || []).map(function (i) { return i.path + ': ' + i.message; }).join('; ');
      throw new Error('Refused (' + res.status + '): ' + (data.error || 'error') + (issues && data.error.indexOf(issues) < 0 ? ' — ' + issues : ''));
    }
    return data;
  }
  function formObject(form) {
    var obj = {};
    new FormData(form).forEach(function (value, key) {
      if (key === 'po_numbers') (obj[key] = obj[key] || []).push(value);
      else obj[key] = value;
    });
    return obj;
  }
  function busy(el, on) { el.querySelectorAll('button').forEach(function (b) { if (on) b.setAttribute('aria-busy', 'true'); else b.removeAttribute('aria-busy'); }); }

  document.querySelectorAll('[data-run-url]').forEach(function (button) {
    button.addEventListener('click', async function () {
      say('Running…', 'muted');
      button.disabled = true;
      try {
        var r = await post(button.getAttribute('data-run-url'), { wait: true });
        location.assign('/orders/' + encodeURIComponent(button.getAttribute('data-po')) + '?job=' + encodeURIComponent(r.task + ':' + r.jobId));
      } catch (err) { say(err.message, 'error'); button.disabled = false; }
    });
  });

  document.querySelectorAll('form[data-json-url]').forEach(function (form) {
    form.addEventListener('submit', async function (event) {
      event.preventDefault();
      var body = formObject(form);
      if (form.id === 'retry-form' && !body.po_numbers) return say('Select at least one order.', 'error');
      busy(form, true);
      try {
        var r = await post(form.getAttribute('data-json-url'), body);
        if (r.audit) { location.reload(); return; }
        if (r.cleared) {
          say(r.supported ? 'Backoff cleared for ' + r.cleared.length + ' of ' + body.po_numbers.length + ' selected' + (r.cleared.length ? ': ' + r.cleared.join(', ') : '') + '. Their task takes them on its next run.' : 'This database has no backoff to clear yet.', 'ok');
        }
      } catch (err) { say(err.message, 'error'); }
      busy(form, false);
    });
  });

  document.querySelectorAll('form[data-check-range]').forEach(function (form) {
    form.addEventListener('submit', async function (event) {
      event.preventDefault();
      say('Checking the window (this reads DSCO and Lingxing)…', 'muted');
      busy(form, true);
      try {
        var b = formObject(form);
        var r = await post('/api/check-range', { start: b.start, end: b.end });
        location.assign('/check-range?job=' + encodeURIComponent(r.jobId));
      } catch (err) { say(err.message, 'error'); busy(form, false); }
    });
  });

  document.querySelectorAll('[data-select-all]').forEach(function (button) {
    button.addEventListener('click', function () {
      var boxes = document.querySelectorAll('input[form="retry-form"][type="checkbox"]');
      var all = Array.prototype.every.call(boxes, function (b) { return b.checked; });
      boxes.forEach(function (b) { b.checked = !all; });
    });
  });

  document.querySelectorAll('[data-copy]').forEach(function (button) {
    button.hidden = false;
    button.addEventListener('click', async function () {
      var source = document.getElementById(button.getAttribute('data-copy'));
      var note = button.parentElement.querySelector('[data-copied]');
      try {
        await navigator.clipboard.writeText(source.textContent);
        if (note) note.textContent = 'Copied.';
      } catch (err) {
        var range = document.createRange();
        range.selectNodeContents(source);
        var sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
        if (note) note.textContent = 'Selected; press Ctrl+C to copy.';
      }
    });
  });
})();
`;
