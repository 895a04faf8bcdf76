import type { DscoStatus, WorldOrder } from './types.js';

/** Query for `GET /order/page` (times in epoch ms, inclusive on both ends). */
export interface OrderQuery {
  createdSinceMs?: number;
  updatedSinceMs?: number;
  untilMs: number;
  statuses: DscoStatus[];
}

/**
 * DSCO orders indexed by PO and kept sorted by creation time, so a window query is a binary
 * search plus a slice even with 100k orders.
 */
export interface DscoOrders {
  add(order: WorldOrder): void;
  /** Bulk insert: one sort instead of one splice per order. */
  addMany(orders: WorldOrder[]): void;
  get(poNumber: string): WorldOrder | undefined;
  query(query: OrderQuery): WorldOrder[];
  all(): readonly WorldOrder[];
  size(): number;
  clear(): void;
}

function lowerBound(sorted: readonly WorldOrder[], ms: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as WorldOrder).createdAtMs < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function makeDscoOrders(): DscoOrders {
  const byPo = new Map<string, WorldOrder>();
  let sorted: WorldOrder[] = [];
  const assertNew = (order: WorldOrder): void => {
    if (byPo.has(order.order.poNumber)) throw new Error(`duplicate poNumber ${order.order.poNumber}`);
  };
  return {
    add(order) {
      assertNew(order);
      byPo.set(order.order.poNumber, order);
      sorted.splice(lowerBound(sorted, order.createdAtMs + 1), 0, order);
    },
    addMany(orders) {
      for (const order of orders) assertNew(order);
      for (const order of orders) byPo.set(order.order.poNumber, order);
      sorted.push(...orders);
      sorted.sort((a, b) => a.createdAtMs - b.createdAtMs);
    },
    get: (poNumber) => byPo.get(poNumber),
    query({ createdSinceMs, updatedSinceMs, untilMs, statuses }) {
      const statusSet = statuses.length > 0 ? new Set(statuses) : undefined;
      const keep = (o: WorldOrder): boolean => !statusSet || statusSet.has(o.order.dscoStatus);
      const result: WorldOrder[] = [];
      if (createdSinceMs !== undefined) {
        for (let i = lowerBound(sorted, createdSinceMs); i < sorted.length; i += 1) {
          const order = sorted[i] as WorldOrder;
          if (order.createdAtMs > untilMs) break;
          if (keep(order)) result.push(order);
        }
        return result;
      }
      const since = updatedSinceMs ?? 0;
      for (const order of sorted) {
        if (order.updatedAtMs >= since && order.updatedAtMs <= untilMs && keep(order)) result.push(order);
      }
      return result;
    },
    all: () => sorted,
    size: () => sorted.length,
    clear() {
      byPo.clear();
      sorted = [];
    },
  };
}
