import { ORDER_STATUSES } from '@dlsync/store';
import { html, type SafeHtml } from '../html.js';
import type { RunView } from '../runs.js';
import { actionArea, consolePage, createTimeCell, NEEDS_SCRIPT, statusText, timeCell } from './console-layout.js';
import type { OrderDetail } from './order-detail-data.js';

/** Columns shown in the fields list, in this order; any other column follows (payload aside). */
const FIRST_FIELDS = ['po_number', 'status', 'dsco_order_id', 'dsco_retailer_id', 'dsco_status', 'dsco_create_time', 'mskus', 'warehouse_id', 'shipment', 'lingxing_order_nos', 'shipped_tracking_no', 'dsco_invoice_id'];
const TIME_FIELDS = new Set(['created_at', 'updated_at', 'last_error_at', 'next_attempt_at', 'acknowledge_by', 'ship_by', 'invoice_by', 'cancel_after', 'attention_at', 'lingxing_cancelled_at']);

function fieldValue(key: string, value: unknown, timeZone: string): SafeHtml {
  if (key === 'dsco_create_time') return createTimeCell(value, timeZone);
  if (key === 'status' && typeof value === 'number') return html`${statusText(value as 1)}`;
  if (value === null || value === undefined) return html`<span class="muted">—</span>`;
  if (TIME_FIELDS.has(key)) return timeCell(value, timeZone);
  return html`${typeof value === 'object' ? JSON.stringify(value) : String(value)}`;
}

function fields(d: OrderDetail, timeZone: string): SafeHtml {
  const keys = [...FIRST_FIELDS, ...Object.keys(d.order).filter((k) => !FIRST_FIELDS.includes(k) && k !== 'payload')];
  return html`<dl class="fields" data-testid="order-fields">${keys.map(
    (k) => html`<dt>${k}</dt><dd data-testid="field-${k}">${fieldValue(k, d.order[k], timeZone)}</dd>`,
  )}</dl>`;
}

function deadlines(d: OrderDetail, timeZone: string): SafeHtml {
  const rows: [string, unknown][] = [
    ['Acknowledge by', d.deadlines.acknowledge_by],
    ['Ship by', d.deadlines.ship_by],
    ['Invoice by', d.deadlines.invoice_by],
    ['Cancel after', d.deadlines.cancel_after],
  ];
  return html`<dl class="fields" data-testid="deadlines">${rows.map(([label, v]) => html`<dt>${label}</dt><dd>${v ? timeCell(v, timeZone) : html`<span class="muted">—</span>`}</dd>`)}</dl>`;
}

function problem(d: OrderDetail, timeZone: string): SafeHtml {
  const o = d.order;
  return html`<dl class="fields" data-testid="order-problem">
  <dt>Last error</dt><dd data-testid="last-error">${o.last_error ? html`<span class="bad">${String(o.last_error)}</span> ${timeCell(o.last_error_at, timeZone)}` : html`<span class="muted">none</span>`}</dd>
  <dt>Attempts</dt><dd>${String(o.attempts ?? 0)}</dd>
  <dt>Next attempt</dt><dd>${o.next_attempt_at ? timeCell(o.next_attempt_at, timeZone) : html`<span class="muted">when its task next runs</span>`}</dd>
  <dt>Attention</dt><dd>${o.attention ? html`<span class="warn">${String(o.attention)}</span> ${String(o.attention_detail ?? '')}` : html`<span class="muted">none</span>`}</dd>
</dl>`;
}

function actions(d: OrderDetail, readOnly: boolean | undefined): SafeHtml {
  const po = d.order.po_number;
  const base = `/api/orders/${encodeURIComponent(po)}`;
  const next = d.nextTask;
  return html`<section aria-labelledby="actions-title" class="panel">
  <h2 id="actions-title">Actions</h2>
  ${NEEDS_SCRIPT}
  ${actionArea(readOnly, html`<div class="buttons">
    <button type="button" data-run-url="${base}/run" data-po="${po}" data-testid="action-run"${next ? '' : html` disabled title="Nothing left to run at this status"`}>${next ? `Run ${next} for this PO` : 'Nothing to run (done or cancelled)'}</button>
    <button type="button" class="secondary" data-run-url="${base}/check" data-po="${po}" data-testid="action-check">Check this PO (check_orders)</button>
  </div>
  <form class="filters" data-json-url="${base}/status" data-testid="status-form">
    <input type="hidden" name="from" value="${d.order.status}">
    <label>Change status from ${statusText(d.order.status)} to
      <select name="to" data-testid="status-to">${ORDER_STATUSES.filter((s) => s !== 6 && s !== d.order.status).map((s) => html`<option value="${s}">${statusText(s)}</option>`)}</select>
    </label>
    <label class="span2">Reason (required, kept in the history)<textarea name="reason" required maxlength="1000" data-testid="status-reason"></textarea></label>
    <div class="buttons"><button type="submit" data-testid="status-submit">Change status</button></div>
  </form>`)}
  <div data-testid="action-result" id="action-result" aria-live="polite"></div>
</section>`;
}

