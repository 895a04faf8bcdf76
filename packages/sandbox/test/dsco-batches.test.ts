import { startSandbox, type Sandbox } from '../src/index.js';
import { dscoFetch } from './helpers.js';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 5, dscoRateLimit: { enabled: false } });
});
afterAll(() => sandbox.close());

const post = (path: string, body: unknown) => dscoFetch(sandbox, path, { method: 'POST', body: JSON.stringify(body) });

function twoLineOrder() {
  return sandbox.world.addOrder({
    dscoStatus: 'shipment_pending',
    dscoLifecycle: 'acknowledged',
    lineItems: [
      { partnerSku: 'DL-1001', quantity: 2, consumerPrice: 12.5 },
      { partnerSku: 'DL-1002', quantity: 1, consumerPrice: 3.1 },
    ],
  });
}

describe('shipments', () => {
  it('is processed asynchronously: PROCESSING, then COMPLETED; the order ships once every line is covered', async () => {
    const order = twoLineOrder();
    const po = order.order.poNumber;
    const [first, second] = order.order.lineItems;
    const shipment = (trackingNumber: string, lineItems: unknown[]) => [{ poNumber: po, shipments: [{ trackingNumber, shipDate: '2025-03-02T10:00:00Z', shipCarrier: 'UPS', shipMethod: 'Ground', lineItems }] }];

    const accepted = await post('/order/shipment/batch/small', shipment('1ZAAA', [{ partnerSku: 'DL-1001', quantity: 2, dscoItemId: first?.dscoItemId, lineNumber: 1 }]));
    expect(accepted.status).toBe(202);
    expect(accepted.json).toMatchObject({ status: 'success', requestId: expect.any(String) });
    const processing = await dscoFetch(sandbox, `/order/log?requestId=${accepted.json.requestId}`);
    expect(processing.json).toEqual({ requestId: accepted.json.requestId, status: 'PROCESSING', logs: [{ status: 'pending', poNumber: po, results: [] }] });

    sandbox.clock.advance(1000);
    const completed = await dscoFetch(sandbox, `/order/log?requestId=${accepted.json.requestId}`);
    expect(completed.json).toMatchObject({ status: 'COMPLETED', logs: [{ status: 'success', poNumber: po }] });
    expect((await dscoFetch(sandbox, `/order/?orderKey=poNumber&value=${po}`)).json.dscoStatus).toBe('shipment_pending');

    await post('/order/shipment/batch/small', shipment('1ZBBB', [{ partnerSku: 'DL-1002', quantity: 1, dscoItemId: second?.dscoItemId }]));
    sandbox.clock.advance(1000);
    const shipped = (await dscoFetch(sandbox, `/order/?orderKey=poNumber&value=${po}`)).json;
    expect(shipped).toMatchObject({ dscoStatus: 'shipped', dscoLifecycle: 'completed' });
    expect(shipped.packages.map((p: { trackingNumber: string }) => p.trackingNumber)).toEqual(['1ZAAA', '1ZBBB']);
    const writes = sandbox.state({ poNumber: po }).writes.dscoShipments;
    expect(writes.map((w) => [w.trackingNumber, w.result])).toEqual([
      ['1ZAAA', 'success'],
      ['1ZBBB', 'success'],
    ]);
  });

  it('logs a failure for an unknown line item or PO', async () => {
    const order = twoLineOrder();
    const accepted = await post('/order/shipment/batch/small', [
      { poNumber: order.order.poNumber, shipments: [{ trackingNumber: 'T1', lineItems: [{ partnerSku: 'NOPE', quantity: 1 }] }] },
      { poNumber: 'PO-UNKNOWN', shipments: [{ trackingNumber: 'T2', lineItems: [{ partnerSku: 'DL-1001', quantity: 1 }] }] },
    ]);
    sandbox.clock.advance(1000);
    const log = await dscoFetch(sandbox, `/order/log?requestId=${accepted.json.requestId}`);
    expect(log.json.logs.map((l: { status: string }) => l.status)).toEqual(['failure', 'failure']);
    expect(log.json.logs[0].results[0].code).toBe('LINE_ITEM_NOT_FOUND');
  });

  it('rejects a body without trackingNumber with VALIDATION_FAILED naming the field', async () => {
    const result = await post('/order/shipment/batch/small', [{ poNumber: 'PO1', shipments: [{ lineItems: [{ partnerSku: 'A', quantity: 1 }] }] }]);
    expect(result.status).toBe(400);
    expect(result.json.messages[0]).toMatchObject({ code: 'VALIDATION_FAILED', description: expect.stringContaining('[0].shipments[0].trackingNumber') });
    expect((await dscoFetch(sandbox, '/order/shipment/batch/small', { method: 'POST', body: '{"trunc' })).status).toBe(400);
  });
});

