import {
  addPendingOrder,
  advanceSeconds,
  FIRST_SHIP_S,
  INVOICE_CALL,
  line,
  parcelTracking,
  pushToLingxing,
  type RawOrder,
  resetWorld,
  SECOND_SHIP_S,
  SHIPMENT_CALL,
  storeAtStatus,
  WMS_CALL,
} from './fixtures-ship.js';
import { useTaskHarness, withDsco } from './harness.js';

const h = useTaskHarness();

const calls = (key: string): number => h.calls()[key]?.ok ?? 0;

const row = (po: string) => h.store.orders.getByPo(po);
const invoicesOf = (po: string) => h.sandbox.state({ poNumber: po, orders: false }).writes.dscoInvoices;
/** What DSCO received as the PO's invoice, without the recording's own fields (time, requestId). */
const invoiceBody = (po: string) => invoicesOf(po).map(({ invoiceId, poNumber, totalAmount, invoiceDate, lineItems }) => ({ invoiceId, poNumber, totalAmount, invoiceDate, lineItems }));

/** Pending DSCO orders at local status 3, pushed to Lingxing together (so their parcels ship at the same times). */
async function pendingAtThree(inputs: Parameters<typeof addPendingOrder>[1][]): Promise<RawOrder[]> {
  const orders = inputs.map((input) => addPendingOrder(h, input));
  await storeAtStatus(h, orders, 3);
  await pushToLingxing(h, orders);
  return orders;
}

/** Orders at local status 4 that never went through ship_to_dsco (no facts), DSCO holding them shipped. */
async function atFour(inputs: Parameters<typeof addPendingOrder>[1][]): Promise<RawOrder[]> {
  const orders = inputs.map((input) => addPendingOrder(h, { dscoStatus: 'shipped', dscoLifecycle: 'completed', ...input }));
  await storeAtStatus(h, orders, 4);
  await pushToLingxing(h, orders);
  return orders;
}

beforeEach(async () => {
  await resetWorld(h);
});

