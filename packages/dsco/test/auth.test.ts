import { makeMemoryLogger } from '@dlsync/logger';
import { DscoApiError } from '../src/index.js';
import { requestsTo, type FakeReply, type FakeRequest } from './fake-server.js';
import { CLIENT_SECRET, FAST_RETRY, TOKEN, errorText, makeTestClient, rejectionOf, useFakeDsco } from './helpers.js';

const fake = useFakeDsco();
const { env } = fake;


/** A token endpoint issuing `access-1`, `access-2`, … and an API accepting only the latest. */
function oauthServer(options: { expiresIn?: number; rejectApi?: (req: FakeRequest) => boolean } = {}): () => string {
  let issued = 0;
  fake.server.handle((req): FakeReply => {
    if (req.path.endsWith('/oauth2/token')) {
      issued++;
      return { status: 200, body: { access_token: `access-${issued}`, expires_in: options.expiresIn ?? 3600, token_type: 'bearer' } };
    }
    if (req.headers.authorization !== `bearer access-${issued}` || options.rejectApi?.(req)) {
      return { status: 401, body: { messages: [{ code: 'UNAUTHORIZED', description: `bad token ${req.headers.authorization}` }] } };
    }
    return { status: 200, body: { invoices: [] } };
  });
  return () => `access-${issued}`;
}

function oauthClient(extra: { now?: () => number; logger?: ReturnType<typeof makeMemoryLogger>['logger'] } = {}) {
  return makeTestClient(fake.redis, env.redisPrefix, {
    baseUrl: fake.server.url,
    auth: { clientId: 'my-client', clientSecret: CLIENT_SECRET },
    ...(extra.now && { clock: () => new Date(extra.now!()) }),
    ...(extra.logger && { logger: extra.logger }),
  });
}

