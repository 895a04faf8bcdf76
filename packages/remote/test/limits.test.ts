import { Redis } from 'ioredis';
import { useTestEnv } from '@dlsync/infra/testing';
import { makeInflightLimiter, makeRateLimiter, withRetry, sleep } from '@dlsync/remote';

const env = useTestEnv();
let redisA: Redis;
let redisB: Redis;

beforeAll(() => {
  redisA = new Redis(env.redisUrl);
  redisB = new Redis(env.redisUrl);
});
afterAll(() => {
  redisA.disconnect();
  redisB.disconnect();
});

describe('makeInflightLimiter', () => {
  it('never lets more than `size` calls run at once across two connections ("processes")', async () => {
    const key = `${env.redisPrefix}inflight:a`;
    const a = makeInflightLimiter(redisA, { key, size: 2 });
    const b = makeInflightLimiter(redisB, { key, size: 2 });
    let current = 0;
    let max = 0;
    const work = async (): Promise<void> => {
      current++;
      max = Math.max(max, current);
      await sleep(15);
      current--;
    };
    await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).run(work)));
    expect(max).toBe(2);
    expect(await a.inUse()).toBe(0);
  });

  it('reclaims a slot whose holder never released it once the lease expires', async () => {
    const key = `${env.redisPrefix}inflight:lease`;
    const crashed = makeInflightLimiter(redisA, { key, size: 1, leaseMs: 150 });
    await crashed.acquire(); // never released, like a kill -9
    const other = makeInflightLimiter(redisB, { key, size: 1, leaseMs: 150 });
    const started = Date.now();
    const release = await other.acquire();
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    await release();
  });

  it('stops waiting when the signal aborts', async () => {
    const key = `${env.redisPrefix}inflight:abort`;
    const l = makeInflightLimiter(redisA, { key, size: 1 });
    const release = await l.acquire();
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('cancelled')), 30);
    await expect(l.acquire(ac.signal)).rejects.toThrow('cancelled');
    await release();
  });
});

describe('makeRateLimiter', () => {
  it('admits a burst of `max` then spaces calls at the limit, shared by two connections', async () => {
    const key = `${env.redisPrefix}rate:a`;
    const a = makeRateLimiter(redisA, { key, limits: [{ max: 5, perMs: 500 }] });
    const b = makeRateLimiter(redisB, { key, limits: [{ max: 5, perMs: 500 }] });
    const times: number[] = [];
    const start = Date.now();
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).take().then(() => times.push(Date.now() - start))));
    times.sort((x, y) => x - y);
    // 5 immediately, the other 5 only once the first ones leave the 500 ms window.
    expect(times[4]!).toBeLessThan(300);
    expect(times[9]!).toBeGreaterThanOrEqual(450);
  });
});

describe('withRetry', () => {
  it('retries retryable errors and rethrows the last one when attempts run out', async () => {
    let calls = 0;
    const err = Object.assign(new Error('503'), { retryable: true });
    await expect(
      withRetry(
        async () => {
          calls++;
          throw err;
        },
        { policy: { attempts: 3, baseMs: 1, maxMs: 2 } },
      ),
    ).rejects.toBe(err);
    expect(calls).toBe(3);
  });

  it('does not retry a permanent error', async () => {
    let calls = 0;
    await expect(
      withRetry(async () => {
        calls++;
        throw Object.assign(new Error('400'), { retryable: false });
      }),
    ).rejects.toThrow('400');
    expect(calls).toBe(1);
  });

  it('honours a Retry-After hint longer than the backoff', async () => {
    let calls = 0;
    const start = Date.now();
    const out = await withRetry(
      async () => {
        if (++calls === 1) throw Object.assign(new Error('429'), { retryable: true, retryAfterMs: 120 });
        return 'ok';
      },
      { policy: { baseMs: 1, maxMs: 1000 } },
    );
    expect(out).toBe('ok');
    expect(Date.now() - start).toBeGreaterThanOrEqual(110);
  });
});

describe('makeRateLimiter in a sliding window', () => {
  it('never admits more than max calls in any window', async () => {
    const key = `${env.redisPrefix}rate:sliding`;
    const l = makeRateLimiter(redisA, { key, limits: [{ max: 4, perMs: 200 }] });
    const times: number[] = [];
    await Promise.all(Array.from({ length: 12 }, () => l.take().then(() => times.push(Date.now()))));
    times.sort((a, b) => a - b);
    // The stamps are taken when each take() resolves here, after Redis admitted it: a busy event
    // loop (the suite runs files side by side) stamps one call late and its next-but-three early by
    // up to a few ms each. Unlimited, five calls would land within a millisecond or two.
    const stampJitterMs = 15;
    for (let i = 4; i < times.length; i++) expect(times[i]! - times[i - 4]!).toBeGreaterThanOrEqual(200 - stampJitterMs);
  });
});