function jobOutcome(job: RunView | undefined, timeZone: string): SafeHtml {
  if (!job) return html``;
  const r = job.report;
  return html`<section class="notice" data-testid="job-outcome" aria-live="polite">
  <strong>${job.task}</strong> job ${job.jobId}: <span data-testid="job-state">${r ? r.status : job.state}</span>
  ${r ? html` · ok ${r.counts.ok} · skipped ${r.counts.skipped} · failed ${r.counts.failed}` : ''}
  ${job.failedReason ? html`<div class="bad">${job.failedReason}</div>` : ''}
  ${r?.items.length ? html`<ul>${r.items.map((i) => html`<li>${i.po_number ?? ''} ${i.result}${i.reason ? `: ${i.reason}` : ''}</li>`)}</ul>` : ''}
  ${job.finishedAt ? html`<div class="muted">finished ${timeCell(job.finishedAt, timeZone)}</div>` : ''}
</section>`;
}

function history(d: OrderDetail, timeZone: string): SafeHtml {
  const audit = d.audit.map(
    (a) => html`<tr data-testid="audit-row"><td>${timeCell(a.at, timeZone)}</td><td>${a.actor}</td><td>${statusText(a.from_status)} → ${statusText(a.to_status)}</td><td class="wrap">${a.reason}</td></tr>`,
  );
  const writes = d.writes.map(
    (w) => html`<tr data-testid="write-row"><td>${timeCell(w.sent_at, timeZone)}</td><td>${String(w.kind ?? '')}</td>
      <td class="${w.state === 'success' ? 'ok' : w.state === 'failure' || w.state === 'in_doubt' ? 'bad' : 'warn'}">${String(w.state ?? '')}</td>
      <td>${String(w.request_id ?? '')}</td><td>${timeCell(w.settled_at, timeZone)}</td>
      <td class="wrap">${w.error ? String(w.error) : ''}
        <details><summary>Sent body and DSCO's answer</summary><pre>${JSON.stringify({ body: w.body ?? null, results: w.results ?? null }, null, 2)}</pre></details></td></tr>`,
  );
  return html`<section aria-labelledby="audit-title"><h2 id="audit-title">Manual status changes</h2>
  ${audit.length ? html`<table data-testid="audit-table"><thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Change</th><th scope="col">Why</th></tr></thead><tbody>${audit}</tbody></table>` : html`<p class="muted" data-testid="audit-none">None.</p>`}
</section>
<section aria-labelledby="writes-title"><h2 id="writes-title">DSCO writes</h2>
  ${writes.length ? html`<div class="table-wrap"><table data-testid="writes-table"><thead><tr><th scope="col">Sent</th><th scope="col">Kind</th><th scope="col">State</th><th scope="col">Request</th><th scope="col">Settled</th><th scope="col">Error / details</th></tr></thead><tbody>${writes}</tbody></table></div>` : html`<p class="muted" data-testid="writes-none">None recorded.</p>`}
</section>
<section aria-labelledby="runs-title"><h2 id="runs-title">Recent runs that handled this PO</h2>
  ${d.runItems.length ? html`<table data-testid="run-items-table"><thead><tr><th scope="col">Finished</th><th scope="col">Task</th><th scope="col">Result</th><th scope="col">Reason</th></tr></thead><tbody>${d.runItems.map(
    (r) => html`<tr><td>${timeCell(r.finishedAt, timeZone)}</td><td><a href="/admin/queues/queue/${encodeURIComponent(r.task)}/${encodeURIComponent(r.jobId)}">${r.task}</a></td><td>${r.item.result}</td><td class="wrap">${r.item.reason ?? ''}</td></tr>`,
  )}</tbody></table>` : html`<p class="muted" data-testid="run-items-none">None among the runs the queues still keep.</p>`}
</section>`;
}

export function renderOrderDetail(d: OrderDetail, o: { nonce: string; user?: string; readOnly?: boolean; timeZone: string; script: string; job?: RunView }): string {
  const payload = JSON.stringify(d.order.payload, null, 2);
  const body = html`
<p><a href="/orders">← Orders</a></p>
<h2 data-testid="order-title">${d.order.po_number} <span class="muted">${statusText(d.order.status)}</span></h2>
${jobOutcome(o.job, o.timeZone)}
<div class="grid">
  <section class="panel" aria-label="Fields">${fields(d, o.timeZone)}</section>
  <div>
    <section class="panel" aria-labelledby="deadlines-title"><h2 id="deadlines-title">DSCO deadlines</h2>${deadlines(d, o.timeZone)}</section>
    <section class="panel" aria-labelledby="problem-title"><h2 id="problem-title">Errors and retries</h2>${problem(d, o.timeZone)}</section>
  </div>
</div>
${actions(d, o.readOnly)}
${history(d, o.timeZone)}
<section aria-labelledby="payload-title"><h2 id="payload-title">Raw DSCO payload</h2>
  <details data-testid="payload"><summary>Show payload</summary>
    <p><button type="button" class="secondary" data-copy="payload-json" data-testid="copy-payload" hidden>Copy</button> <span class="muted" data-copied></span></p>
    <pre id="payload-json" data-testid="payload-json">${payload}</pre>
  </details>
</section>`;
  return consolePage({ title: d.order.po_number, nonce: o.nonce, section: 'orders', timeZone: o.timeZone, body, script: o.script, ...(o.user ? { user: o.user } : {}) });
}
