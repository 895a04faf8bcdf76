import { startSandbox, type Sandbox, type WorldOrder } from '../src/index.js';
import { lingxingCall, lingxingToken } from './helpers.js';
import { assertNoViolationsAfterEach, takeViolations } from './lingxing-helpers.js';

const CREATE = '/pb/mp/order/v2/create';
const LIST = '/pb/mp/order/v2/list';
const WMS = '/erp/sc/routing/wms/order/wmsOrderList';
const WINDOW = { time_type: 'create_at', start_date: '2025-01-01', end_date: '2099-12-31' };

let sandbox: Sandbox;
let token: string;

beforeAll(async () => {
  // Long-lived token: these tests skip hours of simulated time.
  sandbox = await startSandbox({ seed: 42, lingxingTokenLifetimeSeconds: 30 * 86_400 });
  token = (await lingxingToken(sandbox)).access_token;
});
afterAll(() => sandbox.close());
assertNoViolationsAfterEach(() => sandbox);

/** The create payload push_to_lingxing would send for a world order (suggested mapping). */
function createBody(order: WorldOrder) {
  const mapping = sandbox.world.suggestedMapping();
  const o = order.order;
  const warehouse = o.shipWarehouseCode ?? o.requestedWarehouseCode ?? '';
  return {
    platform_code: 10009,
    store_id: mapping.shop[o.dscoRetailerId],
    orders: [
      {
        platform_order_no: o.poNumber,
        receiver_name: o.shipping.name ?? `${o.shipping.firstName} ${o.shipping.lastName}`,
        receiver_country_code: o.shipping.country,
        city: o.shipping.city,
        address_line1: o.shipping.address1 ?? o.shipping.address?.[0],
        wid: mapping.warehouse[warehouse],
        logistics_type_id: mapping.shipment[`${warehouse}-${o.shippingServiceLevelCode}`],
        items: o.lineItems.map((l) => ({ msku: l.partnerSku, sku: mapping.sku[l.partnerSku ?? ''], quantity: l.quantity, unit_price: l.consumerPrice ?? 1 })),
      },
    ],
  };
}

const wmsFor = async (po: string) => (await lingxingCall(sandbox, token, WMS, { page: 1, page_size: 200, platform_order_no_arr: [po], ...WINDOW })).json;
const listFor = async (po: string) => (await lingxingCall(sandbox, token, LIST, { offset: 0, length: 20, platform_order_nos: [po] })).json;

describe('order create and list', () => {
  it('creates an order, rejects a duplicate platform_order_no, and lists it with the /pb/mp envelope', async () => {
    const order = sandbox.world.addOrder({ lineItems: [{ partnerSku: 'DL-1001', quantity: 1, consumerPrice: 10 }] });
    const first = await lingxingCall(sandbox, token, CREATE, createBody(order));
    expect(first.json.code).toBe(0);
    expect(first.json.data.error_details).toEqual([]);
    expect(first.json.data.success_details).toEqual([{ platform_order_no: order.order.poNumber, global_order_no: expect.any(String) }]);

    const again = await lingxingCall(sandbox, token, CREATE, createBody(order));
    expect(again.json.data.success_details).toEqual([]);
    expect(again.json.data.error_details).toEqual([{ platform_order_no: order.order.poNumber, error_message: expect.stringContaining('already exists') }]);

    const listed = await listFor(order.order.poNumber);
    expect(listed).toMatchObject({ code: 0, data: { total: '1' } });
    expect(listed.data.list[0]).toMatchObject({
      global_order_no: first.json.data.success_details[0].global_order_no,
      status: 1,
      platform_info: [{ platform_order_no: order.order.poNumber }],
      item_info: [{ msku: 'DL-1001', local_sku: 'LX-1001', quantity: 1 }],
    });
    const creates = sandbox.state({ poNumber: order.order.poNumber }).writes.lingxingCreates;
    expect(creates.map((c) => c.result)).toEqual(['success', 'error']);
  });

  it('reports per-order validation problems in error_details', async () => {
    const order = sandbox.world.addOrder();
    const body = createBody(order);
    delete (body.orders[0] as { logistics_type_id?: string }).logistics_type_id;
    const result = await lingxingCall(sandbox, token, CREATE, body);
    expect(result.json.data.error_details[0].error_message).toMatch(/logistics_type_id/);
    expect(sandbox.world.lingxing.has(body.store_id!, order.order.poNumber)).toBe(false);
  });

  it('enforces list limits with a business error', async () => {
    const tooMany = await lingxingCall(sandbox, token, LIST, { offset: 0, length: 20, platform_order_nos: Array.from({ length: 201 }, (_, i) => `PO${i}`) });
    expect(tooMany.json.code).not.toBe(0);
    expect(tooMany.json.message).toMatch(/platform_order_nos/);
    const tooLong = await lingxingCall(sandbox, token, LIST, { offset: 0, length: 501 });
    expect(tooLong.json.code).not.toBe(0);
    const wms = await lingxingCall(sandbox, token, WMS, { page: 1, page_size: 201, ...WINDOW });
    expect(wms.json.code).not.toBe(0);
    expect(takeViolations(sandbox).map((v) => [v.endpoint, v.refused])).toEqual([
      [`POST ${LIST}`, true],
      [`POST ${LIST}`, true],
      [`POST ${WMS}`, true],
    ]);
  });
});

