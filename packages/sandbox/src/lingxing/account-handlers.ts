import { z } from 'zod';
import type { SandboxResponse } from '../http/kit.js';
import type { Catalog } from '../world/catalog.js';
import type { World } from '../world/world.js';
import { erpEnvelope, erpError, mpEnvelope, mpError } from './envelopes.js';
import type { LingxingHandler } from './handlers.js';

/** The account lists (store, warehouse and logistics pages of the Lingxing reference). */
export const LINGXING_ACCOUNT_PATHS = {
  sellerList: '/pb/mp/shop/v2/getSellerList',
  warehouseList: '/erp/sc/data/local_inventory/warehouse',
  usedLogisticsTypes: '/erp/sc/routing/wms/WmsLogistics/listUsedLogisticsType',
} as const;

/**
 * A logistics type the account has but switched off (`is_used` 0), as real accounts keep retired
 * channels: a mapping that still points at it must be caught before go-live.
 */
export const DISABLED_LOGISTICS_TYPE_ID = '5999';

// Request schemas written from the reference tables: strict, so an unknown or mistyped field is
// a recorded (and refused) violation rather than silently ignored.
const int = z.number().int();
const sellerListBody = z.strictObject({
  offset: int.nonnegative().optional(),
  length: int.min(1).max(200).optional(),
  platform_code: z.array(int.positive()).optional(),
  is_sync: z.union([z.literal(0), z.literal(1)]).optional(),
  status: z.union([z.literal(0), z.literal(1)]).optional(),
});
const warehouseListBody = z.strictObject({
  type: z.union([z.literal(1), z.literal(3), z.literal(4), z.literal(6)]).optional(),
  sub_type: z.union([z.literal(1), z.literal(2)]).optional(),
  /** A string per the reference ("0", "1" or "0,1"). */
  is_delete: z.string().regex(/^[01](,[01])?$/).optional(),
  offset: int.nonnegative().optional(),
  length: int.min(1).optional(),
});
const logisticsBody = z.strictObject({
  param: z.strictObject({
    provider_type: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(4)]),
    page: int.min(1).optional(),
    length: int.min(1).optional(),
  }),
});

function refuse(world: World, path: string, error: z.ZodError): string {
  const problem = error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
  world.recorder.violation({ side: 'lingxing', endpoint: `POST ${path}`, problem, refused: true });
  return problem;
}

/** A JSON integer where it fits a double, else the decimal digits (the sandbox never rounds an id). */
const wireInt = (id: string): number | string => (Number.isSafeInteger(Number(id)) ? Number(id) : id);

function stores(world: World, platformCode: string) {
  return world.catalog.retailers.map((r) => ({
    store_id: r.storeId,
    sid: '',
    store_name: r.name,
    platform_code: platformCode,
    platform_name: 'Custom platform',
    currency: 'USD',
    is_sync: 1,
    status: 1,
  }));
}

function logisticsTypes(catalog: Catalog) {
  const enabled = [...catalog.logistics].map(([key, typeId]) => ({ typeId, name: key, used: 1 }));
  return [...enabled, { typeId: DISABLED_LOGISTICS_TYPE_ID, name: 'Retired carrier', used: 0 }].map((l) => ({
    type_id: l.typeId,
    name: l.name,
    code: l.name,
    is_used: l.used,
    logistics_provider_id: '1',
    logistics_provider_name: 'Sandbox carriers',
    provider_is_used: 1,
    type: 0,
    warehouse_type: 1,
  }));
}

const sellerList: LingxingHandler = (body, { world, platformCode }): SandboxResponse => {
  const parsed = sellerListBody.safeParse(body);
  if (!parsed.success) return mpError(refuse(world, LINGXING_ACCOUNT_PATHS.sellerList, parsed.error));
  const { offset = 0, length = 20, platform_code: codes, is_sync: isSync, status } = parsed.data;
  const rows = stores(world, platformCode).filter(
    (s) => (!codes || codes.length === 0 || codes.includes(Number(s.platform_code))) && (isSync === undefined || s.is_sync === isSync) && (status === undefined || s.status === status),
  );
  return mpEnvelope({ total: String(rows.length), list: rows.slice(offset, offset + length) });
};

const warehouseList: LingxingHandler = (body, { world, now }) => {
  const parsed = warehouseListBody.safeParse(body);
  if (!parsed.success) return erpError(refuse(world, LINGXING_ACCOUNT_PATHS.warehouseList, parsed.error), now());
  const { type = 1, is_delete: deleted = '0', offset = 0, length = 1000 } = parsed.data;
  // Every sandbox warehouse is a local (type 1), undeleted one.
  const rows = type === 1 && deleted.split(',').includes('0') ? world.catalog.warehouses : [];
  const data = rows.slice(offset, offset + length).map((w) => ({ wid: wireInt(w.wid), type: 1, name: w.name, is_delete: 0, country_code: 'US', t_status: 1 }));
  return erpEnvelope(data, rows.length, now());
};

const usedLogisticsTypes: LingxingHandler = (body, { world, now }) => {
  const parsed = logisticsBody.safeParse(body);
  if (!parsed.success) return erpError(refuse(world, LINGXING_ACCOUNT_PATHS.usedLogisticsTypes, parsed.error), now());
  const { provider_type: providerType, page = 1, length = 20 } = parsed.data.param;
  // The sandbox's carriers are all API logistics (provider type 0).
  const rows = providerType === 0 ? logisticsTypes(world.catalog) : [];
  return erpEnvelope(rows.slice((page - 1) * length, page * length), rows.length, now());
};

export const LINGXING_ACCOUNT_HANDLERS: Record<string, LingxingHandler> = {
  [LINGXING_ACCOUNT_PATHS.sellerList]: sellerList,
  [LINGXING_ACCOUNT_PATHS.warehouseList]: warehouseList,
  [LINGXING_ACCOUNT_PATHS.usedLogisticsTypes]: usedLogisticsTypes,
};
