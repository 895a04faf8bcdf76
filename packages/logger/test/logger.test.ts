import fc from 'fast-check';
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

  it('drops lines below the level before formatting them, and follows a level changed at run time', () => {
    const { logger, lines } = makeMemoryLogger('warn');
    // A field whose serialisation throws: it would surface if a dropped line were formatted.
    const explosive = { toJSON: () => { throw new Error('formatted a dropped line'); } };
    const child = logger.child({ run_id: 'r1' });
    expect(() => child.info('order done', { snapshot: explosive })).not.toThrow();
    child.warn('slow', { ms: 900 });
    logger.level = 'info';
    child.info('order done', { result: 'ok' });
    expect(lines.map((l) => [l.level, l.message])).toEqual([
      ['warn', 'slow'],
      ['info', 'order done'],
    ]);
  });

  it('redacts errors whose messages carry secrets', () => {
    const { logger, lines } = makeMemoryLogger();
    logger.error('failed', { err: new Error('GET /x?access_token=leaky-token-7 failed') });
    expect(JSON.stringify(lines)).not.toContain('leaky-token-7');
  });
});

describe('redaction of secrets inside strings and under any key spelling', () => {
  const captured = () => {
    const chunks: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, cb) {
        chunks.push(String(chunk));
        cb();
      },
    });
    const logger = makeLogger({ pretty: false, transports: [new winston.transports.Stream({ stream })] });
    return { logger, text: () => chunks.join('') };
  };

  it('covers the shapes secrets were seen leaking in', () => {
    const { logger, text } = captured();
    logger.warn('upstream said', {
      body: '{"access_token":"json-in-string-1","expires_in":7200}',
      escaped: JSON.stringify({ raw: '{"refresh_token":"escaped-json-2"}' }),
      header: 'Authorization: Basic YWxpY2U6aHVudGVyMg==',
      proxy: 'proxy-authorization: Basic Ym9iOnNlY3JldHBhc3M=',
      dsn: 'connect ECONNREFUSED postgres://dlsync:pg-password-3@db.internal:5432/dlsync',
      redis: 'redis://:redis-password-4@cache:6379',
      secret: 'plain-secret-5',
      apiKey: 'api-key-6',
      'x-api-key': 'x-api-key-7',
      private_key: '-----BEGIN PRIVATE KEY-----key-8',
      'Proxy-Authorization': 'Basic cHJveHk6cHc5',
      config: { auth: { admin: { users: { bot: 'token:admin-token-10-abcdef', alice: 'scrypt$c2FsdA$aGFzaC0xMQ' } } } },
      query: 'GET /x?api_key=query-key-12&client_secret=query-secret-13',
    });
    const out = text();
    for (const leaked of [
      'json-in-string-1',
      'escaped-json-2',
      'YWxpY2U6aHVudGVyMg',
      'Ym9iOnNlY3JldHBhc3M',
      'pg-password-3',
      'redis-password-4',
      'plain-secret-5',
      'api-key-6',
      'x-api-key-7',
      'key-8',
      'cHJveHk6cHc5',
      'admin-token-10-abcdef',
      'aGFzaC0xMQ',
      'query-key-12',
      'query-secret-13',
    ]) {
      expect({ leaked, found: out.includes(leaked) }).toEqual({ leaked, found: false });
    }
    // What is not secret stays readable.
    expect(out).toContain('expires_in');
    expect(out).toContain('db.internal:5432/dlsync');
    expect(out).toContain('postgres://dlsync:');
  });

  it('lets no planted secret through, in any generated log object (property)', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9]{12,24}$/).map((s) => `Zq9${s}`);
    const keySpelling = fc
      .tuple(fc.constantFrom(...SECRET_KEYS), fc.constantFrom('as-is', 'upper', 'camel', 'dash'))
      .map(([key, style]) =>
        style === 'upper' ? key.toUpperCase() : style === 'camel' ? key.replace(/[-_](.)/g, (_m, c: string) => c.toUpperCase()) : style === 'dash' ? key.replace(/_/g, '-') : key,
      );
    // A secret in one of the shapes it travels in; `reveals` is what must not appear.
    const planted = fc.oneof(
      fc.tuple(keySpelling, secret).map(([key, s]) => ({ value: { [key]: s }, reveals: s })),
      fc.tuple(fc.constantFrom('access_token', 'client_secret', 'password', 'apiKey'), secret).map(([key, s]) => ({ value: `{"${key}":"${s}","n":1}`, reveals: s })),
      fc.tuple(fc.constantFrom('access_token', 'api_key', 'sign', 'token', 'secret'), secret).map(([key, s]) => ({ value: `https://h.example/p?a=1&${key}=${s}&b=2`, reveals: s })),
      secret.map((s) => ({ value: `Authorization: Basic ${Buffer.from(`u:${s}`).toString('base64')}`, reveals: Buffer.from(`u:${s}`).toString('base64') })),
      secret.map((s) => ({ value: `failed: Bearer ${s}`, reveals: s })),
      secret.map((s) => ({ value: `postgres://app:${s}@db:5432/x`, reveals: s })),
      secret.map((s) => ({ value: { users: { someone: `token:${s}` } }, reveals: s })),
    );
    const filler = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean(), fc.constant(null));
    const logObject = fc.tuple(fc.array(planted, { minLength: 1, maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 10 }), filler, { maxKeys: 4 }), fc.integer({ min: 0, max: 3 }));
    fc.assert(
      fc.property(logObject, ([secrets, noise, depth]) => {
        const { logger, text } = captured();
        let meta: Record<string, unknown> = { ...noise, planted: secrets.map((p) => p.value) };
        for (let i = 0; i < depth; i++) meta = { [`level${i}`]: meta, list: [meta] };
        logger.info('generated', meta);
        const out = text();
        for (const p of secrets) expect(out).not.toContain(p.reveals);
      }),
      { numRuns: 300 },
    );
  });
});
