import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { stringify } from 'yaml';
import { parseRuntimeConfig, type Mapping } from '@dlsync/config';
import { makeDscoClient } from '@dlsync/dsco';
import { useTestEnv } from '@dlsync/infra/testing';
import { LINGXING_ACCOUNT_ENDPOINTS, LINGXING_ENDPOINTS, makeLingxingClient } from '@dlsync/lingxing';
import { startSandbox, type Sandbox, type SandboxOptions } from '@dlsync/sandbox';
import { checkClock, readLastPreflight, runPreflight, type PreflightCheck, type PreflightReport } from '@dlsync/services';
import { makeStore } from '@dlsync/store';
import { captureCli } from './helpers.js';

const env = useTestEnv();
const PLATFORM = 10009;
/** The sandbox's switched-off logistics type (see the sandbox's account handlers). */
const DISABLED_LOGISTICS = '5999';
let redis: Redis;
let seq = 0;
const sandboxes: Sandbox[] = [];

beforeAll(() => {
  redis = new Redis(env.redisUrl);
});
afterAll(async () => {
  await Promise.all(sandboxes.map((s) => s.close()));
  redis.disconnect();
});

async function sandboxWith(options: SandboxOptions = {}): Promise<Sandbox> {
  const sandbox = await startSandbox({ dscoRateLimit: { enabled: false }, ...options });
  sandboxes.push(sandbox);
  return sandbox;
}

interface Setup {
  mapping?: (m: Mapping) => Mapping;
  platformCode?: number;
  timezone?: string;
  dscoToken?: string;
  appSecret?: string;
}

/** Runs the preflight against `sandbox` with its suggested mapping, altered by `setup`. */
async function preflight(sandbox: Sandbox, setup: Setup = {}): Promise<PreflightReport> {
  const keyPrefix = `${env.redisPrefix}pf${++seq}:`;
  const retry = { attempts: 2, baseMs: 10, maxMs: 50 };
  const dsco = makeDscoClient({ baseUrl: sandbox.dscoUrl, auth: { token: setup.dscoToken ?? sandbox.credentials.dscoToken }, redis, keyPrefix, retry });
  const lingxing = makeLingxingClient({
    baseUrl: sandbox.lingxingUrl,
    appId: sandbox.credentials.lingxingAppId,
    appSecret: setup.appSecret ?? sandbox.credentials.lingxingAppSecret,
    redis,
    keyPrefix,
    retry,
  });
  const mapping = parseRuntimeConfig({ mapping: sandbox.world.suggestedMapping() }).mapping;
  return runPreflight({ dsco, lingxing, mapping: setup.mapping ? setup.mapping(mapping) : mapping, platformCode: setup.platformCode ?? PLATFORM, timezone: setup.timezone ?? 'UTC' });
}

