import type { Mapping, RuntimeConfig } from '@dlsync/config';
import { TASK_NAMES } from '@dlsync/config';
import { ORDER_STATUSES, STATUS_NAMES, type OrderStatus } from '@dlsync/store';
import { formatInstant } from '../console/console-time.js';
import { html, page, type SafeHtml } from '../html.js';
import { renderPreflight } from '../preflight/render-preflight.js';
import type { OverviewData } from './overview-data.js';
import { OVERVIEW_SCRIPT } from './overview-script.js';
import { renderTaskStatuses } from './render-task-status.js';
import { renderAttentionSummary } from '../console/attention-summary.js';

/** The one status vocabulary (@dlsync/store), as the CLI prints it. */
export const STATUS_LABELS: Record<OrderStatus, string> = STATUS_NAMES;

/** Rows shown per mapping table; the full table is in GET /api/config. */
const MAPPING_ROWS_SHOWN = 200;

function ago(from: Date, to: Date): string {
  const minutes = Math.max(0, Math.round((to.getTime() - from.getTime()) / 60_000));
  if (minutes < 90) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} d`;
}

function funnel(data: OverviewData): SafeHtml {
  return html`<section aria-labelledby="funnel-title">
  <h2 id="funnel-title">Orders by status</h2>
  <ol class="funnel" data-testid="funnel">
    ${ORDER_STATUSES.map(
      (s) => html`<li><a href="/orders?status=${s}" data-testid="funnel-link-${s}"><span class="count" data-testid="funnel-count-${s}">${data.counts[s]}</span>
      <span class="label">${s} · ${STATUS_LABELS[s]}</span></a></li>`,
    )}
  </ol>
</section>`;
}

function stuckOrders(data: OverviewData): SafeHtml {
  const rows = data.stuck.map(
    (o) => html`<tr>
      <td><a href="/orders/${encodeURIComponent(o.po_number)}">${o.po_number}</a></td>
      <td>${o.status} · ${STATUS_LABELS[o.status]}</td>
      <td>${o.dsco_retailer_id ?? ''}</td>
      <td><time datetime="${new Date(o.updated_at).toISOString()}">${formatInstant(o.updated_at, data.timeZone)}</time></td>
      <td class="num">${ago(new Date(o.updated_at), data.generatedAt)}</td>
    </tr>`,
  );
  return html`<section aria-labelledby="stuck-title">
  <h2 id="stuck-title">Stuck orders <span class="muted">(no progress for ${data.stuckAfterMinutes} min)</span></h2>
  ${
    rows.length === 0
      ? html`<p data-testid="stuck-none">None.</p>`
      : html`<table data-testid="stuck-orders">
    <thead><tr><th scope="col">PO</th><th scope="col">Status</th><th scope="col">Retailer</th><th scope="col">Last change (${data.timeZone})</th><th scope="col" class="num">Idle</th></tr></thead>
    <tbody>${rows}</tbody></table>${data.stuckMore ? html`<p class="muted">More not shown; see <a href="/attention">Attention</a> and <a href="/orders">Orders</a>.</p>` : ''}`
  }
</section>`;
}

function runForm(): SafeHtml {
  return html`<section aria-labelledby="run-title">
  <h2 id="run-title">Run a task</h2>
  <form class="run" id="run-form" data-testid="run-form" novalidate>
    <label>Task
      <select name="task" data-testid="run-task">${TASK_NAMES.map((t) => html`<option value="${t}">${t}</option>`)}</select>
    </label>
    <label>Only PO number (optional)<input name="po_number" maxlength="100" data-testid="run-po" placeholder="e.g. PO-1001"></label>
    <label>Window start (UTC, optional)<input name="start" type="datetime-local" data-testid="run-start"></label>
    <label>Window end (UTC, optional)<input name="end" type="datetime-local" data-testid="run-end"></label>
    <label class="inline"><input name="force" type="checkbox" data-testid="run-force"> force</label>
    <button type="submit" data-testid="run-submit">Run and wait</button>
  </form>
  <div id="run-result" data-testid="run-result" aria-live="polite"></div>
</section>`;
}

function mappingTable(kind: keyof Mapping, entries: [string, string][], headers: [string, string]): SafeHtml {
  const shown = entries.slice(0, MAPPING_ROWS_SHOWN);
  return html`<div>
  <h3>${kind} <span class="muted">(${entries.length})</span></h3>
  <table data-testid="mapping-${kind}">
    <thead><tr><th scope="col">${headers[0]}</th><th scope="col">${headers[1]}</th></tr></thead>
    <tbody>${shown.map(([k, v]) => html`<tr><td>${k}</td><td>${v}</td></tr>`)}</tbody>
  </table>
  ${entries.length > shown.length ? html`<p class="muted">${entries.length - shown.length} more in <a href="/api/config">/api/config</a>.</p>` : ''}
</div>`;
}

function mapping(data: OverviewData): SafeHtml {
  const { version, problems } = data.config;
  const config = problems ? undefined : (data.config.config as RuntimeConfig);
  return html`<section aria-labelledby="mapping-title">
  <h2 id="mapping-title">Live mapping <span class="muted" data-testid="config-version">${version === null ? 'defaults (never saved)' : `version ${version}`}</span></h2>
  ${problems ? html`<p class="error" role="alert">The stored config is invalid; runs refuse it: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}</p>` : ''}
  ${
    config
      ? html`<div class="grid">
    ${mappingTable('shop', Object.entries(config.mapping.shop), ['DSCO retailer', 'Lingxing store'])}
    ${mappingTable('warehouse', Object.entries(config.mapping.warehouse), ['DSCO warehouse', 'Lingxing wid'])}
    ${mappingTable('sku', Object.entries(config.mapping.sku), ['DSCO SKU', 'Lingxing SKU'])}
    ${mappingTable('shipment', Object.entries(config.mapping.shipment), ['warehouse-service level', 'logistics type'])}
  </div>`
      : ''
  }
</section>`;
}

export function renderOverview(data: OverviewData, options: { nonce: string; user?: string }): string {
  const header = html`<header>
  <h1>dlsync admin</h1>
  <nav aria-label="Main"><a href="/orders">Orders</a> · <a href="/attention">Attention</a> · <a href="/stock">Stock</a> · <a href="/check-range">Check range</a> · <a href="/admin/queues" data-testid="bull-board-link">Bull Board</a> · <a href="/metrics">Metrics</a></nav>
  ${options.user ? html`<span class="muted">${options.user}</span>` : ''}
  <form method="post" action="/logout"><button type="submit" class="secondary">Sign out</button></form>
</header>`;
  const body = html`
<p class="muted">As of <time datetime="${data.generatedAt.toISOString()}">${formatInstant(data.generatedAt, data.timeZone)} ${data.timeZone}</time>.</p>
${funnel(data)}
${renderAttentionSummary(data.attention)}
${renderTaskStatuses(data.taskStatuses, { now: data.generatedAt, timeZone: data.timeZone, nonce: options.nonce })}
${runForm()}
${stuckOrders(data)}
${mapping(data)}
${renderPreflight(data.preflight, data.timeZone)}`;
  return page({ title: 'dlsync admin', nonce: options.nonce, header, body, script: OVERVIEW_SCRIPT });
}
