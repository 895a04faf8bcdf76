import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { parseRuntimeConfig } from '@dlsync/config';
import { startInfra, type Infra } from '@dlsync/infra';
import { closeTaskQueues, makeRedisConnection, makeTaskQueues, type TaskQueues } from '@dlsync/queue';
import { startSandbox, type Sandbox, type ScenarioTag } from '@dlsync/sandbox';
import { makeStore, migrate, type Store } from '@dlsync/store';
import { fleetEnv, startApp, writeEmptyEnvFile, type AppProcess } from '@dlsync/cli';

// Chaos: real scheduler + worker processes against Postgres/Redis started from local binaries
// (so they can be restarted) and the sandbox with faults on. While the pipeline runs, two
// workers are killed with SIGKILL, Redis and Postgres restart once each. When it settles the
// sandbox's record and the database must show nothing lost and nothing done twice.

const ORDERS = 120;
const SETTLE_TIMEOUT_MS = 6 * 60_000;
const FAULTS = {
  latencyMs: 5,
  jitterMs: 150,
  serverErrorRate: 0.2,
  throttleRate: 0.1,
  lostResponseRate: 0.03,
  timeoutRate: 0.02,
  timeoutMs: 4_000,
  malformedRate: 0.01,
  // A lost answer on every DSCO write endpoint: the write is applied, the client cannot tell.
  endpoints: Object.fromEntries(
    ['/order/acknowledge', '/order/shipment/batch/small', '/invoice/batch/small', '/inventory/batch/small'].map((e) => [e, { lostResponseRate: 0.1 }]),
  ),
};
/** Share of async DSCO items (acknowledgements, shipments, invoices) failing in the change log, all run long. */
const ASYNC_FAILURE_RATE = 0.05;

let infra: Infra;
let sandbox: Sandbox;
let store: Store;
let queues: TaskQueues;
let queueConnection: ReturnType<typeof makeRedisConnection>;
let tmp: string;
const processes: AppProcess[] = [];
const statusAudit = new Map<string, number>();
const regressions: string[] = [];
const seenTokens = new Set<string>();

async function audit(): Promise<void> {
  const rows = await store.db.selectFrom('dsco_order_sync').select(['po_number', 'status']).execute();
  for (const row of rows) {
    const before = statusAudit.get(row.po_number);
    if (before !== undefined && row.status < before) regressions.push(`${row.po_number}: ${before} → ${row.status}`);
    statusAudit.set(row.po_number, row.status);
  }
}

