import { ORDER_STATUSES, type OrderListRow, type OrderStatus } from '@dlsync/store';
import { html, type SafeHtml } from '../html.js';
import { consolePage, createTimeCell, orderLink, statusText, timeCell } from './console-layout.js';
import { DEFAULT_ORDER_COLUMNS, filterQueryString, ORDER_COLUMNS, type OrderColumn, type OrdersQuery } from './console-inputs.js';
import { toWallTimeInput } from './console-time.js';

export interface OrdersPageData {
  query: OrdersQuery;
  items: OrderListRow[];
  nextCursor: string | null;
  counts: Record<OrderStatus, number>;
}

const COLUMN_LABELS: Record<OrderColumn, string> = {
  dsco_create_time: 'Created',
  dsco_retailer_id: 'Retailer',
  dsco_status: 'DSCO status',
  mskus: 'Lines (SKU×qty)',
  warehouse_id: 'Warehouse',
  shipment: 'Service level',
  lingxing_order_nos: 'Lingxing orders',
  shipped_tracking_no: 'Tracking',
  dsco_invoice_id: 'Invoice',
  last_error: 'Last error',
  attempts: 'Attempts',
  updated_at: 'Updated',
};

const PAGE_SIZES = [25, 50, 100, 200, 500];

function cell(column: OrderColumn, row: OrderListRow, timeZone: string): SafeHtml {
  const value = row[column];
  if (column === 'dsco_create_time') return createTimeCell(value, timeZone);
  if (column === 'updated_at') return timeCell(value, timeZone);
  if (column === 'last_error') return value ? html`<span class="bad">${String(value)}</span>` : html``;
  return html`${value === null || value === undefined ? '' : String(value)}`;
}

function textInput(name: keyof OrdersQuery, label: string, value: string | undefined, placeholder = ''): SafeHtml {
  return html`<label>${label}<input name="${name}" value="${value ?? ''}" maxlength="200" placeholder="${placeholder}" data-testid="filter-${name}"></label>`;
}

function filterForm(q: OrdersQuery, columns: readonly OrderColumn[], timeZone: string): SafeHtml {
  const time = (ms: number | undefined) => (ms === undefined ? '' : toWallTimeInput(ms, timeZone));
  return html`<form class="filters" method="get" action="/orders" data-testid="orders-filters">
  ${textInput('po', 'PO contains', q.po, 'e.g. 1001')}
  ${textInput('retailer', 'Retailer', q.retailer)}
  ${textInput('sku', 'Line SKU contains', q.sku)}
  ${textInput('warehouse', 'Warehouse', q.warehouse)}
  ${textInput('shipment', 'Ship service level', q.shipment)}
  ${textInput('tracking', 'Tracking number', q.tracking)}
  ${textInput('invoice', 'Invoice id', q.invoice)}
  ${textInput('dsco_status', 'DSCO status', q.dsco_status)}
  <label>Created from (${timeZone})<input type="datetime-local" name="created_from" value="${time(q.created_from)}" data-testid="filter-created_from"></label>
  <label>Created before (${timeZone})<input type="datetime-local" name="created_to" value="${time(q.created_to)}" data-testid="filter-created_to"></label>
  <label>Has error<select name="has_error" data-testid="filter-has_error">
    ${(['any', 'true', 'false'] as const).map((v) => html`<option value="${v}"${String(q.has_error ?? 'any') === v ? html` selected` : ''}>${v === 'any' ? 'any' : v === 'true' ? 'with error' : 'without error'}</option>`)}
  </select></label>
  <label>Page size<select name="limit" data-testid="filter-limit">${PAGE_SIZES.map((n) => html`<option value="${n}"${q.limit === n ? html` selected` : ''}>${n}</option>`)}</select></label>
  <fieldset><legend>Local status (any of)</legend>
    ${ORDER_STATUSES.map((s) => html`<label class="inline"><input type="checkbox" name="status" value="${s}" data-testid="filter-status-${s}"${q.status?.includes(s) ? html` checked` : ''}> ${statusText(s)}</label>`)}
  </fieldset>
  <details><summary>Columns</summary><fieldset>
    ${ORDER_COLUMNS.map((c) => html`<label class="inline"><input type="checkbox" name="cols" value="${c}" data-testid="col-${c}"${columns.includes(c) ? html` checked` : ''}> ${COLUMN_LABELS[c]}</label>`)}
  </fieldset></details>
  <div class="buttons"><button type="submit" data-testid="filter-submit">Apply</button> <a href="/orders">Clear</a></div>
</form>`;
}

function counts(q: OrdersQuery, data: OrdersPageData): SafeHtml {
  const total = ORDER_STATUSES.reduce((n, s) => n + data.counts[s], 0);
  const only = (s: OrderStatus) => `/orders?${filterQueryString({ ...q, status: [s] })}`;
  return html`<ul class="chips" data-testid="status-counts" aria-label="Orders per status for this filter">
  <li><span>all <span class="n" data-testid="count-all">${total}</span></span></li>
  ${ORDER_STATUSES.map((s) => html`<li><a href="${only(s)}">${statusText(s)} <span class="n" data-testid="count-${s}">${data.counts[s]}</span></a></li>`)}
</ul>`;
}

export function renderOrdersPage(data: OrdersPageData, o: { nonce: string; user?: string; timeZone: string; script: string }): string {
  const q = data.query;
  const columns = q.cols ?? DEFAULT_ORDER_COLUMNS;
  const keep: [string, string][] = [['limit', String(q.limit)], ...(q.cols ? q.cols.map((c): [string, string] => ['cols', c]) : [])];
  const next = data.nextCursor ? `/orders?${filterQueryString(q, [...keep, ['cursor', data.nextCursor]])}` : null;
  const csv = `/orders.csv?${filterQueryString(q)}`;
  const rows = data.items.map(
    (row) => html`<tr data-testid="order-row">
    <td>${orderLink(row.po_number)}</td><td>${statusText(row.status)}</td>
    ${columns.map((c) => html`<td class="wrap">${cell(c, row, o.timeZone)}</td>`)}
  </tr>`,
  );
  const body = html`
${filterForm(q, columns, o.timeZone)}
${counts(q, data)}
<p class="buttons"><a href="${csv}" download data-testid="export-csv">Export this filter as CSV</a>
  ${q.cursor ? html`<a href="/orders?${filterQueryString(q, keep)}" data-testid="first-page">First page</a>` : ''}</p>
<div class="table-wrap"><table data-testid="orders-table">
  <thead><tr><th scope="col">PO</th><th scope="col">Status</th>${columns.map((c) => html`<th scope="col">${COLUMN_LABELS[c]}</th>`)}</tr></thead>
  <tbody>${rows.length ? rows : html`<tr><td colspan="${columns.length + 2}" data-testid="orders-none">No orders match.</td></tr>`}</tbody>
</table></div>
<p class="buttons">${next ? html`<a href="${next}" data-testid="next-page">Next page (older) →</a>` : html`<span class="muted" data-testid="last-page">Last page.</span>`}</p>`;
  return consolePage({ title: 'Orders', nonce: o.nonce, section: 'orders', timeZone: o.timeZone, body, script: o.script, ...(o.user ? { user: o.user } : {}) });
}
