import type { SimClock } from './clock.js';
import type { BucketStats } from './lingxing/buckets.js';
import type { EndpointStats, Violation, Writes } from './world/recorder.js';
import type { StoredInvoice } from './world/dsco-side.js';
import type { DscoOrder, Scenario } from './world/types.js';
import type { World } from './world/world.js';
import type { InventoryInput } from './dsco/request-schemas.js';

export interface StateOptions {
  /** Include DSCO and Lingxing orders. (Default: true) */
  orders?: boolean;
  /** Restrict orders and writes to one PO. */
  poNumber?: string;
}

export interface SandboxState {
  clock: { simNow: string; wallNow: string; offsetMs: number };
  orders: Array<{ poNumber: string; scenario: Scenario; order: DscoOrder }>;
  lingxingOrders: Array<{
    globalOrderNo: string;
    platformOrderNo: string;
    storeId: string;
    status: number;
    createdAt: string;
    toShipAt: string;
    parcels: Array<{ trackingNo: string; shipAt: string; items: Array<{ sku: string; seller_sku: string; count: number }> }>;
  }>;
  invoices: StoredInvoice[];
  dscoInventory: InventoryInput[];
  writes: Writes;
  /** Every contract violation received (see Violation); empty for a faithful client. */
  violations: Violation[];
  calls: Record<string, EndpointStats>;
  buckets: Record<string, BucketStats>;
}

const iso = (ms: number): string => new Date(ms).toISOString();

function filterWrites(writes: Writes, po: string, globalOrderNos: ReadonlySet<string>): Writes {
  return {
    lingxingCreates: writes.lingxingCreates.filter((w) => w.platformOrderNo === po),
    lingxingCancels: writes.lingxingCancels.filter((w) => globalOrderNos.has(w.globalOrderNo)),
    dscoAcks: writes.dscoAcks.filter((w) => w.poNumber === po),
    dscoShipments: writes.dscoShipments.filter((w) => w.poNumber === po),
    dscoInvoices: writes.dscoInvoices.filter((w) => w.poNumber === po),
    dscoInventory: [],
    tokens: [],
  };
}

/** A JSON-ready snapshot of everything the sandbox knows (after running due async work). */
export function snapshotState(world: World, clock: SimClock, buckets: Record<string, BucketStats>, options: StateOptions = {}): SandboxState {
  world.tick();
  const po = options.poNumber;
  const includeOrders = options.orders ?? true;
  const dscoOrders = !includeOrders ? [] : po ? [world.order(po)].filter((o) => o !== undefined) : world.dscoOrders.all();
  const lingxingOrders = !includeOrders ? [] : po ? world.lingxing.byPo(po) : world.lingxing.all();
  return {
    clock: { simNow: iso(clock.now()), wallNow: iso(clock.wallNow()), offsetMs: clock.offsetMs() },
    orders: dscoOrders.map((o) => ({ poNumber: o.order.poNumber, scenario: o.scenario, order: o.order })),
    lingxingOrders: lingxingOrders.map((o) => ({
      globalOrderNo: o.globalOrderNo,
      platformOrderNo: o.platformOrderNo,
      storeId: o.storeId,
      status: world.lingxing.status(o),
      createdAt: iso(o.createdAtMs),
      toShipAt: iso(o.toShipAtMs),
      parcels: o.parcels.map((p) => ({ trackingNo: p.trackingNo, shipAt: iso(p.shipAtMs), items: p.items })),
    })),
    invoices: po ? world.dsco.invoicesFor('poNumber', po) : world.dsco.allInvoices(),
    dscoInventory: [...world.dsco.inventory().values()],
    writes: po ? filterWrites(world.recorder.writes, po, new Set(world.lingxing.byPo(po).map((o) => o.globalOrderNo))) : world.recorder.writes,
    violations: world.recorder.violations,
    calls: Object.fromEntries(world.recorder.stats),
    buckets,
  };
}
