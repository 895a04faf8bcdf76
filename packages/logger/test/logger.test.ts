import { makeMemoryLogger, makeLogger, SECRET_KEYS } from '@dlsync/logger';
import { Writable } from 'node:stream';
import winston from 'winston';

describe('logger redaction', () => {
  it('never prints the value of any secret key, at any depth', () => {
    const chunks: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, cb) {
        chunks.push(String(chunk));
        cb();
      },
    });
    const logger = makeLogger({ pretty: false, transports: [new winston.transports.Stream({ stream })] });
    const secrets: Record<string, string> = {};
    SECRET_KEYS.forEach((k, i) => (secrets[k] = `s3cret-value-${i}-xyz`));
    logger.info('call', {
      ...secrets,
      nested: { deeper: [{ ...secrets }], appSecret: 'nested-app-secret-1' },
      Authorization: 'Bearer abc.def.ghi-bearer',
      url: 'https://openapi.lingxing.com/x?access_token=tok-in-url-123&app_key=ak&sign=sign-in-url-9',
    });
    const out = chunks.join('');
    for (const value of Object.values(secrets)) expect(out).not.toContain(value);
    expect(out).not.toContain('nested-app-secret-1');
    expect(out).not.toContain('abc.def.ghi-bearer');
    expect(out).not.toContain('tok-in-url-123');
    expect(out).not.toContain('sign-in-url-9');
    expect(out).toContain('app_key=ak');
  });

  it('child loggers carry their fields on every line', () => {
    const { logger, lines } = makeMemoryLogger();
    const child = logger.child({ run_id: 'r1', task: 'pull_dsco_orders' });
    child.info('task begin');
    child.child({ po_number: 'PO1' }).info('order done', { result: 'ok' });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ run_id: 'r1', task: 'pull_dsco_orders', message: 'task begin' });
    expect(lines[1]).toMatchObject({ run_id: 'r1', po_number: 'PO1', result: 'ok' });
  });

  it('redacts errors whose messages carry secrets', () => {
    const { logger, lines } = makeMemoryLogger();
    logger.error('failed', { err: new Error('GET /x?access_token=leaky-token-7 failed') });
    expect(JSON.stringify(lines)).not.toContain('leaky-token-7');
  });
});
