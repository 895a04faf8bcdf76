import { chunk, forEachConcurrent, forEachOfConcurrent, mapConcurrent, sleep } from '@dlsync/remote';

/** A paged source of 1..count that records what was pulled and whether it was closed. */
function pagedSource(count: number) {
  const pulled: number[] = [];
  let closed = false;
  async function* generate(): AsyncGenerator<number, void, undefined> {
    try {
      for (let n = 1; n <= count; n++) {
        pulled.push(n);
        yield n;
      }
    } finally {
      closed = true;
    }
  }
  return { pages: generate(), pulled, closed: () => closed };
}

describe('collections', () => {
  it('chunks and maps with bounded concurrency, keeping order', async () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(() => chunk([1], 0)).toThrow(RangeError);
    let running = 0;
    let max = 0;
    const out = await mapConcurrent([5, 1, 3, 2], 2, async (n) => {
      max = Math.max(max, ++running);
      await sleep(n * 5);
      running--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 30, 20]);
    expect(max).toBe(2);
  });

  it('forEachConcurrent lets calls in flight finish before rethrowing, and starts no new ones', async () => {
    const finished: number[] = [];
    const started: number[] = [];
    await expect(
      forEachConcurrent([1, 2, 3, 4], 2, async (n) => {
        started.push(n);
        if (n === 1) throw new Error('boom');
        await sleep(20);
        finished.push(n);
      }),
    ).rejects.toThrow('boom');
    expect(finished).toEqual([2]);
    expect(started).toEqual([1, 2]);
  });

  it('forEachOfConcurrent takes a paged source one item per free slot and runs at most limit at once', async () => {
    const source = pagedSource(5);
    let running = 0;
    let max = 0;
    const seen: number[] = [];
    await forEachOfConcurrent(source.pages, 2, async (n) => {
      // While the first two run, the source is not read further ahead than the free slots.
      if (n <= 2) expect(source.pulled.length).toBeLessThanOrEqual(2);
      max = Math.max(max, ++running);
      await sleep(10);
      seen.push(n);
      running--;
    });
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5]);
    expect(max).toBe(2);
    expect(source.closed()).toBe(true);
  });

  it('forEachOfConcurrent stops taking after a failure, lets calls in flight finish, closes the source and rethrows', async () => {
    const source = pagedSource(10);
    const finished: number[] = [];
    await expect(
      forEachOfConcurrent(source.pages, 2, async (n) => {
        if (n === 1) throw new Error('boom');
        await sleep(20);
        finished.push(n);
      }),
    ).rejects.toThrow('boom');
    expect(finished).toEqual([2]);
    expect(source.pulled).toEqual([1, 2]);
    expect(source.closed()).toBe(true);
  });

  it('forEachOfConcurrent rethrows a failing source after the calls in flight finish', async () => {
    async function* pages(): AsyncGenerator<number, void, undefined> {
      yield 1;
      throw new Error('page read failed');
    }
    const finished: number[] = [];
    await expect(
      forEachOfConcurrent(pages(), 3, async (n) => {
        await sleep(10);
        finished.push(n);
      }),
    ).rejects.toThrow('page read failed');
    expect(finished).toEqual([1]);
  });
});
