import { demoEnvConfig, demoEnvVars } from '../src/demo/demo-connect.js';
import { withoutSignalListenersOf } from '../src/demo/signal-listeners.js';

describe('demo shutdown order', () => {
  it('takes back the SIGINT/SIGTERM listeners infra start installs (they would kill Redis before the fleet) and keeps earlier ones', async () => {
    const mine = (): void => undefined;
    const infraKill = (): void => undefined;
    process.on('SIGINT', mine);
    try {
      const result = await withoutSignalListenersOf(async () => {
        process.on('SIGINT', infraKill);
        process.on('SIGTERM', infraKill);
        return 'started';
      });
      expect(result).toBe('started');
      expect(process.listeners('SIGINT')).toContain(mine);
      expect(process.listeners('SIGINT')).not.toContain(infraKill);
      expect(process.listeners('SIGTERM')).not.toContain(infraKill);
    } finally {
      process.off('SIGINT', mine);
      process.off('SIGINT', infraKill);
      process.off('SIGTERM', infraKill);
    }
  });
});

describe('demo connection settings', () => {
  it('names the same keys as env.yaml, as DLSYNC__ variables', () => {
    const vars = Object.fromEntries(
      demoEnvVars(
        demoEnvConfig({
          databaseUrl: 'postgres://h/db',
          redisUrl: 'redis://h:1',
          prefix: 'dlsync-demo-ab',
          dsco: { baseUrl: 'http://d', token: 't' },
          lingxing: { baseUrl: 'http://l', appId: 'a', appSecret: 's', platformCode: '10009' },
        }),
      ),
    );
    expect(vars).toEqual({
      DLSYNC__POSTGRES__URL: 'postgres://h/db',
      DLSYNC__REDIS__URL: 'redis://h:1',
      DLSYNC__REDIS__PREFIX: 'dlsync-demo-ab',
      DLSYNC__AUTH__DSCO__TOKEN: 't',
      DLSYNC__AUTH__LINGXING__APP_ID: 'a',
      DLSYNC__AUTH__LINGXING__APP_SECRET: 's',
      DLSYNC__INTEGRATION__DSCO__BASE_URL: 'http://d',
      DLSYNC__INTEGRATION__LINGXING__BASE_URL: 'http://l',
      DLSYNC__INTEGRATION__LINGXING__PLATFORM_CODE: '10009',
    });
  });
});
