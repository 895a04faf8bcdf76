import { useTestEnv } from '@dlsync/infra/testing';
import { makeConcurrencyLimit, BusyError } from '../src/auth/concurrency-limit.js';
import { ALICE_PASSWORD, CAROL_PASSWORD, basic, makeAdminFixture, type AdminFixture, type HttpResponse } from './admin-fixture.js';
import { login } from './attack-helpers.js';

// Password guessing: failures are counted per user name and per client address in Redis (so
// every replica sees them), a throttled guess never reaches scrypt, and a burst cannot occupy
// the thread pool. Each test uses its own user names and client addresses (X-Forwarded-For
// through admin.trust_proxy) so no two tests share a counter.

const testEnv = useTestEnv();
const THROTTLE = { failures_per_user: 3, failures_per_address: 5, window_seconds: 60, concurrent_checks: 2 };
let fx: AdminFixture;

beforeAll(async () => {
  fx = await makeAdminFixture(testEnv, { admin: { trust_proxy: true, login_throttle: THROTTLE } });
});
afterAll(() => fx.close());

const from = (address: string) => ({ 'x-forwarded-for': address });

function expectThrottled(res: HttpResponse): void {
  expect(res.status).toBe(429);
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(THROTTLE.window_seconds);
}

describe('sign-in throttle', () => {
  it('answers 429 with Retry-After once a user has used up its failures, from any address, even for the right password', async () => {
    for (let i = 0; i < THROTTLE.failures_per_user; i++) {
      expect((await login(fx, 'alice', `guess-${i}`, '/', from(`10.1.0.${i}`))).status).toBe(401);
    }
    const throttled = await login(fx, 'alice', ALICE_PASSWORD, '/', from('10.1.0.99'));
    expectThrottled(throttled);
    expect(throttled.body).toContain('Too many failed sign-ins');
    expectThrottled(await fx.request('/api/config', { headers: { authorization: basic('alice', ALICE_PASSWORD), ...from('10.1.0.98') } }));
  });

  it('answers 429 once an address has used up its failures, whatever user names it tries', async () => {
    for (let i = 0; i < THROTTLE.failures_per_address; i++) {
      expect((await login(fx, `nobody-${i}`, 'guess', '/', from('10.2.0.1'))).status).toBe(401);
    }
    expectThrottled(await login(fx, 'someone-else', 'guess', '/', from('10.2.0.1')));
    expectThrottled(await fx.request('/api/runs', { headers: { authorization: basic('yet-another', 'guess'), ...from('10.2.0.1') } }));
    // Another address is not affected.
    expect((await login(fx, 'someone-else', 'guess', '/', from('10.2.0.2'))).status).toBe(401);
  });

  it('counts failures only: an API client using Basic on every request is never throttled for succeeding', async () => {
    for (let i = 0; i < THROTTLE.failures_per_address * 3; i++) {
      const res = await fx.request('/api/runs', { headers: { authorization: basic('carol', CAROL_PASSWORD), ...from('10.3.0.1') } });
      expect(res.status).toBe(200);
    }
  });

  it('shares the counts between replicas through Redis', async () => {
    const other = await makeAdminFixture(testEnv, { admin: { trust_proxy: true, login_throttle: THROTTLE } });
    try {
      for (let i = 0; i < THROTTLE.failures_per_user; i++) {
        expect((await login(fx, 'erin', 'guess', '/', from(`10.4.0.${i}`))).status).toBe(401);
      }
      expectThrottled(await login(other, 'erin', 'guess', '/', from('10.4.1.1')));
    } finally {
      await other.close();
    }
  });

  it('keeps a parallel burst from paying for more than a budget of password checks', async () => {
    const burst = await Promise.all(
      Array.from({ length: 40 }, () => fx.request('/api/config', { headers: { authorization: basic('flood', 'guess'), ...from('10.5.0.1') } })),
    );
    const checked = burst.filter((r) => r.status === 401).length;
    // At most `concurrent_checks` checks can pass the counter read before the failures land.
    expect(checked).toBeGreaterThanOrEqual(THROTTLE.failures_per_user);
    expect(checked).toBeLessThanOrEqual(THROTTLE.failures_per_user + THROTTLE.concurrent_checks - 1);
    for (const res of burst.filter((r) => r.status !== 401)) expectThrottled(res);
  });
});

describe('makeConcurrencyLimit', () => {
  it('runs at most max at once, queues up to maxWaiting, and turns the rest away at once', async () => {
    const limit = makeConcurrencyLimit(2, 3);
    const gates: (() => void)[] = [];
    let running = 0;
    let peak = 0;
    const job = () =>
      limit.run(async () => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise<void>((resolve) => gates.push(resolve));
        running -= 1;
      });
    const accepted = Array.from({ length: 5 }, job);
    await expect(job()).rejects.toBeInstanceOf(BusyError);
    expect(limit.active).toBe(2);
    while (gates.length > 0 || running > 0) {
      gates.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(accepted);
    expect(peak).toBe(2);
    expect(limit.active).toBe(0);
  });
});
