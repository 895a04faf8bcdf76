import { z } from 'zod';
import type { SandboxResponse } from '../http/kit.js';
import { LINGXING_PATHS } from '../options.js';
import type { LingxingItemInput, LingxingOrder, LingxingOrderInput } from '../world/lingxing-side.js';
import type { World } from '../world/world.js';
import { LINGXING_ACCOUNT_HANDLERS } from './account-handlers.js';
import { erpEnvelope, erpError, mpEnvelope, mpError } from './envelopes.js';

export interface LingxingHandlerContext {
  world: World;
  now: () => number;
  platformCode: string;
}

export type LingxingHandler = (body: Record<string, unknown>, ctx: LingxingHandlerContext) => SandboxResponse;

const idString = z.union([z.string().min(1), z.number().int()]).transform(String);
const count = (max: number) => z.number().int().min(1).max(max);

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
}

const createBody = z.object({ platform_code: idString, store_id: idString, orders: z.array(z.record(z.string(), z.unknown())).min(1).max(200) }).loose();
const orderSchema = z
  .object({
    platform_order_no: z.string().min(1).max(64),
    wid: idString.optional(),
    logistics_type_id: idString.optional(),
    items: z
      .array(
        z
          .object({
            msku: z.string().min(1),
            sku: z.string().min(1).optional(),
            quantity: z.number().int().positive(),
            unit_price: z.union([z.number().nonnegative(), z.string().regex(/^\d+(\.\d+)?$/)]),
          })
          .loose(),
      )
      .min(1),
  })
  .loose();

const createOrders: LingxingHandler = (body, { world, now }) => {
  const parsed = createBody.safeParse(body);
  if (!parsed.success) return mpError(describe(parsed.error));
  const { store_id: storeId, orders } = parsed.data;
  if (!world.storeIds().has(storeId)) return mpError(`store_id ${storeId} does not exist`);
  const wids = new Set(world.catalog.warehouses.map((w) => w.wid));
  const success: Array<{ platform_order_no: string; global_order_no: string }> = [];
  const errors: Array<{ platform_order_no: string; error_message: string }> = [];
  const seen = new Set<string>();
  for (const raw of orders) {
    const order = orderSchema.safeParse(raw);
    const po = typeof raw.platform_order_no === 'string' ? raw.platform_order_no : '';
    let error: string | undefined;
    if (!order.success) error = describe(order.error);
    else if (world.lingxing.has(po) || seen.has(po)) error = `platform_order_no ${po} already exists`;
    else if (order.data.wid !== undefined && !wids.has(order.data.wid)) error = `wid ${order.data.wid} does not exist`;
    else if (order.data.wid !== undefined && order.data.logistics_type_id === undefined) error = 'logistics_type_id is required when wid is set';
    seen.add(po);
    const write = { at: new Date(now()).toISOString(), atMs: now(), storeId, platformOrderNo: po };
    if (error !== undefined || !order.success) {
      const message = error ?? 'invalid order';
      errors.push({ platform_order_no: po, error_message: message });
      world.recorder.writes.lingxingCreates.push({ ...write, result: 'error', globalOrderNos: [], errorMessage: message });
      continue;
    }
    const input: LingxingOrderInput = { ...order.data, items: order.data.items as LingxingItemInput[] };
    const globalOrderNos = world.lingxing.create(storeId, input);
    for (const global of globalOrderNos) success.push({ platform_order_no: po, global_order_no: global });
    world.recorder.writes.lingxingCreates.push({ ...write, result: 'success', globalOrderNos });
  }
  return mpEnvelope({ success_details: success, error_details: errors });
};

const listBody = z
  .object({
    offset: z.number().int().nonnegative().default(0),
    length: count(500).default(20),
    platform_order_nos: z.array(z.string()).max(200).optional(),
    store_id: z.union([z.array(idString), idString.transform((s) => [s])]).optional(),
    include_delete: z.union([z.boolean(), z.number()]).optional(),
  })
  .loose();

function orderView(order: LingxingOrder, status: number, world: World) {
  const tracking = world.lingxing.wmsRecords(order).find((r) => r.status === 3)?.tracking_no ?? '';
  const input = order.input;
  return {
    global_order_no: order.globalOrderNo,
    store_id: order.storeId,
    platform_code: order.platformCode,
    status,
    order_status: status,
    is_delete: 0,
    global_create_time: Math.floor(order.createdAtMs / 1000),
    platform_info: [{ platform_order_no: order.platformOrderNo, platform_code: order.platformCode, store_id: order.storeId }],
    item_info: order.items.map((item) => ({
      msku: item.msku,
      local_sku: item.sku ?? world.lingxing.pairedSku(order.storeId, item.msku) ?? '',
      quantity: item.quantity,
      unit_price: String(item.unit_price),
    })),
    logistics_info: { wid: input.wid ?? '', logistics_type_id: input.logistics_type_id ?? '', tracking_no: tracking },
    address_info: {
      receiver_name: input.receiver_name ?? '',
      receiver_country_code: input.receiver_country_code ?? '',
      state_or_region: input.state_or_region ?? '',
      city: input.city ?? '',
      address_line1: input.address_line1 ?? '',
      postal_code: input.postal_code ?? '',
    },
  };
}

