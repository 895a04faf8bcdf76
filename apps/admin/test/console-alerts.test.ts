import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import { parse } from 'yaml';
import { useTestEnv } from '@dlsync/infra/testing';
import { ALICE, makeAdminFixture, type AdminFixture } from './admin-fixture.js';
import { CONSOLE_NOW, seedConsoleOrders } from './console-fixture.js';

const testEnv = useTestEnv();
let fx: AdminFixture;

beforeAll(async () => {
  fx = await makeAdminFixture(testEnv, { now: () => CONSOLE_NOW });
  await seedConsoleOrders(fx.store);
});
afterAll(() => fx.close());

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: { severity?: string };
  annotations?: { summary?: string };
}

async function loadRules(): Promise<Rule[]> {
  const doc = parse(await readFile(new URL('../../../deploy/alerts.yml', import.meta.url), 'utf8')) as { groups: { name: string; rules: Rule[] }[] };
  return doc.groups.flatMap((g) => g.rules);
}

/** PromQL words that are not metric names. */
const PROMQL_WORDS = new Set(['sum', 'min', 'max', 'avg', 'count', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset', 'increase', 'rate', 'delta', 'time', 'absent']);

/** Metric names an expression reads: identifiers outside strings, label matchers and range selectors. */
export function metricNames(expr: string): string[] {
  const bare = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\{[^}]*\}/g, ' ').replace(/\[[^\]]*\]/g, ' ').replace(/\(\s*[a-z_,\s]*\)\s*\(/g, (m) => m.replace(/[a-z_]+/g, ' '));
  const words = bare.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [];
  return [...new Set(words.filter((w) => !PROMQL_WORDS.has(w)))];
}

describe('deploy/alerts.yml', () => {
  it('holds the rules operators need, each with an expression, severity and summary', async () => {
    const rules = await loadRules();
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining(['DlsyncJobsFailing', 'DlsyncOrdersPastDeadline', 'DlsyncDscoWritesFailing', 'DlsyncTaskNotSucceeding', 'DlsyncNotReady']),
    );
    for (const r of rules) {
      expect({ alert: r.alert, expr: typeof r.expr, severity: r.labels?.severity, summary: typeof r.annotations?.summary }).toEqual({
        alert: r.alert,
        expr: 'string',
        severity: expect.stringMatching(/^(warning|critical)$/),
        summary: 'string',
      });
      expect(metricNames(r.expr).length).toBeGreaterThan(0);
    }
  });

  it('reads only metrics the admin really exports', async () => {
    const body = (await fx.request('/metrics', { headers: ALICE })).body;
    const exported = new Set([...body.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));
    for (const r of await loadRules()) {
      for (const name of metricNames(r.expr)) expect({ alert: r.alert, name, exported: exported.has(name) }).toEqual({ alert: r.alert, name, exported: true });
    }
  });

  it('exports attention, deadline, write and readiness figures that match the database', async () => {
    await sql`INSERT INTO dsco_write (kind, po_numbers, body_hash, state, sent_at) VALUES ('ship', ARRAY['C-009'], 'h', 'in_doubt', ${CONSOLE_NOW})`.execute(fx.store.db);
    const body = (await fx.request('/metrics', { headers: ALICE })).body;
    // C-001's acknowledge deadline passed 2 h ago; C-002 ships within 24 h (near, not past).
    expect(body).toContain('dlsync_orders_past_deadline 1\n');
    expect(body).toContain('dlsync_attention_orders{kind="deadline"} 2\n');
    expect(body).toContain('dlsync_attention_orders{kind="last_error"} 1\n');
    expect(body).toContain('dlsync_attention_orders{kind="write"} 2\n');
    expect(body).toContain('dlsync_dsco_writes{state="failure"} 1\n');
    expect(body).toContain('dlsync_dsco_writes{state="in_doubt"} 1\n');
    expect(body).toContain('dlsync_ready{dependency="postgres"} 1\n');
    expect(body).toContain('dlsync_ready{dependency="redis"} 1\n');
  });
});

describe('metricNames', () => {
  it('finds metric names and skips functions, labels and ranges', () => {
    expect(metricNames('sum by (task) (increase(dlsync_jobs_failed_total[30m])) > 0')).toEqual(['dlsync_jobs_failed_total']);
    expect(metricNames('(time() - dlsync_task_last_success_timestamp_seconds) > 3 * 900')).toEqual(['dlsync_task_last_success_timestamp_seconds']);
    expect(metricNames('dlsync_dsco_writes{state="in_doubt"} > 0')).toEqual(['dlsync_dsco_writes']);
    expect(metricNames('min by (dependency) (dlsync_ready) == 0')).toEqual(['dlsync_ready']);
  });
});
