import { TASK_NAMES } from '@dlsync/config';
import type { ScenarioTag } from '@dlsync/sandbox';
import { useTaskHarness } from './harness.js';

const h = useTaskHarness({ seed: 11, asyncDelayMs: 0 });

// The order the pipeline moves in; stock and pairs run alongside; check_orders last, read-only.
const ORDER = ['pull_dsco_orders', 'pull_sku_pair', 'push_to_lingxing', 'ack_to_dsco', 'ship_to_dsco', 'invoice_to_dsco', 'sync_stock'] as const;

describe('full lifecycle', () => {
  it('moves seeded orders 1 → 5 by running the tasks in order while sandbox time advances', async () => {
    const seeded = h.sandbox.world.seedOrders({ count: 60, seed: 11 });
    expect(seeded).toBeDefined();
    await h.setConfig();
    const statuses = new Map<string, number[]>();
    for (let round = 0; round < 8; round++) {
      for (const task of ORDER) {
        const report = await h.run(task, { trigger: 'schedule' });
        expect(['ok', 'partial']).toContain(report.status);
      }
      for (const row of (await h.store.orders.search({ limit: 1000 })).items) {
        const seen = statuses.get(row.po_number) ?? [];
        seen.push(row.status);
        statuses.set(row.po_number, seen);
      }
      // Lingxing fulfilment: to ship after 5 min, shipped after 30 min, a second parcel after 2 h.
      h.sandbox.clock.advance(45 * 60_000);
      // The same 45 minutes pass for the rows backing off after a skip (the runner keeps wall time).
      await h.store.pool.query(`UPDATE dsco_order_sync SET next_attempt_at = next_attempt_at - interval '45 minutes' WHERE next_attempt_at IS NOT NULL`);
    }

    const state = h.sandbox.state();
    const rows = (await h.store.orders.search({ limit: 1000 })).items;
    expect(rows).toHaveLength(60);
    const byTag = (tag: ScenarioTag) => new Set(h.sandbox.world.ordersWithTag(tag).map((o) => o.order.poNumber));
    const cancelled = byTag('cancelled');
    const shippedBefore = byTag('already_shipped');
    const blocked = new Set([...byTag('missing_price'), ...byTag('missing_address')]);
    for (const row of rows) {
      if (cancelled.has(row.po_number)) expect(row.status).toBe(6);
      else if (shippedBefore.has(row.po_number)) expect(row.status).toBe(5);
      else if (blocked.has(row.po_number)) {
        expect({ po: row.po_number, status: row.status }).toEqual({ po: row.po_number, status: 1 });
      }
      else expect({ po: row.po_number, status: row.status }).toEqual({ po: row.po_number, status: 5 });
    }
    // No status ever went backwards across rounds.
    for (const [po, seen] of statuses) {
      for (let i = 1; i < seen.length; i++) expect({ po, step: seen[i]! >= seen[i - 1]! }).toEqual({ po, step: true });
    }
    // Nothing twice: one Lingxing create per PO, one ack per PO, one shipment per tracking number.
    const count = (list: string[]) => list.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());
    const creates = count(state.writes.lingxingCreates.filter((c) => c.result === 'success').map((c) => c.platformOrderNo));
    const acks = count(state.writes.dscoAcks.map((a) => a.poNumber));
    const shipments = count(state.writes.dscoShipments.map((s) => `${s.poNumber} ${s.trackingNumber}`));
    const invoices = count(state.writes.dscoInvoices.filter((i) => i.result === 'success').map((i) => i.poNumber));
    for (const m of [creates, acks, shipments, invoices]) for (const [key, n] of m) expect({ key, n }).toEqual({ key, n: 1 });
    expect(invoices.size).toBe(rows.filter((r) => r.status === 5 && r.dsco_invoice_id).length);
    expect(TASK_NAMES).toContain('check_orders');
    const check = await h.run('check_orders', { window: { start: new Date(Date.now() - 3 * 86400_000), end: new Date() } });
    expect(check.details.mismatches ?? {}).toEqual({});
  }, 180_000);
});