describe('fulfilment over simulated time', () => {
  it('moves an order 1 → 5 → 6 and then shows a shipped WMS outbound record', async () => {
    const order = sandbox.world.addOrder({ lineItems: [{ partnerSku: 'DL-1002', quantity: 2, consumerPrice: 5 }] });
    await lingxingCall(sandbox, token, CREATE, createBody(order));
    const po = order.order.poNumber;
    expect((await wmsFor(po)).data).toEqual([]);

    sandbox.clock.advance(order.scenario.lingxing.toShipAfterSeconds * 1000);
    expect((await listFor(po)).data.list[0].status).toBe(5);
    const pending = await wmsFor(po);
    expect(pending.data).toHaveLength(1);
    expect(pending.data[0]).toMatchObject({ status: 1, delivered_at: '' });

    sandbox.clock.advance((order.scenario.lingxing.shipAfterSeconds - order.scenario.lingxing.toShipAfterSeconds) * 1000);
    expect((await listFor(po)).data.list[0].status).toBe(6);
    const shipped = await wmsFor(po);
    expect(shipped).toMatchObject({ code: 0, total: 1 });
    expect(shipped.data[0]).toMatchObject({
      status: 3,
      platform_order_no: [po],
      sid: sandbox.world.suggestedMapping().shop[order.order.dscoRetailerId],
      product_info: [{ sku: 'LX-1002', seller_sku: 'DL-1002', count: 2, bundle_type: 0 }],
    });
    expect(shipped.data[0].tracking_no).toMatch(/^1Z/);
    expect(shipped.data[0].delivered_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it('ships a split-shipment order as two tracking numbers at different times', async () => {
    const order = sandbox.world.addOrder({
      lineItems: [
        { partnerSku: 'DL-1003', quantity: 1, consumerPrice: 5 },
        { partnerSku: 'DL-1004', quantity: 1, consumerPrice: 6 },
      ],
      scenario: { tags: ['split_shipment'], lingxing: { splitShipment: true } },
    });
    await lingxingCall(sandbox, token, CREATE, createBody(order));
    const plan = order.scenario.lingxing;
    sandbox.clock.advance(plan.shipAfterSeconds * 1000);
    const firstWave = (await wmsFor(order.order.poNumber)).data.filter((r: { status: number }) => r.status === 3);
    expect(firstWave).toHaveLength(1);
    sandbox.clock.advance((plan.secondShipmentAfterSeconds - plan.shipAfterSeconds) * 1000);
    const all = (await wmsFor(order.order.poNumber)).data.filter((r: { status: number }) => r.status === 3);
    expect(all).toHaveLength(2);
    expect(new Set(all.map((r: { tracking_no: string }) => r.tracking_no)).size).toBe(2);
    expect(all[0].delivered_at < all[1].delivered_at).toBe(true);
    expect(all.flatMap((r: { product_info: Array<{ seller_sku: string }> }) => r.product_info.map((p) => p.seller_sku)).sort()).toEqual(['DL-1003', 'DL-1004']);
  });

  it('splits a split_order PO into two sub-orders', async () => {
    const order = sandbox.world.addOrder({
      lineItems: [
        { partnerSku: 'DL-1005', quantity: 1, consumerPrice: 5 },
        { partnerSku: 'DL-1006', quantity: 3, consumerPrice: 6 },
      ],
      scenario: { tags: ['split_order'], lingxing: { splitOrder: true } },
    });
    const created = await lingxingCall(sandbox, token, CREATE, createBody(order));
    expect(created.json.data.success_details).toHaveLength(2);
    const listed = await listFor(order.order.poNumber);
    expect(listed.data.total).toBe('2');
    expect(listed.data.list.map((o: { item_info: Array<{ msku: string }> }) => o.item_info.map((i) => i.msku))).toEqual([['DL-1005'], ['DL-1006']]);
  });
});

describe('inventory and pairs', () => {
  it('pages inventoryDetails per wid with length ≤ 800 and returns the world inventory', async () => {
    const wid = sandbox.world.suggestedMapping().warehouse['WH-EAST'];
    const page = await lingxingCall(sandbox, token, '/erp/sc/routing/data/local_inventory/inventoryDetails', { wid: `${wid}`, offset: 0, length: 800 });
    expect(page.json.code).toBe(0);
    expect(page.json.total).toBe(page.json.data.length);
    expect(page.json.data.length).toBeGreaterThan(0);
    for (const row of page.json.data) {
      expect(String(row.wid)).toBe(wid);
      expect(sandbox.world.catalog.inventory.get(`${wid}|${row.sku}`)).toBe(row.product_valid_num);
    }
    const tooLong = await lingxingCall(sandbox, token, '/erp/sc/routing/data/local_inventory/inventoryDetails', { wid: `${wid}`, offset: 0, length: 801 });
    expect(tooLong.json.code).not.toBe(0);
    expect(takeViolations(sandbox)).toEqual([expect.objectContaining({ refused: true, problem: expect.stringMatching(/^length:/) })]);
  });

  it('returns SKU pairs per store consistent with the suggested mapping', async () => {
    const mapping = sandbox.world.suggestedMapping();
    const storeId = Object.values(mapping.shop)[0] as string;
    const result = await lingxingCall(sandbox, token, '/pb/mp/listing/v2/getPairList', { offset: 0, length: 500, platform_codes: ['10009'], store_ids: [storeId] });
    expect(result.json.code).toBe(0);
    const list = result.json.data.list as Array<{ store_id: string; msku: string; sku: string }>;
    expect(result.json.data.total).toBe(String(list.length));
    for (const pair of list) {
      expect(pair.store_id).toBe(storeId);
      if (mapping.sku[pair.msku] !== undefined) expect(mapping.sku[pair.msku]).toBe(pair.sku);
    }
    // Every mapped SKU is paired, and at least one unmapped SKU is paired for pull_sku_pair to find.
    expect(Object.keys(mapping.sku).every((msku) => list.some((p) => p.msku === msku))).toBe(true);
    expect(list.some((p) => mapping.sku[p.msku] === undefined)).toBe(true);
  });
});
