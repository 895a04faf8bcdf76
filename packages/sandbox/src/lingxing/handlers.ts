import type { SandboxResponse } from '../http/kit.js';
import { LINGXING_PATHS } from '../options.js';
import type { LingxingItemInput, LingxingOrder, LingxingOrderInput, WmsRecord } from '../world/lingxing-side.js';
import type { World } from '../world/world.js';
import { LINGXING_ACCOUNT_HANDLERS } from './account-handlers.js';
import { erpEnvelope, mpEnvelope, mpError } from './envelopes.js';
import { intId } from './json.js';
import type { CancelBody, CreateBody, InventoryBody, ListBody, PairBody, WmsBody } from './request-schemas.js';
import { wmsWindowOf } from './wms-window.js';

export interface LingxingHandlerContext {
  world: World;
  /** Simulated time (epoch ms). */
  now: () => number;
  /** Real time, the callers' clock (epoch ms). */
  wallNow: () => number;
  platformCode: string;
}

/**
 * One business endpoint. The server has already checked the body against the endpoint's
 * request schema (request-schemas.ts) when it has one, so handlers read typed fields.
 */
export type LingxingHandler = (body: Record<string, unknown>, ctx: LingxingHandlerContext) => SandboxResponse;

const createOrders: LingxingHandler = (raw, { world, now }) => {
  const { store_id: storeId, orders } = raw as CreateBody;
  if (!world.storeIds().has(storeId) && storeId !== world.catalog.foreignStoreId) return mpError(`store_id ${storeId} does not exist`);
  const wids = new Set(world.catalog.warehouses.map((w) => w.wid));
  const success: Array<{ platform_order_no: string; global_order_no: bigint }> = [];
  const errors: Array<{ platform_order_no: string; error_message: string }> = [];
  const seen = new Set<string>();
  for (const order of orders) {
    const po = order.platform_order_no;
    let error: string | undefined;
    if (world.lingxing.has(storeId, po) || seen.has(po)) error = `platform_order_no ${po} already exists in this store`;
    else if (order.items.some((i) => !i.sku && !i.msku)) error = 'every item needs a sku or an msku';
    else if (order.wid !== undefined && !wids.has(order.wid)) error = `wid ${order.wid} does not exist`;
    else if (order.wid !== undefined && order.logistics_type_id === undefined) error = 'logistics_type_id is required when wid is set';
    else if (order.logistics_type_id !== undefined && order.wid === undefined) error = 'wid is required when logistics_type_id is set';
    seen.add(po);
    const write = { at: new Date(now()).toISOString(), atMs: now(), storeId, platformOrderNo: po };
    if (error !== undefined) {
      errors.push({ platform_order_no: po, error_message: error });
      world.recorder.writes.lingxingCreates.push({ ...write, result: 'error', globalOrderNos: [], errorMessage: error });
      continue;
    }
    const input: LingxingOrderInput = { ...order, items: order.items.map((i) => ({ ...i, msku: i.msku ?? i.sku ?? '' }) as LingxingItemInput) };
    const globalOrderNos = world.lingxing.create(storeId, input);
    // The create reference types global_order_no as int: the digits go out as a JSON integer.
    for (const global of globalOrderNos) success.push({ platform_order_no: po, global_order_no: intId(global) });
    world.recorder.writes.lingxingCreates.push({ ...write, result: 'success', globalOrderNos });
  }
  return mpEnvelope({ error_details: errors, success_details: success });
};

function orderView(order: LingxingOrder, status: number, world: World) {
  const tracking = world.lingxing.wmsRecords(order).find((r) => r.status === 3)?.tracking_no ?? '';
  const input = order.input;
  return {
    global_order_no: order.globalOrderNo,
    store_id: order.storeId,
    status,
    wid: input.wid ?? '0',
    amount_currency: typeof input.amount_currency === 'string' ? input.amount_currency : '',
    global_purchase_time: Math.floor(order.createdAtMs / 1000),
    global_cancel_time: order.cancelledAtMs === undefined ? 0 : Math.floor(order.cancelledAtMs / 1000),
    platform_info: [{ platform_order_no: order.platformOrderNo, platform_code: order.platformCode }],
    item_info: order.items.map((item) => ({
      msku: item.msku,
      local_sku: item.sku ?? world.lingxing.pairedSku(order.storeId, item.msku) ?? '',
      quantity: item.quantity,
      unit_price_amount: String(item.unit_price),
    })),
    logistics_info: { logistics_type_id: input.logistics_type_id ?? '0', tracking_no: tracking },
  };
}

const listOrders: LingxingHandler = (raw, { world }) => {
  const { offset, length, platform_order_nos: pos, store_id: storeIds } = raw as ListBody;
  let orders: readonly LingxingOrder[] = pos ? pos.flatMap((po) => world.lingxing.byPo(po)) : world.lingxing.all();
  if (storeIds && storeIds.length > 0) {
    const stores = new Set(storeIds);
    orders = orders.filter((o) => stores.has(o.storeId));
  }
  const page = orders.slice(offset, offset + length).map((o) => orderView(o, world.lingxing.status(o), world));
  return mpEnvelope({ total: String(orders.length), list: page });
};

