import type { FastifyInstance } from 'fastify';
import { enqueue } from '@dlsync/queue';
import type { Report } from '@dlsync/runner';
import type { AdminContext } from '../context.js';
import { HttpError, parseInput } from '../errors.js';
import { getRun, listRuns } from '../runs.js';
import { runParamsSchema, runRequestSchema, runsQuerySchema, taskSchema } from './inputs.js';

/** Manual runs: enqueue (optionally wait for the Report) and read runs back from the queues. */
export function registerTaskRunRoutes(app: FastifyInstance, ctx: AdminContext): void {
  app.post('/api/tasks/:task/runs', async (request, reply) => {
    const task = parseInput(taskSchema, (request.params as { task: string }).task, 'params.task');
    const body = parseInput(runRequestSchema, request.body ?? {}, 'body');
    const job = await enqueue(ctx.queues, task, {
      trigger: 'manual',
      ...(body.po_number ? { onlyPoNumber: body.po_number } : {}),
      ...(body.start && body.end ? { window: { start: body.start, end: body.end } } : {}),
      ...(body.force !== undefined ? { force: body.force } : {}),
      ...(request.principal ? { requestedBy: `admin:${request.principal.user}` } : {}),
    });
    const jobId = job.id ?? '';
    ctx.logger.info('run requested', { task, job_id: jobId, user: request.principal?.user, only_po_number: body.po_number });
    if (!body.wait) return reply.code(202).send({ jobId });
    try {
      const report = (await job.waitUntilFinished(ctx.events[task], ctx.waitTimeoutMs)) as Report;
      return reply.code(200).send({ jobId, state: 'completed', report });
    } catch {
      // Either the job failed for good or the wait ran out; the job's state says which.
      const state = await job.getState();
      if (state === 'failed') {
        const failed = await ctx.queues[task].getJob(jobId);
        return reply.code(200).send({ jobId, state, failedReason: failed?.failedReason ?? null });
      }
      return reply.code(202).send({ jobId, state, timedOut: true });
    }
  });

  app.get('/api/runs', async (request) => {
    const query = parseInput(runsQuerySchema, request.query, 'query');
    const runs = await listRuns(ctx.queues, {
      ...(query.task ? { tasks: [query.task] } : {}),
      ...(query.status ? { states: [query.status] } : {}),
      limit: query.limit,
    });
    return { runs };
  });

  app.get('/api/runs/:task/:jobId', async (request) => {
    const params = parseInput(runParamsSchema, request.params, 'params');
    const run = await getRun(ctx.queues, params.task, params.jobId);
    if (!run) throw new HttpError(404, `no job ${params.jobId} in ${params.task}`);
    return run;
  });
}
