import type { Page } from './schemas.js';

/** Splits `items` into arrays of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError('chunk size must be a positive integer');
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Maps with at most `limit` calls of `fn` running at once; results keep input order. */
export async function mapConcurrent<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/**
 * Reads every row of an offset-paged listing. Stops at `total` or at an empty page (so a
 * shrinking listing cannot loop forever).
 */
export async function collectOffsetPages<T>(length: number, fetch: (offset: number, length: number) => Promise<Page<T>>): Promise<T[]> {
  const rows: T[] = [];
  for (let offset = 0; ; ) {
    const page = await fetch(offset, length);
    rows.push(...page.list);
    offset += page.list.length;
    if (page.list.length === 0 || offset >= page.total) return rows;
  }
}

/** Reads every row of a 1-based page-numbered listing (wmsOrderList). */
export async function collectNumberedPages<T>(pageSize: number, fetch: (page: number, pageSize: number) => Promise<Page<T>>): Promise<T[]> {
  const rows: T[] = [];
  for (let page = 1; ; page++) {
    const result = await fetch(page, pageSize);
    rows.push(...result.list);
    if (result.list.length === 0 || page * pageSize >= result.total) return rows;
  }
}