describe('invoices', () => {
  it('creates an invoice asynchronously, serves it from GET /invoice and refuses a duplicate invoiceId', async () => {
    const order = twoLineOrder();
    const po = order.order.poNumber;
    const invoice = {
      invoiceId: po,
      poNumber: po,
      invoiceDate: '2025-03-02T10:00:00Z',
      currencyCode: 'USD',
      totalAmount: 28.1,
      lineItems: order.order.lineItems.map((l) => ({ quantity: l.quantity, unitPrice: l.consumerPrice ?? 0, partnerSku: l.partnerSku, dscoItemId: l.dscoItemId, lineNumber: l.lineNumber })),
    };
    const accepted = await post('/invoice/batch/small', [invoice]);
    expect(accepted.status).toBe(202);
    expect((await dscoFetch(sandbox, `/invoice?key=poNumber&value=${po}`)).json).toEqual({ invoices: [] });
    sandbox.clock.advance(1000);
    const found = await dscoFetch(sandbox, `/invoice?key=poNumber&value=${po}`);
    expect(found.json.invoices).toEqual([expect.objectContaining({ invoiceId: po, poNumber: po, totalAmount: 28.1 })]);
    expect((await dscoFetch(sandbox, `/invoice/log?requestId=${accepted.json.requestId}`)).json).toMatchObject({ status: 'COMPLETED', logs: [{ status: 'success', invoiceId: po }] });

    const duplicate = await post('/invoice/batch/small', [invoice]);
    sandbox.clock.advance(1000);
    expect((await dscoFetch(sandbox, `/invoice/log?requestId=${duplicate.json.requestId}`)).json.logs[0]).toMatchObject({ status: 'failure', results: [{ code: 'DUPLICATE_INVOICE' }] });
    expect(sandbox.state({ poNumber: po }).writes.dscoInvoices.map((w) => w.result)).toEqual(['success', 'failure']);
    expect(sandbox.state({ poNumber: po }).invoices).toHaveLength(1);
  });

  it('validates invoice bodies', async () => {
    const result = await post('/invoice/batch/small', [{ invoiceId: 'X', poNumber: 'X', lineItems: [] }]);
    expect(result.status).toBe(400);
    expect(result.json.messages.map((m: { description: string }) => m.description).join(' ')).toMatch(/totalAmount/);
  });
});

describe('inventory', () => {
  it('records inventory updates, skipping unknown items when asked', async () => {
    const accepted = await post('/inventory/batch/small?skipItemsThatDontExist=true', [
      { sku: 'DL-1001', warehouses: [{ code: 'WH-EAST', quantity: 5 }], quantityAvailable: 5 },
      { sku: 'NOT-A-SKU', warehouses: [{ code: 'WH-EAST', quantity: 1 }], quantityAvailable: 1 },
    ]);
    expect(accepted.status).toBe(202);
    sandbox.clock.advance(1000);
    const log = await dscoFetch(sandbox, `/inventory/log?requestId=${accepted.json.requestId}`);
    expect(log.json).toMatchObject({ status: 'COMPLETED', logs: [{ status: 'success', sku: 'DL-1001' }, { status: 'success', sku: 'NOT-A-SKU', results: [{ code: 'ITEM_SKIPPED' }] }] });
    const state = sandbox.state({ orders: false });
    expect(state.writes.dscoInventory).toEqual([expect.objectContaining({ requestId: accepted.json.requestId, skipItemsThatDontExist: true, result: 'success' })]);
    expect(state.dscoInventory).toEqual([expect.objectContaining({ sku: 'DL-1001', quantityAvailable: 5 })]);
  });

  it('fails unknown items without skipItemsThatDontExist and 404s an unknown requestId', async () => {
    const accepted = await post('/inventory/batch/small', [{ sku: 'NOT-A-SKU', quantityAvailable: 1 }]);
    sandbox.clock.advance(1000);
    expect((await dscoFetch(sandbox, `/inventory/log?requestId=${accepted.json.requestId}`)).json.logs[0].status).toBe('failure');
    expect((await dscoFetch(sandbox, '/inventory/log?requestId=nope')).status).toBe(404);
    expect((await post('/inventory/batch/small', [{ sku: 'A', warehouses: [{ code: 'W', quantity: -1 }] }])).status).toBe(400);
  });
});
