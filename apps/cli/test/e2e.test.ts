import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useTestEnv } from '@dlsync/infra/testing';
import { startSandbox, type Sandbox } from '@dlsync/sandbox';
import { makeStore, type Store } from '@dlsync/store';
import { demoRuntimeConfig } from '../src/demo/demo-config.js';
import { classifyOrders } from '../src/demo/eligibility.js';
import { waitForOrders } from '../src/demo/wait-for-orders.js';
import { logLine, type AppLine } from '../src/processes/app-process.js';
import { sandboxRemotes, writeEmptyEnvFile } from '../src/processes/fleet-env.js';
import { startFleet, type Fleet } from '../src/processes/fleet.js';

/**
 * The whole fleet as it runs in production: scheduler, two workers and admin as separate
 * processes on real Postgres and Redis, the sandbox standing in for DSCO and Lingxing. One
 * worker is killed with SIGKILL in the middle of a run; the pipeline must still finish with
 * every write made exactly once.
 */
const env = useTestEnv();
let dir: string;
let sandbox: Sandbox;
let store: Store;
let fleet: Fleet | undefined;
let clock: NodeJS.Timeout | undefined;

const ORDER_TASKS = new Set(['push_to_lingxing', 'ack_to_dsco', 'ship_to_dsco', 'invoice_to_dsco']);

function duplicates<T>(items: readonly T[], key: (t: T) => string): string[] {
  const seen = new Map<string, number>();
  for (const item of items) seen.set(key(item), (seen.get(key(item)) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([k, n]) => `${k} x${n}`);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dlsync-e2e-'));
  sandbox = await startSandbox({ seed: 11, seedOrders: 40 });
  store = makeStore({ databaseUrl: env.databaseUrl, poolMax: 2 });
  await store.runtimeConfig.save(demoRuntimeConfig(sandbox.world.suggestedMapping()), { expectedVersion: null, updatedBy: 'e2e' });
});

afterAll(async () => {
  clearInterval(clock);
  await fleet?.stop(5_000);
  await sandbox?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('fleet end to end', () => {
  it('drives a seeded batch to status 5 through scheduler + 2 workers + admin, surviving kill -9 of a worker', async () => {
    const { eligible, excluded } = classifyOrders(sandbox.world.dscoOrders.all());
    expect(eligible.length).toBeGreaterThan(25);
    // Orders DSCO shows as shipped before we start are pulled straight to 5; the rest go the whole way.
    const shippedBefore = new Set(sandbox.world.dscoOrders.all().filter((o) => o.order.dscoStatus === 'shipped').map((o) => o.order.poNumber));
    const pipelined = eligible.filter((po) => !shippedBefore.has(po)).sort();
    expect(pipelined.length).toBeGreaterThan(20);

    fleet = await startFleet({
      env: {
        databaseUrl: env.databaseUrl,
        redisUrl: env.redisUrl,
        prefix: env.redisPrefix.replace(/:$/, ''),
        ...sandboxRemotes(sandbox),
        adminUsers: { e2e: `token:${randomBytes(16).toString('hex')}` },
        configPath: writeEmptyEnvFile(join(dir, 'env.yaml')),
      },
      workers: 2,
      schedulerPollMs: 1_000,
    });
    expect((await fetch(`${fleet.adminUrl}/healthz`)).status).toBe(200);
    // Lingxing fulfilment (create → shipped, split shipments two hours later) runs on simulated time.
    clock = setInterval(() => sandbox.clock.advance(10 * 60_000), 1_000);

    // Kill worker-1 while it is inside an order task's run, once orders are on their way.
    const [victim, survivor] = fleet.workers as [typeof fleet.workers[0], typeof fleet.workers[0]];
    const midRun = (l: AppLine) => l.json?.message === 'task begin' && ORDER_TASKS.has(String(l.json.task));
    const begun = victim.lines.length;
    await victim.waitForLine((l) => midRun(l) && victim.lines.indexOf(l) >= begun, 60_000);
    victim.child.kill('SIGKILL');
    expect(await victim.exited).toBe('SIGKILL');
    const killedAt = survivor.lines.length;

    const progress = await waitForOrders({ store, eligible, timeoutMs: 120_000 });
    // On failure, say what the fleet last said about each straggler.
    const explain = (po: string) => ({
      po,
      tags: sandbox.world.order(po)?.scenario.tags,
      lastLines: fleet!.all().flatMap((p) => p.lines.filter((l) => l.text.includes(po)).map((l) => `${p.name}: ${l.text}`)).slice(-3),
    });
    expect(progress.pending.map((p) => explain(p.po))).toEqual([]);

    // The survivor kept working after the kill.
    expect(survivor.lines.slice(killedAt).some(logLine('job done'))).toBe(true);

    const state = sandbox.state();
    const created = state.writes.lingxingCreates.filter((w) => w.result === 'success');
    expect(duplicates(created, (w) => w.platformOrderNo)).toEqual([]);
    expect(duplicates(state.writes.dscoAcks.filter((w) => w.result !== 'failure'), (w) => w.poNumber)).toEqual([]);
    expect(duplicates(state.writes.dscoShipments.filter((w) => w.result !== 'failure'), (w) => `${w.poNumber} ${w.trackingNumber}`)).toEqual([]);
    expect(duplicates(state.writes.dscoInvoices.filter((w) => w.result !== 'failure'), (w) => w.poNumber)).toEqual([]);

    // Every eligible order that was not already done in DSCO went through Lingxing and got invoiced.
    expect([...new Set(created.map((w) => w.platformOrderNo))].filter((po) => pipelined.includes(po)).sort()).toEqual(pipelined);
    const invoiced = new Set(state.writes.dscoInvoices.filter((w) => w.result !== 'failure').map((w) => w.poNumber));
    expect([...invoiced].sort()).toEqual(pipelined);

    // Orders that cannot complete did not, and none moved backwards past 5/6.
    const blocked = [...excluded.values()].flat();
    const rows = await store.orders.getByPos(blocked);
    for (const row of rows) expect([1, 6]).toContain(row.status);
  }, 180_000);
});
