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
    // Entries as the reference's OrderChangeLog: the item as sent, when, how, and under which request.
    expect(processing.json).toMatchObject({
      status: 'PROCESSING',
      logs: [{ status: 'pending', payload: { poNumber: po }, requestId: accepted.json.requestId, requestMethod: 'api', results: [] }],
    });
    expect(Date.parse(processing.json.logs[0].dateProcessed)).not.toBeNaN();

    sandbox.clock.advance(1000);
    const completed = await dscoFetch(sandbox, `/order/log?requestId=${accepted.json.requestId}`);
    expect(completed.json).toMatchObject({ status: 'COMPLETED', logs: [{ status: 'success', payload: { poNumber: po } }] });
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
    // DSCO invoices only a shipped order.
    Object.assign(order.order, { dscoStatus: 'shipped', dscoLifecycle: 'completed' });
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
    expect((await dscoFetch(sandbox, `/invoice/log?requestId=${accepted.json.requestId}`)).json).toMatchObject({ status: 'COMPLETED', logs: [{ status: 'success', payload: { invoiceId: po } }] });

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
      { sku: 'DL-1001', warehouses: [{ code: 'WH-EAST', quantity: 5 }], quantityAvailable: 5, status: 'in-stock' },
      { sku: 'NOT-A-SKU', warehouses: [{ code: 'WH-EAST', quantity: 1 }], quantityAvailable: 1, status: 'in-stock' },
    ]);
    expect(accepted.status).toBe(202);
    sandbox.clock.advance(1000);
    const log = await dscoFetch(sandbox, `/inventory/log?requestId=${accepted.json.requestId}`);
    expect(log.json).toMatchObject({
      status: 'COMPLETED',
      logs: [
        { status: 'success', payload: { sku: 'DL-1001' } },
        { status: 'success', payload: { sku: 'NOT-A-SKU' }, results: [{ code: 'ITEM_SKIPPED' }] },
      ],
    });
    const state = sandbox.state({ orders: false });
    expect(state.writes.dscoInventory).toEqual([expect.objectContaining({ requestId: accepted.json.requestId, skipItemsThatDontExist: true, result: 'success' })]);
    expect(state.dscoInventory).toEqual([expect.objectContaining({ sku: 'DL-1001', quantityAvailable: 5 })]);
  });

  it('fails unknown items without skipItemsThatDontExist and 404s an unknown requestId', async () => {
    const accepted = await post('/inventory/batch/small', [{ sku: 'NOT-A-SKU', warehouses: [], quantityAvailable: 1, status: 'in-stock' }]);
    sandbox.clock.advance(1000);
    expect((await dscoFetch(sandbox, `/inventory/log?requestId=${accepted.json.requestId}`)).json.logs[0].status).toBe('failure');
    expect((await dscoFetch(sandbox, '/inventory/log?requestId=nope')).status).toBe(404);
    sandbox.world.recorder.takeViolations(); // earlier tests here send invalid bodies on purpose
    expect((await post('/inventory/batch/small', [{ sku: 'A', warehouses: [{ code: 'W', quantity: -1 }], status: 'in-stock' }])).status).toBe(400);
    expect(sandbox.world.recorder.takeViolations()).toEqual([expect.objectContaining({ endpoint: 'POST /inventory/batch/small', refused: true })]);
  });

  it('keys inventory by the supplier sku: a partnerSku is silently skipped with skipItemsThatDontExist', async () => {
    const order = sandbox.world.addOrder({ lineItems: [{ sku: 'DL-1005', partnerSku: 'R101-1005', quantity: 1, consumerPrice: 1 }] });
    const line = order.order.lineItems[0]!;
    const item = (sku: string) => ({ sku, warehouses: [{ code: 'WH-EAST', quantity: 2 }], quantityAvailable: 2, status: 'in-stock' });
    const accepted = await post('/inventory/batch/small?skipItemsThatDontExist=true', [item(line.sku!), item(line.partnerSku!)]);
    sandbox.clock.advance(1000);
    const log = await dscoFetch(sandbox, `/inventory/log?requestId=${accepted.json.requestId}`);
    expect(log.json.logs.map((l: { results: { code: string }[] }) => l.results[0]?.code)).toEqual(['SUCCESS', 'ITEM_SKIPPED']);
    expect(sandbox.state({ orders: false }).dscoInventory.map((i) => i.sku)).toContain(line.sku);
    expect(sandbox.state({ orders: false }).dscoInventory.map((i) => i.sku)).not.toContain(line.partnerSku);
  });
});

