import type { Page } from './schemas.js';

export { chunk, mapConcurrent } from '@dlsync/remote';

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
