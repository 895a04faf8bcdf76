import { html } from '../html.js';
import { actionArea, consolePage, NEEDS_SCRIPT, orderLink, statusText } from './console-layout.js';
import type { CheckRangeResult } from './check-range-data.js';
import { toWallTimeInput } from './console-time.js';

export interface CheckRangePageData {
  /** Form defaults: the last 24 hours, or the checked window. */
  start: number;
  end: number;
  result?: CheckRangeResult;
  /** A job was asked for but is not (or no longer) in the queue. */
  missingJob?: string;
}

const mismatchText = (m: { kind: string; expected: string; actual: string }) => `${m.kind}: expected ${m.expected}, found ${m.actual}`;

function results(r: CheckRangeResult): ReturnType<typeof html> {
  if (!r.report) {
    return html`<p class="notice" data-testid="check-state">check_orders job ${r.jobId} is ${r.state}${r.failedReason ? `: ${r.failedReason}` : ''}.</p>`;
  }
  const bad = r.orders.filter((o) => o.verdict === 'mismatched').length;
  return html`<section aria-labelledby="result-title"><h2 id="result-title">Result of job ${r.jobId}</h2>
  <p data-testid="check-summary">Window ${r.start} – ${r.end} (UTC): ${r.orders.length} local orders, <span class="ok">${r.orders.length - bad} ok</span>, <span class="${bad ? 'bad' : 'ok'}">${bad} mismatched</span>,
    ${r.missingLocal.length} missing locally. Run status <span data-testid="check-status">${r.report.status}</span>.</p>
  <h3>Missing local record</h3>
  ${r.missingLocal.length ? html`<ul data-testid="missing-local">${r.missingLocal.map((m) => html`<li>${m.po_number}</li>`)}</ul>` : html`<p class="muted" data-testid="missing-local-none">None.</p>`}
  ${r.otherMismatches.length ? html`<h3>Other mismatches</h3><ul>${r.otherMismatches.map((m) => html`<li>${m.po_number}: ${mismatchText(m)}</li>`)}</ul>` : ''}
  <h3>Local orders of the window</h3>
  <table data-testid="check-orders"><thead><tr><th scope="col">PO</th><th scope="col">Status</th><th scope="col">Verdict</th><th scope="col">Mismatches</th></tr></thead>
  <tbody>${r.orders.map(
    (o) => html`<tr data-testid="check-row"><td>${orderLink(o.po_number)}</td><td>${statusText(o.status)}</td><td class="${o.verdict === 'ok' ? 'ok' : 'bad'}">${o.verdict}</td><td class="wrap">${o.mismatches.map(mismatchText).join('; ')}</td></tr>`,
  )}</tbody></table>
  ${r.ordersMore ? html`<p class="muted">More local orders in the window than listed; narrow it.</p>` : ''}
</section>`;
}

export function renderCheckRange(data: CheckRangePageData, o: { nonce: string; user?: string; readOnly?: boolean; timeZone: string; script: string }): string {
  const body = html`
<form class="filters" data-check-range data-testid="check-form">
  <label>Start (${o.timeZone})<input type="datetime-local" name="start" required value="${toWallTimeInput(data.start, o.timeZone)}" data-testid="check-start"></label>
  <label>End, exclusive (${o.timeZone})<input type="datetime-local" name="end" required value="${toWallTimeInput(data.end, o.timeZone)}" data-testid="check-end"></label>
  ${actionArea(o.readOnly, html`<div class="buttons"><button type="submit" data-testid="check-submit">Run check_orders over this window</button></div>`)}
  ${NEEDS_SCRIPT}
  <div id="action-result" data-testid="action-result" aria-live="polite"></div>
</form>
${data.missingJob ? html`<p class="error" data-testid="check-missing">No check_orders job ${data.missingJob} in the queue (finished jobs are kept for a while only).</p>` : ''}
${data.result ? results(data.result) : ''}`;
  return consolePage({ title: 'Check range', nonce: o.nonce, section: 'check-range', timeZone: o.timeZone, body, script: o.script, ...(o.user ? { user: o.user } : {}) });
}
