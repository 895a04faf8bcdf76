import { startSandbox, type Sandbox, type WorldOrder } from '../src/index.js';
import { lingxingCall, lingxingToken } from './helpers.js';
import { assertNoViolationsAfterEach, takeViolations } from './lingxing-helpers.js';

const CREATE = '/pb/mp/order/v2/create';
const LIST = '/pb/mp/order/v2/list';
const CANCEL = '/pb/mp/order/v2/cancelOrder';
const WMS = '/erp/sc/routing/wms/order/wmsOrderList';
const WINDOW = { time_type: 'create_at', start_date: '2025-01-01', end_date: '2099-12-31' };
const DAY_MS = 86_400_000;

let sandbox: Sandbox;
let token: string;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 7, lingxingTokenLifetimeSeconds: 400 * 86_400, lingxingRefreshTokenLifetimeSeconds: 400 * 86_400 });
  token = (await lingxingToken(sandbox)).access_token;
});
afterAll(() => sandbox.close());
assertNoViolationsAfterEach(() => sandbox);

function storeOf(order: WorldOrder): string {
  return sandbox.world.suggestedMapping().shop[order.order.dscoRetailerId]!;
}

function orderBody(order: WorldOrder, extra: Record<string, unknown> = {}) {
  const mapping = sandbox.world.suggestedMapping();
  const o = order.order;
  return {
    platform_order_no: o.poNumber,
    receiver_name: 'Ada Lovelace',
    receiver_country_code: 'US',
    city: 'Springfield',
    address_line1: '1 Main St',
    amount_currency: 'USD',
    wid: mapping.warehouse['WH-EAST'],
    logistics_type_id: mapping.shipment['WH-EAST-UPSG'],
    items: o.lineItems.map((l) => ({ msku: l.sku ?? l.partnerSku, quantity: l.quantity, unit_price: 5 })),
    ...extra,
  };
}

const create = (order: WorldOrder, extra: Record<string, unknown> = {}, storeId = storeOf(order)) =>
  lingxingCall(sandbox, token, CREATE, { platform_code: 10009, store_id: storeId, orders: [orderBody(order, extra)] });

describe('18-digit ids', () => {
  it('seeds 18-digit store ids, wids and logistics ids above 2^53', () => {
    const mapping = sandbox.world.suggestedMapping();
    for (const id of [...Object.values(mapping.shop), ...Object.values(mapping.warehouse), ...Object.values(mapping.shipment)]) {
      expect(id).toMatch(/^\d{18}$/);
      expect(BigInt(id) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    }
  });

  it('answers create with global_order_no as an 18-digit JSON integer, and lists sid/wid as exact integers', async () => {
    const order = sandbox.world.addOrder({ lineItems: [{ sku: 'DL-1001', quantity: 1, consumerPrice: 5 }] });
    const created = await create(order);
    expect(created.text).toMatch(/"global_order_no":\d{18}[,}]/);
    const global = created.json.data.success_details[0].global_order_no as string;
    expect(sandbox.world.lingxing.byPo(order.order.poNumber).map((o) => o.globalOrderNo)).toEqual([global]);

    sandbox.clock.advance(order.scenario.lingxing.shipAfterSeconds * 1000 + 1000);
    const store = storeOf(order);
    // sid_arr is int in the reference: the exact digits as a JSON integer select the store.
    const wms = await lingxingCall(sandbox, token, WMS, { page: 1, page_size: 20, sid_arr: [BigInt(store)], platform_order_no_arr: [order.order.poNumber], ...WINDOW });
    expect(wms.json.total).toBe(1);
    expect(wms.text).toContain(`"sid":${store}`);
    expect(wms.json.data[0]).toMatchObject({ sid: store, order_number: global, wid: sandbox.world.suggestedMapping().warehouse['WH-EAST'] });
    const rounded = await lingxingCall(sandbox, token, WMS, { page: 1, page_size: 20, sid_arr: [Number(store)], platform_order_no_arr: [order.order.poNumber], ...WINDOW });
    expect(rounded.json.total).toBe(0);
  });

  it('refuses a number where the reference says string (wid) and records the violation', async () => {
    const order = sandbox.world.addOrder({ lineItems: [{ sku: 'DL-1002', quantity: 1, consumerPrice: 5 }] });
    const mapping = sandbox.world.suggestedMapping();
    const result = await create(order, { wid: Number(mapping.warehouse['WH-EAST']) });
    expect(result.json).toMatchObject({ code: 102 });
    expect(takeViolations(sandbox)).toEqual([expect.objectContaining({ endpoint: `POST ${CREATE}`, refused: true, problem: expect.stringMatching(/^orders\.0\.wid: /) })]);
    expect(sandbox.world.lingxing.has(storeOf(order), order.order.poNumber)).toBe(false);
  });

  it('records an unknown field in a create body without refusing the order', async () => {
    const order = sandbox.world.addOrder({ lineItems: [{ sku: 'DL-1003', quantity: 1, consumerPrice: 5 }] });
    const result = await create(order, { gift_message: 'hi' });
    expect(result.json.data.success_details).toHaveLength(1);
    expect(takeViolations(sandbox)).toEqual([expect.objectContaining({ refused: false, problem: expect.stringMatching(/unknown fields: orders\.0: .*gift_message/) })]);
  });
});

