import { backoffSeconds, itemFailureHistory, openWriteKeys, type ItemFailureHistory } from '@dlsync/store';
import type { HeldItem } from './engine-types.js';
import { itemHash } from './item-outcome.js';
import type { SettleContext } from './settle-writes.js';

export interface Admission<Item> {
  /** Items that may be sent now. */
  ready: Item[];
  /** Items that must not go now, with the reason. */
  held: HeldItem<Item>[];
}

/**
 * Splits `items` into those that may be sent now and those held back:
 * - `open`: a write of the same key is still sending, pending or in doubt at DSCO — sending
 *   again could apply it twice (DSCO may still be applying the first one);
 * - `exhausted`: DSCO failed this exact item (same content) `maxAttempts` times — it waits for
 *   an operator or for its data to change, which makes it a different item;
 * - `backoff`: DSCO failed this exact item recently; it goes again once the backoff has passed.
 * An item whose content changed since its failures is new and goes at once.
 */
export async function admitItems<Item>(ctx: SettleContext<Item>, items: readonly Item[]): Promise<Admission<Item>> {
  const { deps, kind, options } = ctx;
  const keys = [...new Set(items.map((item) => kind.keyOf(item)))];
  const open = await openWriteKeys(deps.store.db, kind.kind, keys);
  const history = new Map<string, ItemFailureHistory>();
  for (const h of await itemFailureHistory(deps.store.db, kind.kind, keys)) history.set(`${h.key}\u0000${h.hash}`, h);
  const nowMs = deps.now().getTime();
  const admission: Admission<Item> = { ready: [], held: [] };
  for (const item of items) {
    const key = kind.keyOf(item);
    if (open.has(key)) {
      admission.held.push({ item, key, why: 'open', result: 'waiting', reason: `a ${kind.kind} write of it is still pending or in doubt at DSCO` });
      continue;
    }
    const past = history.get(`${key}\u0000${itemHash(item)}`);
    if (past && past.failures >= options.maxAttempts) {
      admission.held.push({
        item,
        key,
        why: 'exhausted',
        result: 'skipped',
        reason: `DSCO refused this unchanged ${kind.kind} ${past.failures} times (last: ${past.lastReason ?? 'no reason'}); waiting for an operator or a data change`,
      });
      continue;
    }
    if (past) {
      const dueMs = past.lastFailedAt.getTime() + backoffSeconds(past.failures, options.backoff) * 1000;
      if (dueMs > nowMs) {
        admission.held.push({ item, key, why: 'backoff', result: 'waiting', reason: `DSCO refused this ${kind.kind} (${past.lastReason ?? 'no reason'}); sent again after ${new Date(dueMs).toISOString()}` });
        continue;
      }
    }
    admission.ready.push(item);
  }
  return admission;
}
