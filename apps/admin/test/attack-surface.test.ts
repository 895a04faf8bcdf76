import fc from 'fast-check';
import { Redis } from 'ioredis';
import { useTestEnv } from '@dlsync/infra/testing';
import { makeSilentLogger } from '@dlsync/logger';
import { makeAdminServer } from '../src/index.js';
import { ALICE, ALICE_PASSWORD, BOT_TOKEN, httpRequest, makeAdminFixture, type AdminFixture } from './admin-fixture.js';
import { concrete, cookieOf, login, UNSAFE } from './attack-helpers.js';

// What every answer carries (headers), what a probe may learn (/readyz), and that no route's
// input, however hostile, makes the server fail (500).

const testEnv = useTestEnv();
let fx: AdminFixture;
const BOT = { authorization: `Bearer ${BOT_TOKEN}` };

beforeAll(async () => {
  fx = await makeAdminFixture(testEnv, { waitTimeoutMs: 500 });
});
afterAll(() => fx.close());

describe('security headers on every route', () => {
  it('sends nosniff, X-Frame-Options and a CSP with frame-ancestors on every route, signed in or not, Bull Board and 404s included', async () => {
    const urls = fx.app.adminRoutes.map((r) => ({ method: r.method, url: concrete(r.url) }));
    urls.push({ method: 'GET', url: '/no-such-page' }, { method: 'GET', url: '/admin/queues/static/no-such.js' });
    for (const { method, url } of urls) {
      for (const headers of [{}, BOT]) {
        const res = await fx.request(url, { method, headers });
        const seen = {
          url,
          nosniff: res.headers['x-content-type-options'],
          frame: res.headers['x-frame-options'],
          ancestors: /frame-ancestors 'none'/.test(String(res.headers['content-security-policy'])),
        };
        expect(seen).toEqual({ url, nosniff: 'nosniff', frame: 'DENY', ancestors: true });
      }
    }
  });
});

describe('/readyz exposure', () => {
  it('tells an anonymous probe only what is down, and a signed-in caller why', async () => {
    const broken = await makeAdminFixture(testEnv, {
      admin: { public_paths: ['/healthz', '/readyz'] },
      databaseUrl: 'postgres://postgres@127.0.0.1:1/nowhere',
    });
    try {
      const anonymous = await broken.request('/readyz');
      expect(anonymous.status).toBe(503);
      expect(anonymous.json()).toEqual({ ok: false, postgres: 'unavailable', redis: 'ok' });
      expect(anonymous.body).not.toMatch(/127\.0\.0\.1|:1\b|ECONNREFUSED/);
      const signedIn = await broken.request('/readyz', { headers: BOT });
      expect(signedIn.status).toBe(503);
      expect(signedIn.json().postgres).toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    } finally {
      await broken.close();
    }
  });
});

describe('Redis down', () => {
  it('answers a session request 503 (not 500), while Basic still signs in', async () => {
    const secret = 'a-shared-secret-of-at-least-32-characters';
    const live = await makeAdminFixture(testEnv, { admin: { session_secret: secret } });
    const deadRedis = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    deadRedis.on('error', () => undefined);
    const app = makeAdminServer({
      services: { store: live.store, redis: deadRedis, queueConnection: live.queueConnection, prefix: live.prefix },
      queues: live.queues,
      env: live.env,
      logger: makeSilentLogger(),
    });
    try {
      const cookie = cookieOf(await login(live, 'alice', ALICE_PASSWORD));
      const url = await app.listen({ host: '127.0.0.1', port: 0 });
      const res = await httpRequest(url, '/api/config', { headers: { cookie } });
      expect(res.status).toBe(503);
      expect(res.json().error).toMatch(/session store/);
      expect((await httpRequest(url, '/api/config', { headers: ALICE })).status).toBe(200);
    } finally {
      await app.close();
      deadRedis.disconnect();
      await live.close();
    }
  });
});

/** Percent-encoded fragments that decode to trouble: NUL, broken UTF-8, lone surrogates (CESU), overlong. */
const ENCODED = ['%00', 'a%00b', '%ED%A0%80', '%FF', '%C0%AF', '%E2%80%AE', '..%2F..%2F', '%', '%zz', '%F0%9F%92%A9', 'x'.repeat(4000)];
/** Raw strings for JSON bodies. */
const RAW = ['\u0000', 'a\u0000b', '\ud800', 'x\udfffy', 'x'.repeat(200_000), '\u202e', '', ' ', '-1', '1e400', 'null'];
const QUERY_KEYS = ['cursor', 'run_id', 'po', 'status', 'limit', 'task', 'next', 'activeQueue', 'page', 'jobsPerPage'];

const encodedText = fc.oneof(fc.constantFrom(...ENCODED), fc.string({ maxLength: 40 }).map(encodeURIComponent));
const rawText = fc.oneof(fc.constantFrom(...RAW), fc.string({ unit: 'binary', maxLength: 40 }));
const jsonValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, rawText, fc.double(), fc.boolean(), fc.constant(null), fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(rawText, tie('value'), { maxKeys: 3 })),
})).value;

describe('every route under hostile input', () => {
  it('never answers 500, whatever the path parameters, query and body', async () => {
    const routes = fx.app.adminRoutes;
    expect(routes.length).toBeGreaterThan(20);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.array(encodedText, { minLength: 4, maxLength: 4 }),
        fc.dictionary(fc.constantFrom(...QUERY_KEYS), encodedText, { maxKeys: 4 }),
        fc.dictionary(fc.oneof(fc.constantFrom('po_number', 'start', 'end', 'force', 'wait', 'version', 'config'), rawText), jsonValue, { maxKeys: 4 }),
        async (route, params, query, body) => {
          let i = 0;
          const path = route.url.replace(/:[A-Za-z]+/g, () => params[i++ % params.length]!).replace(/\*$/, params[3]!);
          const qs = Object.entries(query).map(([k, v]) => `${k}=${v}`).join('&');
          const res = await fx.request(`${path}${qs ? `?${qs}` : ''}`, {
            method: route.method,
            headers: BOT,
            ...(UNSAFE.has(route.method) ? { body } : {}),
          });
          expect({ route: `${route.method} ${route.url}`, path, status: res.status < 500 }).toEqual({ route: `${route.method} ${route.url}`, path, status: true });
        },
      ),
      { numRuns: 400 },
    );
  }, 120_000);

  it('answers the reported cases with 400 naming the field', async () => {
    for (const url of ['/api/orders?cursor=%00', '/api/warehouse-sync?run_id=a%00b', '/api/orders?po=%ED%A0%80']) {
      const res = await fx.request(url, { headers: BOT });
      expect({ url, status: res.status }).toEqual({ url, status: 400 });
      expect(res.json().issues[0].path).toMatch(/^query\./);
    }
    const body = await fx.request('/api/config', { method: 'PUT', headers: BOT, body: { version: null, config: { mapping: { shop: { 'a\u0000': '1' } } } } });
    expect(body.status).toBe(400);
  });
});
