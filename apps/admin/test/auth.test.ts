import { useTestEnv } from '@dlsync/infra/testing';
import { makeMemoryLogger } from '@dlsync/logger';
import { hashPassword, parseStoredCredential, verifyPassword, AUTH_CHALLENGE, FORM_CHALLENGE, LOGIN_ROUTES } from '../src/index.js';
import { ALICE, ALICE_PASSWORD, BOT_TOKEN, basic, makeAdminFixture, type AdminFixture, type HttpResponse } from './admin-fixture.js';

const testEnv = useTestEnv();

/** A concrete URL for a route pattern (`:param` and `*` filled with harmless values). */
const concrete = (url: string) => url.replace(/:[A-Za-z]+/g, 'x').replace(/\*$/, 'x');

describe('credentials', () => {
  it('hashes a password as scrypt$salt$hash that verifies only that password', async () => {
    const hash = await hashPassword('s3cret pass');
    expect(hash).toMatch(/^scrypt\$[\w-]+\$[\w-]+$/);
    expect(hash).not.toContain('s3cret');
    const stored = parseStoredCredential('alice', hash);
    expect(await verifyPassword(stored, 's3cret pass')).toBe(true);
    expect(await verifyPassword(stored, 's3cret pasS')).toBe(false);
    expect(await hashPassword('s3cret pass')).not.toBe(hash); // fresh salt every time
  });

  it('refuses malformed user entries naming the user, never the value', () => {
    expect(() => parseStoredCredential('bob', 'plaintext-password')).toThrow(/^auth\.admin\.users\.bob: must be/);
    expect(() => parseStoredCredential('bob', 'plaintext-password')).not.toThrow(/plaintext/);
    expect(() => parseStoredCredential('bob', 'token:short')).toThrow(/at least 16/);
  });
});

describe('auth on every route', () => {
  let fx: AdminFixture;
  const memory = makeMemoryLogger('debug');
  beforeAll(async () => {
    fx = await makeAdminFixture(testEnv, { logger: memory.logger });
  });
  afterAll(() => fx.close());

  const guarded = () => fx.app.adminRoutes.filter((r) => !LOGIN_ROUTES.includes(r.url) && r.url !== '/healthz');

  it('knows the routes it must guard, Bull Board and /metrics included', () => {
    const urls = guarded().map((r) => `${r.method} ${r.url}`);
    expect(urls).toEqual(
      expect.arrayContaining([
        'GET /',
        'GET /metrics',
        'GET /readyz',
        'GET /admin/queues',
        'GET /admin/queues/api/queues',
        'POST /api/tasks/:task/runs',
        'GET /api/runs',
        'GET /api/runs/:task/:jobId',
        'GET /api/orders',
        'GET /api/orders/:po',
        'GET /api/config',
        'PUT /api/config',
        'GET /api/warehouse-sync',
        'GET /api/warehouse-sync/runs',
      ]),
    );
    expect(guarded().length).toBeGreaterThan(20);
  });

  it('answers 401 with a Basic challenge without credentials, for every route', async () => {
    for (const route of guarded()) {
      const res = await fx.request(concrete(route.url), { method: route.method });
      expect({ route, status: res.status }).toEqual({ route, status: 401 });
      expect(res.headers['www-authenticate']).toBe(AUTH_CHALLENGE);
    }
  });

  it('answers 401 for a wrong password, an unknown user, a wrong token and garbage', async () => {
    const wrong = [
      basic('alice', 'wrong'),
      basic('alice', `${ALICE_PASSWORD}x`),
      basic('mallory', ALICE_PASSWORD),
      basic('bot', BOT_TOKEN), // a token is not a password
      `Bearer ${BOT_TOKEN}x`,
      'Bearer ',
      'Basic !!!',
      'Digest foo',
    ];
    for (const route of guarded()) {
      for (const authorization of [wrong[0]!, wrong[4]!]) {
        const res = await fx.request(concrete(route.url), { method: route.method, headers: { authorization } });
        expect({ route, status: res.status }).toEqual({ route, status: 401 });
      }
    }
    for (const authorization of wrong) {
      const res = await fx.request('/api/config', { headers: { authorization } });
      expect({ authorization, status: res.status }).toEqual({ authorization, status: 401 });
    }
  });

  it('lets the right password and the right token through on every route', async () => {
    for (const route of guarded()) {
      for (const authorization of [ALICE.authorization, `Bearer ${BOT_TOKEN}`]) {
        const res = await fx.request(concrete(route.url), { method: route.method, headers: { authorization } });
        expect({ route, status: res.status }).not.toEqual({ route, status: 401 });
      }
    }
  });

  it('serves /healthz without credentials (the default public path)', async () => {
    const res = await fx.request('/healthz');
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ ok: true });
  });

  it('matches public paths by the route served, not by how the URL is spelled', async () => {
    expect((await fx.request('/%68ealthz')).status).toBe(200); // that is /healthz
    for (const url of ['/healthz/', '/healthz/../api/config', '/healthz%2f..%2fapi/config', '//healthz', '/api/config?/healthz', '/api/%63onfig']) {
      const res = await fx.request(url);
      expect({ url, status: res.status }).toEqual({ url, status: 401 });
    }
  });

  it('never logs credentials', () => {
    const logged = JSON.stringify(memory.lines);
    expect(memory.lines.length).toBeGreaterThan(0);
    expect(logged).not.toContain(ALICE_PASSWORD);
    expect(logged).not.toContain(BOT_TOKEN);
    expect(logged).not.toContain(ALICE.authorization.slice('Basic '.length));
  });
});

