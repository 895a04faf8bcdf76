/** The part of a Lingxing `/pb/mp/order/v2/list` order these rules read. */
export interface SubOrder {
  global_order_no: string;
  status: number;
  platform_info: { platform_order_no: string }[];
}

/**
 * Lingxing orders per PO (`platform_info[].platform_order_no`), restricted to `pos`: a split
 * PO has several sub-orders, and a list answer may carry orders of POs nobody asked about.
 */
export function subOrdersByPo<T extends SubOrder>(orders: readonly T[], pos: Iterable<string>): Map<string, T[]> {
  const wanted = new Set(pos);
  const byPo = new Map<string, T[]>();
  for (const order of orders) {
    const own = new Set(order.platform_info.map((p) => p.platform_order_no).filter((po) => wanted.has(po)));
    for (const po of own) {
      const list = byPo.get(po) ?? [];
      if (!list.some((o) => o.global_order_no === order.global_order_no)) list.push(order);
      byPo.set(po, list);
    }
  }
  return byPo;
}

/** `lingxing_order_nos`: the global_order_no of every sub-order, deduplicated, comma-joined. */
export function joinOrderNos(globalOrderNos: Iterable<string>): string {
  return [...new Set(globalOrderNos)].filter(Boolean).join(',');
}

/** global_order_no per PO of a create call's success_details (a split PO has several entries). */
export function createdOrderNos(success: readonly { platform_order_no: string; global_order_no: string }[]): Map<string, string[]> {
  const byPo = new Map<string, string[]>();
  for (const { platform_order_no: po, global_order_no: no } of success) byPo.set(po, [...(byPo.get(po) ?? []), no]);
  return byPo;
}

/** A create error saying the PO is already in Lingxing (e.g. the retry after a lost response). */
export function isDuplicateOrderError(message: string): boolean {
  return /already exist|duplicate|重复|已存在/i.test(message);
}
