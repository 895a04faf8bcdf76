import { chunk, forEachConcurrent, mapConcurrent, sleep } from '@dlsync/remote';

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
});
