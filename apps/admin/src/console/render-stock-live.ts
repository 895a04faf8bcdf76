import { html, type SafeHtml } from '../html.js';
import { timeCell } from './console-layout.js';
import { MAX_LIVE_SKUS, type LiveStockItem } from './stock-live.js';

/** What the /stock page shows in its "Compare with DSCO now" section. */
export interface LiveCompareView {
  /** False without `auth.dsco.*`: the section says so in one line. */
  enabled: boolean;
  /** The SKUs prefilled in the form (the current page's, or the ones just compared). */
  skus: string[];
  /** The filters of the page, kept as hidden fields so comparing does not lose them. */
  hidden: [string, string][];
  result?: { items: LiveStockItem[] };
  /** A refused list (too many, bad characters) or a failed DSCO read. */
  error?: string;
}

const qty = (v: number | null | undefined) => (v === null || v === undefined ? html`<span class="muted">none</span>` : html`${v}`);
const diffCell = (v: number | null) =>
  v === null ? html`<span class="muted">n/a</span>` : v === 0 ? html`<span class="ok">0</span>` : html`<span class="bad">${v > 0 ? `+${v}` : v}</span>`;
const warehouses = (list: { code: string; quantity: number | null }[]) => list.map((w) => `${w.code}: ${w.quantity ?? '–'}`).join(', ');

function resultTable(items: LiveStockItem[], timeZone: string): SafeHtml {
  return html`<table data-testid="stock-live-result"><thead><tr><th scope="col">DSCO SKU</th><th scope="col" class="num">DSCO now</th><th scope="col">DSCO warehouses</th><th scope="col" class="num">Lingxing</th><th scope="col">Lingxing warehouses</th><th scope="col">Recorded</th><th scope="col" class="num">Difference</th></tr></thead><tbody>${items.map(
    (i) => html`<tr data-testid="stock-live-row"><td>${i.sku}</td><td class="num">${i.dsco ? qty(i.dsco.quantity) : html`<span class="muted">unknown to DSCO</span>`}</td><td>${i.dsco ? warehouses(i.dsco.warehouses) : ''}</td><td class="num">${i.lingxing ? i.lingxing.quantity : html`<span class="muted">no sync_stock row</span>`}</td><td>${i.lingxing ? warehouses(i.lingxing.warehouses) : ''}</td><td>${i.lingxing ? timeCell(new Date(i.lingxing.synced_at), timeZone) : ''}</td><td class="num">${diffCell(i.diff)}</td></tr>`,
  )}</tbody></table>`;
}

/** The section: a plain GET form (works without JavaScript) and, after a comparison, its table. */
export function renderLiveCompare(view: LiveCompareView, timeZone: string): SafeHtml {
  if (!view.enabled) return html`<section aria-labelledby="live-title"><h2 id="live-title">Compare with DSCO now</h2><p class="muted" data-testid="stock-live-off">live DSCO read off: set auth.dsco.* for the admin</p></section>`;
  return html`<section aria-labelledby="live-title"><h2 id="live-title">Compare with DSCO now</h2>
<form class="filters" method="get" action="/stock" data-testid="stock-live-form">
  ${view.hidden.map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}
  <label>DSCO SKUs (up to ${MAX_LIVE_SKUS}, separated by spaces or commas; prefilled with this page's)<textarea name="live" rows="2" cols="60" maxlength="6000" data-testid="stock-live-skus">${view.skus.join(' ')}</textarea></label>
  <div class="buttons"><button type="submit" data-testid="stock-live-submit">Compare with DSCO now</button></div>
</form>
${view.error ? html`<p class="error" role="alert" data-testid="stock-live-error">${view.error}</p>` : ''}
${view.result ? resultTable(view.result.items, timeZone) : ''}
</section>`;
}
