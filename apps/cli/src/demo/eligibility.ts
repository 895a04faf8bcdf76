import type { ScenarioTag, WorldOrder } from '@dlsync/sandbox';

/** Scenario tags that keep an order from ever reaching status 5, and why. */
export const BLOCKING_TAGS: Partial<Record<ScenarioTag, string>> = {
  cancelled: 'cancelled in DSCO (ends at status 6)',
  missing_price: 'a line has no price (push_to_lingxing skips it)',
  missing_address: 'shipping address incomplete (push_to_lingxing skips it)',
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
    const blocking = scenario.tags.find((t) => t in BLOCKING_TAGS);
    const pulledDone = order.dscoStatus === 'shipped' || order.dscoLifecycle === 'completed';
    if (!blocking || (pulledDone && blocking !== 'cancelled')) {
      eligible.push(order.poNumber);
      continue;
    }
    const reason = BLOCKING_TAGS[blocking]!;
    excluded.set(reason, [...(excluded.get(reason) ?? []), order.poNumber]);
  }
  return { eligible, excluded };
}
