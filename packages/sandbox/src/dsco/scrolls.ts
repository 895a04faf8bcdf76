import { randomUUID } from 'node:crypto';
import type { WorldOrder } from '../world/types.js';

interface Scroll {
  items: WorldOrder[];
  position: number;
  pageSize: number;
  expiresAtMs: number;
}

export type ScrollPage = { found: false } | { found: true; scrollId?: string; orders: WorldOrder[] };

/** Server-side scroll cursors of `GET /order/page`; each use extends the ttl (simulated time). */
export interface Scrolls {
  start(items: WorldOrder[], pageSize: number): ScrollPage & { found: true };
  next(scrollId: string): ScrollPage;
  clear(): void;
}

export function makeScrolls(now: () => number, ttlMs: number): Scrolls {
  const scrolls = new Map<string, Scroll>();
  const take = (id: string, scroll: Scroll): ScrollPage & { found: true } => {
    const orders = scroll.items.slice(scroll.position, scroll.position + scroll.pageSize);
    scroll.position += orders.length;
    if (orders.length === 0) {
      scrolls.delete(id);
      return { found: true, orders };
    }
    scroll.expiresAtMs = now() + ttlMs;
    return { found: true, scrollId: id, orders };
  };
  const sweep = (): void => {
    const current = now();
    for (const [id, scroll] of scrolls) if (scroll.expiresAtMs <= current) scrolls.delete(id);
  };
  return {
    start(items, pageSize) {
      sweep();
      const id = randomUUID();
      const scroll: Scroll = { items, position: 0, pageSize, expiresAtMs: now() + ttlMs };
      scrolls.set(id, scroll);
      return take(id, scroll);
    },
    next(scrollId) {
      const scroll = scrolls.get(scrollId);
      if (!scroll || scroll.expiresAtMs <= now()) {
        scrolls.delete(scrollId);
        return { found: false };
      }
      return take(scrollId, scroll);
    },
    clear: () => scrolls.clear(),
  };
}
