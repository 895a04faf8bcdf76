import { ATTENTION_KINDS, type AttentionKind, type AttentionRow } from '@dlsync/store';
import { html } from '../html.js';
import { actionArea, consolePage, NEEDS_SCRIPT, orderLink, statusText, timeCell } from './console-layout.js';

export interface AttentionPageData {
  withinHours: number;
  counts: Record<AttentionKind, number>;
  items: AttentionRow[];
}

export const ATTENTION_LABELS: Record<AttentionKind, string> = {
  last_error: 'Last run failed for it',
  deadline: 'DSCO deadline near or past',
  write: 'DSCO write failed or pending long',
  cancelled_after_shipped: 'Cancelled in DSCO after shipping',
  changed_after_push: 'Changed in DSCO after push',
  flagged: 'Other flag',
};

export function renderAttention(data: AttentionPageData, o: { nonce: string; user?: string; readOnly?: boolean; timeZone: string; script: string }): string {
  const sections = ATTENTION_KINDS.filter((k) => data.items.some((i) => i.kind === k)).map((kind) => {
    const rows = data.items.filter((i) => i.kind === kind);
    return html`<section aria-labelledby="kind-${kind}"><h2 id="kind-${kind}">${ATTENTION_LABELS[kind]} <span class="muted">(${data.counts[kind]})</span></h2>
    <div class="table-wrap"><table data-testid="attention-${kind}"><thead><tr><th scope="col"><span class="muted">Select</span></th><th scope="col">PO</th><th scope="col">Status</th><th scope="col">What</th><th scope="col">When</th></tr></thead>
    <tbody>${rows.map(
      (r) => html`<tr data-testid="attention-row"><td><input type="checkbox" name="po_numbers" value="${r.po_number}" form="retry-form" aria-label="Select ${r.po_number}" data-testid="select-${kind}-${r.po_number}"></td>
      <td>${orderLink(r.po_number)}</td><td>${statusText(r.status)}</td><td class="wrap">${r.detail}</td><td>${timeCell(r.at, o.timeZone)}</td></tr>`,
    )}</tbody></table></div></section>`;
  });
  const body = html`
<p class="muted">Deadlines count from ${data.withinHours} h ahead (admin.attention_hours).</p>
<ul class="chips" data-testid="attention-counts">${ATTENTION_KINDS.map((k) => html`<li><span>${ATTENTION_LABELS[k]} <span class="n" data-testid="attention-count-${k}">${data.counts[k]}</span></span></li>`)}</ul>
<form id="retry-form" class="panel" data-json-url="/api/attention/retry" data-testid="retry-form">
  ${NEEDS_SCRIPT}
  ${actionArea(o.readOnly, html`<div class="buttons"><button type="button" class="secondary" data-select-all data-testid="select-all">Select all</button>
  <button type="submit" data-testid="retry-submit">Retry selected now (clears their backoff)</button></div>`)}
  <div id="action-result" data-testid="action-result" aria-live="polite"></div>
</form>
${sections.length ? sections : html`<p data-testid="attention-none">Nothing needs attention.</p>`}`;
  return consolePage({ title: 'Attention', nonce: o.nonce, section: 'attention', timeZone: o.timeZone, body, script: o.script, ...(o.user ? { user: o.user } : {}) });
}
