import { DscoApiError, type DscoOrderShipments } from '@dlsync/dsco';
import {
  addPendingOrder,
  advanceSeconds,
  FIRST_SHIP_S,
  line,
  parcelTracking,
  pushToLingxing,
  type RawOrder,
  resetWorld,
  SECOND_SHIP_S,
  SHIPMENT_CALL,
  shipmentWritesByTracking,
  storeAtStatus,
  WMS_CALL,
} from './fixtures-ship.js';
import { useTaskHarness, withDsco } from './harness.js';

const h = useTaskHarness();


/** A pending DSCO order at local status 3, already pushed to Lingxing. */
async function pendingAtThree(input: Parameters<typeof addPendingOrder>[1] = {}): Promise<RawOrder> {
  const order = addPendingOrder(h, input);
  await storeAtStatus(h, [order], 3);
  await pushToLingxing(h, [order]);
  return order;
}

const row = (po: string) => h.store.orders.getByPo(po);

/** Passes shipment calls through to the real client, keeping each body sent. */
function recordingShipments(sent: DscoOrderShipments[]) {
  return withDsco('ship_to_dsco', (dsco) => ({
    createShipments: async (batch, options) => {
      sent.push(...structuredClone(batch));
      return dsco.createShipments(batch, options);
    },
  }));
}
const calls = (key: string): number => h.calls()[key]?.ok ?? 0;

beforeEach(async () => {
  await resetWorld(h);
});

