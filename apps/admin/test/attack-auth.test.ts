import { useTestEnv } from '@dlsync/infra/testing';
import { ALICE, ALICE_HASH, ALICE_PASSWORD, BOT_TOKEN, CAROL_HASH, TEST_USERS, makeAdminFixture, type AdminFixture } from './admin-fixture.js';
import { concrete, cookieOf, formHeaders, guardedRoutes, login, makeCallers, UNSAFE, type Caller } from './attack-helpers.js';

// The admin as an attacker (or a careless operator) sees it: who may do what, where a sign-in
// may send the browser, which cross-site requests get through, and how long a session lives.

const testEnv = useTestEnv();
let fx: AdminFixture;
let callers: Caller[];

beforeAll(async () => {
  fx = await makeAdminFixture(testEnv);
  callers = await makeCallers(fx);
});
afterAll(() => fx.close());

describe('auth matrix: admin and viewer over Basic, Bearer and session, on every route', () => {
  it('lets both roles read every page, API route and Bull Board view', async () => {
    const reads = guardedRoutes(fx).filter((r) => !UNSAFE.has(r.method));
    expect(reads.map((r) => r.url)).toEqual(expect.arrayContaining(['/', '/admin/queues', '/admin/queues/api/queues', '/api/config', '/api/runs']));
    for (const caller of callers) {
      for (const route of reads) {
        const res = await fx.request(concrete(route.url), { method: route.method, headers: caller.headers });
        expect({ caller: caller.name, route, ok: ![401, 403].includes(res.status) }).toEqual({ caller: caller.name, route, ok: true });
      }
    }
  });

  it('lets admins change things and refuses every state change of a viewer with 403', async () => {
    const writes = guardedRoutes(fx).filter((r) => UNSAFE.has(r.method));
    expect(writes.map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining(['POST /api/tasks/:task/runs', 'PUT /api/config', 'PUT /admin/queues/api/queues/:queueName/retry/:queueStatus']),
    );
    for (const caller of callers) {
      for (const route of writes) {
        const res = await fx.request(concrete(route.url), { method: route.method, headers: { ...caller.headers, origin: fx.url } });
        const refused = res.status === 403;
        expect({ caller: caller.name, route, refused }).toEqual({ caller: caller.name, route, refused: caller.role === 'viewer' });
        expect(res.status).not.toBe(401);
      }
    }
  });

  it('refuses a viewer a real run, a config edit and a Bull Board retry, and runs nothing', async () => {
    const viewer = callers.find((c) => c.name === 'viewer bearer')!;
    const run = await fx.request('/api/tasks/ack_to_dsco/runs', { method: 'POST', headers: viewer.headers, body: { po_number: 'PO-VIEW-1' } });
    expect(run.status).toBe(403);
    expect(run.json().error).toMatch(/viewer role/);
    const put = await fx.request('/api/config', { method: 'PUT', headers: viewer.headers, body: { version: null, config: {} } });
    expect(put.status).toBe(403);
    const retry = await fx.request('/admin/queues/api/queues/ack_to_dsco/retry/failed', { method: 'PUT', headers: viewer.headers });
    expect(retry.status).toBe(403);
    expect(await fx.queues.ack_to_dsco.getJobCounts('waiting', 'active', 'completed')).toEqual({ waiting: 0, active: 0, completed: 0 });
    expect((await fx.store.runtimeConfig.latest()) ?? null).toBeNull();
  });

  it('shows a viewer Bull Board in its read-only mode and an admin the full board', async () => {
    const queuesOf = async (caller: string) =>
      (await fx.request('/admin/queues/api/queues', { headers: callers.find((c) => c.name === caller)!.headers })).json().queues as {
        readOnlyMode: boolean;
        allowRetries: boolean;
      }[];
    for (const q of await queuesOf('viewer session')) expect(q).toMatchObject({ readOnlyMode: true, allowRetries: false });
    for (const q of await queuesOf('admin session')) expect(q).toMatchObject({ readOnlyMode: false, allowRetries: true });
  });
});

describe('redirect after sign-in', () => {
  const hostile = [
    '/\t/evil.example/x',
    '/\n/x',
    '/\r\n/evil.example',
    '//evil.example/',
    '/\\evil.example',
    '/\\/evil.example',
    'https://evil.example/',
    'javascript:alert(1)',
    ' /x',
    '/x\u007f',
    '/\ud800',
    '/caf\u00e9',
    '',
  ];

  it('sends every hostile next to / (never a 500), over the form and the login page', async () => {
    for (const next of hostile) {
      const res = await login(fx, 'alice', ALICE_PASSWORD, next);
      expect({ next, status: res.status, location: res.headers.location }).toEqual({ next, status: 303, location: '/' });
      const page = await fx.request(`/login?next=${encodeURIComponent(next.replace(/\ud800/, '\ufffd'))}`);
      expect(page.status).toBe(200);
      expect(page.body).toContain('name="next" value="/"');
    }
  });

  it('answers a NUL in next with 400, not 500', async () => {
    expect((await login(fx, 'alice', ALICE_PASSWORD, '/\u0000/x')).status).toBe(400);
    expect((await fx.request('/login?next=/%00/x')).status).toBe(400);
  });

  it('follows same-origin paths as given', async () => {
    for (const next of ['/api/config', '/admin/queues?x=1#top', '/%09/encoded-stays-a-path']) {
      const res = await login(fx, 'alice', ALICE_PASSWORD, next);
      expect(res.headers.location).toBe(next);
    }
  });
});

