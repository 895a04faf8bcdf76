import { createHash } from 'node:crypto';
import { changeLogSubject, type ChangeLogEntry, type ChangeLogMessage } from '@dlsync/dsco';
import type { WriteItemResult } from '@dlsync/store';
import type { WriteKindBase } from './kinds.js';

/** sha256 of an item's JSON: the same item sent again has the same hash; any change gives a new one. */
export function itemHash(item: unknown): string {
  return createHash('sha256').update(JSON.stringify(item)).digest('hex');
}

/** Every item of a write before DSCO said anything about it. */
export function pendingResults<Item>(kind: WriteKindBase<Item>, items: readonly Item[]): WriteItemResult[] {
  return items.map((item) => ({ key: kind.keyOf(item), hash: itemHash(item), status: 'pending' }));
}

/** Marks every still-open item `status` with `reason` (settled ones keep their verdict). */
export function closeOpenItems(results: readonly WriteItemResult[], status: 'not_sent' | 'lost' | 'failure', reason: string): WriteItemResult[] {
  return results.map((r) => (r.status === 'pending' ? { ...r, status, reason } : r));
}

/** One line from a failed entry's messages: the errors when any are marked, else every message. */
export function describeMessages(messages: readonly ChangeLogMessage[]): string {
  const errors = messages.filter((m) => m.severity === 'error');
  const shown = errors.length > 0 ? errors : messages;
  if (shown.length === 0) return 'no reason given';
  return shown.map((m) => (m.description ? `${m.code}: ${m.description}` : m.code)).join('; ');
}

/**
 * The items' results after reading their change-log entries. An item with any failed entry
 * failed (with DSCO's reason); one whose entries all succeeded succeeded; otherwise it is
 * still pending — unless DSCO says the request is COMPLETED and still lists nothing for it,
 * which is a failure too (DSCO finished and did not apply it).
 */
export function applyEntries<Item>(
  kind: WriteKindBase<Item>,
  results: readonly WriteItemResult[],
  entries: readonly ChangeLogEntry[],
  requestStatus?: string,
): WriteItemResult[] {
  const byKey = new Map<string, ChangeLogEntry[]>();
  for (const entry of entries) {
    const key = kind.keyOfSubject(changeLogSubject(kind.log, entry.payload));
    if (key === undefined) continue;
    const list = byKey.get(key) ?? [];
    list.push(entry);
    byKey.set(key, list);
  }
  return results.map((r): WriteItemResult => {
    if (r.status !== 'pending') return r;
    const mine = byKey.get(r.key) ?? [];
    const failed = mine.filter((e) => e.status === 'failure');
    if (failed.length > 0) {
      const messages = failed.flatMap((e) => e.results);
      return { ...r, status: 'failure', reason: describeMessages(messages), codes: [...new Set(messages.map((m) => m.code))] };
    }
    if (mine.length > 0 && mine.every((e) => e.status === 'success')) return { ...r, status: 'success' };
    if (mine.length === 0 && requestStatus === 'COMPLETED') {
      return { ...r, status: 'failure', reason: 'DSCO completed the request without a change-log entry for this item', codes: ['NO_ENTRY'] };
    }
    return r;
  });
}

/** A write is settled once none of its items is pending: success when all succeeded. */
export function writeStateOf(results: readonly WriteItemResult[]): 'pending' | 'success' | 'failure' {
  if (results.some((r) => r.status === 'pending')) return 'pending';
  return results.every((r) => r.status === 'success') ? 'success' : 'failure';
}

/** The stored per-item results of a write row, or fresh pending ones from its body when it has none (a crash before the call returned). */
export function storedResults<Item>(kind: WriteKindBase<Item>, results: unknown, items: readonly Item[]): WriteItemResult[] {
  if (Array.isArray(results) && results.length === items.length) return results as WriteItemResult[];
  return pendingResults(kind, items);
}