describe('OAuth client credentials', () => {
  it('fetches one token for many concurrent calls and sends the client credentials form', async () => {
    oauthServer();
    const client = oauthClient();
    await Promise.all(Array.from({ length: 8 }, () => client.getInvoicesByPo('PO-1')));
    await client.getInvoicesByPo('PO-2');
    const tokenCalls = requestsTo(fake.server, '/oauth2/token');
    expect(tokenCalls).toHaveLength(1);
    expect(tokenCalls[0]?.method).toBe('POST');
    expect(Object.fromEntries(new URLSearchParams(tokenCalls[0]?.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: 'my-client',
      client_secret: CLIENT_SECRET,
    });
    expect(requestsTo(fake.server, '/invoice').every((r) => r.headers.authorization === 'bearer access-1')).toBe(true);
  });

  it('refreshes ahead of expiry by the injected clock', async () => {
    oauthServer({ expiresIn: 3600 });
    let now = Date.parse('2025-03-01T00:00:00Z');
    const client = oauthClient({ now: () => now });
    await client.getInvoicesByPo('PO-1');
    now += 3_000_000; // 50 min: still well inside the hour
    await client.getInvoicesByPo('PO-1');
    expect(requestsTo(fake.server, '/oauth2/token')).toHaveLength(1);
    now += 590_000; // 59 min 50 s: inside the refresh-ahead margin
    await client.getInvoicesByPo('PO-1');
    expect(requestsTo(fake.server, '/oauth2/token')).toHaveLength(2);
    expect(requestsTo(fake.server, '/invoice').at(-1)?.headers.authorization).toBe('bearer access-2');
  });

  it('on a 401 refreshes the token once and retries the call', async () => {
    const latest = oauthServer();
    const client = oauthClient();
    await client.getInvoicesByPo('PO-1');
    // The fake.server revokes access-1 behind the client's back by issuing access-2 to "someone else".
    await fetch(`${fake.server.url}/oauth2/token`, { method: 'POST' });
    expect(latest()).toBe('access-2');
    await expect(client.getInvoicesByPo('PO-1')).resolves.toEqual([]);
    expect(requestsTo(fake.server, '/oauth2/token')).toHaveLength(3);
    expect(requestsTo(fake.server, '/invoice').at(-1)?.headers.authorization).toBe('bearer access-3');
  });

  it('gives up with a permanent 401 when a fresh token is rejected too', async () => {
    oauthServer({ rejectApi: () => true });
    const client = oauthClient();
    const err = (await rejectionOf(client.getInvoicesByPo('PO-1'))) as DscoApiError;
    expect(err).toMatchObject({ status: 401, retryable: false, code: 'HTTP_401' });
    expect(requestsTo(fake.server, '/oauth2/token')).toHaveLength(2);
    expect(requestsTo(fake.server, '/invoice')).toHaveLength(2);
  });

  it('reports rejected client credentials without the secret, in errors and logs', async () => {
    fake.server.handle((req) => ({
      status: 401,
      body: { messages: [{ code: 'INVALID_CLIENT', description: `rejected ${req.body}` }] },
    }));
    const { logger, lines } = makeMemoryLogger();
    const client = oauthClient({ logger });
    const err = (await rejectionOf(client.getInvoicesByPo('PO-1'))) as DscoApiError;
    expect(err).toBeInstanceOf(DscoApiError);
    expect(err).toMatchObject({ endpoint: '/oauth2/token', status: 401, retryable: false });
    expect(err.messages[0]?.code).toBe('INVALID_CLIENT');
    expect(errorText(err)).not.toContain(CLIENT_SECRET);
    expect(JSON.stringify(lines)).not.toContain(CLIENT_SECRET);
    expect(requestsTo(fake.server, '/invoice')).toHaveLength(0);
  });
});

describe('OAuth token response', () => {
  it('never quotes a truncated token response (it holds the token) and retries the token call', async () => {
    const issued = 'issued-access-token-abcdef123456';
    fake.server.handle(() => ({ status: 200, body: `{"access_token":"${issued}","expires_in":36` }));
    const { logger, lines } = makeMemoryLogger();
    const client = oauthClient({ logger });
    const err = (await rejectionOf(client.getInvoicesByPo('PO-1'))) as DscoApiError;
    expect(err).toMatchObject({ endpoint: '/oauth2/token', code: 'MALFORMED_RESPONSE', retryable: true, bodySnippet: undefined });
    expect(errorText(err)).not.toContain(issued);
    expect(JSON.stringify(lines)).not.toContain(issued);
    // Retried by the call that needed the token, once per attempt (no nested retry loops).
    expect(requestsTo(fake.server, '/oauth2/token')).toHaveLength(FAST_RETRY.attempts);
  });
});

describe('static token', () => {
  it('treats a 401 as permanent (nothing to refresh)', async () => {
    fake.server.handle(() => ({ status: 401, body: { messages: [{ code: 'UNAUTHORIZED', description: 'nope' }] } }));
    const client = makeTestClient(fake.redis, env.redisPrefix, { baseUrl: fake.server.url });
    await expect(client.getInvoicesByPo('PO-1')).rejects.toMatchObject({ status: 401, retryable: false });
    expect(fake.server.requests).toHaveLength(1);
  });

  it('never lets the token reach an error or a log line, even when DSCO echoes it back', async () => {
    fake.server.handle((req) => ({
      status: req.method === 'GET' ? 500 : 400,
      body: { messages: [{ code: 'ECHO', description: `header was ${req.headers.authorization}; raw ${TOKEN}` }] },
    }));
    const { logger, lines } = makeMemoryLogger();
    const client = makeTestClient(fake.redis, env.redisPrefix, { baseUrl: fake.server.url, logger });
    const read = await rejectionOf(client.getInvoicesByPo('PO-1'));
    const write = await rejectionOf(client.acknowledge(['PO-1']));
    for (const err of [read, write]) {
      expect(err).toBeInstanceOf(DscoApiError);
      expect(errorText(err)).toContain('ECHO');
      expect(errorText(err)).not.toContain(TOKEN);
    }
    expect(lines.length).toBeGreaterThan(0); // the retries were logged
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
  });
});