describe('ship_to_dsco', () => {
  it('partial_shipments: true sends a split shipment one tracking number at a time, each once, and advances after the last', async () => {
    const order = await pendingAtThree({ lineItems: [line(1, 2)], scenario: { lingxing: { splitShipment: true } } });
    await h.setConfig({ jobs: { ship_to_dsco: { partial_shipments: true } } });
    const po = order.poNumber;
    const [first, second] = parcelTracking(h, po);
    expect(first).toBeDefined();
    expect(second).toBeDefined();

    advanceSeconds(h, FIRST_SHIP_S + 1);
    const run1 = await h.run('ship_to_dsco');
    expect(run1.status).toBe('ok');
    expect(run1.details).toMatchObject({ shipments_sent: 1, tracking_numbers: [first], advanced: 0 });
    expect(await row(po)).toMatchObject({ status: 3, shipped_tracking_no: first });

    advanceSeconds(h, 1); // DSCO processes the async batch
    const run2 = await h.run('ship_to_dsco');
    expect(run2.details).toMatchObject({ shipments_sent: 0, waiting: 1 });
    expect(run2.items).toEqual([expect.objectContaining({ po_number: po, result: 'waiting', reason: 'partly shipped, waiting for the rest' })]);
    expect(await row(po)).toMatchObject({ status: 3 });

    advanceSeconds(h, SECOND_SHIP_S - FIRST_SHIP_S);
    const run3 = await h.run('ship_to_dsco');
    expect(run3.details).toMatchObject({ shipments_sent: 1, tracking_numbers: [second], advanced: 1 });
    expect(await row(po)).toMatchObject({ status: 4, shipped_tracking_no: `${first},${second}` });

    advanceSeconds(h, 1);
    expect(shipmentWritesByTracking(h, po)).toEqual({ [first!]: 1, [second!]: 1 });
    const writes = h.sandbox.state({ poNumber: po }).writes.dscoShipments;
    expect(writes.map((w) => w.result)).toEqual(['success', 'success']);
    // Each package holds one of the line's two units: the line spans packages.
    expect(writes[0]).toMatchObject({ lineItems: [expect.objectContaining({ partnerSku: 'DL-1001', quantity: 1, packageSpanFlag: true })] });
    expect(writes[1]).toMatchObject({ lineItems: [expect.objectContaining({ partnerSku: 'DL-1001', quantity: 1, packageSpanFlag: true })] });
    expect(h.sandbox.state({ poNumber: po }).orders[0]?.order.dscoStatus).toBe('shipped');
  }, 60_000);

  it('by default (partial_shipments: false) holds a partly shipped PO, then sends every package at once with packageSpanFlag and the warehouse code', async () => {
    const order = await pendingAtThree({ lineItems: [line(8, 2)], scenario: { lingxing: { splitShipment: true } } });
    const po = order.poNumber;
    const [first, second] = parcelTracking(h, po);

    advanceSeconds(h, FIRST_SHIP_S + 1);
    const held = await h.run('ship_to_dsco');
    expect(held.details).toMatchObject({ shipments_sent: 0, waiting: 1 });
    expect(held.items).toEqual([expect.objectContaining({ po_number: po, result: 'waiting', reason: expect.stringMatching(/partial_shipments: false/) })]);
    expect(h.calls()[SHIPMENT_CALL]).toBeUndefined();
    expect(await row(po)).toMatchObject({ status: 3, shipped_tracking_no: null });

    advanceSeconds(h, SECOND_SHIP_S - FIRST_SHIP_S);
    const bodies: DscoOrderShipments[] = [];
    const sent = await h.run('ship_to_dsco', {}, recordingShipments(bodies));
    expect(sent.details).toMatchObject({ shipments_sent: 2, advanced: 1 });
    expect(calls(SHIPMENT_CALL)).toBe(1);
    expect(await row(po)).toMatchObject({ status: 4, shipped_tracking_no: `${first},${second}` });
    advanceSeconds(h, 1);
    const writes = h.sandbox.state({ poNumber: po }).writes.dscoShipments;
    expect(writes.map((w) => w.trackingNumber).sort()).toEqual([first, second].sort());
    // The sandbox's WMS ships from the first catalog warehouse when the order names none.
    const warehouseCode = h.sandbox.world.catalog.warehouses[0]!.code;
    for (const w of writes) {
      expect(w.result).toBe('success');
      expect(w.lineItems).toEqual([expect.objectContaining({ partnerSku: 'DL-1008', quantity: 1, packageSpanFlag: true })]);
    }
    const shipments = bodies.flatMap((b) => b.shipments);
    expect(shipments).toHaveLength(2);
    expect(shipments.every((b) => b.warehouseCode === warehouseCode)).toBe(true);
  }, 60_000);

  it('counts a bundle once: the bundle row ships the line, its split-out component rows are not counted again', async () => {
    const [bundleSku] = [...h.sandbox.world.catalog.bundles.keys()];
    const n = Number(bundleSku!.replace('LX-', '')) - 1000;
    const order = await pendingAtThree({ lineItems: [line(n, 2)] });
    advanceSeconds(h, FIRST_SHIP_S + 1);
    const components = h.sandbox.world.catalog.bundles.get(bundleSku!)!;
    expect(components.length).toBeGreaterThan(0);

    const report = await h.run('ship_to_dsco');
    expect(report.details).toMatchObject({ shipments_sent: 1, advanced: 1, problems: [] });
    advanceSeconds(h, 1);
    const [write] = h.sandbox.state({ poNumber: order.poNumber }).writes.dscoShipments;
    expect(write?.lineItems).toEqual([expect.objectContaining({ partnerSku: `DL-${1000 + n}`, quantity: 2 })]);
    expect(write?.lineItems).toHaveLength(1);
  }, 30_000);

  it('advances an order DSCO already shipped without sending, recording the tracking DSCO holds', async () => {
    const order = addPendingOrder(h, {
      dscoStatus: 'shipped',
      dscoLifecycle: 'completed',
      lineItems: [line(2)],
      packages: [{ trackingNumber: '1ZALREADY', items: [] }],
    });
    await storeAtStatus(h, [order], 3);

    const report = await h.run('ship_to_dsco');
    expect(report.status).toBe('ok');
    expect(report.items).toEqual([expect.objectContaining({ po_number: order.poNumber, result: 'ok' })]);
    expect(await row(order.poNumber)).toMatchObject({ status: 4, shipped_tracking_no: '1ZALREADY' });
    expect(h.calls()[SHIPMENT_CALL]).toBeUndefined();
    // WMS is read beside DSCO's record (one call for the chunk), before DSCO's answer is known.
    expect(h.calls()[WMS_CALL]).toEqual({ ok: 1, error: 0 });
    expect(h.sandbox.state().writes.dscoShipments).toEqual([]);
  }, 30_000);

  it('sends nothing while the WMS record is not shipped (status other than 3)', async () => {
    const order = await pendingAtThree({ lineItems: [line(3)] });
    advanceSeconds(h, 301); // to ship: the WMS record exists with status 1

    const report = await h.run('ship_to_dsco');
    expect(report.items).toEqual([
      expect.objectContaining({ po_number: order.poNumber, result: 'waiting', reason: 'waiting for WMS shipment' }),
    ]);
    expect(report.details).toMatchObject({ waiting: 1, shipments_sent: 0 });
    expect(calls(WMS_CALL)).toBe(1);
    expect(h.calls()[SHIPMENT_CALL]).toBeUndefined();
    expect(await row(order.poNumber)).toMatchObject({ status: 3, shipped_tracking_no: null });
    expect(h.sandbox.state().writes.dscoShipments).toEqual([]);
  }, 30_000);

  it('refuses to run when two DSCO skus map to one Lingxing sku, naming them, and sends nothing', async () => {
    const order = await pendingAtThree({ lineItems: [line(4)] });
    advanceSeconds(h, FIRST_SHIP_S + 1);
    const mapping = h.sandbox.world.suggestedMapping();
    await h.setConfig({ mapping: { ...mapping, sku: { ...mapping.sku, 'DL-TWIN': 'LX-1004' } } });
    h.resetCalls();

    const report = await h.run('ship_to_dsco');
    expect(report.status).toBe('failed');
    expect(report.error).toContain('LX-1004');
    expect(report.error).toContain('DL-1004');
    expect(report.error).toContain('DL-TWIN');
    expect(h.calls()).toEqual({});
    expect(h.sandbox.state().writes.dscoShipments).toEqual([]);
    expect(await row(order.poNumber)).toMatchObject({ status: 3 });
  }, 30_000);

  it('after a crash between the DSCO 202 and the DB update, the next run sends nothing and records the tracking number', async () => {
    const order = await pendingAtThree({ lineItems: [line(5)] });
    const po = order.poNumber;
    const [tracking] = parcelTracking(h, po);
    advanceSeconds(h, FIRST_SHIP_S + 1);

    const crashing = withDsco('ship_to_dsco', (dsco) => ({
      createShipments: async (batch, options) => {
        await dsco.createShipments(batch, options);
        throw new Error('worker killed after the 202');
      },
    }));
    const crashed = await h.run('ship_to_dsco', {}, crashing);
    expect(crashed.status).toBe('failed');
    expect(crashed.error).toBe('worker killed after the 202');
    expect(await row(po)).toMatchObject({ status: 3, shipped_tracking_no: null });

    advanceSeconds(h, 1); // DSCO applies the batch it accepted
    h.resetCalls();
    const report = await h.run('ship_to_dsco');
    expect(report.status).toBe('ok');
    expect(report.details).toMatchObject({ shipments_sent: 0, advanced: 1 });
    expect(h.calls()[SHIPMENT_CALL]).toBeUndefined();
    expect(await row(po)).toMatchObject({ status: 4, shipped_tracking_no: tracking });
    expect(shipmentWritesByTracking(h, po)).toEqual({ [tracking!]: 1 });
  }, 30_000);

  it('multi_ban skips orders with several items and ships the others', async () => {
    const multi = addPendingOrder(h, { lineItems: [line(6, 2)] });
    const single = addPendingOrder(h, { lineItems: [line(7)] });
    await storeAtStatus(h, [multi, single], 3);
    await pushToLingxing(h, [multi, single]);
    advanceSeconds(h, FIRST_SHIP_S + 1);
    await h.setConfig({ jobs: { ship_to_dsco: { multi_ban: true } } });

    const report = await h.run('ship_to_dsco');
    expect(report.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ po_number: multi.poNumber, result: 'skipped', reason: expect.stringMatching(/^multi_ban/) }),
        expect.objectContaining({ po_number: single.poNumber, result: 'ok' }),
      ]),
    );
    expect(await row(multi.poNumber)).toMatchObject({ status: 3, shipped_tracking_no: null });
    expect(await row(single.poNumber)).toMatchObject({ status: 4 });
    expect(h.sandbox.state({ poNumber: multi.poNumber }).writes.dscoShipments).toEqual([]);
    expect(h.sandbox.state({ poNumber: single.poNumber }).writes.dscoShipments).toHaveLength(1);
  }, 30_000);

  it('batches: 250 orders cost one DSCO scan per 1,000 rows, one WMS call per 200 POs, one shipment call per 5 MB body', async () => {
    const orders = Array.from({ length: 250 }, (_, i) => addPendingOrder(h, { lineItems: [line(1 + (i % 24))] }));
    await storeAtStatus(h, orders, 3);
    await pushToLingxing(h, orders);
    advanceSeconds(h, FIRST_SHIP_S + 1);
    await h.setConfig({ jobs: { ship_to_dsco: { size: 250 } } });
    h.resetCalls();

    const report = await h.run('ship_to_dsco');
    expect(report.counts).toEqual({ ok: 250, skipped: 0, failed: 0 });
    // chunks of 200 + 50 rows; DSCO bounds a shipment body by its 5 MB, not an order count: 250 fit one body
    expect(calls(WMS_CALL)).toBe(2);
    expect(calls(SHIPMENT_CALL)).toBe(1);
    expect(calls('dsco /order/page')).toBe(1);
    expect(h.calls()['dsco /order/']).toBeUndefined();
    expect(await h.store.orders.countByStatus()).toMatchObject({ 3: 0, 4: 250 });
    expect(h.sandbox.state({ orders: false }).writes.dscoShipments).toHaveLength(250);
  }, 60_000);

  it('a lost shipment response fails the batch; the next run reads DSCO and sends nothing again', async () => {
    const order = await pendingAtThree({ lineItems: [line(10)] });
    const po = order.poNumber;
    const [tracking] = parcelTracking(h, po);
    advanceSeconds(h, FIRST_SHIP_S + 1);
    h.sandbox.faults.set({ dsco: { endpoints: { '/order/shipment/batch/small': { lostResponseRate: 1 } } } });

    const lost = await h.run('ship_to_dsco');
    expect(lost.status).toBe('partial');
    expect(lost.items).toEqual([
      expect.objectContaining({ po_number: po, result: 'failed', reason: expect.stringMatching(/^shipment send failed: .*\(outcome unknown\)$/) }),
    ]);
    expect(await row(po)).toMatchObject({ status: 3, shipped_tracking_no: null });

    h.sandbox.faults.set({ dsco: {} });
    advanceSeconds(h, 1);
    const report = await h.run('ship_to_dsco');
    expect(report.status).toBe('ok');
    expect(await row(po)).toMatchObject({ status: 4, shipped_tracking_no: tracking });
    expect(shipmentWritesByTracking(h, po)).toEqual({ [tracking!]: 1 });
  }, 30_000);

  it('a batch DSCO rejects as a whole (400) is split in halves until the bad order stands alone, so it holds back no other', async () => {
    const orders = [line(11), line(12), line(13)].map((l) => addPendingOrder(h, { lineItems: [l] }));
    await storeAtStatus(h, orders, 3);
    await pushToLingxing(h, orders);
    advanceSeconds(h, FIRST_SHIP_S + 1);
    const poison = orders[1]!.poNumber;
    const batches: string[][] = [];
    const rejecting = withDsco('ship_to_dsco', (dsco) => ({
      createShipments: async (batch, options) => {
        batches.push(batch.map((b) => b.poNumber));
        if (batch.some((b) => b.poNumber === poison)) {
          throw new DscoApiError('DSCO POST /order/shipment/batch/small: HTTP 400', {
            method: 'POST',
            endpoint: '/order/shipment/batch/small',
            status: 400,
            code: 'HTTP_400',
            messages: [{ code: 'VALIDATION_FAILED', severity: 'error', description: '[0].shipments[0]: bad' }],
            retryable: false,
          });
        }
        return dsco.createShipments(batch, options);
      },
    }));

    const report = await h.run('ship_to_dsco', {}, rejecting);
    const [a, b, c] = orders.map((o) => o.poNumber);
    expect(batches).toEqual([[a, b, c], [a, b], [a], [b], [c]]);
    expect(report.status).toBe('partial');
    expect(report.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ po_number: poison, result: 'failed', reason: 'DSCO refused the shipment: HTTP 400: VALIDATION_FAILED: [0].shipments[0]: bad' }),
      ]),
    );
    expect((await row(poison))?.last_error).toBe('DSCO refused the shipment: HTTP 400: VALIDATION_FAILED: [0].shipments[0]: bad');
    expect(report.counts).toEqual({ ok: 2, skipped: 0, failed: 1 });
    expect(await row(poison)).toMatchObject({ status: 3, shipped_tracking_no: null });
    expect(await row(orders[0]!.poNumber)).toMatchObject({ status: 4 });
    expect(await row(orders[2]!.poNumber)).toMatchObject({ status: 4 });
  }, 30_000);

  it('does not send a shipment whose WMS sku maps to no line of the DSCO order', async () => {
    // DLU-9001 is paired in Lingxing as LX-9001, which mapping.sku does not know yet.
    const order = await pendingAtThree({ lineItems: [{ partnerSku: 'DLU-9001', quantity: 1 }] });
    advanceSeconds(h, FIRST_SHIP_S + 1);

    const report = await h.run('ship_to_dsco');
    expect(report.items).toEqual([
      expect.objectContaining({ po_number: order.poNumber, result: 'skipped', reason: 'WMS shipped sku not on the DSCO order: LX-9001' }),
    ]);
    expect(h.calls()[SHIPMENT_CALL]).toBeUndefined();
    expect(await row(order.poNumber)).toMatchObject({ status: 3, shipped_tracking_no: null });
  }, 30_000);

  it('only_po_number reads that one PO by key and ships only it', async () => {
    const target = await pendingAtThree({ lineItems: [line(8)] });
    const other = await pendingAtThree({ lineItems: [line(9)] });
    advanceSeconds(h, FIRST_SHIP_S + 1);

    const report = await h.run('ship_to_dsco', { onlyPoNumber: target.poNumber });
    expect(report.items).toEqual([expect.objectContaining({ po_number: target.poNumber, result: 'ok' })]);
    expect(calls('dsco /order/')).toBe(1);
    expect(h.calls()['dsco /order/page']).toBeUndefined();
    expect(await row(target.poNumber)).toMatchObject({ status: 4 });
    expect(await row(other.poNumber)).toMatchObject({ status: 3 });
  }, 30_000);
});
