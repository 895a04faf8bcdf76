import { startSandbox, type Sandbox } from '@dlsync/sandbox';

/** Every scenario rate zero: only orders that complete normally. */
export const NORMAL_ONLY_MIX = {
  cancelled: 0,
  already_shipped: 0,
  acknowledged: 0,
  missing_price: 0,
  fallback_price: 0,
  unmapped_sku: 0,
  split_order: 0,
  split_shipment: 0,
  missing_address: 0,
  address_array: 0,
  first_last_name: 0,
  requested_warehouse_only: 0,
  stock_delivered_only: 0,
};

/**
 * How fast the sandbox's Lingxing fulfils an order, in real seconds after create: the bench
 * leaves the sandbox clock at wall speed so DSCO's apply delay is real time too.
 */
export const BENCH_FULFILMENT = { toShipAfterSeconds: 0.5, shipAfterSeconds: 1, secondShipmentAfterSeconds: 1.5 } as const;

/**
 * Entries per change-log page the bench's DSCO serves. DSCO's reference states no page size;
 * 100 is the sandbox's default and the bound for the fewest calls counts the same pages.
 */
export const BENCH_CHANGE_LOG_PAGE_SIZE = 100;

export interface BenchSandboxOptions {
  orders: number;
  latencyMs: number;
  /** DSCO applies async writes (shipments, invoices) this long after the 202. */
  applyDelayMs: number;
}

/**
 * The sandbox one lifecycle measurement runs against: seed 7, only orders that complete
 * normally, the published limits (Lingxing buckets, DSCO's per-endpoint rates), `latencyMs` on
 * every call. Ours and the per-order design get identical ones.
 */
export async function startBenchSandbox(o: BenchSandboxOptions): Promise<{ sandbox: Sandbox; seededFrom: Date }> {
  const sandbox = await startSandbox({
    seed: 7,
    // Token churn is not what this measures.
    lingxingTokenLifetimeSeconds: 10 * 365 * 86400,
    fulfilment: BENCH_FULFILMENT,
    asyncDelayMs: o.applyDelayMs,
    changeLogPageSize: BENCH_CHANGE_LOG_PAGE_SIZE,
  });
  sandbox.faults.set({ dsco: { latencyMs: o.latencyMs }, lingxing: { latencyMs: o.latencyMs } });
  const seeded = sandbox.world.seedOrders({ count: o.orders, seed: 7, mix: NORMAL_ONLY_MIX });
  return { sandbox, seededFrom: new Date(seeded.createdFrom) };
}

/**
 * Where a fleet that has been running all along has its pull watermark: just before the day's
 * orders. Without it the first pull reads every window since 2025-01-01 (one page call each),
 * a one-off that says nothing about a normal day.
 */
export function steadyStateWatermark(seededFrom: Date): Date {
  return new Date(seededFrom.getTime() - 60_000);
}