describe('public paths', () => {
  it('serves configured public paths without credentials and still guards the rest', async () => {
    const fx = await makeAdminFixture(testEnv, { admin: { public_paths: ['/healthz', '/metrics', '/readyz'] } });
    try {
      expect((await fx.request('/metrics')).status).toBe(200);
      expect((await fx.request('/readyz')).status).toBe(200);
      expect((await fx.request('/healthz')).status).toBe(200);
      expect((await fx.request('/api/config')).status).toBe(401);
      expect((await fx.request('/')).status).toBe(401);
    } finally {
      await fx.close();
    }
  });

  it('guards /healthz too when it is not listed', async () => {
    const fx = await makeAdminFixture(testEnv, { admin: { public_paths: [] } });
    try {
      expect((await fx.request('/healthz')).status).toBe(401);
    } finally {
      await fx.close();
    }
  });
});

describe('login form sessions', () => {
  let fx: AdminFixture;
  let clock = new Date('2025-06-01T00:00:00Z');
  beforeAll(async () => {
    fx = await makeAdminFixture(testEnv, { now: () => clock });
  });
  afterAll(() => fx.close());

  const login = (user: string, password: string, next = '/') =>
    fx.request('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ user, password, next }).toString(),
    });
  const cookieOf = (res: HttpResponse) => String(res.headers['set-cookie']).split(';')[0]!;

  it('shows a browser page load the sign-in form with the 401 instead of a Basic prompt', async () => {
    const res = await fx.request('/admin/queues', { headers: { accept: 'text/html', 'sec-fetch-mode': 'navigate' } });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(FORM_CHALLENGE);
    expect(res.body).toContain('data-testid="login-form"');
    expect(res.body).toContain('name="next" value="/admin/queues"');
    // Anything else (API clients, fetches, curl) gets the Basic challenge.
    const api = await fx.request('/admin/queues', { headers: { accept: 'text/html' } });
    expect(api.headers['www-authenticate']).toBe(AUTH_CHALLENGE);
  });

  it('refuses a wrong password with 401 and no cookie', async () => {
    const res = await login('alice', 'nope');
    expect(res.status).toBe(401);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.body).toContain('Wrong user name or password');
  });

  it('sets an httpOnly session cookie that opens every guarded route until it expires', async () => {
    const res = await login('alice', ALICE_PASSWORD, '/api/config');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/api/config');
    expect(String(res.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    const cookie = cookieOf(res);
    expect((await fx.request('/api/config', { headers: { cookie } })).status).toBe(200);
    expect((await fx.request('/admin/queues', { headers: { cookie } })).status).toBe(200);

    const [name, value] = cookie.split('=') as [string, string];
    const forged = `${name}=${Buffer.from('bot').toString('base64url')}.${value.split('.')[1]}.${value.split('.')[2]}`;
    expect((await fx.request('/api/config', { headers: { cookie: forged } })).status).toBe(401);

    clock = new Date(clock.getTime() + 13 * 3600_000);
    expect((await fx.request('/api/config', { headers: { cookie } })).status).toBe(401);
  });

  it('with admin.session_secret set, a login on one replica opens the others; without it, it does not', async () => {
    const secret = 'a-shared-secret-of-at-least-32-characters';
    const replicaA = await makeAdminFixture(testEnv, { admin: { session_secret: secret } });
    const replicaB = await makeAdminFixture(testEnv, { admin: { session_secret: secret } });
    const loner = await makeAdminFixture(testEnv);
    try {
      const res = await replicaA.request('/login', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ user: 'alice', password: ALICE_PASSWORD, next: '/' }).toString(),
      });
      const cookie = cookieOf(res);
      expect((await replicaB.request('/api/config', { headers: { cookie } })).status).toBe(200);
      expect((await loner.request('/api/config', { headers: { cookie } })).status).toBe(401);
    } finally {
      await Promise.all([replicaA.close(), replicaB.close(), loner.close()]);
    }
  });

  it('redirects only to local paths after login', async () => {
    for (const next of ['https://evil.example/', '//evil.example/', '/\\evil.example']) {
      const res = await login('alice', ALICE_PASSWORD, next);
      expect(res.headers.location).toBe('/');
    }
  });

  it('refuses a cross-site state change riding on the session cookie', async () => {
    const cookie = cookieOf(await login('alice', ALICE_PASSWORD));
    const put = (headers: Record<string, string>) =>
      fx.request('/api/config', { method: 'PUT', headers: { cookie, ...headers }, body: { version: 99, config: {} } });
    expect((await put({ origin: 'https://evil.example' })).status).toBe(403);
    expect((await put({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    // Same origin reaches the handler (409: version 99 is not live).
    expect((await put({ origin: fx.url })).status).toBe(409);
  });
});
