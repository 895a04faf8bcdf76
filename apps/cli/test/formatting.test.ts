import type { Report } from '@dlsync/runner';
import type { DscoOrder, Scenario } from '@dlsync/sandbox';
import { diffConfig, formatDiff, isEmptyDiff } from '../src/config-diff.js';
import { classifyOrders } from '../src/demo/eligibility.js';
import { formatReport } from '../src/format/report.js';
import { formatTable } from '../src/format/table.js';
import { exitCodeOf } from '../src/report-exit-code.js';

describe('diffConfig', () => {
  it('lists added, changed and removed leaf keys; arrays are compared whole', () => {
    const before = { mapping: { sku: { A: 'LX-A', B: 'LX-B' }, shop: {} }, jobs: { push: { enabled: false, cron: '* * * * *' } }, list: [1, 2] };
    const after = { mapping: { sku: { A: 'LX-A2', C: 'LX-C' }, shop: { R1: '1' } }, jobs: { push: { enabled: true, cron: '* * * * *' } }, list: [1, 2, 3] };
    const diff = diffConfig(before, after);
    expect(diff).toEqual({
      added: [
        { path: 'mapping.shop.R1', value: '1' },
        { path: 'mapping.sku.C', value: 'LX-C' },
      ],
      changed: [
        { path: 'jobs.push.enabled', from: false, to: true },
        { path: 'list', from: [1, 2], to: [1, 2, 3] },
        { path: 'mapping.sku.A', from: 'LX-A', to: 'LX-A2' },
      ],
      removed: [{ path: 'mapping.sku.B', value: 'LX-B' }],
    });
    expect(formatDiff(diff).split('\n')).toEqual([
      '+ mapping.shop.R1: "1"',
      '+ mapping.sku.C: "LX-C"',
      '~ jobs.push.enabled: false -> true',
      '~ list: [1,2] -> [1,2,3]',
      '~ mapping.sku.A: "LX-A" -> "LX-A2"',
      '- mapping.sku.B: "LX-B"',
    ]);
    expect(isEmptyDiff(diffConfig(after, structuredClone(after)))).toBe(true);
  });
});

describe('formatTable', () => {
  it('pads columns, right-aligns numeric ones and prints empty cells for null', () => {
    expect(formatTable(['NAME', 'N', 'NOTE'], [['a', 1, null], ['long-name', 100, 'x']])).toBe(
      ['NAME         N  NOTE', 'a            1', 'long-name  100  x'].join('\n'),
    );
  });
});

describe('formatReport and exit codes', () => {
  const report: Report = {
    runId: '01a2-run',
    task: 'push_to_lingxing',
    status: 'partial',
    trigger: 'cli',
    configVersion: 4,
    startedAt: '2025-06-01T00:00:00.000Z',
    durationMs: 1234,
    counts: { ok: 2, skipped: 1, failed: 1 },
    reasons: { 'no price for X': 1, 'lingxing error': 1 },
    items: [
      { po_number: 'PO1', result: 'ok' },
      { po_number: 'PO2', result: 'skipped', reason: 'no price for X' },
      { po_number: 'PO3', result: 'failed', reason: 'lingxing error' },
    ],
    itemsOmitted: 1,
    details: { created: 2, stores: ['110001'] },
  };

  it('prints summary, counts, reasons, items (with what was left out) and details', () => {
    const text = formatReport(report, { maxItems: 2 });
    expect(text).toMatch(/^status\s+partial$/m);
    expect(text).toMatch(/^config\s+v4$/m);
    expect(text).toMatch(/^OK\s+SKIPPED\s+FAILED\s+WAITING\n\s*2\s+1\s+1\s+0$/m);
    expect(text).toMatch(/^no price for X\s+1$/m);
    expect(text).toMatch(/^PO2\s+skipped\s+no price for X$/m);
    expect(text).not.toMatch(/^PO3/m);
    expect(text).toContain('(2 more orders not shown)');
    expect(text).toMatch(/^stores\s+\["110001"\]$/m);
  });

  it('exits 0 only for ok', () => {
    expect(exitCodeOf({ ...report, status: 'ok' })).toBe(0);
    for (const status of ['partial', 'failed', 'locked'] as const) expect(exitCodeOf({ ...report, status })).toBe(1);
  });

  it('exits 1 for an ok single-PO run that did not process its PO', () => {
    const single = (processed: boolean) => ({ po_number: 'PO-1', result: processed ? 'ok' : 'skipped', processed, reason: processed ? 'processed' : 'not found locally' });
    expect(exitCodeOf({ ...report, status: 'ok', details: { single_po: single(true) } })).toBe(0);
    expect(exitCodeOf({ ...report, status: 'ok', details: { single_po: single(false) } })).toBe(1);
  });
});

describe('classifyOrders', () => {
  const order = (po: string, tags: Scenario['tags'], dscoStatus: DscoOrder['dscoStatus'] = 'created') => ({
    order: { poNumber: po, dscoStatus, dscoLifecycle: 'created' } as DscoOrder,
    scenario: { tags } as Scenario,
  });

  it('excludes cancelled, price-less and address-less orders, unless DSCO already shipped them', () => {
    const { eligible, excluded } = classifyOrders([
      order('P1', ['normal']),
      order('P2', ['cancelled'], 'cancelled'),
      order('P3', ['missing_price', 'multi_line']),
      order('P4', ['missing_address']),
      order('P5', ['already_shipped', 'missing_price'], 'shipped'),
      order('P6', ['unmapped_sku', 'split_shipment']),
    ]);
    expect(eligible).toEqual(['P1', 'P5', 'P6']);
    expect(Object.fromEntries(excluded)).toEqual({
      'cancelled in DSCO (ends at status 6)': ['P2'],
      'a line has no price (push_to_lingxing skips it)': ['P3'],
      'shipping address incomplete (push_to_lingxing skips it)': ['P4'],
    });
  });
});
