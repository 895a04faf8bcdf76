import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { AdminContext } from '../context.js';
import { pageCsp } from '../html.js';
import { loadOverview } from '../overview/overview-data.js';
import { renderOverview } from '../overview/render-overview.js';

export function registerOverviewRoutes(app: FastifyInstance, ctx: AdminContext): void {
  app.get('/', async (request, reply) => {
    const data = await loadOverview(ctx);
    const nonce = randomBytes(16).toString('base64');
    return reply
      .header('content-security-policy', pageCsp(nonce))
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(renderOverview(data, { nonce, ...(request.principal ? { user: request.principal.user } : {}) }));
  });
}