function check(report: PreflightReport, id: string): PreflightCheck {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id} in ${report.checks.map((c) => c.id).join(', ')}`);
  return found;
}

const statuses = (report: PreflightReport): Record<string, string> => Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
const ALL_OK = {
  'dsco.token': 'ok',
  'dsco.warehouses': 'ok',
  'lingxing.token': 'ok',
  'lingxing.ip': 'ok',
  'lingxing.grants': 'ok',
  'lingxing.stores': 'ok',
  'lingxing.warehouses': 'ok',
  'lingxing.logistics': 'ok',
  'lingxing.clock': 'ok',
};

describe('preflight against a correctly configured sandbox', () => {
  it('passes every check and breaks no request contract', async () => {
    const sandbox = await sandboxWith();
    const report = await preflight(sandbox);
    expect(statuses(report)).toEqual(ALL_OK);
    expect(report.ok).toBe(true);
    expect(check(report, 'lingxing.grants').detail).toContain(`not probed (writes): ${LINGXING_ENDPOINTS.createOrders}`);
    // It read the three account lists and wrote nothing.
    const state = sandbox.state();
    expect(state.writes.lingxingCreates).toHaveLength(0);
    expect(state.writes.dscoInventory).toHaveLength(0);
    sandbox.assertNoViolations();
  });
});

describe('preflight against a misconfigured sandbox: one failure message each', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await sandboxWith();
  });
  afterEach(() => sandbox.assertNoViolations());

  it('names a DSCO token DSCO refuses, and skips the warehouse codes', async () => {
    const report = await preflight(sandbox, { dscoToken: 'not-the-token' });
    const token = check(report, 'dsco.token');
    expect(token).toMatchObject({ status: 'fail', detail: 'DSCO refused the credentials (HTTP 401)' });
    expect(token.fix).toContain('auth.dsco.token');
    expect(check(report, 'dsco.warehouses').status).toBe('skipped');
    expect(report.ok).toBe(false);
  });

  it('names a mapping.warehouse key that is not a DSCO warehouse code', async () => {
    const report = await preflight(sandbox, { mapping: (m) => ({ ...m, warehouse: { ...m.warehouse, 'WH-NOPE': m.warehouse['WH-EAST']! } }) });
    expect(check(report, 'dsco.warehouses')).toMatchObject({
      status: 'fail',
      problems: ['mapping.warehouse.WH-NOPE: "WH-NOPE" is not a warehouse code of this DSCO account (known: WH-CENTRAL, WH-EAST, WH-WEST)'],
    });
    expect(check(report, 'lingxing.warehouses').status).toBe('ok');
  });

  it('names Lingxing app credentials Lingxing refuses', async () => {
    const report = await preflight(sandbox, { appSecret: 'wrong-secret' });
    const token = check(report, 'lingxing.token');
    expect(token.status).toBe('fail');
    expect(token.detail).toBe('Lingxing refused the app credentials (2001002)');
    expect(token.fix).toContain('auth.lingxing.app_secret');
    expect(check(report, 'lingxing.stores').status).toBe('skipped');
  });

  it('names a mapping.shop value that is not a store of the account', async () => {
    const report = await preflight(sandbox, { mapping: (m) => ({ ...m, shop: { ...m.shop, R9: '987654321012345678' } }) });
    expect(check(report, 'lingxing.stores')).toMatchObject({
      status: 'fail',
      problems: ['mapping.shop.R9: store_id 987654321012345678 is not a multi-platform store of this Lingxing account'],
    });
  });

  it('names stores of another platform than the configured code', async () => {
    const report = await preflight(sandbox, { platformCode: 10008 });
    const stores = check(report, 'lingxing.stores');
    expect(stores.status).toBe('fail');
    expect(stores.problems).toHaveLength(Object.keys(sandbox.world.suggestedMapping().shop).length);
    const [retailer, storeId] = Object.entries(sandbox.world.suggestedMapping().shop).sort(([a], [b]) => a.localeCompare(b))[0]!;
    expect(stores.problems[0]).toMatch(new RegExp(`^mapping\\.shop\\.${retailer}: store ${storeId} \\(.+\\) is a .* 10009 store, not platform 10008$`));
    expect(stores.fix).toContain('integration.lingxing.platform_code');
  });

  it('names a mapping.warehouse value that is not a Lingxing warehouse', async () => {
    const report = await preflight(sandbox, { mapping: (m) => ({ ...m, warehouse: { ...m.warehouse, 'WH-EAST': '404' } }) });
    expect(check(report, 'lingxing.warehouses')).toMatchObject({ status: 'fail', problems: ['mapping.warehouse.WH-EAST: wid 404 is not a warehouse of this Lingxing account'] });
  });

  it('names a mapping.shipment value that is disabled, and one that does not exist', async () => {
    const report = await preflight(sandbox, { mapping: (m) => ({ ...m, shipment: { ...m.shipment, 'WH-EAST-OLD': DISABLED_LOGISTICS, 'WH-EAST-NONE': '424242' } }) });
    expect(check(report, 'lingxing.logistics')).toMatchObject({
      status: 'fail',
      problems: [
        'mapping.shipment.WH-EAST-NONE: logistics_type_id 424242 is not a logistics type of this Lingxing account',
        `mapping.shipment.WH-EAST-OLD: logistics type ${DISABLED_LOGISTICS} (Retired carrier) is disabled in Lingxing`,
      ],
    });
  });

  it("names a timezone setting that does not match Lingxing's clock, with the zone to set", async () => {
    const report = await preflight(sandbox, { timezone: 'Asia/Shanghai' });
    const clock = check(report, 'lingxing.clock');
    expect(clock.status).toBe('fail');
    expect(clock.detail).toBe("Lingxing's clock runs at UTC+00:00, integration.lingxing.timezone (Asia/Shanghai) at UTC+08:00");
    expect(clock.fix).toBe('set integration.lingxing.timezone to UTC (the zone Lingxing writes its times in)');
  });

  it('names a timezone that is no IANA zone', async () => {
    const report = await preflight(sandbox, { timezone: 'Mars/Olympus' });
    expect(check(report, 'lingxing.clock').problems).toEqual(['integration.lingxing.timezone: "Mars/Olympus" is not an IANA time zone']);
  });
});

describe('preflight against a Lingxing account with access problems', () => {
  it('says to add the IP to the whitelist on 3001002, and skips what needs it', async () => {
    const sandbox = await sandboxWith({ lingxingAccess: { ipWhitelisted: false } });
    const report = await preflight(sandbox);
    const ip = check(report, 'lingxing.ip');
    expect(ip).toMatchObject({ status: 'fail', detail: 'Lingxing answered 3001002 (ip not permit)' });
    expect(ip.fix).toMatch(/^add this machine's public IP address to the whitelist in Lingxing ERP/);
    expect(statuses(report)).toMatchObject({ 'lingxing.grants': 'skipped', 'lingxing.stores': 'skipped', 'lingxing.clock': 'skipped', 'dsco.token': 'ok' });
    sandbox.assertNoViolations();
  });

  it('names each API that answers 2001004, and skips the list it would read', async () => {
    const ungrantedApis = [LINGXING_ENDPOINTS.wmsOrderList, LINGXING_ACCOUNT_ENDPOINTS.warehouseList];
    const sandbox = await sandboxWith({ lingxingAccess: { ungrantedApis } });
    const report = await preflight(sandbox);
    expect(check(report, 'lingxing.grants')).toMatchObject({
      status: 'fail',
      problems: ungrantedApis.map((endpoint) => `${endpoint}: not granted (2001004 the api not authorized)`),
    });
    expect(statuses(report)).toMatchObject({ 'lingxing.warehouses': 'skipped', 'lingxing.stores': 'ok', 'lingxing.logistics': 'ok' });
    sandbox.assertNoViolations();
  });
});

describe('dlsync preflight', () => {
  let dir: string;
  let sandbox: Sandbox;
  const store = () => makeStore({ databaseUrl: env.databaseUrl, poolMax: 1 });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dlsync-preflight-'));
    sandbox = await sandboxWith();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let lastPrefix = '';
  function envFile(timezone: string): string {
    const path = join(dir, `env-${timezone.replace('/', '-')}.yaml`);
    lastPrefix = `${env.redisPrefix}cli${++seq}`;
    writeFileSync(
      path,
      stringify({
        postgres: { url: env.databaseUrl },
        redis: { url: env.redisUrl, prefix: lastPrefix },
        auth: { dsco: { token: sandbox.credentials.dscoToken }, lingxing: { app_id: sandbox.credentials.lingxingAppId, app_secret: sandbox.credentials.lingxingAppSecret } },
        integration: { dsco: { base_url: sandbox.dscoUrl }, lingxing: { base_url: sandbox.lingxingUrl, platform_code: PLATFORM, timezone } },
      }),
    );
    return path;
  }

  it('prints each check and exits 0 when all pass, 1 with the problem and fix when one fails; --json for scripts', async () => {
    const s = store();
    try {
      await s.runtimeConfig.save({ mapping: sandbox.world.suggestedMapping() }, { expectedVersion: null, updatedBy: 'test' });
    } finally {
      await s.close();
    }
    const good = await captureCli(['--config', envFile('UTC'), 'preflight']);
    expect(good.code).toBe(0);
    expect(good.out).toMatch(/^ok {4}DSCO token: DSCO accepted the credentials$/m);
    expect(good.out.trim().split('\n').at(-1)).toBe('preflight passed (9 checks ok)');
    // Kept for the admin overview, which cannot run the checks itself.
    expect((await readLastPreflight(redis, lastPrefix))?.ok).toBe(true);

    const bad = await captureCli(['--config', envFile('Asia/Shanghai'), 'preflight']);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('FAIL  Timezone setting against');
    expect(bad.out).toContain('        fix: set integration.lingxing.timezone to UTC');
    expect(bad.err.trim()).toBe('preflight: 1 check failed');

    const json = await captureCli(['--config', envFile('Asia/Shanghai'), 'preflight', '--json']);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.out) as PreflightReport;
    expect(report.ok).toBe(false);
    expect(report.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual(['lingxing.clock']);
    sandbox.assertNoViolations();
  });
});

describe('checkClock', () => {
  const at = Date.parse('2026-03-01T12:00:00Z');
  const sample = (responseTime: string) => ({ responseTime, sentAtMs: at - 100, receivedAtMs: at + 100 });

  it('accepts a response_time within the tolerance', () => {
    expect(checkClock('UTC', sample('2026-03-01 12:01:00')).status).toBe('ok');
  });

  it('tells a clock that is off from a zone that is wrong', () => {
    const skew = checkClock('UTC', sample('2026-03-01 12:10:00'));
    expect(skew).toMatchObject({ status: 'fail', detail: 'clocks differ by 600 s' });
    expect(skew.fix).toContain('NTP');
  });

  it('names a half-hour zone by its offset', () => {
    const zone = checkClock('UTC', sample('2026-03-01 17:30:00'));
    expect(zone.detail).toBe("Lingxing's clock runs at UTC+05:30, integration.lingxing.timezone (UTC) at UTC+00:00");
    expect(zone.fix).toBe('set integration.lingxing.timezone to a zone at UTC+05:30 (the zone Lingxing writes its times in)');
    expect(checkClock('UTC', sample('2026-03-01 20:00:00')).fix).toBe('set integration.lingxing.timezone to Asia/Shanghai (the zone Lingxing writes its times in)');
  });

  it('skips when no answer carried response_time', () => {
    expect(checkClock('UTC', undefined).status).toBe('skipped');
  });
});