describe('contract checks (the reference, refused or recorded)', () => {
  beforeEach(() => sandbox.world.recorder.takeViolations());
  afterEach(() => sandbox.assertNoViolations());
  const taken = () => sandbox.world.recorder.takeViolations();

  it('records an unknown field in a write body as a violation and still applies the rest', async () => {
    const po = twoLineOrder().order.poNumber;
    const res = await post('/order/acknowledge', [{ id: po, type: 'PO_NUMBER', supplierOrderNumber: '110283406273996288', madeUp: 1 }]);
    expect(res.status).toBe(202);
    expect(taken()).toEqual([expect.objectContaining({ endpoint: 'POST /order/acknowledge', refused: false, problem: expect.stringContaining('madeUp') })]);
    expect(sandbox.world.order(po)?.order.supplierOrderNumber).toBe('110283406273996288');
  });

  it('refuses a wrong type or a missing required field with 400 {messages}', async () => {
    const po = twoLineOrder().order.poNumber;
    const wrongType = await post('/invoice/batch/small', [{ invoiceId: po, poNumber: po, totalAmount: '10', lineItems: [{ quantity: 1, unitPrice: 10, sku: 'DL-1001' }] }]);
    expect(wrongType.status).toBe(400);
    expect(wrongType.json.messages[0]).toMatchObject({ code: 'VALIDATION_FAILED', severity: 'error', description: expect.stringContaining('totalAmount') });
    const noUnitPrice = await post('/invoice/batch/small', [{ invoiceId: po, poNumber: po, totalAmount: 10, lineItems: [{ quantity: 1, sku: 'DL-1001' }] }]);
    expect(noUnitPrice.status).toBe(400);
    expect(noUnitPrice.json.messages[0].description).toMatch(/unitPrice/);
    expect(taken().map((v) => [v.endpoint, v.refused])).toEqual([
      ['POST /invoice/batch/small', true],
      ['POST /invoice/batch/small', true],
    ]);
  });

  it('refuses ordersPerPage outside 10–1000, an until less than 5 s in the past and unknown query parameters', async () => {
    const until = (ageMs: number) => encodeURIComponent(new Date(Date.now() - ageMs).toISOString());
    const page = (q: string) => dscoFetch(sandbox, `/order/page?ordersCreatedSince=2025-01-01T00:00:00Z&${q}`);
    expect((await page(`until=${until(60_000)}&ordersPerPage=5`)).status).toBe(400);
    expect((await page(`until=${until(60_000)}&ordersPerPage=1001`)).status).toBe(400);
    expect((await page(`until=${until(0)}`)).status).toBe(400);
    expect((await page(`until=${until(60_000)}&pageSize=10`)).status).toBe(400);
    expect((await page(`until=${until(60_000)}&ordersPerPage=10`)).status).toBe(200);
    expect(taken().map((v) => v.endpoint)).toEqual(['GET /order/page', 'GET /order/page', 'GET /order/page', 'GET /order/page']);
  });

  it('answers 413 to a body over 5 MB', async () => {
    const huge = [{ poNumber: 'PO-HUGE', shipments: [{ trackingNumber: 'T', lineItems: [{ quantity: 1, sku: 'DL-1001', notes: 'x'.repeat(5_000_001) }] }] }];
    const res = await post('/order/shipment/batch/small', huge);
    expect(res.status).toBe(413);
    expect(taken()).toEqual([expect.objectContaining({ endpoint: 'POST /order/shipment/batch/small', refused: true, problem: expect.stringContaining('5 MB') })]);
  });

  it('records a request without the JSON Content-Type', async () => {
    const res = await dscoFetch(sandbox, '/invoice?key=poNumber&value=PO-NONE', { headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(200);
    expect(taken()).toEqual([expect.objectContaining({ endpoint: 'GET /invoice', refused: false, problem: expect.stringContaining('Content-Type') })]);
  });
});