const cancelOrders: LingxingHandler = (raw, { world }) => {
  const { order_list: globalOrderNos } = raw as CancelBody;
  const failures: Array<{ global_order_no: string; message: string }> = [];
  for (const no of new Set(globalOrderNos)) {
    const result = world.lingxing.cancel(no);
    world.recorder.writes.lingxingCancels.push({ at: world.recorder.nowIso(), globalOrderNo: no, result: result.ok ? 'success' : 'error', ...(result.ok ? {} : { errorMessage: result.message }) });
    if (!result.ok) failures.push({ global_order_no: no, message: result.message });
  }
  const successNum = new Set(globalOrderNos).size - failures.length;
  const processCode = failures.length === 0 ? 10002 : successNum === 0 ? 10000 : 10001;
  return mpEnvelope({ success_num: successNum, fail_num: failures.length, process_code: processCode, failure_info: failures });
};

/** A WMS record as the reference types it: sid, wid and logistics_type_id are JSON integers. */
function wmsView({ createAtMs: _created, ...record }: WmsRecord) {
  return {
    ...record,
    sid: intId(record.sid),
    wid: intId(record.wid),
    logistics_type_id: record.logistics_type_id === '' ? 0 : intId(record.logistics_type_id),
    product_info: record.product_info,
  };
}

const wmsOrderList: LingxingHandler = (raw, { world, now, wallNow }) => {
  const body = raw as WmsBody;
  const page = body.page ?? 1;
  const size = body.page_size ?? 20;
  const orders = body.platform_order_no_arr ? body.platform_order_no_arr.flatMap((po) => world.lingxing.byPo(po)) : world.lingxing.all();
  const sids = body.sid_arr && body.sid_arr.length > 0 ? new Set(body.sid_arr.map(String)) : undefined;
  const statuses = body.status_arr && body.status_arr.length > 0 ? new Set(body.status_arr) : undefined;
  const inWindow = wmsWindowOf(body, now(), wallNow());
  const records = orders
    .filter((o) => !sids || sids.has(o.storeId))
    .flatMap((o) => world.lingxing.wmsRecords(o))
    .filter((r) => (!statuses || statuses.has(r.status)) && inWindow(r));
  return erpEnvelope(records.slice((page - 1) * size, page * size).map(wmsView), records.length, now());
};

const inventoryDetails: LingxingHandler = (raw, { world, now }) => {
  const { wid, offset = 0, length = 20, sku } = raw as InventoryBody;
  const wids = wid ? new Set(wid.split(',').map((w) => w.trim()).filter(Boolean)) : undefined;
  const rows = [...world.catalog.inventory]
    .map(([key, quantity]) => {
      const [rowWid = '', rowSku = ''] = key.split('|');
      return { wid: rowWid, sku: rowSku, quantity };
    })
    .filter((r) => (!wids || wids.has(r.wid)) && (!sku || r.sku.includes(sku)))
    .sort((a, b) => compareDigits(a.wid, b.wid) || a.sku.localeCompare(b.sku));
  const validNum = (r: { wid: string; sku: string; quantity: number }) => {
    const quirk = world.catalog.inventoryQuirks.get(`${r.wid}|${r.sku}`);
    return quirk === 'missing' ? {} : { product_valid_num: quirk === 'not_a_number' ? 'n/a' : r.quantity };
  };
  const data = rows.slice(offset, offset + length).map((r) => ({
    wid: intId(r.wid),
    product_id: 0,
    sku: r.sku,
    seller_id: '0',
    fnsku: '',
    product_total: r.quantity + 2,
    ...validNum(r),
    product_bad_num: 0,
    product_qc_num: 0,
    product_lock_num: 2,
    product_onway: 0,
  }));
  return erpEnvelope(data, rows.length, now());
};

const getPairList: LingxingHandler = (raw, { world, platformCode }) => {
  const { offset = 0, length = 20, platform_codes: codes, store_ids: storeIds, msku, sku } = raw as PairBody;
  if (codes && codes.length > 0 && !codes.includes(platformCode)) return mpEnvelope({ total: '0', list: [] });
  const stores = world.catalog.retailers.map((r) => r.storeId).filter((s) => !storeIds || storeIds.length === 0 || storeIds.includes(s));
  const pairs = stores.flatMap((storeId) =>
    world.catalog.skus
      .filter((s) => s.paired && (!msku || msku.includes(s.sku)) && (!sku || sku.includes(s.localSku)))
      .map((s) => ({ store_id: storeId, msku: s.sku, sku: s.localSku, platform_code: platformCode, modify_time: '2025-01-01 00:00:00' })),
  );
  return mpEnvelope({ total: String(pairs.length), list: pairs.slice(offset, offset + length) });
};

/** Orders decimal ids by value without turning them into numbers. */
function compareDigits(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

export const LINGXING_HANDLERS: Record<string, LingxingHandler> = {
  [LINGXING_PATHS.orderCreate]: createOrders,
  [LINGXING_PATHS.orderList]: listOrders,
  [LINGXING_PATHS.orderCancel]: cancelOrders,
  [LINGXING_PATHS.wmsOrderList]: wmsOrderList,
  [LINGXING_PATHS.inventoryDetails]: inventoryDetails,
  [LINGXING_PATHS.pairList]: getPairList,
  ...LINGXING_ACCOUNT_HANDLERS,
};
