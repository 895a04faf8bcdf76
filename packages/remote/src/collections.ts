/** Splits `items` into arrays of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
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
 * Runs `fn` for every item, at most `limit` at once. After a failure no new call starts, but
 * the ones in flight finish before the first failure is rethrown — a remote write must never be
 * left running after its run (and the run's lock) ended.
 */
export async function forEachConcurrent<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  async function* each(): AsyncGenerator<T, void, undefined> {
    yield* items;
  }
  await forEachOfConcurrent(each(), limit, fn);
}

/**
 * `forEachConcurrent` over an async source: at most `limit` calls of `fn` at once, the source
 * asked for its next item only when a call slot is free, so a paged source reads no further
 * ahead than the work (one page per free slot). After a failure, of `fn` or of the source, no
 * new item is taken, the calls in flight finish, the source is closed and the first failure is
 * rethrown.
 */
export async function forEachOfConcurrent<T>(source: AsyncIterable<T>, limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  const it = source[Symbol.asyncIterator]();
  let failure: { error: unknown } | undefined;
  let exhausted = false;
  // An async generator queues concurrent next() calls itself; any other iterator gets them one at a time.
  let taking: Promise<unknown> = Promise.resolve();
  const take = (): Promise<IteratorResult<T>> => {
    const step = taking.then(() => it.next());
    taking = step.catch(() => undefined);
    return step;
  };
  const slot = async (): Promise<void> => {
    while (!exhausted && !failure) {
      let step: IteratorResult<T>;
      try {
        step = await take();
      } catch (error) {
        failure ??= { error };
        return;
      }
      if (step.done) {
        exhausted = true;
        return;
      }
      try {
        await fn(step.value);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, slot));
  if (!exhausted) await it.return?.();
  if (failure) throw failure.error;
}
