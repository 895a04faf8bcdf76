import { sql } from 'kysely';
import { listWritesByPo } from '@dlsync/store';
import {
  addPendingOrder,
  advanceSeconds,
  FIRST_SHIP_S,
  line,
  parcelTracking,
  pushToLingxing,
  resetWorld,
  shipmentWritesByTracking,
  storeAtStatus,
  type RawOrder,
} from './fixtures-ship.js';
import { useTaskHarness } from './harness.js';

// Verified writes end to end: the real tasks against the sandbox (which applies async writes
// after a delay and fails items by rule or by fault) and real Postgres/Redis.
const h = useTaskHarness();
const TIMEOUT = 60_000;

const row = async (po: string) => (await h.store.orders.getByPo(po))!;
const writeStates = async (po: string) => (await listWritesByPo(h.store.db, po)).map((w) => w.state);

/** Moves every settled write and backed-off row of `po` two hours into the past: its backoff has passed. */
async function backoffPassed(po: string): Promise<void> {
  await sql`UPDATE dsco_write SET settled_at = settled_at - interval '2 hours', sent_at = sent_at - interval '2 hours' WHERE ${po} = ANY(po_numbers)`.execute(h.store.db);
  await sql`UPDATE dsco_order_sync SET next_attempt_at = now() - interval '1 second' WHERE po_number = ${po}`.execute(h.store.db);
}

/** A DSCO order acknowledged and pushed, at local status 3, its one parcel shipped in WMS. */
async function shippedAtThree(): Promise<RawOrder> {
  const order = addPendingOrder(h, { lineItems: [line(1)] });
  await storeAtStatus(h, [order], 3);
  await pushToLingxing(h, [order]);
  advanceSeconds(h, FIRST_SHIP_S + 1);
  return order;
}

beforeEach(async () => {
  await resetWorld(h);
  await h.store.pool.query('TRUNCATE dsco_write, dsco_warehouse_sync');
  h.sandbox.options.asyncDelayMs = 250;
  h.sandbox.options.asyncFailureRate = 0;
});

