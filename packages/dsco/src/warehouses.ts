import { z } from 'zod';
import type { DscoRequest, DscoTransport } from './transport.js';

/** One of the supplier's warehouses (`GET /warehouse/page`). */
export const dscoWarehouseSchema = z.looseObject({
  /** The supplier's code: what orders carry as warehouseCode and dlsync maps. */
  code: z.string(),
  /** Dsco's own id. */
  warehouseId: z.string().optional(),
  name: z.string().optional(),
  status: z.string().optional(),
});
export type DscoWarehouse = z.output<typeof dscoWarehouseSchema>;

const warehousePageSchema = z.looseObject({
  scrollId: z.string().optional(),
  warehouses: z.array(dscoWarehouseSchema),
});

/** Pages a scroll could take before we assume DSCO keeps answering the same one. */
const MAX_PAGES = 100;

/**
 * Every warehouse of the calling supplier: the first page without filters, then the scroll
 * until a page comes back empty or without a scrollId (DSCO repeats the id on every page).
 * `request` carries the limiter and signal; only the query changes between pages.
 */
export async function listDscoWarehouses(transport: DscoTransport, request: Omit<DscoRequest, 'method' | 'endpoint' | 'searchParams'>): Promise<DscoWarehouse[]> {
  const all: DscoWarehouse[] = [];
  let scrollId: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const searchParams = new URLSearchParams(scrollId ? { scrollId } : {});
    const body = await transport.call({ ...request, method: 'GET', endpoint: '/warehouse/page', searchParams }, warehousePageSchema);
    all.push(...body.warehouses);
    if (!body.scrollId || body.warehouses.length === 0) return all;
    scrollId = body.scrollId;
  }
  return all;
}
