import { Redis } from 'ioredis';
import { useTestEnv } from '@dlsync/infra/testing';
import { sleep } from '@dlsync/remote';
import { makeTokenManager, type AuthClient, type TokenData } from '@dlsync/lingxing';

const env = useTestEnv();
const APP_ID = 'ak_tokentest0001';
let a: Redis;
let b: Redis;
let seq = 0;

beforeAll(() => {
  a = new Redis(env.redisUrl);
  b = new Redis(env.redisUrl);
});
afterAll(() => {
  a.disconnect();
  b.disconnect();
});

/** An in-memory auth server (refresh behaves like issue) whose calls can be held open by the test. */
function makeAuth() {
  let issued = 0;
  const gates: Array<() => void> = [];
  const auth: AuthClient & { issuedCount: () => number; heldCount: () => number; openNext: () => void; hold: boolean } = {
    hold: false,
    async issue(): Promise<TokenData> {
      const n = ++issued;
      if (auth.hold) await new Promise<void>((resolve) => gates.push(resolve));
      else await sleep(20);
      return { access_token: `tok-${n}`, refresh_token: `ref-${n}`, expires_in: 7199 };
    },
    refresh(): Promise<TokenData> {
      return auth.issue();
    },
    issuedCount: () => issued,
    heldCount: () => gates.length,
    openNext: () => gates.shift()?.(),
  };
  return auth;
}

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await sleep(5);
}

it('many concurrent getToken calls across two processes issue exactly one token', async () => {
  const keyPrefix = `${env.redisPrefix}tm${++seq}:`;
  const auth = makeAuth();
  const first = makeTokenManager({ redis: a, keyPrefix, appId: APP_ID, auth, pollMs: 5 });
  const second = makeTokenManager({ redis: b, keyPrefix, appId: APP_ID, auth, pollMs: 5 });
  const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? first : second).getToken()));
  expect(new Set(tokens)).toEqual(new Set(['tok-1']));
  expect(auth.issuedCount()).toBe(1);
}, 10_000);

it('waits for a lock left by a crashed process and takes over once its lease ends', async () => {
  const keyPrefix = `${env.redisPrefix}tm${++seq}:`;
  await a.set(`${keyPrefix}token-lock:${APP_ID}`, 'crashed-holder', 'PX', 150);
  const auth = makeAuth();
  const manager = makeTokenManager({ redis: b, keyPrefix, appId: APP_ID, auth, pollMs: 5 });
  await expect(manager.getToken()).resolves.toBe('tok-1');
  expect(await a.exists(`${keyPrefix}token-lock:${APP_ID}`)).toBe(0);
}, 10_000);

it('a holder whose lease ran out does not release the lock a later process holds', async () => {
  const keyPrefix = `${env.redisPrefix}tm${++seq}:`;
  const lockKey = `${keyPrefix}token-lock:${APP_ID}`;
  const auth = makeAuth();
  auth.hold = true;
  const slow = makeTokenManager({ redis: a, keyPrefix, appId: APP_ID, auth, lockTtlMs: 50, pollMs: 5 });
  const later = makeTokenManager({ redis: b, keyPrefix, appId: APP_ID, auth, lockTtlMs: 5_000, pollMs: 5 });
  const slowToken = slow.getToken();
  await until(() => auth.heldCount() === 1);
  await until(async () => (await a.exists(lockKey)) === 0); // the slow holder's lease expired
  const laterToken = later.getToken();
  await until(() => auth.heldCount() === 2);
  const laterLock = await a.get(lockKey);
  expect(laterLock).not.toBeNull();
  auth.openNext(); // the slow holder finishes and releases
  await expect(slowToken).resolves.toBe('tok-1');
  expect(await a.get(lockKey)).toBe(laterLock);
  auth.openNext();
  await expect(laterToken).resolves.toBe('tok-2');
  expect(await a.exists(lockKey)).toBe(0);
}, 10_000);

it('invalidate renews only when the shared token is still the rejected one', async () => {
  const keyPrefix = `${env.redisPrefix}tm${++seq}:`;
  const auth = makeAuth();
  const manager = makeTokenManager({ redis: a, keyPrefix, appId: APP_ID, auth, pollMs: 5 });
  const old = await manager.getToken();
  const renewed = await Promise.all([manager.invalidate(old), manager.invalidate(old), manager.invalidate(old)]);
  expect(renewed).toEqual(['tok-2', 'tok-2', 'tok-2']);
  await expect(manager.invalidate(old)).resolves.toBe('tok-2'); // late report of the same failure
  expect(auth.issuedCount()).toBe(2);
}, 10_000);

it('a caller can stop waiting for a renewal without cancelling it for the others', async () => {
  const keyPrefix = `${env.redisPrefix}tm${++seq}:`;
  const auth = makeAuth();
  auth.hold = true;
  const manager = makeTokenManager({ redis: a, keyPrefix, appId: APP_ID, auth, pollMs: 5 });
  const controller = new AbortController();
  const impatient = manager.getToken(controller.signal);
  const patient = manager.getToken();
  await until(() => auth.heldCount() === 1);
  controller.abort(new Error('gave up'));
  await expect(impatient).rejects.toThrow('gave up');
  auth.openNext();
  await expect(patient).resolves.toBe('tok-1');
}, 10_000);