describe('verified shipments', () => {
  it('sends each tracking number once when the answer is lost and DSCO applies the batch 60 s later', async () => {
    h.sandbox.options.asyncDelayMs = 60_000;
    const { poNumber: po } = await shippedAtThree();
    const [tracking] = parcelTracking(h, po);

    h.sandbox.faults.set({ dsco: { endpoints: { '/order/shipment/batch/small': { lostResponseRate: 1 } } } });
    const lost = await h.run('ship_to_dsco');
    h.sandbox.faults.clear();
    expect(lost.items).toContainEqual(expect.objectContaining({ po_number: po, result: 'failed', reason: expect.stringMatching(/outcome unknown/) }));
    expect(await writeStates(po)).toEqual(['in_doubt']);

    // DSCO is still applying it: runs find the write in the change log by its time window, send nothing.
    for (let i = 0; i < 3; i++) {
      advanceSeconds(h, 15);
      const run = await h.run('ship_to_dsco');
      expect(run.status).toBe('ok');
      expect(await row(po)).toMatchObject({ status: 3, shipped_tracking_no: null });
    }
    expect(await writeStates(po)).toEqual(['pending']);
    expect(shipmentWritesByTracking(h, po)).toEqual({ [tracking!]: 1 });

    advanceSeconds(h, 60);
    await h.run('ship_to_dsco');
    expect(await row(po)).toMatchObject({ status: 4, shipped_tracking_no: tracking });
    expect(await writeStates(po)).toEqual(['success']);
    for (let i = 0; i < 2; i++) await h.run('ship_to_dsco');
    expect(shipmentWritesByTracking(h, po)).toEqual({ [tracking!]: 1 });
    h.sandbox.assertNoViolations();
  }, TIMEOUT);

  it('keeps a shipment DSCO refused at 3 with the reason, never invoices it, re-sends only after backoff and at most 3 times', async () => {
    const { poNumber: po } = await shippedAtThree();
    const [tracking] = parcelTracking(h, po);
    h.sandbox.options.asyncFailureRate = 1;

    const first = await h.run('ship_to_dsco');
    expect(first.items).toContainEqual(expect.objectContaining({ po_number: po, result: 'failed', reason: expect.stringMatching(/^DSCO refused the shipment: PROCESSING_FAILED/) }));
    expect(await row(po)).toMatchObject({ status: 3, shipped_tracking_no: null, attempts: 1, last_error: expect.stringMatching(/PROCESSING_FAILED/) });

    const invoice = await h.run('invoice_to_dsco');
    expect(invoice.items.find((i) => i.po_number === po)).toBeUndefined();
    expect(h.sandbox.state({ poNumber: po, orders: false }).writes.dscoInvoices).toEqual([]);

    // Within the backoff the unchanged shipment is held.
    const held = await h.run('ship_to_dsco');
    expect(held.items.find((i) => i.po_number === po)?.reason).toMatch(/sent again after/);
    expect(shipmentWritesByTracking(h, po)).toEqual({ [tracking!]: 1 });

    for (const n of [2, 3]) {
      await backoffPassed(po);
      await h.run('ship_to_dsco');
      expect(await row(po)).toMatchObject({ status: 3, last_error: expect.stringMatching(/PROCESSING_FAILED/) });
      expect(await writeStates(po)).toEqual(Array.from({ length: n }, () => 'failure'));
    }
    await backoffPassed(po);
    const exhausted = await h.run('ship_to_dsco');
    expect(exhausted.items.find((i) => i.po_number === po)?.reason).toMatch(/refused this unchanged shipment 3 times/);
    expect(shipmentWritesByTracking(h, po)).toEqual({ [tracking!]: 3 });
    expect(await writeStates(po)).toEqual(['failure', 'failure', 'failure']);
    h.sandbox.assertNoViolations();
  }, TIMEOUT);
  it('polls a batch DSCO is still applying with one first-page read each, and reads every page only at the last poll', async () => {
    // The write stays PROCESSING through the run's polls; its 5 entries fill 3 pages of 2.
    h.sandbox.options.asyncDelayMs = 600_000;
    h.sandbox.options.changeLogPageSize = 2;
    const orders = Array.from({ length: 5 }, () => addPendingOrder(h, { lineItems: [line(1)] }));
    await storeAtStatus(h, orders, 3);
    await pushToLingxing(h, orders);
    advanceSeconds(h, FIRST_SHIP_S + 1);
    h.resetCalls();
    const run = await h.run('ship_to_dsco');
    expect(run.items.filter((i) => i.result === 'waiting')).toHaveLength(5);
    // 10 polls of one first page each, then the last poll's full read: first page, 2 scroll pages, the empty page.
    expect(h.calls()['dsco /order/log']).toEqual({ ok: 10 + 4, error: 0 });
    expect(await writeStates(orders[0]!.poNumber)).toEqual(['pending']);
    h.sandbox.assertNoViolations();
  }, TIMEOUT);
});

describe('runs with a backlog', () => {
  it('leaves a full run\'s shipments to the next run, which settles them beside its own and never plans their POs again', async () => {
    await h.setConfig({ jobs: { ship_to_dsco: { size: 1 } } });
    const orders = [await shippedAtThree(), await shippedAtThree(), await shippedAtThree()];
    const pos = orders.map((o) => o.poNumber);
    const tracking = pos.map((po) => parcelTracking(h, po)[0]!);

    // Run 1 takes the oldest PO, rows wait behind it: it does not wait for DSCO to apply its shipment.
    const first = await h.run('ship_to_dsco');
    expect(first.items).toContainEqual(expect.objectContaining({ po_number: pos[0], result: 'waiting', reason: expect.stringMatching(/next run reads the change log/) }));
    expect(await writeStates(pos[0]!)).toEqual(['pending']);

    // Each next run settles the write before it (while sending its own) and takes the next PO.
    await new Promise((r) => setTimeout(r, 300));
    const second = await h.run('ship_to_dsco');
    expect(second.items).toContainEqual(expect.objectContaining({ po_number: pos[0], result: 'ok' }));
    expect(await row(pos[0]!)).toMatchObject({ status: 4, shipped_tracking_no: tracking[0] });
    expect(await writeStates(pos[1]!)).toEqual(['pending']);

    // The last run has nothing behind it: it waits for its own shipment as a run always did.
    await new Promise((r) => setTimeout(r, 300));
    const last = await h.run('ship_to_dsco');
    expect(last.items.filter((i) => i.result === 'ok').map((i) => i.po_number).sort()).toEqual([pos[1], pos[2]].sort());
    for (const [i, po] of pos.entries()) {
      expect(await row(po)).toMatchObject({ status: 4, shipped_tracking_no: tracking[i] });
      expect(await writeStates(po)).toEqual(['success']);
      expect(shipmentWritesByTracking(h, po)).toEqual({ [tracking[i]!]: 1 });
    }
    h.sandbox.assertNoViolations();
  }, TIMEOUT);
});

