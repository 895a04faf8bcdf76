import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TASK_NAMES, type TaskName } from '@dlsync/config';
import { queryStock } from '@dlsync/store';
import type { AdminContext } from '../context.js';
import { HttpError, parseInput } from '../errors.js';
import { html, pageCsp } from '../html.js';
import { poNumberSchema } from '../routes/inputs.js';
import { getRun, type RunView } from '../runs.js';
import { describeCheckRange } from './check-range-data.js';
import { loadAttention, loadOrdersPage, parseOrdersQuery, sendOrdersCsv, sendStockCsv } from './console-api.js';
import { stockQuerySchema, toStockFilter } from './console-inputs.js';
import { consolePage, type ConsoleSection } from './console-layout.js';
import { CONSOLE_SCRIPT } from './console-script.js';
import { readConsoleSettings } from './console-time.js';
import { loadOrderDetail } from './order-detail-data.js';
import { renderAttention } from './render-attention.js';
import { renderCheckRange } from './render-check-range.js';
import { renderOrderDetail } from './render-order-detail.js';
import { renderOrdersPage } from './render-orders.js';
import { renderStock } from './render-stock.js';
import { liveCompareView } from './stock-live-page.js';

interface PageContext {
  nonce: string;
  user?: string;
  /** Signed in with a role that may not change anything (the API answers 403). */
  readOnly: boolean;
  timeZone: string;
  script: string;
}

function pageContext(ctx: AdminContext, request: FastifyRequest): PageContext {
  return {
    nonce: randomBytes(16).toString('base64'),
    timeZone: readConsoleSettings(ctx.env).timeZone,
    script: CONSOLE_SCRIPT,
    readOnly: request.principal?.role !== 'admin',
    ...(request.principal ? { user: request.principal.user } : {}),
  };
}

const sendHtml = (reply: FastifyReply, nonce: string, body: string, status = 200) =>
  reply.code(status).header('content-security-policy', pageCsp(nonce)).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);

/**
 * A page's client errors (bad filter, unknown PO) answer as a page with the reason, in the
 * console's layout, rather than the API's JSON.
 */
async function withPageErrors(
  reply: FastifyReply,
  pc: PageContext,
  section: ConsoleSection,
  render: () => Promise<string>,
): Promise<FastifyReply> {
  try {
    return sendHtml(reply, pc.nonce, await render());
  } catch (err) {
    if (!(err instanceof HttpError) || err.statusCode >= 500) throw err;
    const body = html`<p class="error" role="alert" data-testid="page-error">${err.message}</p>
${err.issues.length ? html`<ul>${err.issues.map((i) => html`<li>${i.path}: ${i.message}</li>`)}</ul>` : ''}
<p><a href="/${section}">Start over</a></p>`;
    return sendHtml(reply, pc.nonce, consolePage({ title: 'Error', nonce: pc.nonce, section, timeZone: pc.timeZone, body, ...(pc.user ? { user: pc.user } : {}) }), err.statusCode);
  }
}

/** `?job=<task>:<jobId>` of a run started from the detail page. */
async function jobFromQuery(ctx: AdminContext, value: unknown): Promise<RunView | undefined> {
  if (typeof value !== 'string' || value.length > 250) return undefined;
  const [task, jobId] = [value.slice(0, value.indexOf(':')), value.slice(value.indexOf(':') + 1)];
  if (!(TASK_NAMES as readonly string[]).includes(task) || !/^[\w:.-]{1,200}$/.test(jobId)) return undefined;
  return getRun(ctx.queues, task as TaskName, jobId);
}

const DAY_MS = 24 * 3600_000;

/** The console's server-rendered pages; every read works without JavaScript. */
export function registerConsolePages(app: FastifyInstance, ctx: AdminContext): void {
  app.get('/orders', async (request, reply) => {
    const pc = pageContext(ctx, request);
    return withPageErrors(reply, pc, 'orders', async () => {
      const query = parseOrdersQuery(ctx, request.query);
      return renderOrdersPage({ query, ...(await loadOrdersPage(ctx, query)) }, pc);
    });
  });

  app.get('/orders.csv', async (request, reply) => sendOrdersCsv(ctx, parseOrdersQuery(ctx, request.query), reply));

  app.get('/orders/:po', async (request, reply) => {
    const pc = pageContext(ctx, request);
    return withPageErrors(reply, pc, 'orders', async () => {
      const po = parseInput(poNumberSchema, (request.params as { po: string }).po, 'params.po');
      const detail = await loadOrderDetail(ctx, po);
      if (!detail) throw new HttpError(404, `no order ${po}`);
      const job = await jobFromQuery(ctx, (request.query as { job?: unknown }).job);
      return renderOrderDetail(detail, { ...pc, ...(job ? { job } : {}) });
    });
  });

  app.get('/attention', async (request, reply) => {
    const pc = pageContext(ctx, request);
    return withPageErrors(reply, pc, 'attention', async () => renderAttention(await loadAttention(ctx), pc));
  });

  app.get('/stock', async (request, reply) => {
    const pc = pageContext(ctx, request);
    return withPageErrors(reply, pc, 'stock', async () => {
      // `live` is the comparison form's field; the rest is the rows' filter.
      const { live, ...filters } = (request.query ?? {}) as Record<string, unknown>;
      const query = parseInput(stockQuerySchema, filters, 'query');
      const [page, runs] = await Promise.all([
        queryStock(ctx.store.db, toStockFilter(query), { limit: query.limit, ...(query.cursor !== undefined ? { after: query.cursor } : {}) }),
        ctx.store.warehouseSync.listRuns({ limit: 10 }),
      ]);
      return renderStock({ query, runs, ...page, live: await liveCompareView(ctx, live, page.items, filters) }, pc);
    });
  });

  app.get('/stock.csv', async (request, reply) => sendStockCsv(ctx, request.query, reply));

  app.get('/check-range', async (request, reply) => {
    const pc = pageContext(ctx, request);
    return withPageErrors(reply, pc, 'check-range', async () => {
      const now = ctx.now().getTime();
      const jobId = (request.query as { job?: unknown }).job;
      if (typeof jobId !== 'string' || jobId === '') return renderCheckRange({ start: now - DAY_MS, end: now }, pc);
      const run = /^[\w:.-]{1,200}$/.test(jobId) ? await getRun(ctx.queues, 'check_orders', jobId) : undefined;
      const window = run?.data.window;
      if (!run || !window) return renderCheckRange({ start: now - DAY_MS, end: now, missingJob: jobId }, pc);
      const [start, end] = [Date.parse(window.start), Date.parse(window.end)];
      const outcome = { task: 'check_orders' as const, jobId: run.jobId, state: run.state, report: run.report, failedReason: run.failedReason };
      return renderCheckRange({ start, end, result: await describeCheckRange(ctx, outcome, start, end) }, pc);
    });
  });
}
