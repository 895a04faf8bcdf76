import { DSCO_ENDPOINT_LIMITS } from '@dlsync/dsco';
import { loadEnvConfig } from '@dlsync/config';
import { changeLogPacing } from '../src/make-dsco-from-env.js';

describe('changeLogPacing', () => {
  it('keeps the default pacing when neither key is set', () => {
    expect(changeLogPacing({})).toEqual({});
  });

  it('sets the per-second and per-minute pacing of every change log, a key left out keeping its default', () => {
    const pacing = changeLogPacing({ change_log_rate_per_second: 25 });
    const defaultMinute = DSCO_ENDPOINT_LIMITS['GET /order/log'].limits.find((l) => l.perMs === 60_000);
    for (const endpoint of ['GET /order/log', 'GET /invoice/log', 'GET /inventory/log'] as const) {
      expect(pacing[endpoint]).toEqual([{ max: 25, perMs: 1_000 }, defaultMinute]);
    }
    expect(pacing['GET /order/page']).toBeUndefined();
    expect(changeLogPacing({ change_log_rate_per_minute: 2000 })['GET /invoice/log']).toContainEqual({ max: 2000, perMs: 60_000 });
  });

  it('is read from the environment, and a bad value names its key', () => {
    const load = (env: NodeJS.ProcessEnv) => loadEnvConfig({ env: { ...env, DLSYNC_CONFIG: '' } });
    expect(load({ DLSYNC__INTEGRATION__DSCO__CHANGE_LOG_RATE_PER_SECOND: '20' }).integration.dsco.change_log_rate_per_second).toBe(20);
    expect(() => load({ DLSYNC__INTEGRATION__DSCO__CHANGE_LOG_RATE_PER_MINUTE: 'lots' })).toThrow(/integration\.dsco\.change_log_rate_per_minute/);
  });
});