const listOrders: LingxingHandler = (body, { world }) => {
  const parsed = listBody.safeParse(body);
  if (!parsed.success) return mpError(describe(parsed.error));
  const { offset, length, platform_order_nos: pos, store_id: storeIds } = parsed.data;
  let orders: readonly LingxingOrder[] = pos ? pos.flatMap((po) => world.lingxing.byPo(po)) : world.lingxing.all();
  if (storeIds && storeIds.length > 0) {
    const stores = new Set(storeIds);
    orders = orders.filter((o) => stores.has(o.storeId));
  }
  const page = orders.slice(offset, offset + length).map((o) => orderView(o, world.lingxing.status(o), world));
  return mpEnvelope({ total: String(orders.length), list: page });
};

const wmsBody = z
  .object({
    page: z.number().int().min(1).default(1),
    page_size: count(200).default(20),
    sid_arr: z.array(z.number().int()).optional(),
    platform_order_no_arr: z.array(z.string()).max(200).optional(),
    status_arr: z.array(z.number().int()).optional(),
  })
  .loose();

const wmsOrderList: LingxingHandler = (body, { world, now }) => {
  const parsed = wmsBody.safeParse(body);
  if (!parsed.success) return erpError(describe(parsed.error), now());
  const { page, page_size: size, sid_arr: sids, platform_order_no_arr: pos, status_arr: statuses } = parsed.data;
  const orders = pos ? pos.flatMap((po) => world.lingxing.byPo(po)) : world.lingxing.all();
  const sidSet = sids && sids.length > 0 ? new Set(sids) : undefined;
  const statusSet = statuses && statuses.length > 0 ? new Set(statuses) : undefined;
  const records = orders
    .filter((o) => !sidSet || sidSet.has(Number(o.storeId)))
    .flatMap((o) => world.lingxing.wmsRecords(o))
    .filter((r) => !statusSet || statusSet.has(r.status));
  return erpEnvelope(records.slice((page - 1) * size, page * size), records.length, now());
};

const inventoryBody = z
  .object({
    wid: z.union([z.string(), z.number().int().transform(String)]).optional(),
    offset: z.number().int().nonnegative().default(0),
    length: count(800).default(20),
    sku: z.string().optional(),
  })
  .loose();

const inventoryDetails: LingxingHandler = (body, { world, now }) => {
  const parsed = inventoryBody.safeParse(body);
  if (!parsed.success) return erpError(describe(parsed.error), now());
  const { wid, offset, length, sku } = parsed.data;
  const wids = wid ? new Set(wid.split(',').map((w) => w.trim()).filter(Boolean)) : undefined;
  const rows = [...world.catalog.inventory]
    .map(([key, quantity]) => {
      const [rowWid = '', rowSku = ''] = key.split('|');
      return { wid: rowWid, sku: rowSku, quantity };
    })
    .filter((r) => (!wids || wids.has(r.wid)) && (!sku || r.sku === sku))
    .sort((a, b) => Number(a.wid) - Number(b.wid) || a.sku.localeCompare(b.sku));
  const data = rows.slice(offset, offset + length).map((r) => ({
    wid: Number(r.wid),
    product_id: 0,
    sku: r.sku,
    seller_id: '0',
    fnsku: '',
    product_total: r.quantity + 2,
    product_valid_num: r.quantity,
    product_bad_num: 0,
    product_qc_num: 0,
    product_lock_num: 2,
    product_onway: 0,
  }));
  return erpEnvelope(data, rows.length, now());
};

const pairBody = z
  .object({
    offset: z.number().int().nonnegative().default(0),
    length: count(500).default(20),
    platform_codes: z.array(idString).optional(),
    store_ids: z.array(idString).optional(),
    msku: z.string().optional(),
    sku: z.string().optional(),
  })
  .loose();

const getPairList: LingxingHandler = (body, { world, platformCode }) => {
  const parsed = pairBody.safeParse(body);
  if (!parsed.success) return mpError(describe(parsed.error));
  const { offset, length, platform_codes: codes, store_ids: storeIds, msku, sku } = parsed.data;
  if (codes && codes.length > 0 && !codes.includes(platformCode)) return mpEnvelope({ total: '0', list: [] });
  const stores = world.catalog.retailers.map((r) => r.storeId).filter((s) => !storeIds || storeIds.length === 0 || storeIds.includes(s));
  const pairs = stores.flatMap((storeId) =>
    world.catalog.skus
      .filter((s) => s.paired && (!msku || s.partnerSku === msku) && (!sku || s.localSku === sku))
      .map((s) => ({ store_id: storeId, msku: s.partnerSku, sku: s.localSku, platform_code: platformCode, pair_time: '2025-01-01 00:00:00' })),
  );
  return mpEnvelope({ total: String(pairs.length), list: pairs.slice(offset, offset + length) });
};

export const LINGXING_HANDLERS: Record<string, LingxingHandler> = {
  [LINGXING_PATHS.orderCreate]: createOrders,
  [LINGXING_PATHS.orderList]: listOrders,
  [LINGXING_PATHS.wmsOrderList]: wmsOrderList,
  [LINGXING_PATHS.inventoryDetails]: inventoryDetails,
  [LINGXING_PATHS.pairList]: getPairList,
  ...LINGXING_ACCOUNT_HANDLERS,
};
