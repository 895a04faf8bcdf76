import type { Report } from '@dlsync/runner';

/** sync_stock's reconciliation over the demo's runs: quantities unchanged, raised and lowered, items sent and confirmed. */
export interface StockTotals {
  runs: number;
  /** Runs that compared with DSCO (the others sent without comparing). */
  compared: number;
  unchanged: number;
  raised: number;
  lowered: number;
  sent: number;
  confirmed: number;
}

interface StockDetail {
  compared?: boolean;
  unchanged?: number | null;
  raised?: number | null;
  lowered?: number | null;
  sent?: number;
  confirmed?: number;
}

/** Adds up the `stock` detail of sync_stock Reports (runs without one count as runs only). */
export function sumStockLines(reports: readonly Report[]): StockTotals {
  const totals: StockTotals = { runs: 0, compared: 0, unchanged: 0, raised: 0, lowered: 0, sent: 0, confirmed: 0 };
  for (const report of reports) {
    totals.runs += 1;
    const stock = report.details?.stock as StockDetail | undefined;
    if (!stock) continue;
    if (stock.compared) totals.compared += 1;
    totals.unchanged += stock.unchanged ?? 0;
    totals.raised += stock.raised ?? 0;
    totals.lowered += stock.lowered ?? 0;
    totals.sent += stock.sent ?? 0;
    totals.confirmed += stock.confirmed ?? 0;
  }
  return totals;
}

export function formatStockLine(t: StockTotals): string {
  return (
    `Stock reconciliation (${t.runs} sync_stock run${t.runs === 1 ? '' : 's'}, ${t.compared} compared with DSCO): ` +
    `${t.unchanged} unchanged, ${t.raised} raised, ${t.lowered} lowered; ${t.sent} items sent, ${t.confirmed} confirmed by DSCO`
  );
}