describe('ship facts: invoice_to_dsco invoices from what ship_to_dsco read', () => {
  it('ship keeps the WMS facts on the row; invoice then reads no WMS for it and sends the invoice the WMS path sends', async () => {
    // Two identical orders in two parcels each; the invoice is dated by the later parcel.
    const lines = [line(1, 2, 19.99), line(2, 1, 5)];
    const split = { lineItems: lines, scenario: { lingxing: { splitShipment: true } } };
    const [rawA, rawB] = await pendingAtThree([split, split]);
    const [a, b] = [rawA!.poNumber, rawB!.poNumber];
    const orderA = rawA as unknown as { lineItems: { dscoItemId: string }[] };
    advanceSeconds(h, SECOND_SHIP_S + 1);

    const shipped = await h.run('ship_to_dsco', { trigger: 'schedule' });
    expect(shipped.details).toMatchObject({ advanced: 2 });
    const shipDates = h.sandbox.state({ poNumber: a, orders: false }).writes.dscoShipments.map((s) => s.shipDate!);
    expect(shipDates).toHaveLength(2);
    const facts = (await row(a))?.ship_facts;
    expect(facts).toEqual({
      v: 1,
      line_key: 'sku',
      shipped: expect.any(Object),
      last_ship_date: expect.any(String),
      tracking_numbers: expect.arrayContaining(parcelTracking(h, a)),
      read_at: expect.any(String),
    });
    const kept = facts as { shipped: Record<string, number>; last_ship_date: string; tracking_numbers: string[] };
    expect(kept.tracking_numbers).toHaveLength(2);
    expect(Object.values(kept.shipped).sort()).toEqual([1, 2]);
    // The latest ship time DSCO was given, exactly.
    expect(new Date(kept.last_ship_date).getTime()).toBe(Math.max(...shipDates.map((d) => Date.parse(d))));

    // b goes the WMS way: as a row shipped before facts were kept.
    await h.store.pool.query('UPDATE dsco_order_sync SET ship_facts = NULL, next_attempt_at = $2 WHERE po_number = $1', [b, new Date(Date.now() + 3_600_000)]);
    advanceSeconds(h, 1);
    h.resetCalls();
    const fromFacts = await h.run('invoice_to_dsco', { trigger: 'schedule' });
    expect(fromFacts.items).toEqual([expect.objectContaining({ po_number: a, result: 'ok' })]);
    expect(h.calls()[WMS_CALL]).toBeUndefined();
    expect(calls(INVOICE_CALL)).toBe(1);
    expect(await row(a)).toMatchObject({ status: 5, dsco_invoice_id: a });
    // The tracking numbers are logged with the order from the facts, as from WMS.
    const done = h.lines.find((l) => l.message === 'order done' && l.po_number === a && l.result === 'ok');
    expect((done?.snapshot as { tracking_numbers: string[] }).tracking_numbers.sort()).toEqual([...parcelTracking(h, a)].sort());

    await h.store.pool.query('UPDATE dsco_order_sync SET next_attempt_at = NULL WHERE po_number = $1', [b]);
    h.resetCalls();
    const fromWms = await h.run('invoice_to_dsco', { trigger: 'schedule' });
    expect(fromWms.items).toEqual([expect.objectContaining({ po_number: b, result: 'ok' })]);
    expect(calls(WMS_CALL)).toBe(1);
    expect(await row(b)).toMatchObject({ status: 5, dsco_invoice_id: b });

    // Identical but for what names the order: its PO and DSCO's ids of its lines.
    const withoutIds = (body: ReturnType<typeof invoiceBody>[number] | undefined) =>
      body && { ...body, invoiceId: 'PO', poNumber: 'PO', lineItems: body.lineItems.map((l) => ({ ...(l as object), dscoItemId: 'ID' })) };
    const [viaFacts] = invoiceBody(a);
    const [viaWms] = invoiceBody(b);
    expect(viaFacts).toBeDefined();
    expect(withoutIds(viaFacts)).toEqual(withoutIds(viaWms));
    expect(viaFacts?.lineItems.map((l) => (l as { dscoItemId: string }).dscoItemId)).toEqual(orderA.lineItems.map((l) => l.dscoItemId));
    expect(viaFacts?.invoiceDate).toBe(new Date(Math.max(...shipDates.map((d) => Date.parse(d)))).toISOString().replace(/\.\d{3}Z$/, 'Z'));
  }, 60_000);

  it('keeps facts when a later run settles the shipment or the row already holds every package; none when DSCO shipped it without a WMS read', async () => {
    const [crashed, recorded] = await pendingAtThree([{ lineItems: [line(7)] }, { lineItems: [line(9)] }]);
    // Every package is on the row already (sent before; nothing left to send): it just moves to 4.
    await h.store.orders.patch(recorded!.poNumber, 3, { shipped_tracking_no: parcelTracking(h, recorded!.poNumber).join(',') });
    const already = addPendingOrder(h, { dscoStatus: 'shipped', dscoLifecycle: 'completed', lineItems: [line(8)], packages: [{ trackingNumber: '1ZALREADY', items: [] }] });
    await storeAtStatus(h, [already], 3);
    advanceSeconds(h, FIRST_SHIP_S + 1);
    const crashing = withDsco('ship_to_dsco', (dsco) => ({
      createShipments: async (batch, options) => {
        await dsco.createShipments(batch, options);
        throw new Error('worker killed after the 202');
      },
    }));
    expect((await h.run('ship_to_dsco', {}, crashing)).status).toBe('failed');
    expect(await row(already.poNumber)).toMatchObject({ status: 4, ship_facts: null });
    expect(await row(recorded!.poNumber)).toMatchObject({
      status: 4,
      ship_facts: expect.objectContaining({ v: 1, shipped: { 'DL-1009': 1 }, tracking_numbers: parcelTracking(h, recorded!.poNumber) }),
    });
    expect(await row(crashed!.poNumber)).toMatchObject({ status: 3, ship_facts: null });

    // The next run settles the write from DSCO's change log, with the facts kept beside its item.
    advanceSeconds(h, 1);
    const report = await h.run('ship_to_dsco');
    expect(report.details).toMatchObject({ shipments_sent: 0, advanced: 1 });
    expect(await row(crashed!.poNumber)).toMatchObject({
      status: 4,
      ship_facts: expect.objectContaining({ v: 1, shipped: { 'DL-1007': 1 }, tracking_numbers: parcelTracking(h, crashed!.poNumber) }),
    });

    advanceSeconds(h, 1);
    h.resetCalls();
    const invoiced = await h.run('invoice_to_dsco', { trigger: 'schedule', onlyPoNumber: crashed!.poNumber });
    expect(invoiced.items).toEqual([expect.objectContaining({ po_number: crashed!.poNumber, result: 'ok' })]);
    // The manual single-PO path asks DSCO first, then invoices from the facts.
    expect(h.calls()[WMS_CALL]).toBeUndefined();
    expect(calls('dsco /invoice')).toBe(1);
    expect(await row(crashed!.poNumber)).toMatchObject({ status: 5, dsco_invoice_id: crashed!.poNumber });
  }, 60_000);

  it('a row at 4 without facts, with malformed ones or with facts short of the order is invoiced from WMS', async () => {
    const [none, malformed, old, short] = (await atFour([{ lineItems: [line(3)] }, { lineItems: [line(4)] }, { lineItems: [line(5)] }, { lineItems: [line(6, 2)] }])).map((o) => o.poNumber) as [string, string, string, string];
    const good = { v: 1, line_key: 'sku', tracking_numbers: ['1ZX'], last_ship_date: '2026-01-01T00:00:00.000Z', read_at: '2026-01-01T00:00:00.000Z' };
    await h.store.orders.patch(malformed, 4, { ship_facts: { ...good, shipped: 'DL-1004' } });
    await h.store.orders.patch(old, 4, { ship_facts: { ...good, v: 0, shipped: { 'DL-1005': 1 } } });
    await h.store.orders.patch(short, 4, { ship_facts: { ...good, shipped: { 'DL-1006': 1 } } });
    advanceSeconds(h, SECOND_SHIP_S + 1);
    h.resetCalls();

    const report = await h.run('invoice_to_dsco', { trigger: 'schedule' });
    expect(report.counts).toEqual({ ok: 4, skipped: 0, failed: 0 });
    // One WMS read for the chunk's four rows.
    expect(calls(WMS_CALL)).toBe(1);
    for (const po of [none, malformed, old, short]) {
      expect(await row(po)).toMatchObject({ status: 5, dsco_invoice_id: po });
      // Dated by WMS's ship time, not the facts' 2026-01-01.
      const [invoice] = invoiceBody(po);
      expect(invoice?.invoiceDate).not.toBe('2026-01-01T00:00:00Z');
    }
  }, 60_000);

  it('a run of 450 orders ships and invoices them in one body each, and the invoice run reads no WMS', async () => {
    const orders = await pendingAtThree(Array.from({ length: 450 }, (_, i) => ({ lineItems: [line(1 + (i % 24), 1 + (i % 3))] })));
    await h.setConfig({ jobs: { ship_to_dsco: { size: 450 }, invoice_to_dsco: { size: 450 } } });
    advanceSeconds(h, SECOND_SHIP_S + 1);
    h.resetCalls();

    const shipped = await h.run('ship_to_dsco', { trigger: 'schedule' });
    expect(shipped.counts).toEqual({ ok: 450, skipped: 0, failed: 0 });
    expect(calls(SHIPMENT_CALL)).toBe(1);
    expect(await h.store.orders.countByStatus()).toMatchObject({ 3: 0, 4: 450 });

    advanceSeconds(h, 1);
    h.resetCalls();
    const invoiced = await h.run('invoice_to_dsco', { trigger: 'schedule' });
    expect(invoiced.counts).toEqual({ ok: 450, skipped: 0, failed: 0 });
    expect(invoiced.details).toMatchObject({ invoices_sent: 450, advanced: 450 });
    expect(h.calls()[INVOICE_CALL]).toEqual({ ok: 1, error: 0 });
    expect(h.calls()[WMS_CALL]).toBeUndefined();
    expect(await h.store.orders.countByStatus()).toMatchObject({ 4: 0, 5: 450 });
    const successes = h.sandbox.state({ orders: false }).writes.dscoInvoices.filter((w) => w.result === 'success');
    expect(new Set(successes.map((w) => w.poNumber))).toEqual(new Set(orders.map((o) => o.poNumber)));
    expect(successes).toHaveLength(450);
  }, 120_000);
});
