import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import { HttpError } from './errors.js';
import { TASK_NAMES } from '@dlsync/config';
import type { TaskQueues } from '@dlsync/queue';
import { bullBoardDateFormats } from './overview/bull-board-dates.js';

export const BULL_BOARD_PATH = '/admin/queues';
const QUEUES_API = `${BULL_BOARD_PATH}/api/queues`;

/** What Bull Board's UI reads per queue to decide which buttons to show. */
interface BoardQueue {
  readOnlyMode?: boolean;
  allowRetries?: boolean;
  allowCompletedRetries?: boolean;
}

/**
 * Bull Board's own read-only mode is fixed per queue, and one board serves everyone; so for a
 * caller who may not change anything the queue list says read-only, and the UI hides retry,
 * clean, pause and promote. The auth hook refuses those requests anyway (403).
 */
function asReadOnly(payload: string): string {
  const body = JSON.parse(payload) as { queues?: BoardQueue[] };
  for (const queue of body.queues ?? []) Object.assign(queue, { readOnlyMode: true, allowRetries: false, allowCompletedRetries: false });
  return JSON.stringify(body);
}

/** The first query or path value that is not valid percent-encoding, if any. */
function findUndecodable(inputs: Record<string, unknown>): string | undefined {
  for (const [where, values] of Object.entries(inputs)) {
    for (const [key, value] of Object.entries((values ?? {}) as Record<string, unknown>)) {
      if (typeof value !== 'string') continue;
      try {
        decodeURIComponent(value);
      } catch {
        return `${where}.${key}`;
      }
    }
  }
  return undefined;
}

/** Bull Board over every task queue (retry, inspect data and return values), under the app's auth. */
export async function registerBullBoard(app: FastifyInstance, queues: TaskQueues, timeZone = 'UTC'): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: TASK_NAMES.map((task) => new BullMQAdapter(queues[task], { allowRetries: true, description: `dlsync task ${task}` })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'dlsync', dateFormats: bullBoardDateFormats(timeZone) } },
  });
  // Bull Board decodes queue names and query values a second time and answers a malformed one
  // with a 500 of its own; refuse those first.
  app.addHook('preValidation', async (request) => {
    const path = findUndecodable({ params: request.params, query: request.query });
    if (path) throw new HttpError(400, `invalid ${path}: not valid percent-encoding`, [{ path, message: 'not valid percent-encoding' }]);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const readOnly = request.principal !== undefined && request.principal.role !== 'admin';
    if (!readOnly || request.routeOptions.url !== QUEUES_API || reply.statusCode !== 200 || typeof payload !== 'string') return payload;
    return asReadOnly(payload);
  });
  await app.register(serverAdapter.registerPlugin(), { prefix: BULL_BOARD_PATH });
}
