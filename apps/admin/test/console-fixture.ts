import { sql } from 'kysely';
import type { OrderStatus, Store } from '@dlsync/store';

/** The fixed instant console tests run at (the fixture's `now`). */
export const CONSOLE_NOW = new Date('2026-03-10T12:00:00Z');
const hours = (h: number) => new Date(CONSOLE_NOW.getTime() + h * 3600_000);

/**
 * 40 orders C-000..C-039, created one minute apart from 2026-03-01T00:00Z, statuses cycling
 * 1..6, two retailers, three warehouses; plus an error, deadlines, a failing write and flags on
 * a few, so every filter, count and attention kind has something to find.
 */
export async function seedConsoleOrders(store: Store): Promise<void> {
  const base = Date.parse('2026-03-01T00:00:00Z') / 1000;
  await store.db
    .insertInto('dsco_order_sync')
    .values(
      Array.from({ length: 40 }, (_, i) => {
        const status = ((i % 6) + 1) as OrderStatus;
        const po = `C-${String(i).padStart(3, '0')}`;
        return {
          po_number: po,
          dsco_order_id: `id-${po}`,
          dsco_retailer_id: i % 2 === 0 ? 'R-EVEN' : 'R-ODD',
          dsco_status: status === 6 ? 'cancelled' : status === 5 ? 'shipped' : 'created',
          dsco_create_time: base + i * 60,
          status,
          mskus: `SKU-${i % 4}(1),SKU-Z(2)`,
          warehouse_id: `WH${i % 3}`,
          shipment: i % 5 === 0 ? 'EXPRESS' : 'GROUND',
          shipped_tracking_no: status >= 4 && status <= 5 ? `1Z${po}` : null,
          dsco_invoice_id: status === 5 ? `INV-${po}` : null,
          payload: JSON.stringify({ poNumber: po, note: '<script>alert(1)</script>', lineItems: [{ sku: `SKU-${i % 4}`, quantity: 1 }] }),
        };
      }),
    )
    .execute();
  await sql`UPDATE dsco_order_sync SET last_error = 'lingxing: sku SKU-0 not mapped <b>', last_error_at = ${hours(-1)}, attempts = 3, next_attempt_at = ${hours(2)} WHERE po_number = 'C-000'`.execute(store.db);
  await sql`UPDATE dsco_order_sync SET acknowledge_by = ${hours(-2)} WHERE po_number = 'C-001'`.execute(store.db);
  await sql`UPDATE dsco_order_sync SET ship_by = ${hours(6)}, next_attempt_at = ${hours(1)} WHERE po_number = 'C-002'`.execute(store.db);
  await sql`UPDATE dsco_order_sync SET attention = 'cancelled_after_shipped', attention_detail = 'shipped 1Z, then cancelled in DSCO', attention_at = ${hours(-3)} WHERE po_number = 'C-005'`.execute(store.db);
  await sql`INSERT INTO dsco_write (kind, po_numbers, body_hash, body, state, sent_at, request_id, results, error) VALUES
    ('ack', ARRAY['C-001'], 'h1', '{"poNumber":"C-001"}', 'failure', ${hours(-4)}, 'req-1', '[{"status":"FAILURE","message":"late"}]', 'DSCO refused'),
    ('ship', ARRAY['C-003'], 'h2', '{"poNumber":"C-003"}', 'success', ${hours(-5)}, 'req-2', '[{"status":"SUCCESS"}]', null)`.execute(store.db);
}

/** The POs i in 0..39 for which `pred(i)` holds, newest first (the console's order). */
export const consolePos = (pred: (i: number) => boolean): string[] =>
  Array.from({ length: 40 }, (_, i) => i)
    .filter(pred)
    .reverse()
    .map((i) => `C-${String(i).padStart(3, '0')}`);
