/**
 * The overview page's only script (inline, CSP nonce): submits run requests to the API with
 * `wait: true` and shows the resulting Report. Builds DOM with textContent only, never HTML
 * from data.
 */
export const OVERVIEW_SCRIPT = String.raw`
(function () {
  'use strict';
  var form = document.getElementById('run-form');
  var out = document.getElementById('run-result');
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.append(c); });
    return node;
  }
  function utc(value) { return value ? value + (value.length === 16 ? ':00Z' : 'Z') : undefined; }
  function show(nodes) { out.replaceChildren.apply(out, nodes); }
  function showReport(task, body) {
    var report = body.report;
    var nodes = [el('h3', {}, ['Run of ' + task + ' (job ' + body.jobId + ')'])];
    if (!report) {
      var text = body.state === 'failed' ? 'failed: ' + (body.failedReason || 'unknown reason') : 'still ' + body.state + ' (see Bull Board)';
      nodes.push(el('p', { 'data-testid': 'run-status', class: body.state === 'failed' ? 'status-failed' : 'muted' }, [text]));
      return show(nodes);
    }
    nodes.push(el('p', {}, [
      'Status: ', el('span', { class: 'status-' + report.status, 'data-testid': 'run-status' }, [report.status]),
      ' · ok ' + report.counts.ok + ' · skipped ' + report.counts.skipped + ' · failed ' + report.counts.failed +
      ' · ' + report.durationMs + ' ms · run ' + report.runId,
    ]));
    if (report.error) nodes.push(el('p', { class: 'error' }, [report.error]));
    var single = report.details && report.details.single_po;
    if (single) {
      nodes.push(el('p', { 'data-testid': 'run-single-po', class: single.processed ? 'muted' : 'error' }, [
        'PO ' + single.po_number + ': ' + (single.processed ? 'processed' : 'NOT processed (' + single.result + '), ' + single.reason) +
        (single.hint ? ' (hint: ' + single.hint + ')' : ''),
      ]));
    }
    if (report.items.length) {
      var rows = report.items.map(function (i) {
        return el('tr', {}, [el('td', {}, [i.po_number || '']), el('td', {}, [i.result]), el('td', {}, [i.reason || ''])]);
      });
      nodes.push(el('table', { 'data-testid': 'run-items' }, [
        el('thead', {}, [el('tr', {}, [el('th', { scope: 'col' }, ['PO']), el('th', { scope: 'col' }, ['Result']), el('th', { scope: 'col' }, ['Reason'])])]),
        el('tbody', {}, rows),
      ]));
    }
    nodes.push(el('details', {}, [el('summary', {}, ['Full report']), el('pre', { 'data-testid': 'run-report-json' }, [JSON.stringify(report, null, 2)])]));
    show(nodes);
  }
  function showError(status, body) {
    var items = (body.issues || []).map(function (i) { return el('li', {}, [i.path + ': ' + i.message]); });
    show([el('p', { class: 'error', role: 'alert', 'data-testid': 'run-error' }, ['Refused (' + status + '): ' + (body.error || 'error')]), el('ul', {}, items)]);
  }
  async function run(task, input) {
    show([el('p', { class: 'muted' }, ['Running ' + task + '…'])]);
    try {
      var res = await fetch('/api/tasks/' + encodeURIComponent(task) + '/runs', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        credentials: 'same-origin',
        body: JSON.stringify(Object.assign({ wait: true }, input)),
      });
      var body = await res.json();
      if (res.status >= 400) return showError(res.status, body);
      showReport(task, body);
    } catch (err) {
      show([el('p', { class: 'error', role: 'alert' }, ['Request failed: ' + err.message])]);
    }
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var data = new FormData(form);
    var input = {};
    var po = String(data.get('po_number') || '').trim();
    if (po) input.po_number = po;
    var start = utc(String(data.get('start') || ''));
    var end = utc(String(data.get('end') || ''));
    if (start) input.start = start;
    if (end) input.end = end;
    if (data.get('force')) input.force = true;
    run(String(data.get('task')), input);
  });
  document.querySelectorAll('[data-run-task]').forEach(function (button) {
    button.addEventListener('click', function () { run(button.getAttribute('data-run-task'), {}); });
  });
})();
`;
