import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import { TASK_NAMES } from '@dlsync/config';
import type { TaskQueues } from '@dlsync/queue';

export const BULL_BOARD_PATH = '/admin/queues';

/** Bull Board over every task queue (retry, inspect data and return values), under the app's auth. */
export async function registerBullBoard(app: FastifyInstance, queues: TaskQueues): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: TASK_NAMES.map((task) => new BullMQAdapter(queues[task], { allowRetries: true, description: `dlsync task ${task}` })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'dlsync' } },
  });
  await app.register(serverAdapter.registerPlugin(), { prefix: BULL_BOARD_PATH });
}
