import type { StockRow, WarehouseSyncRun } from '@dlsync/store';
import { html } from '../html.js';
import { consolePage, timeCell } from './console-layout.js';
import { stockQueryString, type StockQuery } from './console-inputs.js';
import { renderLiveCompare, type LiveCompareView } from './render-stock-live.js';

export interface StockPageData {
  query: StockQuery;
  runs: WarehouseSyncRun[];
  items: StockRow[];
  nextCursor: number | null;
  live: LiveCompareView;
}

const boolSelect = (name: 'pushed' | 'confirmed', value: boolean | undefined) =>
  html`<select name="${name}" data-testid="stock-${name}">${(['any', 'true', 'false'] as const).map(
    (v) => html`<option value="${v}"${String(value ?? 'any') === v ? html` selected` : ''}>${v === 'any' ? 'any' : v === 'true' ? 'yes' : 'no'}</option>`,
  )}</select>`;

/** What DSCO held when sync_stock read it (columns of later migrations; absent or null: not read). */
const held = (r: StockRow) => {
  const v = (r as StockRow & { dsco_quantity?: number | null }).dsco_quantity;
  return v === null || v === undefined ? html`<span class="muted">not read</span>` : html`${v}`;
};
const diffCell = (r: StockRow) => {
  const v = (r as StockRow & { diff?: number | null }).diff;
  return v === null || v === undefined ? '' : v === 0 ? html`<span class="ok">0</span>` : html`<span class="bad">${v > 0 ? `+${v}` : v}</span>`;
};

export function renderStock(data: StockPageData, o: { nonce: string; user?: string; timeZone: string }): string {
  const q = data.query;
  const next = data.nextCursor !== null ? `/stock?${stockQueryString(q, [['limit', String(q.limit)], ['cursor', String(data.nextCursor)]])}` : null;
  const body = html`
<form class="filters" method="get" action="/stock" data-testid="stock-filters">
  <label>Run<input name="run_id" value="${q.run_id ?? ''}" maxlength="100" data-testid="stock-run"></label>
  <label>SKU contains (Lingxing or DSCO)<input name="sku" value="${q.sku ?? ''}" maxlength="200" data-testid="stock-sku"></label>
  <label>Warehouse (wid or code)<input name="warehouse" value="${q.warehouse ?? ''}" maxlength="200" data-testid="stock-warehouse"></label>
  <label>Pushed${boolSelect('pushed', q.pushed)}</label>
  <label>Confirmed by DSCO${boolSelect('confirmed', q.confirmed)}</label>
  <div class="buttons"><button type="submit" data-testid="stock-submit">Apply</button> <a href="/stock">Clear</a></div>
</form>
<section aria-labelledby="runs-title"><h2 id="runs-title">Recent sync_stock runs</h2>
  ${data.runs.length ? html`<table data-testid="stock-runs"><thead><tr><th scope="col">Run</th><th scope="col">Synced</th><th scope="col" class="num">Rows</th><th scope="col" class="num">Pushed</th><th scope="col" class="num">Warehouses</th></tr></thead><tbody>${data.runs.map(
    (r) => html`<tr><td><a href="/stock?run_id=${encodeURIComponent(r.run_id)}">${r.run_id}</a></td><td>${timeCell(r.synced_at, o.timeZone)}</td><td class="num">${r.rows}</td><td class="num">${r.pushed}</td><td class="num">${r.warehouses}</td></tr>`,
  )}</tbody></table>` : html`<p class="muted">No runs recorded.</p>`}
</section>
${renderLiveCompare(data.live, o.timeZone)}
<section aria-labelledby="rows-title"><h2 id="rows-title">Rows</h2>
  <p><a href="/stock.csv?${stockQueryString(q)}" download data-testid="stock-csv">Export these rows as CSV</a></p>
  <div class="table-wrap"><table data-testid="stock-rows"><thead><tr><th scope="col">Synced</th><th scope="col">Run</th><th scope="col">Warehouse</th><th scope="col">Lingxing SKU</th><th scope="col">DSCO SKU</th><th scope="col" class="num">Lingxing qty</th><th scope="col" class="num">DSCO held</th><th scope="col" class="num">Diff</th><th scope="col">Pushed</th><th scope="col">Confirmed</th><th scope="col">Request</th></tr></thead>
  <tbody>${data.items.length ? data.items.map(
    (r) => html`<tr data-testid="stock-row"><td>${timeCell(r.synced_at, o.timeZone)}</td><td>${r.run_id}</td><td>${r.warehouse_code ?? ''} (${r.wid})</td><td>${r.sku}</td><td>${r.partner_sku}</td><td class="num">${r.quantity}</td><td class="num">${held(r)}</td><td class="num">${diffCell(r)}</td><td>${r.pushed ? 'yes' : 'no'}</td><td>${r.confirmed ? html`<span class="ok">yes</span>` : 'no'}</td><td>${r.dsco_request_id ?? ''}</td></tr>`,
  ) : html`<tr><td colspan="11">No rows match.</td></tr>`}</tbody></table></div>
  <p>${next ? html`<a href="${next}" data-testid="stock-next">Next page (older) →</a>` : html`<span class="muted">Last page.</span>`}</p>
</section>`;
  return consolePage({ title: 'Stock', nonce: o.nonce, section: 'stock', timeZone: o.timeZone, body, ...(o.user ? { user: o.user } : {}) });
}