describe('stores', () => {
  it('keeps platform order numbers unique per store: a foreign store may hold the same number, and scoped lists leave it out', async () => {
    const order = sandbox.world.addOrder({ lineItems: [{ sku: 'DL-1004', quantity: 1, consumerPrice: 5 }] });
    const foreign = sandbox.world.catalog.foreignStoreId;
    const theirs = await create(order, {}, foreign);
    expect(theirs.json.data.success_details).toHaveLength(1);
    const ours = await create(order);
    expect(ours.json.data.success_details).toHaveLength(1);
    const scoped = await lingxingCall(sandbox, token, LIST, { offset: 0, length: 20, platform_order_nos: [order.order.poNumber], store_id: [storeOf(order)] });
    expect(scoped.json.data.list.map((o: { store_id: string }) => o.store_id)).toEqual([storeOf(order)]);
    const unscoped = await lingxingCall(sandbox, token, LIST, { offset: 0, length: 20, platform_order_nos: [order.order.poNumber] });
    expect(unscoped.json.data.total).toBe('2');
  });
});

describe('cancelOrder', () => {
  it('marks an unshipped order "do not ship" (status 7, outbound deleted) and refuses a shipped or unknown one', async () => {
    const open = sandbox.world.addOrder({ lineItems: [{ sku: 'DL-1005', quantity: 1, consumerPrice: 5 }] });
    const shipped = sandbox.world.addOrder({ lineItems: [{ sku: 'DL-1006', quantity: 1, consumerPrice: 5 }] });
    await create(shipped);
    sandbox.clock.advance(shipped.scenario.lingxing.shipAfterSeconds * 1000 + 1000);
    await create(open);
    const [openNo] = sandbox.world.lingxing.byPo(open.order.poNumber).map((o) => o.globalOrderNo);
    const [shippedNo] = sandbox.world.lingxing.byPo(shipped.order.poNumber).map((o) => o.globalOrderNo);
    const result = await lingxingCall(sandbox, token, CANCEL, { order_list: [openNo, shippedNo, '103999999999999999'] });
    expect(result.json).toMatchObject({ code: 0, data: { success_num: 1, fail_num: 2, process_code: 10001 } });
    expect(result.json.data.failure_info.map((f: { global_order_no: string }) => f.global_order_no)).toEqual([shippedNo, '103999999999999999']);

    const listed = await lingxingCall(sandbox, token, LIST, { offset: 0, length: 20, platform_order_nos: [open.order.poNumber], store_id: [storeOf(open)] });
    expect(listed.json.data.list[0].status).toBe(7);
    sandbox.clock.advance(open.scenario.lingxing.toShipAfterSeconds * 1000 + 1000);
    const wms = await lingxingCall(sandbox, token, WMS, { page: 1, page_size: 20, platform_order_no_arr: [open.order.poNumber], ...WINDOW });
    expect(wms.json.data.map((r: { status: number; delivered_at: string }) => [r.status, r.delivered_at])).toEqual([[4, '']]);
    expect(sandbox.world.recorder.writes.lingxingCancels.map((c) => [c.globalOrderNo, c.result])).toEqual([
      [openNo, 'success'],
      [shippedNo, 'error'],
      ['103999999999999999', 'error'],
    ]);
  });

  it('refuses an order_list of numbers (the reference types the elements as strings)', async () => {
    const result = await lingxingCall(sandbox, token, CANCEL, { order_list: [103430576541848064n] });
    expect(result.json.code).toBe(102);
    expect(takeViolations(sandbox)).toEqual([expect.objectContaining({ endpoint: `POST ${CANCEL}`, refused: true })]);
  });
});

describe('wmsOrderList window', () => {
  it('lists only the last month without a window (recording the read), older outbounds with one', async () => {
    const order = sandbox.world.addOrder({ lineItems: [{ sku: 'DL-1007', quantity: 1, consumerPrice: 5 }] });
    await create(order);
    sandbox.clock.advance(40 * DAY_MS);
    const po = order.order.poNumber;
    const bare = await lingxingCall(sandbox, token, WMS, { page: 1, page_size: 20, platform_order_no_arr: [po] });
    expect(bare.json).toMatchObject({ code: 0, total: 0 });
    expect(takeViolations(sandbox)).toEqual([expect.objectContaining({ refused: false, problem: expect.stringMatching(/last month/) })]);
    const windowed = await lingxingCall(sandbox, token, WMS, { page: 1, page_size: 20, platform_order_no_arr: [po], ...WINDOW });
    expect(windowed.json.total).toBe(1);
    expect(windowed.json.data[0].status).toBe(3);
  });
});

describe('bundles', () => {
  it('lists a bundle sku as its bundle row plus split-out component rows pointing at it', async () => {
    const [bundleSku, parts] = [...sandbox.world.catalog.bundles][0]!;
    const msku = sandbox.world.catalog.skus.find((s) => s.localSku === bundleSku)!.sku;
    const order = sandbox.world.addOrder({ lineItems: [{ sku: msku, quantity: 2, consumerPrice: 5 }] });
    expect((await create(order)).json.data).toMatchObject({ error_details: [] });
    sandbox.clock.advance(order.scenario.lingxing.shipAfterSeconds * 1000 + 1000);
    const wms = await lingxingCall(sandbox, token, WMS, { page: 1, page_size: 20, platform_order_no_arr: [order.order.poNumber], ...WINDOW });
    const rows = wms.json.data[0].product_info as Array<{ wod_id: number; sku: string; count: number; bundle_type: number; bundle_wod_id: number }>;
    const parent = rows.find((r) => r.bundle_type === 1)!;
    expect(parent).toMatchObject({ sku: bundleSku, count: 2 });
    expect(rows.filter((r) => r.bundle_type === 2).map((r) => [r.sku, r.count, r.bundle_wod_id])).toEqual(parts.map((p) => [p, 2, parent.wod_id]));
  });
});
