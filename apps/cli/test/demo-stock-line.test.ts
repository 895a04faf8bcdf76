import type { Report } from '@dlsync/runner';
import { formatStockLine, sumStockLines } from '../src/demo/stock-line.js';

const report = (stock?: Record<string, unknown>): Report => ({
  runId: 'r',
  task: 'sync_stock',
  status: 'ok',
  trigger: 'schedule',
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 1,
  counts: { ok: 0, skipped: 0, failed: 0 },
  reasons: {},
  items: [],
  itemsOmitted: 0,
  details: stock ? { stock } : {},
});

describe('demo stock reconciliation line', () => {
  it('adds up the stock lines of sync_stock runs, counting runs without one as runs only', () => {
    const totals = sumStockLines([
      report({ compared: true, unchanged: 10, raised: 3, lowered: 1, absent: 2, sent: 4, confirmed: 4 }),
      report({ compared: false, unchanged: null, raised: null, lowered: null, absent: null, sent: 7, confirmed: 6 }),
      report(),
    ]);
    expect(totals).toEqual({ runs: 3, compared: 1, unchanged: 10, raised: 3, lowered: 1, sent: 11, confirmed: 10 });
    expect(formatStockLine(totals)).toBe(
      'Stock reconciliation (3 sync_stock runs, 1 compared with DSCO): 10 unchanged, 3 raised, 1 lowered; 11 items sent, 10 confirmed by DSCO',
    );
  });
});
