import { Redis } from 'ioredis';
import { parseRuntimeConfig } from '@dlsync/config';
import { makeDscoClient } from '@dlsync/dsco';
import { useTestEnv } from '@dlsync/infra/testing';
import { makeLingxingClient } from '@dlsync/lingxing';
import { startSandbox, type Sandbox } from '@dlsync/sandbox';
import { runPreflight, saveLastPreflight } from '@dlsync/services';
import { ALICE, makeAdminFixture, type AdminFixture } from './admin-fixture.js';

const testEnv = useTestEnv();
let fx: AdminFixture;
let sandbox: Sandbox;
let redis: Redis;

beforeAll(async () => {
  fx = await makeAdminFixture(testEnv);
  sandbox = await startSandbox({ dscoRateLimit: { enabled: false } });
  redis = new Redis(testEnv.redisUrl);
});
afterAll(async () => {
  redis.disconnect();
  await sandbox.close();
  await fx.close();
});

describe('the overview shows the newest preflight', () => {
  it('says none ran yet, then shows each check of the stored report with the failure and its fix', async () => {
    const before = await fx.request('/', { headers: ALICE });
    expect(before.body).toContain('data-testid="preflight-none"');

    const keyPrefix = `${testEnv.redisPrefix}pf:`;
    const report = await runPreflight({
      dsco: makeDscoClient({ baseUrl: sandbox.dscoUrl, auth: { token: sandbox.credentials.dscoToken }, redis, keyPrefix }),
      lingxing: makeLingxingClient({ baseUrl: sandbox.lingxingUrl, appId: sandbox.credentials.lingxingAppId, appSecret: sandbox.credentials.lingxingAppSecret, redis, keyPrefix }),
      mapping: parseRuntimeConfig({ mapping: sandbox.world.suggestedMapping() }).mapping,
      platformCode: 10009,
      timezone: 'Asia/Shanghai',
    });
    await saveLastPreflight(fx.redis, fx.prefix, report);

    const after = await fx.request('/', { headers: ALICE });
    expect(after.status).toBe(200);
    expect(after.body).toMatch(/data-testid="preflight-verdict"[^>]*>1 check failed at/);
    expect(after.body).toMatch(/data-testid="preflight-lingxing\.clock"><td>FAIL<\/td>/);
    expect(after.body).toContain('set integration.lingxing.timezone to UTC');
    expect(after.body).toMatch(/data-testid="preflight-dsco\.token"><td>ok<\/td>/);
    sandbox.assertNoViolations();
  });
});