describe('a backlog that builds up during a run', () => {
  it("leaves the run's own shipment to the next run once a full run's worth of rows arrives while it waits", async () => {
    await h.setConfig({ jobs: { ship_to_dsco: { size: 1 } } });
    const { poNumber: po } = await shippedAtThree();
    // DSCO does not apply the shipment during the run: without the arrival it would poll 10 times.
    h.sandbox.options.asyncDelayMs = 600_000;
    h.resetCalls();
    const running = h.run('ship_to_dsco');
    // Once the shipment is sent the run is waiting for it: another row reaches 3 now.
    while (!h.calls()['dsco /order/shipment/batch/small']) await new Promise((r) => setTimeout(r, 10));
    const next = addPendingOrder(h, { lineItems: [line(1)] });
    await storeAtStatus(h, [next], 3);

    const run = await running;
    expect(run.items).toContainEqual(expect.objectContaining({ po_number: po, result: 'waiting', reason: expect.stringMatching(/next run reads the change log/) }));
    expect(run.items.find((i) => i.po_number === next.poNumber)).toBeUndefined();
    expect(h.calls()['dsco /order/log']?.ok ?? 0).toBeLessThan(4);
    expect(await writeStates(po)).toEqual(['pending']);
    h.sandbox.assertNoViolations();
  }, TIMEOUT);
});

describe('a backlog that arrives while a write is read', () => {
  it('stops reading at a page, keeps its place, and the next run reads on from there: no page twice', async () => {
    await h.setConfig({ jobs: { ship_to_dsco: { size: 8 } } });
    h.sandbox.options.asyncDelayMs = 0;
    h.sandbox.options.changeLogPageSize = 2;
    const orders = Array.from({ length: 8 }, () => addPendingOrder(h, { lineItems: [line(1)] }));
    await storeAtStatus(h, orders, 3);
    await pushToLingxing(h, orders);
    advanceSeconds(h, FIRST_SHIP_S + 1);
    // Slow pages: the run is part-way through the write's 4 pages when the next batch lands.
    h.sandbox.faults.set({ dsco: { endpoints: { '/order/log': { latencyMs: 300 } } } });
    h.resetCalls();
    const running = h.run('ship_to_dsco');
    while ((h.calls()['dsco /order/log']?.ok ?? 0) < 1) await new Promise((r) => setTimeout(r, 5));
    const behind = Array.from({ length: 8 }, () => addPendingOrder(h, { lineItems: [line(1)] }));
    await storeAtStatus(h, behind, 3);
    const first = await running;

    const pos = orders.map((o) => o.poNumber);
    expect(first.items.filter((i) => pos.includes(i.po_number ?? '')).map((i) => i.reason)).toEqual(pos.map(() => expect.stringMatching(/next run reads the change log/)));
    const [write] = await listWritesByPo(h.store.db, pos[0]!);
    expect(write).toMatchObject({ state: 'pending', log_resume: { scrollId: expect.any(String), entriesRead: expect.any(Number) } });
    const readBefore = (write!.log_resume as { entriesRead: number }).entriesRead;
    expect(readBefore).toBeGreaterThan(0);
    expect(readBefore).toBeLessThan(8);
    const pagesBefore = h.calls()['dsco /order/log']!.ok;

    h.sandbox.faults.clear();
    const second = await h.run('ship_to_dsco');
    expect(second.items.filter((i) => pos.includes(i.po_number ?? '') && i.result === 'ok')).toHaveLength(8);
    for (const po of pos) expect(await row(po)).toMatchObject({ status: 4 });
    expect((await listWritesByPo(h.store.db, pos[0]!))[0]).toMatchObject({ state: 'success', log_resume: null });
    // The second read went on at the kept page: the two reads together read each page once.
    const pagesAfter = (8 - readBefore) / 2;
    expect(h.calls()['dsco /order/log']!.ok - pagesBefore).toBe(pagesAfter);
    h.sandbox.assertNoViolations();
  }, TIMEOUT);
});

