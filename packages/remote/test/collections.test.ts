import { chunk, forEachConcurrent, forEachConcurrentOf, mapConcurrent, sleep } from '@dlsync/remote';

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

  it('forEachConcurrentOf hands each item of an async source out once, at most `limit` at a time', async () => {
    async function* pages() {
      for (let i = 1; i <= 5; i++) {
        await sleep(5);
        yield i;
      }
    }
    const seen: number[] = [];
    let inFlight = 0;
    let max = 0;
    await forEachConcurrentOf(pages(), 2, async (n) => {
      max = Math.max(max, ++inFlight);
      await sleep(15);
      seen.push(n);
      inFlight--;
    });
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5]);
    expect(max).toBe(2);
  });

  it('forEachConcurrentOf stops pulling after a failure, lets the call in flight finish, then closes the source', async () => {
    let closed = false;
    async function* pages() {
      try {
        for (let i = 1; i <= 10; i++) yield i;
      } finally {
        closed = true;
      }
    }
    const finished: number[] = [];
    await expect(
      forEachConcurrentOf(pages(), 2, async (n) => {
        if (n === 1) throw new Error('boom');
        await sleep(20);
        finished.push(n);
      }),
    ).rejects.toThrow('boom');
    expect(finished).toEqual([2]);
    expect(closed).toBe(true);
  });
});