function eligiblePos(): Set<string> {
  const tagged = (tag: ScenarioTag) => new Set(sandbox.world.ordersWithTag(tag).map((o) => o.order.poNumber));
  const excluded = new Set([...tagged('cancelled'), ...tagged('missing_price'), ...tagged('missing_address')]);
  const shipped = tagged('already_shipped');
  return new Set(
    sandbox.world
      .ordersWithTag('normal')
      .concat(...(['fallback_price', 'unmapped_sku', 'split_order', 'split_shipment', 'address_array', 'first_last_name', 'requested_warehouse_only', 'stock_delivered_only', 'multi_line', 'multi_quantity', 'acknowledged', 'already_shipped'] as ScenarioTag[]).map((t) => sandbox.world.ordersWithTag(t)))
      .map((o) => o.order.poNumber)
      .filter((po) => !excluded.has(po) || shipped.has(po)),
  );
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'dlsync-chaos-'));
  infra = await startInfra({ providers: ['local'], log: (m) => process.stderr.write(`[infra] ${m}\n`) });
  await migrate(infra.databaseUrl);
  store = makeStore({ databaseUrl: infra.databaseUrl, poolMax: 3 });
  sandbox = await startSandbox({
    seed: 2026,
    lingxingTokenLifetimeSeconds: 900,
    fulfilment: { toShipAfterSeconds: 60, shipAfterSeconds: 120, secondShipmentAfterSeconds: 300 },
    // DSCO applies async writes a simulated minute after receiving them (the clock runs ~40× wall time here).
    asyncDelayMs: 60_000,
  });
  sandbox.world.seedOrders({ count: ORDERS, seed: 2026 });
  const jobs = Object.fromEntries(
    ['pull_dsco_orders', 'push_to_lingxing', 'ack_to_dsco', 'ship_to_dsco', 'invoice_to_dsco', 'pull_sku_pair'].map((t) => [
      t,
      { enabled: true, cron: '*/2 * * * * *', size: 50 },
    ]),
  );
  // Simulated time runs far ahead of the wall clock rows back off by: delays in seconds.
  // Unchanged items DSCO refused go again up to 10 times (5 % fail while the faults are on).
  const retry = { base_seconds: 2, max_seconds: 20, waiting_seconds: 1, write_max_attempts: 10 };
  await store.runtimeConfig.save(parseRuntimeConfig({ mapping: sandbox.world.suggestedMapping(), retry, jobs }), {
    expectedVersion: null,
    updatedBy: 'chaos',
  });
  queueConnection = makeRedisConnection(infra.redisUrl);
  queues = await makeTaskQueues({ connection: queueConnection, prefix: 'dlsync' });
  // Redis restarts on purpose; the queues reconnect by themselves.
  for (const q of Object.values(queues)) q.on('error', () => undefined);
  queueConnection.on('error', () => undefined);
}, 120_000);

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop('SIGKILL', 1_000).catch(() => undefined)));
  await closeTaskQueues(queues).catch(() => undefined);
  queueConnection?.disconnect();
  await store?.close();
  await sandbox?.close();
  await infra?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('chaos', () => {
  it('loses nothing and does nothing twice under faults, kills and restarts', async () => {
    const env = {
      ...fleetEnv({
        databaseUrl: infra.databaseUrl,
        redisUrl: infra.redisUrl,
        prefix: 'dlsync',
        dsco: { baseUrl: sandbox.dscoUrl, token: sandbox.credentials.dscoToken },
        lingxing: {
          baseUrl: sandbox.lingxingUrl,
          appId: sandbox.credentials.lingxingAppId,
          appSecret: sandbox.credentials.lingxingAppSecret,
          platformCode: 10009,
        },
        logLevel: 'info',
        configPath: writeEmptyEnvFile(path.join(tmp, 'env.yaml')),
      }),
      DLSYNC__INTEGRATION__DSCO__TIMEOUT_MS: '2000',
      DLSYNC__INTEGRATION__LINGXING__TIMEOUT_MS: '2000',
    };
    const start = (app: 'scheduler' | 'worker', name: string): AppProcess => {
      const p = startApp(app, { name, env, ...(app === 'scheduler' ? { args: ['--poll-ms', '1000'] } : {}) });
      processes.push(p);
      return p;
    };
    start('scheduler', 'scheduler');
    const workers = [start('worker', 'worker-1'), start('worker', 'worker-2')];
    const auditTimer = setInterval(() => void audit().catch(() => undefined), 250);
    // Collect every Lingxing token the fleet shares, to scan the logs for them afterwards.
    const tokenKey = `dlsync:token:${sandbox.credentials.lingxingAppId}`;
    const tokenTimer = setInterval(() => {
      queueConnection
        .get(tokenKey)
        .then((raw) => {
          if (!raw) return;
          const t = JSON.parse(raw) as { access_token?: string; refresh_token?: string };
          for (const v of [t.access_token, t.refresh_token]) if (v) seenTokens.add(v);
        })
        .catch(() => undefined);
    }, 300);
    const clockTimer = setInterval(() => sandbox.clock.advance(20_000), 500);
    sandbox.faults.set({ dsco: FAULTS, lingxing: FAULTS });
    sandbox.options.asyncFailureRate = ASYNC_FAILURE_RATE;

    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    try {
      await sleep(8_000);
      await workers[0]!.stop('SIGKILL');
      workers.push(start('worker', 'worker-3'));
      await sleep(5_000);
      sandbox.faults.set({ dsco: FAULTS, lingxing: FAULTS }); // keep faults; revoke tokens mid-run
      sandbox.faults.revokeTokens('lingxing');
      await infra.restartRedis!();
      await sleep(6_000);
      await workers[1]!.stop('SIGKILL');
      workers.push(start('worker', 'worker-4'));
      await sleep(5_000);
      await infra.restartPostgres!();
      await sleep(8_000);
      // Faults off: the pipeline must now settle by itself.
      sandbox.faults.clear();
      // The 5 % async failures stay on: refused items must still get through on a later send.

      const eligible = eligiblePos();
      const deadline = Date.now() + SETTLE_TIMEOUT_MS;
      let done = 0;
      while (Date.now() < deadline) {
        const { rows } = await pgQuery<{ po_number: string }>(`SELECT po_number FROM dsco_order_sync WHERE status = 5`);
        done = rows.filter((r) => eligible.has(r.po_number)).length;
        if (done === eligible.size) break;
        await sleep(1_000);
      }
      expect({ done, eligible: eligible.size }).toEqual({ done: eligible.size, eligible: eligible.size });
      // A job that was active on a SIGKILLed worker keeps its "active" entry until a live
      // worker's stalled check re-queues it (lock expiry + check interval, up to ~60 s). The
      // orders can settle before that, so wait for the fleet to recover every orphaned job
      // before stopping it; stopping earlier would leave nobody to recover it.
      await waitForNoOrphanedJobs(Date.now() + 90_000);
    } finally {
      clearInterval(auditTimer);
      clearInterval(tokenTimer);
      clearInterval(clockTimer);
    }
    await audit();
    await Promise.all(processes.map((p) => p.stop('SIGTERM', 20_000)));

    const state = sandbox.state();
    // The chaos was real: faults were injected, workers died by SIGKILL, every stage wrote.
    const injected: Record<string, number> = {};
    for (const stats of Object.values(state.calls)) for (const [kind, n] of Object.entries(stats.faults)) injected[kind] = (injected[kind] ?? 0) + n;
    process.stderr.write(`chaos: eligible ${eligiblePos().size}/${ORDERS}, faults ${JSON.stringify(injected)}\n`);
    for (const kind of ['serverError', 'throttle', 'lostResponse', 'timeout']) expect(injected[kind] ?? 0).toBeGreaterThan(0);
    expect(await workers[0]!.exited).toBe('SIGKILL');
    expect(await workers[1]!.exited).toBe('SIGKILL');
    expect(eligiblePos().size).toBeGreaterThan(ORDERS * 0.7);
    for (const list of [state.writes.lingxingCreates, state.writes.dscoAcks, state.writes.dscoShipments, state.writes.dscoInvoices]) {
      expect(list.length).toBeGreaterThan(0);
    }
    const count = (keys: string[]) => keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());
    const twice = (m: Map<string, number>) => [...m].filter(([, n]) => n > 1);
    // Each PO created in Lingxing exactly once; acknowledged once; each tracking number shipped
    // once; at most one accepted invoice per PO.
    expect(twice(count(state.writes.lingxingCreates.filter((c) => c.result === 'success').map((c) => c.platformOrderNo)))).toEqual([]);
    expect(twice(count(state.writes.dscoAcks.filter((a) => a.result !== 'failure').map((a) => a.poNumber)))).toEqual([]);
    expect(twice(count(state.writes.dscoShipments.filter((s) => s.result !== 'failure').map((s) => `${s.poNumber} ${s.trackingNumber}`)))).toEqual([]);
    expect(twice(count(state.writes.dscoInvoices.filter((i) => i.result === 'success').map((i) => i.poNumber)))).toEqual([]);
    // Verified writes: DSCO holds every shipment of an order at 4 or 5 and the invoice of every order at 5.
    const rowsNow = await store.db.selectFrom('dsco_order_sync').select(['po_number', 'status', 'shipped_tracking_no', 'dsco_invoice_id']).execute();
    const shippedAtPull = new Set(sandbox.world.ordersWithTag('already_shipped').map((o) => o.order.poNumber));
    const lacking: string[] = [];
    for (const row of rowsNow) {
      if (shippedAtPull.has(row.po_number) || (row.status !== 4 && row.status !== 5)) continue;
      const order = sandbox.world.order(row.po_number)?.order;
      const packages = new Set((order?.packages ?? []).map((p) => p.trackingNumber));
      for (const t of (row.shipped_tracking_no ?? '').split(',').filter(Boolean)) if (!packages.has(t)) lacking.push(`${row.po_number}: shipment ${t}`);
      if (order?.dscoStatus !== 'shipped' && order?.dscoLifecycle !== 'completed') lacking.push(`${row.po_number}: DSCO status ${order?.dscoStatus}`);
      if (row.status === 5 && row.dsco_invoice_id && sandbox.world.dsco.invoicesFor('invoiceId', row.dsco_invoice_id).length === 0) lacking.push(`${row.po_number}: invoice`);
    }
    expect(lacking).toEqual([]);
    // Some async items really failed in the change logs, and were settled from them.
    const failedInLogs = [...state.writes.dscoAcks, ...state.writes.dscoShipments, ...state.writes.dscoInvoices].filter((w) => w.result === 'failure').length;
    process.stderr.write(`chaos: ${failedInLogs} ack/shipment/invoice items failed in the change logs\n`);
    expect(failedInLogs).toBeGreaterThan(0);
    // No status ever went backwards.
    expect(regressions).toEqual([]);
    // No stuck lock once the fleet is gone.
    const locks = await pgQuery<{ n: string }>(`SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory'`);
    expect(locks.rows[0]?.n).toBe('0');
    // No job lost: nothing left active, and no job failed because its worker vanished.
    for (const [task, queue] of Object.entries(queues)) {
      expect({ task, active: await queue.getActiveCount() }).toEqual({ task, active: 0 });
      const failed = await queue.getFailed();
      expect({ task, stalled: failed.filter((j) => /stalled/i.test(j.failedReason ?? '')).map((j) => j.id) }).toEqual({ task, stalled: [] });
    }
    // No secret in any log line of any process.
    const secrets = [sandbox.credentials.dscoToken, sandbox.credentials.lingxingAppSecret, ...seenTokens];
    expect(seenTokens.size).toBeGreaterThan(0);
    const logText = processes.flatMap((p) => p.lines.map((l) => l.text)).join('\n');
    expect(logText.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(logText.includes(secret)).toBe(false);
  });
});

/** Active jobs whose lock has expired: their worker died and no live worker has re-queued them yet. */
async function orphanedJobs(): Promise<string[]> {
  const orphans: string[] = [];
  for (const [task, queue] of Object.entries(queues)) {
    for (const job of await queue.getActive()) {
      if (!(await queueConnection.exists(`${queue.toKey(job.id!)}:lock`))) orphans.push(`${task}/${job.id}`);
    }
  }
  return orphans;
}

async function waitForNoOrphanedJobs(deadline: number): Promise<void> {
  let orphans = await orphanedJobs();
  while (orphans.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 1_000));
    orphans = await orphanedJobs();
  }
  expect(orphans).toEqual([]);
}

async function pgQuery<T extends pg.QueryResultRow>(sql: string): Promise<pg.QueryResult<T>> {
  const c = new pg.Client({ connectionString: infra.databaseUrl });
  await c.connect();
  try {
    return await c.query<T>(sql);
  } finally {
    await c.end();
  }
}