describe('verified invoices', () => {
  it('keeps an order whose invoice DSCO refused at 4 with the reason, and check_orders lists it', async () => {
    // DSCO has no shipment for it (still shipment_pending): DSCO refuses the invoice.
    const order = addPendingOrder(h, { lineItems: [line(3)] });
    const po = order.poNumber;
    await storeAtStatus(h, [order], 4);
    await pushToLingxing(h, [order]);
    advanceSeconds(h, FIRST_SHIP_S + 1);

    const run = await h.run('invoice_to_dsco');
    expect(run.items).toContainEqual(expect.objectContaining({ po_number: po, result: 'failed', reason: expect.stringMatching(/ORDER_NOT_SHIPPED/) }));
    expect(await row(po)).toMatchObject({ status: 4, dsco_invoice_id: null, last_error: expect.stringMatching(/^DSCO refused the invoice: ORDER_NOT_SHIPPED/) });
    expect(await writeStates(po)).toEqual(['failure']);

    const check = await h.run('check_orders', { onlyPoNumber: po });
    expect(check.items).toContainEqual(expect.objectContaining({ po_number: po, result: 'failed', reason: 'write_failed' }));
    h.sandbox.assertNoViolations();
  }, TIMEOUT);

  it('advances an invoice DSCO refused as a duplicate once GET /invoice shows it holds it', async () => {
    const order = addPendingOrder(h, { dscoStatus: 'shipped', dscoLifecycle: 'completed', lineItems: [line(4)] });
    const po = order.poNumber;
    await storeAtStatus(h, [order], 4);
    await pushToLingxing(h, [order]);
    advanceSeconds(h, FIRST_SHIP_S + 1);
    // An earlier send whose record was lost: DSCO holds the invoice already.
    h.sandbox.world.dsco.submitInvoices([{ invoiceId: po, poNumber: po, invoiceDate: '2025-03-01T00:00:00Z', totalAmount: 10, lineItems: [{ partnerSku: 'DL-1004', quantity: 1, unitPrice: 10 }] } as never]);
    advanceSeconds(h, 1);

    await h.run('invoice_to_dsco');
    expect(await row(po)).toMatchObject({ status: 5, dsco_invoice_id: po });
    expect(h.sandbox.state({ poNumber: po, orders: false }).invoices).toHaveLength(1);
    h.sandbox.assertNoViolations();
  }, TIMEOUT);
});

describe('verified acknowledgements and inventory', () => {
  it('keeps an acknowledgement DSCO refused at 2 with the reason', async () => {
    const order = addPendingOrder(h, { dscoStatus: 'created', dscoLifecycle: 'created', lineItems: [line(2)] });
    const po = order.poNumber;
    await storeAtStatus(h, [order], 2);
    await pushToLingxing(h, [order]);
    advanceSeconds(h, 301); // Lingxing's sub-order reaches 5: ready to acknowledge
    h.sandbox.options.asyncFailureRate = 1;

    const run = await h.run('ack_to_dsco');
    expect(run.items).toContainEqual(expect.objectContaining({ po_number: po, result: 'failed' }));
    expect(await row(po)).toMatchObject({ status: 2, last_error: expect.stringMatching(/^DSCO refused the ack: PROCESSING_FAILED/) });
    expect(await writeStates(po)).toEqual(['failure']);
    h.sandbox.assertNoViolations();
  }, TIMEOUT);

  it('confirms every row of an inventory chunk DSCO applied, and none of one it failed', async () => {
    // A row is confirmed when the write carrying it succeeded in DSCO's inventory log (as the console reads it).
    const count = async (where: string) => (await h.store.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM dsco_warehouse_sync s WHERE ${where}`)).rows[0]!.n;
    const confirmed = () => count(`EXISTS (SELECT 1 FROM dsco_write w WHERE w.request_id = s.dsco_request_id AND w.state = 'success')`);
    const pushed = () => count('pushed');
    // The second run must send the same quantities again to see DSCO fail them: send them all.
    await h.setConfig({ jobs: { sync_stock: { send: 'all' } } });

    await h.run('sync_stock');
    expect(await pushed()).toBeGreaterThan(0);
    expect(await confirmed()).toBe(await pushed());

    h.sandbox.options.asyncFailureRate = 1;
    await h.store.pool.query('TRUNCATE dsco_warehouse_sync');
    await h.run('sync_stock');
    expect(await pushed()).toBeGreaterThan(0);
    expect(await confirmed()).toBe(0);
    const [failed] = (await h.store.pool.query<{ state: string; error: string | null }>(`SELECT state, error FROM dsco_write WHERE kind = 'inventory' ORDER BY id DESC LIMIT 1`)).rows;
    expect(failed).toMatchObject({ state: 'failure' });
    h.sandbox.assertNoViolations();
  }, TIMEOUT);
});
