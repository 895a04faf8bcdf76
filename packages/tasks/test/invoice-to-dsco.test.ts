import { DscoApiError } from '@dlsync/dsco';
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
  storeAtStatus,
  WMS_CALL,
} from './fixtures-ship.js';
import { useTaskHarness, withDsco } from './harness.js';

const h = useTaskHarness();


/**
 * A DSCO order at local status 4 (DSCO holds its shipments: it refuses an invoice for an order
 * not shipped) whose Lingxing order is pushed (not yet shipped in WMS).
 */
async function atFour(input: Parameters<typeof addPendingOrder>[1]): Promise<RawOrder> {
  const order = addPendingOrder(h, { dscoStatus: 'shipped', dscoLifecycle: 'completed', ...input });
  await storeAtStatus(h, [order], 4);
  await pushToLingxing(h, [order]);
  return order;
}

const row = (po: string) => h.store.orders.getByPo(po);
const invoiceWrites = (po: string) => h.sandbox.state({ poNumber: po, orders: false }).writes.dscoInvoices;
const invoicesInDsco = (po: string) => h.sandbox.state({ poNumber: po, orders: false }).invoices;

beforeEach(async () => {
  await resetWorld(h);
});

describe('invoice_to_dsco', () => {
  it('sends totals exact to the cent (19.99 × 3, 0.1 + 0.2) and advances to 5; a second run sends nothing', async () => {
    const triple = await atFour({ currencyCode: 'USD', lineItems: [line(1, 3, 19.99)] });
    const tenths = await atFour({ currencyCode: 'USD', lineItems: [line(2, 1, 0.1), line(3, 1, 0.2)] });
    advanceSeconds(h, FIRST_SHIP_S + 1);

    const report = await h.run('invoice_to_dsco', { trigger: 'schedule' });
    expect(report.status).toBe('ok');
    expect(report.counts).toEqual({ ok: 2, skipped: 0, failed: 0 });
    expect(report.details).toMatchObject({ invoices_sent: 2, advanced: 2 });

    const [tripleInvoice] = invoiceWrites(triple.poNumber);
    expect(tripleInvoice).toMatchObject({
      invoiceId: triple.poNumber,
      poNumber: triple.poNumber,
      totalAmount: 59.97,
      lineItems: [expect.objectContaining({ partnerSku: 'DL-1001', quantity: 3, unitPrice: 19.99 })],
    });
    expect(tripleInvoice?.invoiceDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const [tenthsInvoice] = invoiceWrites(tenths.poNumber);
    expect(tenthsInvoice).toMatchObject({ totalAmount: 0.3 });
    expect(tenthsInvoice?.lineItems).toEqual([
      expect.objectContaining({ partnerSku: 'DL-1002', unitPrice: 0.1, lineNumber: 1 }),
      expect.objectContaining({ partnerSku: 'DL-1003', unitPrice: 0.2, lineNumber: 2 }),
    ]);
    expect(await row(triple.poNumber)).toMatchObject({ status: 5, dsco_invoice_id: triple.poNumber });
    expect(await row(tenths.poNumber)).toMatchObject({ status: 5, dsco_invoice_id: tenths.poNumber });

    // The tracking numbers are logged with the order, not sent.
    const done = h.lines.find((l) => l.message === 'order done' && l.po_number === triple.poNumber);
    expect(done?.snapshot).toMatchObject({ tracking_numbers: parcelTracking(h, triple.poNumber) });

    advanceSeconds(h, 1);
    h.resetCalls();
    const again = await h.run('invoice_to_dsco', { trigger: 'schedule' });
    expect(again.counts).toEqual({ ok: 0, skipped: 0, failed: 0 });
    expect(h.calls()[INVOICE_CALL]).toBeUndefined();
    expect(invoiceWrites(triple.poNumber)).toHaveLength(1);
    expect(invoicesInDsco(triple.poNumber)).toHaveLength(1);
    expect(invoicesInDsco(tenths.poNumber)).toHaveLength(1);
  }, 30_000);

  it('sends no invoice until every ordered unit has shipped', async () => {
    const order = await atFour({ lineItems: [line(4, 2, 5)], scenario: { lingxing: { splitShipment: true } } });
    advanceSeconds(h, FIRST_SHIP_S + 1); // one of the two parcels is out

    const report = await h.run('invoice_to_dsco', { trigger: 'schedule' });
    expect(report.items).toEqual([
      expect.objectContaining({ po_number: order.poNumber, result: 'waiting', reason: 'not fully shipped' }),
    ]);
    expect(report.details).toMatchObject({ invoices_sent: 0, not_fully_shipped: 1 });
    expect(h.calls()[INVOICE_CALL]).toBeUndefined();
    expect(invoiceWrites(order.poNumber)).toEqual([]);
    expect(await row(order.poNumber)).toMatchObject({ status: 4, dsco_invoice_id: null });
  }, 30_000);

  it('a scheduled run advances a row whose invoice id is recorded without sending or reading WMS', async () => {
    const order = await atFour({ lineItems: [line(5)] });
    await h.store.orders.patch(order.poNumber, 4, { dsco_invoice_id: order.poNumber });
    h.resetCalls();

    const report = await h.run('invoice_to_dsco', { trigger: 'schedule' });
    expect(report.items).toEqual([expect.objectContaining({ po_number: order.poNumber, result: 'ok' })]);
    expect(h.calls()).toEqual({});
    expect(invoiceWrites(order.poNumber)).toEqual([]);
    expect(await row(order.poNumber)).toMatchObject({ status: 5, dsco_invoice_id: order.poNumber });
  }, 30_000);

  it('after a crash between the send and the DB update, DSCO keeps one invoice and the row reaches 5', async () => {
    const order = await atFour({ lineItems: [line(6, 1, 12.5)] });
    const po = order.poNumber;
    advanceSeconds(h, FIRST_SHIP_S + 1);
    const crashing = withDsco('invoice_to_dsco', (dsco) => ({
      createInvoices: async (invoices, options) => {
        await dsco.createInvoices(invoices, options);
        throw new Error('worker killed after the 202');
      },
    }));
    const crashed = await h.run('invoice_to_dsco', { trigger: 'schedule' }, crashing);
    expect(crashed.status).toBe('failed');
    expect(await row(po)).toMatchObject({ status: 4, dsco_invoice_id: null });

    advanceSeconds(h, 1);
    const report = await h.run('invoice_to_dsco', { trigger: 'schedule' });
    expect(report.status).toBe('ok');
    expect(await row(po)).toMatchObject({ status: 5, dsco_invoice_id: po });

    advanceSeconds(h, 1);
    expect(invoicesInDsco(po)).toEqual([expect.objectContaining({ invoiceId: po, totalAmount: 12.5 })]);
    // The record written before the call settled it from the invoice log: nothing was sent again.
    expect(invoiceWrites(po).map((w) => w.result)).toEqual(['success']);
  }, 30_000);

  it('an in-doubt send fails the order; the next run settles it with one invoice in DSCO', async () => {
    const order = await atFour({ lineItems: [line(10, 1, 6)] });
    const po = order.poNumber;
    advanceSeconds(h, FIRST_SHIP_S + 1);
    h.sandbox.faults.set({ dsco: { endpoints: { '/invoice/batch/small': { lostResponseRate: 1 } } } });

    const lost = await h.run('invoice_to_dsco', { trigger: 'schedule' });
    expect(lost.status).toBe('partial');
    expect(lost.items).toEqual([
      expect.objectContaining({ po_number: po, result: 'failed', reason: expect.stringMatching(/^invoice send failed: .*\(outcome unknown\)$/) }),
    ]);
    expect(await row(po)).toMatchObject({ status: 4, dsco_invoice_id: null });

    h.sandbox.faults.set({ dsco: {} });
    advanceSeconds(h, 1);
    // The failed row backs off; its backoff is over (as an operator's "retry now" would make it).
    await h.store.pool.query('UPDATE dsco_order_sync SET next_attempt_at = NULL WHERE po_number = $1', [po]);
    const report = await h.run('invoice_to_dsco', { trigger: 'schedule' });
    expect(report.status).toBe('ok');
    expect(report.items).toEqual([expect.objectContaining({ po_number: po, result: 'ok' })]);
    expect(await row(po)).toMatchObject({ status: 5, dsco_invoice_id: po });
    advanceSeconds(h, 1);
    expect(invoicesInDsco(po)).toHaveLength(1);
  }, 30_000);

  it('a duplicate refused synchronously is verified in DSCO, recorded and advanced', async () => {
    const order = await atFour({ lineItems: [line(11, 1, 9)] });
    const po = order.poNumber;
    await h.dsco.createInvoices([
      { invoiceId: po, poNumber: po, invoiceDate: '2026-01-01T00:00:00Z', totalAmount: 9, lineItems: [{ quantity: 1, unitPrice: 9, partnerSku: 'DL-1011' }] },
    ]);
    advanceSeconds(h, FIRST_SHIP_S + 1);
    // Real DSCO may refuse a known invoiceId at once instead of in the change log.
    const refusing = withDsco('invoice_to_dsco', () => ({
      createInvoices: async () => {
        throw new DscoApiError('DSCO POST /invoice/batch/small: HTTP 400', {
          method: 'POST',
          endpoint: '/invoice/batch/small',
          status: 400,
          code: 'HTTP_400',
          messages: [{ code: 'DUPLICATE_INVOICE', severity: 'error', description: `invoice ${po} already exists` }],
          retryable: false,
        });
      },
    }));

    const report = await h.run('invoice_to_dsco', { trigger: 'schedule' }, refusing);
    expect(report.items).toEqual([expect.objectContaining({ po_number: po, result: 'ok' })]);
    expect(await row(po)).toMatchObject({ status: 5, dsco_invoice_id: po });
    expect(invoicesInDsco(po)).toHaveLength(1);
  }, 30_000);

  it('manual run: an invoice DSCO already has is recorded without sending', async () => {
    const order = await atFour({ lineItems: [line(7, 1, 8)] });
    const po = order.poNumber;
    await h.dsco.createInvoices([
      { invoiceId: po, poNumber: po, invoiceDate: '2026-01-01T00:00:00Z', currencyCode: 'USD', totalAmount: 8, lineItems: [{ quantity: 1, unitPrice: 8, partnerSku: 'DL-1007' }] },
    ]);
    advanceSeconds(h, 1);
    h.resetCalls();

    const report = await h.run('invoice_to_dsco', { onlyPoNumber: po });
    expect(report.items).toEqual([expect.objectContaining({ po_number: po, result: 'ok' })]);
    expect(h.calls()[INVOICE_CALL]).toBeUndefined();
    expect(h.calls()[WMS_CALL]).toBeUndefined();
    expect(h.calls()['dsco /invoice']).toEqual({ ok: 1, error: 0 });
    expect(await row(po)).toMatchObject({ status: 5, dsco_invoice_id: po });
    expect(invoiceWrites(po)).toHaveLength(1);
  }, 30_000);

  it('manual run: an invoice DSCO lacks is sent, confirmed from the invoice log, then recorded', async () => {
    const order = await atFour({ lineItems: [line(8, 2, 4.35)] });
    const other = await atFour({ lineItems: [line(9, 1, 3)] });
    const po = order.poNumber;
    advanceSeconds(h, FIRST_SHIP_S + 1);
    h.resetCalls();

    const report = await h.run('invoice_to_dsco', { onlyPoNumber: po });
    expect(report.items).toEqual([expect.objectContaining({ po_number: po, result: 'ok' })]);
    expect(h.calls()[INVOICE_CALL]).toEqual({ ok: 1, error: 0 });
    // one read before sending; the invoice log confirms the send
    expect(h.calls()['dsco /invoice']?.ok).toBe(1);
    expect(h.calls()['dsco /invoice/log']?.ok).toBeGreaterThanOrEqual(1);
    expect(await row(po)).toMatchObject({ status: 5, dsco_invoice_id: po });
    expect(invoicesInDsco(po)).toEqual([expect.objectContaining({ invoiceId: po, totalAmount: 8.7 })]);
    expect(await row(other.poNumber)).toMatchObject({ status: 4 });
    expect(invoiceWrites(other.poNumber)).toEqual([]);
  }, 60_000);
});
