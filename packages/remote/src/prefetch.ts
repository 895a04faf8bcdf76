/**
 * Iterates `source` while already fetching its next item, so the consumer's work on one page
 * overlaps the network round trip of the next. At most one item is held ahead; errors surface
 * where the item they belong to would have been consumed.
 */
export async function* prefetchOne<T>(source: AsyncIterable<T>): AsyncGenerator<T, void, undefined> {
  const it = source[Symbol.asyncIterator]();
  let next = it.next();
  try {
    for (;;) {
      const current = await next;
      if (current.done) return;
      next = it.next();
      // Keep an early rejection from being reported as unhandled before we reach it.
      next.catch(() => undefined);
      yield current.value;
    }
  } finally {
    await it.return?.();
  }
}