describe('cross-site requests: every auth scheme × every origin signal', () => {
  const origins: { name: string; headers: (url: string) => Record<string, string>; crossSite: boolean }[] = [
    { name: 'no origin', headers: () => ({}), crossSite: false },
    { name: 'same origin', headers: (url) => ({ origin: url, 'sec-fetch-site': 'same-origin' }), crossSite: false },
    { name: 'same-origin referer', headers: (url) => ({ referer: `${url}/` }), crossSite: false },
    { name: 'cross-site origin', headers: () => ({ origin: 'https://evil.example' }), crossSite: true },
    { name: 'opaque origin', headers: () => ({ origin: 'null' }), crossSite: true },
    { name: 'sec-fetch-site cross-site', headers: () => ({ 'sec-fetch-site': 'cross-site' }), crossSite: true },
    { name: 'sec-fetch-site same-site', headers: () => ({ 'sec-fetch-site': 'same-site' }), crossSite: true },
    { name: 'cross-site referer', headers: () => ({ referer: 'https://evil.example/page' }), crossSite: true },
  ];

  it('refuses cross-site state changes whatever the credentials; a session must also say where it is from', async () => {
    const schemes = [
      { name: 'basic', headers: ALICE, cookie: false },
      { name: 'bearer', headers: { authorization: `Bearer ${BOT_TOKEN}` }, cookie: false },
      { name: 'session', headers: callers.find((c) => c.name === 'admin session')!.headers, cookie: true },
      { name: 'none', headers: {}, cookie: false },
    ];
    for (const scheme of schemes) {
      for (const origin of origins) {
        // 409: the handler ran and found version 99 is not live, so nothing changed.
        const res = await fx.request('/api/config', { method: 'PUT', headers: { ...scheme.headers, ...origin.headers(fx.url) }, body: { version: 99, config: {} } });
        const expected = origin.crossSite || (scheme.cookie && origin.name === 'no origin') ? 403 : scheme.name === 'none' ? 401 : 409;
        expect({ scheme: scheme.name, origin: origin.name, status: res.status }).toEqual({ scheme: scheme.name, origin: origin.name, status: expected });
      }
    }
  });

  it('refuses a cross-site sign-in and sign-out too', async () => {
    expect((await login(fx, 'alice', ALICE_PASSWORD, '/', { origin: 'https://evil.example' })).status).toBe(403);
    expect((await fx.request('/logout', { method: 'POST', headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
  });

  it('accepts only JSON on JSON routes: a plain HTML form cannot post a run', async () => {
    const post = (contentType: string, body: string) =>
      fx.request('/api/tasks/ack_to_dsco/runs', { method: 'POST', headers: { ...ALICE, 'content-type': contentType }, body });
    expect((await post(formHeaders['content-type'], 'po_number=PO-FORM-1')).status).toBe(415);
    expect((await post('text/plain', '{"po_number":"PO-FORM-2"}')).status).toBe(415);
    expect((await post('multipart/form-data; boundary=x', '--x--')).status).toBe(415);
    expect(await fx.queues.ack_to_dsco.getJobCounts('waiting')).toEqual({ waiting: 0 });
  });
});

describe('sessions end', () => {
  it('at logout: the old cookie no longer opens anything', async () => {
    const cookie = cookieOf(await login(fx, 'alice', ALICE_PASSWORD));
    expect((await fx.request('/api/config', { headers: { cookie } })).status).toBe(200);
    const out = await fx.request('/logout', { method: 'POST', headers: { cookie, origin: fx.url } });
    expect(out.status).toBe(303);
    expect((await fx.request('/api/config', { headers: { cookie } })).status).toBe(401);
  });

  it('when the user credential or role changes, on every replica', async () => {
    const secret = 'a-shared-secret-of-at-least-32-characters';
    const before = await makeAdminFixture(testEnv, { admin: { session_secret: secret } });
    const sameUsers = await makeAdminFixture(testEnv, { admin: { session_secret: secret } });
    const newPassword = await makeAdminFixture(testEnv, { admin: { session_secret: secret }, users: { ...TEST_USERS, alice: CAROL_HASH } });
    const demoted = await makeAdminFixture(testEnv, { admin: { session_secret: secret }, users: { ...TEST_USERS, alice: { password_hash: ALICE_HASH, role: 'viewer' } } });
    try {
      const cookie = cookieOf(await login(before, 'alice', ALICE_PASSWORD));
      expect((await sameUsers.request('/api/config', { headers: { cookie } })).status).toBe(200);
      expect((await newPassword.request('/api/config', { headers: { cookie } })).status).toBe(401);
      expect((await demoted.request('/api/config', { headers: { cookie } })).status).toBe(401);
    } finally {
      await Promise.all([before.close(), sameUsers.close(), newPassword.close(), demoted.close()]);
    }
  });
});

describe('Secure session cookies', () => {
  const secureFlag = async (admin: Record<string, unknown>, headers: Record<string, string>) => {
    const app = await makeAdminFixture(testEnv, { admin });
    try {
      const res = await login(app, 'alice', ALICE_PASSWORD, '/', headers);
      expect(res.status).toBe(303);
      return /;\s*Secure/.test(String(res.headers['set-cookie']));
    } finally {
      await app.close();
    }
  };
  const viaTls = { 'x-forwarded-proto': 'https' };

  it('follows a trusted TLS-terminating proxy, ignores an untrusted one, and can be forced', async () => {
    expect(await secureFlag({ trust_proxy: true }, viaTls)).toBe(true);
    expect(await secureFlag({}, viaTls)).toBe(false);
    expect(await secureFlag({ cookie_secure: 'always' }, {})).toBe(true);
    expect(await secureFlag({ trust_proxy: true, cookie_secure: 'never' }, viaTls)).toBe(false);
  });
});
