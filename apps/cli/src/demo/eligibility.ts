import type { DscoOrder, ScenarioTag, WorldOrder } from '@dlsync/sandbox';

/**
 * Scenario tags that keep an order from ever reaching status 5, and why. `applies` narrows a
 * tag to the orders it really blocks: a missing_address order that only lacks the state still
 * goes to Lingxing, which does not require it.
 */
export const BLOCKING_TAGS: Partial<Record<ScenarioTag, { reason: string; applies?: (order: DscoOrder) => boolean }>> = {
  cancelled: { reason: 'cancelled in DSCO (ends at status 6)' },
  missing_price: { reason: 'a line has no price (push_to_lingxing skips it)' },
  missing_address: {
    reason: 'no city or postal code (push_to_lingxing skips it)',
    applies: (order) => !order.shipping.city || !order.shipping.postal,
  },
};

export interface Eligibility {
  /** POs that can complete (reach status 5). */
  eligible: string[];
  /** POs that cannot, grouped by reason. */
  excluded: Map<string, string[]>;
}

/**
 * Which orders the pipeline can finish, derived from the sandbox's hidden scenario tags. An
 * order DSCO already shows as shipped is pulled straight to 5, whatever else is wrong with it.
 */
export function classifyOrders(orders: readonly Pick<WorldOrder, 'order' | 'scenario'>[]): Eligibility {
  const eligible: string[] = [];
  const excluded = new Map<string, string[]>();
  for (const { order, scenario } of orders) {
    const tags = new Set(scenario.tags);
    const blocking = (Object.keys(BLOCKING_TAGS) as ScenarioTag[]).find((t) => tags.has(t) && (BLOCKING_TAGS[t]!.applies?.(order) ?? true));
    const pulledDone = order.dscoStatus === 'shipped' || order.dscoLifecycle === 'completed';
    if (!blocking || (pulledDone && blocking !== 'cancelled')) {
      eligible.push(order.poNumber);
      continue;
    }
    const { reason } = BLOCKING_TAGS[blocking]!;
    excluded.set(reason, [...(excluded.get(reason) ?? []), order.poNumber]);
  }
  return { eligible, excluded };
}
