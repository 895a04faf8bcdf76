import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { stringify } from 'yaml';
import { useTestEnv } from '@dlsync/infra/testing';
import { makeStatusAuditRepository, makeStore, type OrderStatus, type Store } from '@dlsync/store';
import { captureCli } from './helpers.js';

const env = useTestEnv();
let dir: string;
let envFile: string;
let store: Store;

const cli = (...args: string[]) => captureCli(['--config', envFile, ...args]);
const BASE = Date.parse('2026-03-01T00:00:00Z') / 1000;
const po = (i: number) => `K-${String(i).padStart(3, '0')}`;
/** Newest first, as the listing orders them. */
const pos = (pred: (i: number) => boolean) => Array.from({ length: 30 }, (_, i) => i).filter(pred).reverse().map(po);
const listed = (out: string) => out.trim().split('\n').slice(1).map((l) => l.split(/\s+/)[0]);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dlsync-cli-console-'));
  envFile = join(dir, 'env.yaml');
  writeFileSync(
    envFile,
    stringify({
      postgres: { url: env.databaseUrl },
      redis: { url: env.redisUrl, prefix: env.redisPrefix.replace(/:$/, '') },
      admin: { display_timezone: 'America/New_York', attention_hours: 12 },
    }),
  );
  store = makeStore({ databaseUrl: env.databaseUrl, poolMax: 2 });
  await store.db
    .insertInto('dsco_order_sync')
    .values(
      Array.from({ length: 30 }, (_, i) => ({
        po_number: po(i),
        dsco_retailer_id: i % 2 ? 'R-ODD' : 'R-EVEN',
        dsco_status: 'created',
        dsco_create_time: BASE + i * 60,
        status: ((i % 6) + 1) as OrderStatus,
        mskus: `SKU-${i % 3}(1)`,
        warehouse_id: 'WH',
        shipment: 'GROUND',
        payload: JSON.stringify({ poNumber: po(i) }),
      })),
    )
    .execute();
  const soon = new Date(Date.now() + 3600_000);
  await sql`UPDATE dsco_order_sync SET last_error = 'lingxing: sku not mapped', last_error_at = now() WHERE po_number = 'K-006'`.execute(store.db);
  await sql`UPDATE dsco_order_sync SET ship_by = ${soon} WHERE po_number = 'K-002'`.execute(store.db);
  await sql`INSERT INTO dsco_write (kind, po_numbers, body_hash, state, sent_at, request_id, error) VALUES ('ack', ARRAY['K-001'], 'h', 'failure', now(), 'req-9', 'DSCO refused it')`.execute(store.db);
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('dlsync orders list', () => {
  it('applies the console filters', async () => {
    expect(listed((await cli('orders', 'list', '--retailer', 'R-ODD', '--status', '2', '--status', '6')).out)).toEqual(pos((i) => i % 2 === 1 && (i % 6 === 1 || i % 6 === 5)));
    expect(listed((await cli('orders', 'list', '--sku', 'SKU-2(')).out)).toEqual(pos((i) => i % 3 === 2));
    expect(listed((await cli('orders', 'list', '--has-error')).out)).toEqual(['K-006']);
    expect(listed((await cli('orders', 'list', '--po', '-01', '--limit', '100')).out)).toEqual(pos((i) => i >= 10 && i < 20));
    // 2026-02-28T19:10 in New York (admin.display_timezone) is 00:10 UTC.
    expect(listed((await cli('orders', 'list', '--created-from', '2026-02-28T19:10', '--created-to', '2026-03-01T00:13:00Z')).out)).toEqual(['K-012', 'K-011', 'K-010']);
  }, 30_000);

  it('refuses bad times and values with a usage error', async () => {
    expect(await cli('orders', 'list', '--created-from', 'yesterday')).toMatchObject({ code: 2, err: expect.stringContaining('--created-from') });
    expect(await cli('orders', 'list', '--created-from', '2026-03-02T00:00Z', '--created-to', '2026-03-01T00:00Z')).toMatchObject({ code: 2 });
    expect((await cli('orders', 'list', '--status', '9')).code).toBe(2);
    expect((await cli('orders', 'list', '--sku', 'a\u0001b')).code).toBe(2);
  });

  it('prints every matching order as CSV with --csv', async () => {
    const r = await cli('orders', 'list', '--csv', '--retailer', 'R-EVEN');
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\r\n');
    const header = lines[0]!.split(',');
    expect(header).toContain('last_error');
    expect(header).not.toContain('payload');
    expect(lines.slice(1).map((l) => l.split(',')[header.indexOf('po_number')])).toEqual(pos((i) => i % 2 === 0));
    expect(lines[1]!.split(',')[header.indexOf('dsco_create_time')]).toBe('2026-03-01T00:28:00.000Z');
    expect(r.err.trim()).toBe('15 rows');
  });
});

describe('dlsync orders show', () => {
  it('shows the history: audited status changes and DSCO writes', async () => {
    await makeStatusAuditRepository(store.db).changeStatus({ po: 'K-001', from: 2, to: 1, reason: 'ack refused; push again', actor: 'cli:test' });
    const r = await cli('orders', 'show', 'K-001');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^status\s+1 · to push$/m);
    expect(r.out).toMatch(/status changes\nAT\s+ACTOR\s+FROM\s+TO\s+REASON\n\S+\s+cli:test\s+2 · to ack\s+1 · to push\s+ack refused; push again/);
    expect(r.out).toMatch(/DSCO writes\nSENT.*\n\S+\s+ack\s+failure\s+req-9\s+DSCO refused it/);
    const json = JSON.parse((await cli('orders', 'show', 'K-001', '--json')).out);
    expect(json.audit).toEqual([expect.objectContaining({ from_status: 2, to_status: 1, actor: 'cli:test' })]);
    expect(json.writes).toEqual([expect.objectContaining({ kind: 'ack', state: 'failure', request_id: 'req-9' })]);
    expect((await cli('orders', 'show', 'K-002')).out).toMatch(/status changes\n\(none\)/);
  });
});

describe('dlsync attention', () => {
  it('lists what needs attention, with counts', async () => {
    const r = await cli('attention');
    expect(r.code).toBe(0);
    const rows = r.out.trim().split('\n').slice(1).map((l) => l.split(/\s+/).slice(0, 2));
    expect(rows).toEqual([
      ['last_error', 'K-006'],
      ['deadline', 'K-002'],
      ['write', 'K-001'],
    ]);
    expect(r.err).toContain('last_error 1 · deadline 1 · write 1');
    const json = JSON.parse((await cli('attention', '--json', '--kind', 'deadline', '--hours', '0')).out);
    expect(json).toMatchObject({ withinHours: 0, items: [] });
    expect((await cli('attention', '--kind', 'nope')).code).toBe(2);
  });
});
