import { prefetchOne, sleep } from '@dlsync/remote';

async function* pages(n: number, log: string[], failAt?: number): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) {
    log.push(`fetch ${i}`);
    await sleep(10);
    if (i === failAt) throw new Error(`page ${i} failed`);
    yield i;
  }
}

describe('prefetchOne', () => {
  it('starts fetching the next page before the consumer finishes the current one', async () => {
    const log: string[] = [];
    const seen: number[] = [];
    for await (const p of prefetchOne(pages(3, log))) {
      log.push(`consume ${p}`);
      seen.push(p);
      await sleep(20);
    }
    expect(seen).toEqual([0, 1, 2]);
    expect(log.indexOf('fetch 1')).toBeLessThan(log.indexOf('consume 0') + 1);
    expect(log.slice(0, 3)).toEqual(['fetch 0', 'fetch 1', 'consume 0']);
  });

  it('surfaces an error at the page it belongs to', async () => {
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const p of prefetchOne(pages(5, [], 2))) seen.push(p);
      })(),
    ).rejects.toThrow('page 2 failed');
    expect(seen).toEqual([0, 1]);
  });
});
