import { createHash } from 'node:crypto';
import { startSandbox, type Sandbox } from '../src/index.js';
import { lingxingCall, lingxingToken, signString, testSign } from './helpers.js';
import { assertNoViolationsAfterEach, signCanonical, takeViolations } from './lingxing-helpers.js';

const WMS = '/erp/sc/routing/wms/order/wmsOrderList';
/** A business call whose fields are all optional, for the gateway checks. */
const INVENTORY = '/erp/sc/routing/data/local_inventory/inventoryDetails';
const WINDOW = { time_type: 'create_at', start_date: '2025-01-01', end_date: '2099-12-31' };
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ seedOrders: 5 });
});
afterAll(() => sandbox.close());
assertNoViolationsAfterEach(() => sandbox);

function form(fields: Record<string, string>): FormData {
  const body = new FormData();
  for (const [key, value] of Object.entries(fields)) body.append(key, value);
  return body;
}

describe('Lingxing signing', () => {
  it('matches the published MD5 vector', () => {
    const text = signString({ access_token: 'a4d671b9-778b-487d-b169-fda4806826a1', app_key: 'ak_boWbe9uTtCURT', timestamp: 1639734344 });
    expect(text).toBe('access_token=a4d671b9-778b-487d-b169-fda4806826a1&app_key=ak_boWbe9uTtCURT&timestamp=1639734344');
    expect(createHash('md5').update(text).digest('hex').toUpperCase()).toBe('449292A6FD7F7B8B7632CBD940F6C879');
  });

  it('accepts a correct sign over a body with nested objects, arrays, null and empty strings (unknown fields recorded)', async () => {
    const { access_token } = await lingxingToken(sandbox);
    const result = await lingxingCall(sandbox, access_token, WMS, { page: 1, page_size: 20, sid_arr: [110001], platform_order_no_arr: ['PO1', 'PO2'], ...WINDOW, note: '', extra: null, filter: { b: 1, a: [{ z: 1, y: 2 }] } });
    expect(result.json).toMatchObject({ code: 0, message: 'success', error_details: [], data: [], total: 0 });
    expect(typeof result.json.request_id).toBe('string');
    expect(result.json.response_time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(takeViolations(sandbox)).toEqual([expect.objectContaining({ endpoint: `POST ${WMS}`, refused: false, problem: expect.stringMatching(/unknown fields.*"extra", "filter", "note"/) })]);
  });

  it('verifies the sign over 18-digit integers exactly as sent (never rounded through a double)', async () => {
    const { access_token } = await lingxingToken(sandbox);
    const raw = '{"end_date":"2099-12-31","page":1,"page_size":20,"sid_arr":[110283406273996288],"start_date":"2025-01-01","time_type":"create_at"}';
    const appId = sandbox.credentials.lingxingAppId;
    const timestamp = String(Math.floor(Date.now() / 1000));
    // The canonical text carries the digits of the body; a double would read …996290.
    const canonical = `access_token=${access_token}&app_key=${appId}&end_date=2099-12-31&page=1&page_size=20&sid_arr=[110283406273996288]&start_date=2025-01-01&time_type=create_at&timestamp=${timestamp}`;
    const sign = signCanonical(canonical, appId);
    const url = `${sandbox.lingxingUrl}${WMS}?${new URLSearchParams({ access_token, app_key: appId, timestamp, sign })}`;
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw });
    expect(await response.json()).toMatchObject({ code: 0 });
  });

  it('rejects a tampered sign with 2001006 and an old timestamp with 2001007', async () => {
    const { access_token } = await lingxingToken(sandbox);
    const tampered = await lingxingCall(sandbox, access_token, INVENTORY, { offset: 0 }, { tamper: true });
    expect(tampered.json).toMatchObject({ code: '2001006', msg: 'api sign not correct', data: null });
    const old = await lingxingCall(sandbox, access_token, INVENTORY, { offset: 0 }, { timestamp: Math.floor(Date.now() / 1000) - 180 });
    expect(old.json).toMatchObject({ code: '2001007' });
  });

  it('rejects a sign computed over a different body than the one sent', async () => {
    const { access_token } = await lingxingToken(sandbox);
    const appId = sandbox.credentials.lingxingAppId;
    const timestamp = String(Math.floor(Date.now() / 1000));
    const good = await lingxingCall(sandbox, access_token, INVENTORY, { offset: 0 });
    expect(good.json.code).toBe(0);
    // Same query (sign for {offset: 0}) but another body.
    const sign = testSign({ offset: 0, access_token, app_key: appId, timestamp }, appId);
    const response = await fetch(`${sandbox.lingxingUrl}${INVENTORY}?${new URLSearchParams({ access_token, app_key: appId, timestamp, sign })}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ offset: 2 }),
    });
    expect(await response.json()).toMatchObject({ code: '2001006' });
  });
});

describe('Lingxing tokens', () => {
  it('issues a token with the documented shape and invalidates the previous one', async () => {
    const first = await lingxingToken(sandbox);
    expect(first.expires_in).toBe(7199);
    const second = await lingxingToken(sandbox);
    expect(second.access_token).not.toBe(first.access_token);
    expect((await lingxingCall(sandbox, first.access_token, INVENTORY, {})).json.code).toBe('2001003');
    expect((await lingxingCall(sandbox, second.access_token, INVENTORY, {})).json.code).toBe(0);
    expect((await lingxingCall(sandbox, 'never-issued', INVENTORY, {})).json.code).toBe('2001005');
  });

  it('refreshes once with a refresh token and expires tokens in simulated time', async () => {
    const issued = await lingxingToken(sandbox);
    const refresh = async (token: string) =>
      (await (await fetch(`${sandbox.lingxingUrl}/api/auth-server/oauth/refresh`, { method: 'POST', body: form({ appId: sandbox.credentials.lingxingAppId, refreshToken: token }) })).json()) as {
        code: string;
        data: { access_token: string } | null;
      };
    const refreshed = await refresh(issued.refresh_token);
    expect(refreshed.code).toBe('200');
    expect((await refresh(issued.refresh_token)).code).toBe('2001009');
    const token = refreshed.data?.access_token ?? '';
    expect((await lingxingCall(sandbox, token, INVENTORY, {})).json.code).toBe(0);
    sandbox.clock.advance(7200 * 1000);
    expect((await lingxingCall(sandbox, token, INVENTORY, {})).json.code).toBe('2001003');
  });

  it('refuses a wrong appSecret and records token issues in state', async () => {
    const response = await fetch(`${sandbox.lingxingUrl}/api/auth-server/oauth/access-token`, { method: 'POST', body: form({ appId: sandbox.credentials.lingxingAppId, appSecret: 'wrong' }) });
    expect(await response.json()).toMatchObject({ code: '2001002', msg: 'app secret not correct' });
    const kinds = sandbox.state({ orders: false }).writes.tokens.filter((t) => t.side === 'lingxing').map((t) => t.kind);
    expect(kinds).toContain('issue');
    expect(kinds).toContain('refresh');
  });

  it('answers 3001001 when the gateway parameters are missing', async () => {
    const response = await fetch(`${sandbox.lingxingUrl}${WMS}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(await response.json()).toMatchObject({ code: '3001001', msg: 'missing query param(access_token,sign,timestamp,app_key)' });
  });

  it('records a token request that puts the secret in the URL instead of form fields', async () => {
    const { lingxingAppId: appId, lingxingAppSecret: secret } = sandbox.credentials;
    const response = await fetch(`${sandbox.lingxingUrl}/api/auth-server/oauth/access-token?${new URLSearchParams({ appId, appSecret: secret })}`, { method: 'POST' });
    expect(await response.json()).toMatchObject({ code: '200' });
    const problems = takeViolations(sandbox).map((v) => v.problem);
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/multipart\/form-data/), expect.stringMatching(/parameters in the URL \(appId, appSecret\)/)]));
  });
});
